"""How fast a workspace on a PostgreSQL server saves, beside the file and beside the server's own
floor.

    python bench/server_bench.py [--maps 10,5000] [--touchpoints 30] [--repeat 100] [--writers 10]
                                 [--seconds 5] [--url postgresql://...]

A throwaway PostgreSQL cluster is started for the run (tests/helpers/pg_cluster.py, with
PostgreSQL's own durable defaults: each commit flushed to disk, as a real server runs), unless
--url names a server whose role may create databases (a database is made for the run there and
dropped after it).

1. For each size, a workspace of MAPS x TOUCHPOINTS is built on the server and in a file. Taken
   in turn, one of each a round: one saved change on the server (a feeling set through
   Store.change: one statement, its own transaction, in one round trip: the lock, the guard,
   the map's row and its new version, its summary's, the log row, NOTIFY), the bare round trip
   of one UPDATE of
   another map's document on the same server (autocommit, a document of the same size), and the
   same change on the file. Target: the server's change at most 2x the bare UPDATE, at every size.
2. WRITERS processes at once, each changing its own map as fast as it can for SECONDS seconds:
   the changes per second, in all, on the server and on the file.

Medians are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from store_bench import build
from timing import median_ms

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.helpers.pg_cluster, which starts the throwaway server

from cxmap_tui.domain import ExperienceMap  # noqa: E402
from cxmap_tui.store import Store  # noqa: E402
from cxmap_tui.store.storage import JSONFileStorage  # noqa: E402

BATCH = 250  # maps a transaction while building: a log row of 5,000 maps at once would be 150 MB


def build_in_batches(store: Store, maps: int, touchpoints: int) -> list[ExperienceMap]:
    made: list[ExperienceMap] = []
    while len(made) < maps:
        tmp = Store.in_memory()
        batch = build(tmp, min(BATCH, maps - len(made)), touchpoints)
        for m in batch:
            m.title = f"{m.title} / {len(made)}"
        made += store.add_many(batch)
    return made


def one_change(store: Store, m: ExperienceMap, i: int) -> float:
    tp_id = m.touchpoints[i % len(m.touchpoints)].id
    start = time.perf_counter()
    store.change(m.id, lambda x: x.set_feeling(tp_id, (i % 5) - 2, f"thought {i}"))
    return time.perf_counter() - start


def bench_size(url: str, folder: Path, maps: int, touchpoints: int, repeat: int) -> tuple[float, float, float]:
    """(server change, bare UPDATE, file change) in ms."""
    import psycopg

    from cxmap_tui.store.postgres import PostgresEngine

    t0 = time.perf_counter()
    server = Store(PostgresEngine(url))
    on_server = build_in_batches(server, maps, touchpoints)
    db = folder / f"cx-{maps}.json"
    on_file = build(Store(JSONFileStorage(db, compact_records=1)), maps, touchpoints)
    file_store = Store.open(db)
    size = db.stat().st_size / 1e6
    print(f"workspace: {maps} maps x {touchpoints} touchpoints, on the server and in a {size:.1f} MB file "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    target, other = on_server[maps // 2], on_server[(maps // 2 + 1) % maps]
    doc = json.dumps(other.to_dict())
    other_rev = int(server.storage.revision("maps", other.id) or 0)  # the version its row names
    bare = psycopg.connect(url, autocommit=True)
    def update(_i: int) -> float:
        start = time.perf_counter()
        bare.execute("UPDATE cxmap.versions SET doc = %s::jsonb WHERE tbl = 'maps' AND id = %s AND rev = %s",
                     (doc, other.id, other_rev))
        return time.perf_counter() - start

    takes = (lambda i: one_change(server, target, i), update, lambda i: one_change(file_store, on_file[maps // 2], i))
    times: tuple[list[float], list[float], list[float]] = ([], [], [])
    for i in range(repeat + 1):
        # Each round in another order: the one after the file's flush to disk would otherwise
        # always be the same, and pay for it.
        for k in (i % 3, (i + 1) % 3, (i + 2) % 3):
            took = takes[k](i)
            if i:  # the first round warms the caches
                times[k].append(took)
    changes, updates, files = times
    bare.close()
    server.close()
    c, u, f = median_ms(changes), median_ms(updates), median_ms(files)
    print(f"one saved change on the server:            {c:6.2f} ms  ({c / u:.2f}x the bare UPDATE, "
          f"{c / f:.2f}x the file)")
    print(f"the bare round trip of one UPDATE:         {u:6.2f} ms")
    print(f"one saved change on the file:              {f:6.2f} ms")
    return c, u, f


WRITER = """
import sys, time
from cxmap_tui.store import LockTimeout, Store
db, map_id, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
store = Store.open(db)
m = store.get(map_id)
ids = [tp.id for tp in m.touchpoints]
print("ready", flush=True)
sys.stdin.readline()
n, missed, end = 0, 0, time.monotonic() + seconds
while time.monotonic() < end:
    try:
        store.change(map_id, lambda x, n=n: x.set_feeling(ids[n % len(ids)], (n % 5) - 2, f"w{n}"))
        n += 1
    except LockTimeout:  # waited 5 s for the file's lock: counted, and tried again
        missed += 1
