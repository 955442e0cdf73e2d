"""How fast the store saves one change, and how fast `cxmap list` starts.

    python bench/store_bench.py [--maps 10,100,1000] [--touchpoints 30] [--repeat 30]

1. For each size, a workspace of MAPS x TOUCHPOINTS is built in a temporary folder. One saved
   change (a feeling set through Store.change: lock, check for others' changes, apply, append the
   changed map to the journal, fsync) is timed against two floors in the same run: rewriting the
   whole database once (serialise, write, fsync, rename: what every save cost before the
   journal), appending the change's record as one line with a bare write + fsync (the journal
   floor), and the same map's row updated in SQLite in WAL mode with synchronous commits, taken in
   turn with the change. A table with the ratios ends the part.
2. `cxmap list` start-up against `python -c pass`.
3. Opening a database with one 10 MB text field (every check of a hostile file included) against
   json.loads of the same bytes: the checks must cost about what parsing does.

Medians are printed; nothing is asserted (targets: change <= 2x floor and < 100 ms; list start-up
< 0.25 s).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import command_ms, median_ms

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.store.storage import JSONFileStorage, encode


def build(store: Store, maps: int, touchpoints: int) -> list[ExperienceMap]:
    out = []
    for n in range(maps):
        m = ExperienceMap.new(f"Map {n}: customer calls support about order {n}", experience="service",
                              scope="A customer calls about a late order and gets a replacement",
                              persona="Busy parent ordering online")
        for i in range(touchpoints):
            m.add_touchpoint(
                f"Touchpoint {i}", stage=m.stages[i % len(m.stages)], channel="Phone",
                action="Explains the problem to the agent and waits for an answer",
                owner="Support desk", notes="Script v3; agents can see the order history",
                feeling=(i % 5) - 2, thoughts="Why do I have to repeat my order number again?",
            )
        out.append(m)
    return store.add_many(out)

def floor_once(path: Path, tables: dict) -> float:
    start = time.perf_counter()
    data = encode(tables, "0" * 16)
    tmp = path.with_name(".floor.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path.with_name("floor.json"))
    return time.perf_counter() - start


def append_floor_once(path: Path, line: bytes) -> float:
    start = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - start


def sqlite_floor(d: Path, docs: dict[str, str]) -> sqlite3.Connection:
    """The same maps in SQLite, one row a map, in WAL mode with a sync at every commit (what the
    journal promises: a change reported saved survives a power cut)."""
    con = sqlite3.connect(d / "floor.sqlite", isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE maps (id TEXT PRIMARY KEY, doc TEXT NOT NULL)")
    con.execute("BEGIN")
    con.executemany("INSERT INTO maps VALUES (?, ?)", docs.items())
    con.execute("COMMIT")
    return con


def sqlite_update_once(con: sqlite3.Connection, map_id: str, doc: str) -> float:
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE maps SET doc = ? WHERE id = ?", (doc, map_id))
    con.execute("COMMIT")
    return time.perf_counter() - start


def bench_store(maps: int, touchpoints: int, repeat: int) -> tuple[float, float, float, float, float, float]:
    """(file MB, one change, rewrite floor, journal floor, SQLite WAL update, one change after
    another session's), in ms. The change and its two floors are taken in turn, one of each a
    round, so that a machine busy with other work weighs on all three alike."""
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        db = Path(d) / "cx.json"
        # Built with every save folded in, so the workspace starts in the file itself, as after a
        # compaction; the store measured then compacts only at its usual thresholds.
        builder = Store(JSONFileStorage(db, compact_records=1))
        t0 = time.perf_counter()
        made = build(builder, maps, touchpoints)
        store = Store.open(db)
        size = db.stat().st_size / 1e6
        print(f"workspace: {maps} maps x {touchpoints} touchpoints, file {size:.1f} MB "
              f"(built in {time.perf_counter() - t0:.1f} s)")
        tables = json.loads(db.read_bytes())
        tables.pop("cxmap")
        con = sqlite_floor(Path(d), {m.id: json.dumps(m.to_dict()) for m in made})

        floors = [floor_once(db, tables) for _ in range(min(repeat, 15))]
        target = made[maps // 2]
        journal = db.with_name(db.name + ".journal")
        changes, appends, updates = [], [], []
        for i in range(repeat + 1):
            tp_id = target.touchpoints[i % touchpoints].id
            score = (i % 5) - 2
            start = time.perf_counter()
            saved = store.change_and_get(
                target.id, lambda m, i=i, score=score, tp_id=tp_id: m.set_feeling(tp_id, score, f"thought {i}"))[1]
            took = time.perf_counter() - start
            line = journal.read_bytes().splitlines(keepends=True)[-1]  # this change's record
            appended = append_floor_once(Path(d) / "floor.journal", line)
            updated = sqlite_update_once(con, target.id, json.dumps(saved.to_dict()))
            if i:  # the first round warms the caches
                changes.append(took)
                appends.append(appended)
                updates.append(updated)
        con.close()
        other = Store.open(db)
        reread = []
        for i in range(min(repeat, 10)):
            store.change(target.id, lambda m, i=i: m.edit(scope=f"scope {i}"))
            start = time.perf_counter()
            other.change(target.id, lambda m, i=i: m.edit(persona=f"persona {i}"))
            reread.append(time.perf_counter() - start)

        f, c, r = median_ms(floors), median_ms(changes), median_ms(reread)
        a, q = median_ms(appends), median_ms(updates)
        print(f"rewrite floor (serialise + write + fsync + rename): {f:7.1f} ms")
        print(f"journal floor (write one record's line + fsync):    {a:7.2f} ms  ({len(line):,} bytes)")
        print(f"SQLite WAL UPDATE of the map's row (synchronous):   {q:7.2f} ms")
        print(f"one saved change:                                   {c:7.2f} ms  ({c / a:.2f}x journal floor, "
              f"{c / q:.2f}x SQLite, {c / f:.3f}x rewrite floor)")
        print(f"one change after another process's change:          {r:7.2f} ms  (reads only its record)")
        return size, c, f, a, q, r


def bench_startup(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, CXMAP_DB=str(Path(d) / "cx.json"))
        subprocess.run([sys.executable, "-m", "cxmap_tui", "new", "A map"], env=env, check=True,
                       capture_output=True)

        def timed(cmd: list[str]) -> float:
            return command_ms(cmd, env, repeat)

        bare = timed([sys.executable, "-c", "pass"])
        listing = timed([sys.executable, "-m", "cxmap_tui", "list"])
        as_json = timed([sys.executable, "-m", "cxmap_tui", "list", "--json"])
        print(f"python -c pass:     {bare:6.0f} ms")
        print(f"cxmap list:         {listing:6.0f} ms  (+{listing - bare:.0f} ms)")
        print(f"cxmap list --json:  {as_json:6.0f} ms  (+{as_json - bare:.0f} ms)")


def bench_big_field(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cx.json"
        m = Store(JSONFileStorage(db, compact_records=1)).add(ExperienceMap.new("Big field"))  # in the file
        m.add_touchpoint("Huge notes")
        doc = json.loads(db.read_text())
        doc["maps"][m.id]["touchpoints"] = [dict(m.touchpoints[0].to_dict(), notes="x" * 10_000_000)]
        db.write_text(json.dumps(doc))
        raw = db.read_bytes()

        def timed(fn: object) -> float:
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn()  # type: ignore[operator]
                samples.append(time.perf_counter() - start)
            return median_ms(samples)

        parse = timed(lambda: json.loads(raw))
        opening = timed(lambda: Store.open(db).get(m.id))
        print(f"json.loads of a 10 MB field:   {parse:6.0f} ms")
        print(f"opening the database with it:  {opening:6.0f} ms  ({opening / parse:.1f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maps", default="10,100,1000", help="workspace sizes, comma-separated")
    ap.add_argument("--touchpoints", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--store-only", action="store_true", help="skip the start-up and big-field parts")
    args = ap.parse_args()
    rows = [(int(n), *bench_store(int(n), args.touchpoints, args.repeat)) for n in args.maps.split(",")]
    print()
    print("| maps | file | one change | journal floor | SQLite WAL | rewrite floor | change / journal | "
          "change / SQLite | after another's change |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, size, c, f, a, q, r in rows:
        print(f"| {n:,} | {size:.1f} MB | {c:.2f} ms | {a:.2f} ms | {q:.2f} ms | {f:.1f} ms | {c / a:.2f}x | "
              f"{c / q:.2f}x | {r:.2f} ms |")
    print()
    if args.store_only:
        return
    bench_startup(min(args.repeat, 15))
    bench_big_field(min(args.repeat, 5))


if __name__ == "__main__":
    main()
