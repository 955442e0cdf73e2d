"""Every screen fits 60x20 with its words whole: the step bar, the key bar, step 4's card, the
curve's summary, the guidance, and the customers screen's lists, reasons and dialogs, every column
in sight with its dates whole (and 80x24 keeps its full labels)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.templates import find_template, start_from
from cxmap_tui.tui.app import CxmapApp
from cxmap_tui.tui.widgets.curve import FeelingCurve
from tests.helpers.tui import make_app, on_top, open_map, read_widget, screen_text, settle, wait_until

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
        await wait_until(pilot, lambda: on_top(app) == "StagesEditor", what="the stage editor")
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


# -- the customers screen (F6) ---------------------------------------------------------------------

LONG_ACCOUNT = "Northwind Traders International Holdings"


def _customers_app(tmp_path: Path, *, ascii_mode: bool = False) -> tuple[CxmapApp, dict[str, str]]:
    """The map, and customers whose names and segments are longer than a narrow column: a big
    account whose contact Margaret has an open problem, a small one whose Ann is happy, and Sam
    on his own."""
    from cxmap_tui.domain.customers import Account, Contact, Interaction

    store = Store.open(tmp_path / "cx.json")
    m = store.add(start_from(find_template("service-broken-delivery"), TITLE, keep_feelings=True))
    big = Account.new(LONG_ACCOUNT, "2025-08-14", segment="Enterprise")
    small = Account.new("Acme Tools", "2026-01-21", segment="SMB")
    margaret = Contact.new("Margaret Peacock-Hamilton", "2025-08-24", account=big.id)
    andrew = Contact.new("Andrew Fuller", "2025-11-22", account=big.id, segment="Finance team")
    ann = Contact.new("Ann Admin", "2026-01-21", account=small.id)
    sam = Contact.new("Sam Solo", "2026-02-27", segment="Freelance")
    tps = m.touchpoints
    store.customers.add_many(accounts=[big, small], contacts=[margaret, andrew, ann, sam], interactions=[
        Interaction.new(margaret.id, m.id, tps[1].id, "2026-02-10", -2, "Nobody called back"),
        Interaction.new(andrew.id, m.id, tps[2].id, "2026-02-20", 1),
        Interaction.new(ann.id, m.id, tps[0].id, "2026-02-01", 2),
    ])
    app = make_app(store, tmp_path / "state", ascii_mode=ascii_mode)
    return app, {"andrew": andrew.id, "ann": ann.id, "touchpoint": tps[1].name}


async def _view(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


def _header(app: CxmapApp) -> str:
    return screen_text(app).splitlines()[1]


# Each account's and contact's start date, whole, and their segment just after it (cut, if at all,
# where a name is cut).
STARTS = [("2025-08-14", "Ente"), ("2025-08-24", "Ente"), ("2025-11-22", "Fina"), ("2026-01-21", "SMB"),
          ("2026-02-27", "Free")]


def _people_fit(app: CxmapApp) -> None:
    text = screen_text(app)
    header = _header(app)
    assert header.split()[-2:] == ["Since", "Segment"], text
    for start, segment in STARTS:
        assert re.search(rf"  {start}  {segment}", text), (start, text)
    assert max(len(line) for line in text.splitlines()) <= app.size.width


@pytest.mark.parametrize("ascii_mode", [False, True])
async def test_at_60_columns_every_customers_list_shows_all_its_columns_with_whole_dates(
        tmp_path: Path, ascii_mode: bool) -> None:
    app, ids = _customers_app(tmp_path, ascii_mode=ascii_mode)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f6")
        _people_fit(app)
        assert not CUT.search(_header(app)), _header(app)
        await _view(pilot, "r")
        assert _header(app).split()[-2:] == ["Since", "Open"], screen_text(app)
        assert re.search(r"  2026-02-10  1$", screen_text(app), re.MULTILINE), screen_text(app)
        await _view(pilot, "w")
        assert _header(app).split()[-1] == "Ask?", screen_text(app)
        assert "ask (last met 2026-02-01)" in screen_text(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: on_top(app) == "ChooseDialog", what="the segments")
        assert app.screen.title_text == "Which segment's curve, on the open map?"  # type: ignore[attr-defined]
        await _view(pilot, "enter")  # the first, Enterprise
        text = screen_text(app)
        header = next(line for line in text.splitlines() if line.startswith(" Touchpoint "))
        assert header.split() == ["Touchpoint", "Contacts", "Average", "Worst", "Map"], text
        # Margaret's -2 (the segment's one contact there), and the map's own feeling
        assert re.search(rf" {ids['touchpoint']} +1 +-2\.00 +-2 +[-+]\d$", text, re.MULTILINE), text
        if ascii_mode:
            assert all(ch.isascii() for ch in text), text


async def test_the_customers_lists_are_laid_out_again_when_the_terminal_is_resized(tmp_path: Path) -> None:
    app, _ = _customers_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f6")
        assert _header(app).startswith(" Account / contact       Feels  Where (latest)        Since"), _header(app)
        await pilot.resize_terminal(*NARROW)
        await wait_until(pilot, lambda: _header(app).startswith(" Customer"), what="the narrow columns")
        _people_fit(app)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: _header(app).startswith(" Account / contact"), what="the wide columns")
        assert "  2025-08-14  Enterprise" in screen_text(app)


def _rows_of(app: CxmapApp, selector: str) -> list[str]:
    region = app.screen.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y:region.bottom]
    return [row[region.x:region.right].strip() for row in rows]


async def test_at_60_columns_the_customers_reasons_keep_each_fact_whole_on_its_line(tmp_path: Path) -> None:
    app, ids = _customers_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f6")
        await _view(pilot, "r")  # the big account first, worst first: its problem beside its date
        assert any(row.startswith("\U0001f621 -2  Margaret Peac") and row.endswith("2026-02-10")
                   for row in _rows_of(app, "#cust-checklist")), _rows_of(app, "#cust-checklist")
        await _view(pilot, "w")
        for _ in range(5):
            if app.screen.current_key() == f"con:{ids['andrew']}":  # type: ignore[attr-defined]
                break
            await _view(pilot, "down")
        rows = _rows_of(app, "#cust-checklist")
        at = rows.index(next(row for row in rows if row.startswith("Not now: open problem at Northwind")))
        assert rows[at].endswith("\u2026") and len(rows[at]) <= NARROW[0] - 4, rows  # the account's name cut
        assert rows[at + 1] == "Margaret Peacock-Hamilton felt -2 on 2026-02-10", rows
        assert rows[at + 2] == f"at {ids['touchpoint']}", rows


async def test_at_60_columns_the_record_dialogs_hints_go_on_between_hints(tmp_path: Path) -> None:
    app, ids = _customers_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f6")
        while app.screen.current_key() != f"con:{ids['ann']}":  # type: ignore[attr-defined]
            await _view(pilot, "down")
        await pilot.press("n")
        await wait_until(pilot, lambda: on_top(app) == "RecordDialog", what="the dialog")
        assert app.screen.contact.id == ids["ann"]  # type: ignore[attr-defined]
        await settle(pilot)
        rows = [row for row in _rows_of(app, ".hints") if row]
        assert len(rows) == 2, rows
        for row in rows:
            assert not row.startswith("|") and not row.endswith("|"), rows
        hints = " ".join(rows)
        for hint in ("Enter record", "Tab next field", "Feeling: 1-5, 0 none", "Esc twice cancels"):
            assert hint in hints, rows


async def test_at_60_columns_every_customers_key_is_on_the_bar_or_in_its_help(tmp_path: Path) -> None:
    from textual.binding import Binding

    from cxmap_tui.tui.screens.customer_keys import BINDINGS

    app, _ = _customers_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "f6")
        bar = _bottom(app)
        assert bar.startswith("q Back n Record R Resolve") and bar.endswith("? More") and not CUT.search(bar), bar
        await _view(pilot, "question_mark")
        help_text = screen_text(app)  # every key in sight at 20 rows, none cut
        for binding in BINDINGS:
            assert isinstance(binding, Binding) and binding.tooltip
            assert re.search(rf"{re.escape(app.get_key_display(binding))} +{re.escape(binding.tooltip)}",
                             help_text), (binding.tooltip, help_text)


@pytest.mark.parametrize("size", [(80, 24), NARROW])
async def test_the_friction_note_keeps_its_key_in_sight_however_many_and_long_the_names(
        tmp_path: Path, size: tuple[int, int]) -> None:
    """Step 5 names the friction no improvement addresses; with many long names it lists fewer,
    and shorter, rather than lose "(A plans one)" off its two lines."""
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new(TITLE)
    for i in range(8):
        m.add_touchpoint(f"Transfer to a second-line technician, attempt {i}", feeling=-2 if i % 2 else -1)
    store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await _open(pilot, "f5")
        note = read_widget(app, "#attention")
        assert "Friction with no improvement yet" in note and note.endswith("(A plans one)"), note
        assert "more" in note, note  # not all eight fit: the rest are counted
        assert app.screen.query_one("#attention").region.height <= 2
