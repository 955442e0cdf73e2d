"""Over SSH: nothing animates or blinks, and a cursor move sends a few rows, not the screen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.present.terminal import detect
from cxmap_tui.store import Store
from cxmap_tui.tui.app import CxmapApp
from tests.helpers.pty_run import Pty
from tests.helpers.tui import settle
from tests.helpers.wire import TOUR, walk

ROOT = Path(__file__).resolve().parents[2]
SSH = {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22", "LANG": "C.UTF-8"}


async def test_over_ssh_nothing_animates_and_the_cursor_does_not_blink(tmp_path: Path) -> None:
    for env, animated in ((SSH, False), ({"LANG": "C.UTF-8"}, True)):
        app = CxmapApp(Store.open(tmp_path / "cx.json"), terminal=detect(env), poll_seconds=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert (app.animation_level != "none") is animated
            await pilot.press("slash")  # to the filter, a text field
            assert app.screen.focused is not None and app.screen.focused.id == "filter"
            assert app.screen.focused.cursor_blink is animated  # type: ignore[attr-defined]


def _workspace(db: Path) -> None:
    m = ExperienceMap.new("Wire test", scope="A customer calls support")
    for i in range(120):
        m.add_touchpoint(f"Touchpoint {i}", stage=m.stages[i * 7 // 120], channel="Phone", feeling=(i % 5) - 2,
                         action="Explains the problem and waits", thoughts="Why do I have to repeat myself?")
    m.add_improvement("Call-back option", touchpoints=[m.touchpoints[0].id])
    Store.open(db).add(m)


def test_a_cursor_move_sends_a_few_rows_and_an_idle_screen_nothing(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    _workspace(db)
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color",
           "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **SSH}
    pty = Pty([sys.executable, "-m", "cxmap_tui", "--db", str(db)], env)
    try:
        first = pty.read(quiet=1.0)
        assert len(first) > 8000  # the whole first screen
        assert pty.idle(1.5) == b""  # nothing blinks, nothing ticks
        pty.key("enter")  # the list has the focus, on the map
        pty.key("f3")
        moves = [len(pty.key("down")) for _ in range(3)]
        assert 0 < max(moves) < len(first) // 6, moves
        pty.key("f4")
        moves = [len(pty.key("down")) for _ in range(3)]
        assert 0 < max(moves) < len(first) // 4, moves
        assert pty.idle(1.5) == b""
    finally:
        pty.close()


def test_every_cursor_key_writes_at_most_a_kilobyte_on_every_step(tmp_path: Path) -> None:
    # Over SSH, on each step (1 list, 2 fields, 3 table, 4 list and curve, 5 backlog) and the
    # customers, each key waits for what it shows (a mark in the bytes) and for the screen to
    # go quiet: a byte count, whatever the machine's speed.
    _first, rows = walk(tmp_path, tour=[m for m in TOUR if not m.what.startswith("whole map")])
    heavy = [(move.what, n) for move, n in rows if move.cursor and n > 1024]
    assert heavy == [], heavy


async def test_a_step_is_laid_out_once_when_it_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A step's list is filled while the step is hidden; if it was filled in a guessed width, the
    # layout paints it, finds the real width and fills and paints it again: a second screenful
    # down a slow link (and, on a loaded machine, late enough to land on the next key).
    from textual.widgets import DataTable

    refilled: list[str] = []
    add_column = DataTable.add_column

    def watched(table: DataTable[object], *args: object, **kwargs: object) -> object:
        if table.size.width:  # already laid out and painted
            refilled.append(f"{type(table).__name__} {table.size.width}")
        return add_column(table, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DataTable, "add_column", watched)
    _workspace(tmp_path / "cx.json")
    app = CxmapApp(Store.open(tmp_path / "cx.json"), poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the map opens on step 5, the others are filled hidden
        await settle(pilot)
        refilled.clear()
        for key in ("f3", "f4"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen.query_one("#touchpoints" if key == "f3" else "#feel-list").size.width
    assert refilled == []


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (130, 40)])
async def test_the_customers_table_is_filled_once_in_its_own_width(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    # Its columns follow its width: laid out in a width it does not have, it would be filled
    # again once the layout gives it its own, a second screenful down a slow link.
    from cxmap_tui.tui.screens.customer_data import CustomerTable
    from tests.helpers.wire import workspace

    filled: list[int] = []
    set_options = CustomerTable.set_options

    def watched(table: CustomerTable, options: object) -> object:
        filled.append(table.size.width)
        return set_options(table, options)  # type: ignore[arg-type]

    monkeypatch.setattr(CustomerTable, "set_options", watched)
    from cxmap_tui.tui.screens.customers import CustomersScreen

    rooms: list[int] = []  # the width the rows are first laid out in, before the screen's first layout
    load = CustomersScreen.load

    def loading(screen: CustomersScreen) -> None:
        rooms.append(screen._room())
        load(screen)

    monkeypatch.setattr(CustomersScreen, "load", loading)
    workspace(tmp_path / "cx.json")
    app = CxmapApp(Store.open(tmp_path / "cx.json"), poll_seconds=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        assert table.option_count and table.size.width
        assert len(filled) == 1, filled
        assert rooms[0] == app.screen._room() == table.size.width - 2, rooms  # its width less the scroll bar's
