"""The highlighted row is remembered cheaply: noted in memory on every move, written once the
cursor rests (or at the next step change, or on quit), never once per key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, open_map, settle


async def test_the_row_is_written_once_the_cursor_rests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rest longer than the test: whether it has come is decided below, not by the machine's speed.
    monkeypatch.setattr("cxmap_tui.tui.steps.base.IDLE_SECONDS", 3600)
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Walk")
    tps = [m.add_touchpoint(f"Moment {n}") for n in range(12)]
    store.add(m)
    app = make_app(store, tmp_path / "state")
    path = tmp_path / "state" / "session.json"

    def stored_row() -> str | None:
        entry = json.loads(path.read_text(encoding="utf-8")).get(str((tmp_path / "cx.json").absolute()), {})
        return entry.get("rows", {}).get("4")

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Walk")
        await pilot.press("f4")
        await settle(pilot)
        before = app.session.writes
        await pilot.press(*["down"] * 10)
        await settle(pilot)
        assert app.session.writes == before  # moving writes nothing...
        pane = app.screen.query_one("#step-4")
        assert pane._idle is not None  # ...but waits for the rest,
        pane._idle.stop()
        pane._write_row()  # which writes the row once
        assert app.session.writes - before == 1 and stored_row() == tps[10].id


async def test_a_resize_keeps_the_cursor_on_its_row(tmp_path: Path) -> None:
    """A new width lays the tables out again; the cursor stays where it was (a restored row,
    put back before the first layout, depends on it)."""
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Walk")
    tps = [m.add_touchpoint(f"Moment {n}") for n in range(12)]
    for n in range(8):
        m.add_improvement(f"Fix {n}", touchpoints=[tps[n].id])
    m = store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Walk")
        for step, cursor in (("f3", "cursor_id"), ("f4", "current_id"), ("f5", "cursor_id")):
            await pilot.press(step, "down", "down", "down")
            await settle(pilot)
            pane = app.screen.query_one(f"#step-{step[1]}")
            before = getattr(pane, cursor)()
            await pilot.resize_terminal(60, 20)
            await settle(pilot)
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            assert getattr(pane, cursor)() == before, step
