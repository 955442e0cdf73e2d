"""Step 3 at 80 columns: the table cuts long names and actions; the detail line under it shows the
highlighted touchpoint whole (name, stage, channel, the customer's action), wrapped, and follows
the cursor. Wider terminals have the side panel instead."""

from __future__ import annotations

from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.tui.widgets.detail_line import wrapped
from tests.helpers.tui import make_app, open_map, read_widget, screen_text, settle

NAME = "Looking for the replacement part in My orders"
ACTION = "Checks her account for tracking; the replacement does not show up"


def _map(store: Store) -> ExperienceMap:
    m = ExperienceMap.new("Late part")
    m.add_touchpoint("Order page", stage="Purchase", channel="Web", action="Orders the part")
    m.add_touchpoint(NAME, stage="Use", channel="In-product", action=ACTION)
    m.add_touchpoint("Survey", action="Is asked to rate the call " * 8)  # no stage, no channel; too long
    return store.add(m)


async def test_the_detail_line_shows_the_highlighted_touchpoint_whole_and_follows_the_cursor(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Late part")
        await pilot.press("f3", "home")
        await settle(pilot)
        assert read_widget(app, "#tp-line") == "Order page Purchase \u00b7 Web Customer: Orders the part"
        await pilot.press("down")
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if line.lstrip().startswith("2 "))
        assert NAME not in row and ACTION[:40] not in row  # the table cuts both...
        assert read_widget(app, "#tp-line") == f"{NAME} Use \u00b7 In-product Customer: {ACTION}"  # ...the line does not
        await pilot.press("down")
        await settle(pilot)
        shown = read_widget(app, "#tp-line")
        assert shown.startswith("Survey no stage Customer: Is asked to rate the call") and shown.endswith("\u2026")
        assert app.screen.query_one("#tp-line").region.height == 2


async def test_the_detail_line_in_ascii_and_where_the_side_panel_shows_it_instead(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state", ascii_mode=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Late part")
        await pilot.press("f3", "end")
        await settle(pilot)
        shown = read_widget(app, "#tp-line")
        assert shown.startswith("Survey no stage Customer:") and shown.endswith("...") and shown.isascii()
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not app.screen.query_one("#tp-line").display
        assert "Is asked to rate the call" in read_widget(app, "#tp-detail")


def test_wrapping_fills_two_rows_and_marks_what_does_not_fit() -> None:
    from textual.content import Content

    assert [c.plain for c in wrapped(Content("short"), 20)] == ["short", ""]
    # The mark takes the place of the last word that no longer fits with it (or of a word's end).
    assert [c.plain for c in wrapped(Content("one two three four five six seven"), 10)] == ["one two", "three\u2026"]
    assert [c.plain for c in wrapped(Content("one two three 4 five"), 10)] == ["one two", "three 4\u2026"]
    assert [c.plain for c in wrapped(Content("aaaa bbbb cccc"), 4, ascii=True)] == ["aaaa", "b..."]
