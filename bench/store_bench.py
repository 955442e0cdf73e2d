"""How fast the store saves one change, and how fast `cxmap list` starts.

    python bench/store_bench.py [--maps 200] [--touchpoints 50] [--repeat 30]

1. A workspace of MAPS x TOUCHPOINTS is built in a temporary folder. One saved change (a feeling
   set through Store.change: lock, check for others' changes, apply, serialise, fsync, rename,
   fsync the folder) is timed against the floor: serialising the same data and writing it once
   (serialise, write, fsync, rename).
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_ms

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.store.storage import encode


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


def bench_store(maps: int, touchpoints: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        db = Path(d) / "cx.json"
        store = Store.open(db)
        t0 = time.perf_counter()
        made = build(store, maps, touchpoints)
        print(f"workspace: {maps} maps x {touchpoints} touchpoints, file {db.stat().st_size / 1e6:.1f} MB "
              f"(built in {time.perf_counter() - t0:.1f} s)")
        tables = json.loads(db.read_bytes())
        tables.pop("cxmap")

        floors = [floor_once(db, tables) for _ in range(repeat)]
        target = made[maps // 2]
        changes = []
        for i in range(repeat):
            tp_id = target.touchpoints[i % touchpoints].id
            score = (i % 5) - 2
            start = time.perf_counter()
            store.change(target.id,
                         lambda m, i=i, score=score, tp_id=tp_id: m.set_feeling(tp_id, score, f"thought {i}"))
            changes.append(time.perf_counter() - start)
        other = Store.open(db)
        reread = []
        for i in range(min(repeat, 10)):
            store.change(target.id, lambda m, i=i: m.edit(scope=f"scope {i}"))
            start = time.perf_counter()
            other.change(target.id, lambda m, i=i: m.edit(persona=f"persona {i}"))
            reread.append(time.perf_counter() - start)

        f, c, r = median_ms(floors), median_ms(changes), median_ms(reread)
        print(f"floor (serialise + write + fsync + rename): {f:7.1f} ms")
        print(f"one saved change:                           {c:7.1f} ms  ({c / f:.2f}x floor)")
        print(f"one change after another process's change:  {r:7.1f} ms  (includes re-reading the file)")


def bench_startup(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, CXMAP_DB=str(Path(d) / "cx.json"))
        subprocess.run([sys.executable, "-m", "cxmap_tui", "new", "A map"], env=env, check=True,
                       capture_output=True)

        def timed(cmd: list[str]) -> float:
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                subprocess.run(cmd, env=env, check=True, capture_output=True)
                samples.append(time.perf_counter() - start)
            return median_ms(samples)

        bare = timed([sys.executable, "-c", "pass"])
        listing = timed([sys.executable, "-m", "cxmap_tui", "list"])
        as_json = timed([sys.executable, "-m", "cxmap_tui", "list", "--json"])
        print(f"python -c pass:     {bare:6.0f} ms")
        print(f"cxmap list:         {listing:6.0f} ms  (+{listing - bare:.0f} ms)")
        print(f"cxmap list --json:  {as_json:6.0f} ms  (+{as_json - bare:.0f} ms)")


def bench_big_field(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cx.json"
        m = Store.open(db).add(ExperienceMap.new("Big field"))
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
    ap.add_argument("--maps", type=int, default=200)
    ap.add_argument("--touchpoints", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    bench_store(args.maps, args.touchpoints, args.repeat)
    bench_startup(min(args.repeat, 15))
    bench_big_field(min(args.repeat, 5))


if __name__ == "__main__":
    main()
