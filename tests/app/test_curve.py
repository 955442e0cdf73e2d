"""The emotional curve: its layout on its own, and the full-screen view as people see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.present.curve import Point, draw, geometry, window
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, on_top, open_map, screen_text, settle, step_shown

ROOT = Path(__file__).resolve().parents[2]


def _text(rows: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(text for text, _ in row).rstrip() for row in rows]


def test_peaks_valleys_gaps_and_stage_boundaries_in_ascii() -> None:
    points = [
        Point("a", "Buy", 1),
        Point("b", "Buy", -2),
        Point("c", "Use", None),  # not rated: a gap, not a zero
        Point("d", "Use", 0),
        Point("e", "Use", 2),
    ]
    assert _text(draw(points, 24, ascii=True)) == [
        "+2         :        /o",
        "+1   o\\    :       |",
        " 0     |   : ?   o/",
        "-1     |   :",
        "-2      \\o :",
        "   Buy     Use",
    ]


def test_the_cursor_is_marked_by_style_not_only_by_colour() -> None:
    points = [Point("a", "", 1), Point("b", "", -1), Point("c", "", None)]
    rows = draw(points, 30, cursor=1)
    styles = [style for row in rows for _, style in row]
    assert "bad cursor" in styles and "good cursor" not in styles
    rows = draw(points, 30, cursor=2)
    assert "muted cursor" in [style for row in rows for _, style in row]  # an unrated cursor shows too


def test_a_second_series_draws_hollow_marks_and_both_where_they_meet() -> None:
    points = [Point("a", "", -2, other=1), Point("b", "", 1, other=1), Point("c", "", None, other=2)]
    text = _text(draw(points, 20))
    joined = "\n".join(text)
    assert joined.count("\u25cb") == 2  # a's and c's ideal
    assert joined.count("\u25c9") == 1  # b: both at +1
    assert text[4].count("\u25cf") == 1  # a's own feeling at -2


def test_ascii_curve_has_no_non_ascii_character() -> None:
    points = [Point(f"t{i}", ["S\u00e9jour", "\u05e9\u05dc\u05d5\u05dd", "Use"][i % 3], (i % 5) - 2 if i % 4 else None,
                    other=(i % 3) - 1) for i in range(30)]
    for row in _text(draw(points, 80, cursor=3, ascii=True)):
        assert row.isascii(), row


def test_long_curves_page_and_the_window_keeps_the_cursor() -> None:
    cell, slots = geometry(200, 80)
    assert cell == 2 and slots == 38
    assert window(200, 0, slots) == 0
    assert window(200, 37, slots, 0) == 0  # still on the first page
    assert window(200, 38, slots, 0) == 38  # the next page
    assert window(200, 199, slots, 0) == 200 - slots
    assert window(10, 9, slots, 0) == 0


def _app(tmp_path: Path, *, ascii_mode: bool = False):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "cx.json")
    sample = ROOT / "sample_maps" / "service-broken-delivery.json"
    store.add(map_from_json(sample.read_text(), sample.name))
    return make_app(store, tmp_path / "state", ascii_mode=ascii_mode)


async def _to_curve(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await open_map(pilot, "Broken chair")
    await pilot.press("f4", "down", "down", "c", "right", "right")
    await settle(pilot)


@pytest.mark.parametrize("look", ["colour", "no-colour", "ascii"])
def test_curve_full_screen_snapshots(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                     look: str) -> None:
    if look == "no-colour":
        monkeypatch.setenv("NO_COLOR", "1")
    app = _app(tmp_path, ascii_mode=look == "ascii")
    assert snap_compare(app, run_before=_to_curve, terminal_size=(80, 24))


async def test_walking_the_curve_names_each_touchpoint_and_enter_rates_it(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_curve(pilot)
        assert on_top(app) == "CurveScreen"
        screen = screen_text(app)
        assert "5/13 Adviser greeting" in screen
        assert "Customer: A support adviser greets her" in screen
        await pilot.press("end")
        await settle(pilot)
        assert "13/13 Satisfaction survey" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert step_shown(app) == 4  # on the touchpoint the curve was on, to rate it
        last = app.screen.current.touchpoints[-1]
        assert last.name == "Satisfaction survey" and app.screen.query_one("#step-4").current_id() == last.id
