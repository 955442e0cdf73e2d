"""Every screen fits 60x20 with its words whole: the step bar, the key bar, step 4's card, the
curve's summary and the guidance (and 80x24 keeps its full labels)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.store import Store
from cxmap_tui.templates import find_template, start_from
from cxmap_tui.tui.app import CxmapApp
from cxmap_tui.tui.widgets.curve import FeelingCurve
from tests.helpers.tui import make_app, open_map, read_widget, screen_text, settle, wait_until

NARROW = (60, 20)
TITLE = "Our desk"
CUT = re.compile("\u2026|\\.\\.\\.")  # the ellipsis, or its ASCII dots


def _app(tmp_path: Path, *, ascii_mode: bool = False) -> CxmapApp:
    store = Store.open(tmp_path / "cx.json")
    store.add(start_from(find_template("service-broken-delivery"), TITLE, keep_feelings=True))
    return make_app(store, tmp_path / "state", ascii_mode=ascii_mode)


async def _open(pilot: Pilot[None], step: str) -> None:
    await settle(pilot)
    await open_map(pilot, TITLE)
    await pilot.press(step)
    await settle(pilot)


def _bottom(app: CxmapApp) -> str:
    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("ascii_mode", [False, True])
async def test_at_60_columns_the_step_bar_shows_every_step_and_names_the_current_one(
        tmp_path: Path, ascii_mode: bool) -> None:
    app = _app(tmp_path, ascii_mode=ascii_mode)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f3")
        top = screen_text(app).splitlines()[0]
        assert len(top) <= NARROW[0]
        assert "3 Touchpoints" in top, top
        assert re.findall(r"\d", top) == ["1", "2", "3", "4", "5"], top  # each step's number, once
        assert not CUT.search(top), top
        await pilot.press("f5")
        await settle(pilot)
        top = screen_text(app).splitlines()[0]
        assert "5 Improvements" in top and re.findall(r"\d", top) == ["1", "2", "3", "4", "5"], top


async def test_at_80_columns_the_step_bar_names_every_step(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f3")
        top = screen_text(app).splitlines()[0]
        for name in ("1 Template", "2 Experience", "3 Touchpoints", "4 Feelings", "5 Improvements"):
            assert name in top, top


@pytest.mark.parametrize("ascii_mode", [False, True])
async def test_at_60_columns_the_key_bar_keeps_whole_keys_and_says_there_are_more(
        tmp_path: Path, ascii_mode: bool) -> None:
    app = _app(tmp_path, ascii_mode=ascii_mode)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f5")
        bar = _bottom(app)
        assert bar.startswith("a Add e Edit d Delete"), bar
        assert bar.endswith("? More") and not CUT.search(bar), bar
        assert "F1-F5" not in bar
        await pilot.press("question_mark")  # the keys left out are in the help, a scroll away
        await settle(pilot)
        for _ in range(30):
            if "F1 .. F5" in screen_text(app):
                break
            await pilot.press("down")
        assert "F1 .. F5       go to step 1 .. 5" in screen_text(app)
        await pilot.press("escape", "f3")
        await settle(pilot)
        bar = _bottom(app)
        assert bar.startswith("a Add e Edit d Delete") and "? More" in bar and not CUT.search(bar), bar


async def test_a_key_bar_with_no_help_key_goes_on_to_a_second_row_rather_than_cut_a_key(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f3")
        await pilot.press("s")  # the stage editor: a dialog, no `?` in it
        await wait_until(pilot, lambda: "Lifecycle stages" in screen_text(app), what="the stage editor")
        await settle(pilot)
        rows = screen_text(app).splitlines()[-2:]
        both = " ".join(rows)
        assert not CUT.search(both), rows
        for key in ("^g/Esc Cancel", "a Add", "r Rename", "d Remove", "S-Up/Dn Move"):
            assert key in both, rows


@pytest.mark.parametrize("ascii_mode", [False, True])
async def test_at_60_columns_step_4s_card_shows_the_feeling_and_its_labels_whole(
        tmp_path: Path, ascii_mode: bool) -> None:
    app = _app(tmp_path, ascii_mode=ascii_mode)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f4")
        card = read_widget(app, "#feel-card")
        assert "very dissatisfied" in card, card
        assert "Thoughts, in their words:" in card, card
        assert "Enter: save, next touchpoint" in card, card  # in sight at 20 rows
        assert re.search(r"Customer: Opens the box( and)?(\u2026|\.\.\.)", card), card  # cut at a word's end
        rows = screen_text(app).splitlines()
        feel_list = app.screen.query_one("#feel-list").region
        names = [rows[y][feel_list.x:feel_list.right] for y in range(feel_list.y, feel_list.bottom)]
        assert any("Order number, again" in name for name in names), names


async def test_at_80_columns_step_4s_card_keeps_its_labels(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f4")
        card = read_widget(app, "#feel-card")
        assert "Feeling: \U0001f621 very dissatisfied" in card, card
        assert "Thoughts, in the customer's words:" in card, card


SUMMARY = ("Friction: 8 points, 2 with no improvement", "Highlights: 4", "Worst: Unboxing the chair (-2)",
           "End: Satisfaction survey (0)", "Remembered as -1.00 (worst and end)", "Average -0.38")


@pytest.mark.parametrize("size", [NARROW, (80, 24), (50, 30), (120, 30)])
async def test_the_curve_screens_summary_is_in_sight_each_fact_whole_and_apart(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await _open(pilot, "f4")
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen.query(FeelingCurve).first().cursor is not None,
                         what="the curve screen")
        await settle(pilot)
        summary = app.screen.query_one("#curve-summary")
        assert summary.region.bottom <= size[1] - 1, summary.region  # above the key bar, not scrolled away
        lines = [line.strip() for line in screen_text(app).splitlines()[summary.region.y:summary.region.bottom]]
        facts = [fact for line in lines for fact in line.split("   ") if fact]
        assert facts == list(SUMMARY), lines
        assert not CUT.search(_bottom(app)), _bottom(app)


@pytest.mark.parametrize("ascii_mode", [False, True])
async def test_at_60_columns_the_guidance_wraps_whole_inside_its_box(tmp_path: Path, ascii_mode: bool) -> None:
    from cxmap_tui.domain.method import GUIDE, Step

    app = _app(tmp_path, ascii_mode=ascii_mode)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f4")
        assert not app.screen.query_one("#guide").display  # 20 rows: it steps aside
        await pilot.press("h")
        await settle(pilot)
        guide = read_widget(app, "#guide")
        g = GUIDE[Step.FEELINGS]
        for line in (f"Now: {g.what}", f"Why: {g.why}", f"E.g. {g.example}"):
            assert line in guide, guide
        box = app.screen.query_one("#guide").region
        assert box.right <= NARROW[0]
