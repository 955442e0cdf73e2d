"""Reads at scale: what a big workspace costs the commands and the app, beside a small one.

    python bench/reads_bench.py [--maps 5000] [--small 10] [--touchpoints 30] [--repeat 5]

Two workspaces are built in a temporary folder (SMALL and MAPS maps of TOUCHPOINTS touchpoints,
folded into the database file as a long-used workspace is). Then, each the median of REPEAT runs
of the real command in a new process:

1. `cxmap feel MAP TOUCHPOINT SCORE` (read, find the map by its title, change it, save) at both
   sizes. Target: the big one within 2x of the small one.
2. `cxmap list` at MAPS maps, to a pipe at 80 columns. Target: under 0.5 s.
3. The peak memory of `cxmap list --json` at MAPS maps against the data's size on disk (the
   database and its journal). Target: at most 2x.
4. In the app (80x24, on MAPS maps): a map open at step 4, a feeling changed by key, and the
   longest the app could not take a key while that change was saved; once as a save is, once
   when the save also folds the journal into the database (a compaction). Target: 50 ms.

For the first screen at MAPS maps beside a bare Textual app, run `bench/app_bench.py --maps N`.
Medians are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from store_bench import build
from timing import command_ms as run

from cxmap_tui.store import Store
from cxmap_tui.store.storage import JSONFileStorage

PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def workspace(db: Path, maps: int, touchpoints: int) -> str:
    """A workspace of `maps` maps, folded into the file; the title of one of them."""
    made = build(Store.open(db), maps, touchpoints)
    Store(JSONFileStorage(db, compact_records=1)).change(made[0].id, lambda m: m.edit(scope="folded"))
    return made[len(made) // 2].title


def on_disk(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + ".journal")) if p.exists())


async def key_wait_during_a_save(db: Path, title: str, compact: bool) -> float:
    """The longest stall of the app's event loop while a feeling changed by key is saved (s)."""
    from cxmap_tui.tui.app import CxmapApp
    from cxmap_tui.tui.session import Session
    from cxmap_tui.tui.steps.feelings import FeelingsPane

    with tempfile.TemporaryDirectory() as state:
        storage = JSONFileStorage(db, compact_records=1 if compact else 1000)
        app = CxmapApp(Store(storage), session=Session(str(db), Path(state) / "state.json"), poll_seconds=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash", *title, "down", "enter")
            await pilot.pause()
            await pilot.press("f4")
            await pilot.pause()
            stalls: list[float] = []
            done = False

            async def watch() -> None:  # how late a 5 ms sleep wakes up is how long a key would wait
                while not done:
                    t = time.perf_counter()
                    await asyncio.sleep(0.005)
                    stalls.append(time.perf_counter() - t - 0.005)

            watcher = asyncio.create_task(watch())
            pane = app.screen.query_one(FeelingsPane)
            tp_id = pane.current_id()
            was = next(t.feeling for t in app.screen.current.touchpoints if t.id == tp_id)
            key, wanted = ("1", -2) if was == 2 else ("5", 2)
            saved = storage._next_seq  # the number the next saved change gets
            await pilot.press(key)
            while storage._next_seq == saved or app.saver.busy:
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)
            done = True
            await watcher
            assert Store(JSONFileStorage(db)).get(app.screen.current.id).touchpoint(tp_id).feeling == wanted
            await pilot.press("ctrl+q")
        return max(stalls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maps", type=int, default=5000)
    ap.add_argument("--small", type=int, default=10)
    ap.add_argument("--touchpoints", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        small, big = Path(d) / "small" / "cx.json", Path(d) / "big" / "cx.json"
        small_title = workspace(small, args.small, args.touchpoints)
        big_title = workspace(big, args.maps, args.touchpoints)
        cxmap = [sys.executable, "-m", "cxmap_tui"]

        def env(db: Path) -> dict[str, str]:
            return dict(os.environ, CXMAP_DB=str(db), COLUMNS="80")

        bare = run([sys.executable, "-c", "pass"], env(small), args.repeat)
        feel_small = run([*cxmap, "feel", small_title, "Touchpoint 3", "+1"], env(small), args.repeat)
        feel_big = run([*cxmap, "feel", big_title, "Touchpoint 3", "+1"], env(big), args.repeat)
        print(f"bare Python start: {bare:5.0f} ms")
        print(f"cxmap feel, {args.small:5d} maps: {feel_small:5.0f} ms")
        print(f"cxmap feel, {args.maps:5d} maps: {feel_big:5.0f} ms  ({feel_big / feel_small:.2f}x the small "
              "workspace; target at most 2x)")
        listing = run([*cxmap, "list"], env(big), args.repeat)
        print(f"cxmap list, {args.maps:5d} maps: {listing:5.0f} ms  (target under 500 ms)")
        peaks = [int(subprocess.run([sys.executable, "-c", PEAK, *cxmap, "list", "--json"], env=env(big),
                                    check=True, capture_output=True, text=True).stdout) * 1024
                 for _ in range(3)]
        peak, size = statistics.median(peaks), on_disk(big)
        print(f"peak memory of cxmap list --json: {peak / 2**20:5.0f} MiB for {size / 2**20:.0f} MiB on disk "
              f"({peak / size:.2f}x; target at most 2x)")
        for compact in (False, True):
            waits = [asyncio.run(key_wait_during_a_save(big, big_title, compact)) for _ in range(3)]
            what = "a save that folds the journal in" if compact else "a save"
            print(f"in the app, the longest a key waited during {what}: {statistics.median(waits) * 1000:5.0f} ms "
                  "(target 50 ms)")


if __name__ == "__main__":
    main()