print(n, missed, flush=True)
"""


def writers_at_once(db: str, map_ids: list[str], seconds: float) -> tuple[float, int]:
    """Changes per second, in all, of one writer process a map, all started at one moment; and
    how many times a writer gave up waiting for the lock."""
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db, map_id, str(seconds)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT) for map_id in map_ids]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    total = missed = 0
    for p in procs:
        out, _ = p.communicate(timeout=seconds + 120)
        done, gave_up = out.strip().splitlines()[-1].split()
        total, missed = total + int(done), missed + int(gave_up)
    return total / seconds, missed


def bench_writers(url: str, folder: Path, writers: int, seconds: float) -> tuple[float, float]:
    from cxmap_tui.store.postgres import PostgresEngine

    server = Store(PostgresEngine(url))
    on_server = [m.id for m in build_in_batches(server, writers, 30)]
    server.close()
    db = folder / "writers.json"
    on_file = [m.id for m in build(Store.open(db), writers, 30)]
    s, _ = writers_at_once(url, on_server, seconds)
    f, missed = writers_at_once(str(db), on_file, seconds)
    print(f"{writers} writers at once, for {seconds:g} s each: {s:7.0f} changes/s on the server, {f:7.0f} on the file "
          f"({s / f:.2f}x; a writer gave up on the file's lock {missed} times)")
    return s, f


def fresh_database(admin_url: str) -> tuple[str, str]:
    """A new database on the server at `admin_url` for the run: its URL, and its name."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"cxmap_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]  # a name made here
    params = conninfo_to_dict(admin_url) | {"dbname": name}
    return make_conninfo("", **{k: str(v) for k, v in params.items()}), name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maps", default="10,5000", help="workspace sizes, comma-separated")
    ap.add_argument("--touchpoints", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--writers", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--url", default=os.environ.get("CXMAP_BENCH_PG"),
                    help="a server to use instead of a throwaway one")
    args = ap.parse_args()
    from tests.helpers import pg_cluster

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        folder = Path(d)
        cluster_dir = Path(tempfile.mkdtemp(prefix="cxmap-bench-pg-"))  # the server's own user must reach it
        admin = args.url or pg_cluster.start(cluster_dir, durable=True).url
        try:
            rows = []
            for n in (int(x) for x in args.maps.split(",")):
                url, _ = fresh_database(admin)
                rows.append((n, *bench_size(url, folder, n, args.touchpoints, args.repeat)))
            s = f = 0.0
            if args.writers:  # 0: the first measure alone
                url, _ = fresh_database(admin)
                s, f = bench_writers(url, folder, args.writers, args.seconds)
        finally:
            if not args.url:
                pg_cluster.stop(cluster_dir)
    print()
    print("| maps | server change | bare UPDATE | server / UPDATE | file change | server / file |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, c, u, fc in rows:
        print(f"| {n:,} | {c:.2f} ms | {u:.2f} ms | {c / u:.2f}x | {fc:.2f} ms | {c / fc:.2f}x |")
    if args.writers:
        print(f"\n{args.writers} writers at once: {s:.0f} changes/s on the server, {f:.0f} on the file ({s / f:.2f}x)")


if __name__ == "__main__":
    main()
