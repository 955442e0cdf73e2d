"""How quickly the app starts, and how it copes with a map of 1,000 touchpoints.

    python bench/app_bench.py [--touchpoints 1000] [--repeat 11] [--maps 50]

1. Start to the first usable screen: the real `cxmap` command on a workspace of 50 maps (--maps),
   on an 80x24 pseudo-terminal, from launch until its first screen (the map list and the key
   bar) has been written to the terminal; against a bare Textual app with a header and a footer,
   run the same way until its footer is written. The two run in turns.
   Target: cxmap at most 1.3x the bare app.
2. A map of N touchpoints: the time to open it from step 1 (every pane filled), and the CPU
   time per cursor move in step 3 (touchpoint table) and step 4 (feeling list).
   Targets: opens in under a second; a cursor move under 30 ms of the app's own work.
Medians are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.tui.session import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers.pty_run import Pty  # noqa: E402  (the tests' pseudo-terminal)

BARE_TTY = """
from textual.app import App
from textual.widgets import Footer, Header
class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
Bare().run()
"""
CXMAP_TTY = "from cxmap_tui.cli.main import main; main()"


def workspace(db: Path, maps: int, touchpoints: int) -> list[ExperienceMap]:
    out = []
    for n in range(maps):
        m = ExperienceMap.new(f"Map {n}", experience="service", scope="A customer calls support")
        for i in range(touchpoints):
            m.add_touchpoint(f"Touchpoint {i}", stage=m.stages[i * len(m.stages) // max(1, touchpoints)],
                             channel="Phone", action="Explains the problem and waits", feeling=(i % 5) - 2,
                             thoughts="Why do I have to repeat my order number again?")
        out.append(m)
    return Store.open(db).add_many(out)


def first_screen(command: list[str], env: dict[str, str], marks: tuple[bytes, ...]) -> float:
    """Seconds from launching `command` on an 80x24 pty until every mark has been written."""
    start = time.perf_counter()
    pty = Pty(command, env)
    try:
        pty.until(*marks)
        return time.perf_counter() - start
    finally:
        pty.close()


def startup_on_a_terminal(repeat: int, maps: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cx.json"
        workspace(db, maps, 20)
        env = {"HOME": d, "XDG_STATE_HOME": d, "LANG": "C.UTF-8", "TERM": "xterm-256color",
               "COLORTERM": "truecolor", "PATH": os.environ.get("PATH", "")}
        bare: list[float] = []
        cx: list[float] = []
        for _ in range(repeat):  # interleaved, so that a busy moment hits both alike
            bare.append(first_screen([sys.executable, "-c", BARE_TTY], env, (b"palette",)))
            cx.append(first_screen([sys.executable, "-c", CXMAP_TTY, "--db", str(db)], env,
                                   (f"Open a map ({maps})".encode(), b"Quit")))
        b, x = statistics.median(bare), statistics.median(cx)
        print(f"start on a terminal: bare Textual app {b * 1000:5.0f} ms, `cxmap` ({maps} maps) {x * 1000:5.0f} ms "
              f"to the first screen: {x / b:.2f}x median, {min(cx) / min(bare):.2f}x best of each")


async def big_map(touchpoints: int) -> None:
    from cxmap_tui.tui.app import CxmapApp

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cx.json"
        workspace(db, 1, touchpoints)
        app = CxmapApp(Store.open(db), session=Session(str(db), Path(d)), poll_seconds=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"Map 0")
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("down", "enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            opened = time.perf_counter() - start
            print(f"open a map of {touchpoints} touchpoints (all panes filled): {opened * 1000:6.0f} ms")
            for key, name in (("f3", "step 3 table"), ("f4", "step 4 list")):
                await pilot.press(key)
                await pilot.pause()
                moves = 100
                cpu = time.process_time()
                wall = time.perf_counter()
                for _ in range(moves):
                    await pilot.press("down")
                cpu = (time.process_time() - cpu) / moves
                wall = (time.perf_counter() - wall) / moves
                print(f"cursor move, {name}: {cpu * 1000:5.1f} ms CPU "
                      f"({wall * 1000:5.1f} ms wall, with the test driver)")
            await pilot.press("f4", "1")
            await pilot.pause()
            start = time.perf_counter()
            await app.workers.wait_for_complete()
            await pilot.pause()
            print(f"set a feeling and show it everywhere: {(time.perf_counter() - start) * 1000:6.0f} ms after the key")


async def baseline(rows: int) -> None:
    """The same cursor moves in a bare app with one DataTable: the driver's and Textual's share."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[str] = DataTable(cursor_type="row")
            table.add_columns("#", "Touchpoint", "Action")
            for i in range(rows):
                table.add_row(str(i), f"Touchpoint {i}", "Explains the problem and waits")
            yield table
            yield Footer()

    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        moves = 100
        cpu = time.process_time()
        wall = time.perf_counter()
        for _ in range(moves):
            await pilot.press("down")
        cpu = (time.process_time() - cpu) / moves
        wall = (time.perf_counter() - wall) / moves
        print(f"cursor move, bare app with one {rows}-row DataTable: {cpu * 1000:5.1f} ms CPU "
              f"({wall * 1000:5.1f} ms wall, with the test driver): the baseline")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--touchpoints", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=11)
    ap.add_argument("--maps", type=int, default=50, help="maps in the workspace cxmap starts on")
    args = ap.parse_args()
    startup_on_a_terminal(args.repeat, args.maps)
    asyncio.run(big_map(args.touchpoints))
    asyncio.run(baseline(args.touchpoints))


if __name__ == "__main__":
    main()
