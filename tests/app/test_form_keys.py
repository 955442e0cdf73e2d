"""What a new user expects of the forms' keys: Enter saves from any field (a closed drop-down
included; an open one takes Enter for its entry), one letter pressed again goes round the
entries however slowly, the rename prompt's old name is replaced by typing, the improvement
form's touchpoint list starts on the ticked row and says what is out of sight, and the focused
field shows in colour."""

from __future__ import annotations

from pathlib import Path

from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import OptionList, Select

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.tui.app import CxmapApp
from cxmap_tui.tui.widgets.quick_select import TypeAhead, match_key, search_order
from tests.app.test_customers_app import _customers, build
from tests.helpers.clock import Clock
from tests.helpers.tui import TODAY, make_app, on_top, open_map, read_widget, screen_text, settle, type_text, wait_until

SIZE = (80, 24)


def _store(tmp_path: Path, touchpoints: int = 1) -> tuple[Store, ExperienceMap]:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Bike shop")
    m.add_stage("Need", at=0)
    m.add_touchpoint("Advert", stage="Awareness")
    for n in range(2, touchpoints + 1):
        m.add_touchpoint(f"Visit {n}", stage="Use")
    return store, store.add(m)


def _value(app: CxmapApp, selector: str) -> object:
    return app.screen.query_one(selector, Select).value


async def _step(pilot: Pilot[None], key: str) -> None:
    await settle(pilot)
    await open_map(pilot, "Bike shop")
    await pilot.press(key)
    await settle(pilot)


async def _form(pilot: Pilot[None], key: str, name: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: on_top(pilot.app) == name, what=name)  # type: ignore[arg-type]


def _key_bar(app: CxmapApp) -> str:
    return screen_text(app).splitlines()[-1]


# -- Enter saves the form from any field --------------------------------------------------------


async def test_enter_on_a_closed_drop_down_saves_the_touchpoint(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await _form(pilot, "a", "TouchpointForm")
        await type_text(pilot, "Test ride")
        await pilot.press("tab", "tab", "p")  # the stage, picked by a letter
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(store.get(m.id).touchpoints) == 2, what="the touchpoint saved")
        await wait_until(pilot, lambda: on_top(app) != "TouchpointForm", what="the form closed")
    tp = store.get(m.id).touchpoints[-1]
    assert (tp.name, tp.stage) == ("Test ride", "Purchase")


async def test_the_key_bar_and_the_hints_say_how_a_list_opens_and_the_form_saves(
        tmp_path: Path, clock: Clock) -> None:
    store, _m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await _form(pilot, "a", "TouchpointForm")
        assert "^s Save" in _key_bar(app)  # in a text field
        await pilot.press("tab", "tab")
        await settle(pilot)
        bar = _key_bar(app)
        assert "space Open list" in bar and "^s Save" in bar and "Esc Done" in bar
        assert "Enter or ^s save" in screen_text(app) and "space or Down opens it" in screen_text(app)


async def test_an_open_drop_down_takes_enter_for_its_entry_and_saves_nothing(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await _form(pilot, "a", "TouchpointForm")
        await type_text(pilot, "Test ride")
        await pilot.press("tab", "tab", "tab", "space")  # the channel, opened
        channel = app.screen.query_one("#channel", Select)
        await wait_until(pilot, lambda: channel.expanded, what="the list open")
        options = channel.query_one(OptionList)
        await pilot.press("down", "down")
        wanted = str(options.get_option_at_index(options.highlighted or 0).prompt)
        await pilot.press("enter")  # takes the entry, closes the list, and the form stays
        await wait_until(pilot, lambda: not channel.expanded, what="the list closed")
        await settle(pilot)
        assert on_top(app) == "TouchpointForm" and len(store.get(m.id).touchpoints) == 1
        assert _value(app, "#channel") == wanted and app.focused is channel
        await pilot.press("down")  # opens it too
        await wait_until(pilot, lambda: channel.expanded, what="the list open again")
        await pilot.press("escape")  # closes the list, unchanged, and only that
        await wait_until(pilot, lambda: not channel.expanded, what="the list closed again")
        await settle(pilot)
        assert app.focused is channel and _value(app, "#channel") == wanted
        await pilot.press("space")
        await wait_until(pilot, lambda: channel.expanded, what="the list open once more")
        assert "Open list" not in _key_bar(app)  # open, the keys are the list's
        await pilot.press("ctrl+g")  # as Escape: the list closes, the form stays
        await wait_until(pilot, lambda: not channel.expanded, what="the list closed by ctrl+g")
        await settle(pilot)
        assert on_top(app) == "TouchpointForm" and app.focused is channel
        await pilot.press("escape")  # closed: leaves the list as it leaves a text field
        await settle(pilot)
        assert on_top(app) == "TouchpointForm" and app.focused is None
        await pilot.press("enter")  # and Enter still saves
        await wait_until(pilot, lambda: len(store.get(m.id).touchpoints) == 2, what="the touchpoint saved")
    assert store.get(m.id).touchpoints[-1].channel == wanted


async def test_enter_saves_the_improvement_from_a_drop_down_and_from_the_list(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path, touchpoints=3)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f5")
        await _form(pilot, "a", "ImprovementForm")
        await type_text(pilot, "Free test rides")
        await pilot.press("tab", "tab", "tab", "4", "enter")  # the customer value, and Enter
        await wait_until(pilot, lambda: len(store.get(m.id).improvements) == 1, what="the improvement saved")
        await wait_until(pilot, lambda: on_top(app) != "ImprovementForm", what="the form closed")
        await _form(pilot, "a", "ImprovementForm")
        await type_text(pilot, "Rain covers")
        await pilot.press("tab", "tab", "down", "space", "enter")  # in the list: tick the second, save
        await wait_until(pilot, lambda: len(store.get(m.id).improvements) == 2, what="the second one saved")
    first, second = store.get(m.id).improvements
    assert (first.title, first.customer_value) == ("Free test rides", 4)
    assert second.title == "Rain covers" and second.touchpoints == [store.get(m.id).touchpoints[1].id]


async def test_enter_on_the_export_format_exports_as_the_dialog_says(tmp_path: Path, clock: Clock) -> None:
    store, _m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await _form(pilot, "x", "ExportDialog")
        assert "Enter export" in screen_text(app)
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, str(tmp_path / "bike.json"))
        await pilot.press("shift+tab", "j", "enter")  # back on the format: json, and Enter
        await wait_until(pilot, lambda: (tmp_path / "bike.json").is_file(), what="the export")
    assert '"Bike shop"' in (tmp_path / "bike.json").read_text()


async def test_enter_on_a_closed_drop_down_records_what_happened_to_a_customer(tmp_path: Path,
                                                                                clock: Clock) -> None:
    store, ids = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _customers(pilot)
        await pilot.press("down", "down", "n")  # Bob
        await wait_until(pilot, lambda: on_top(app) == "RecordDialog", what="the record dialog")
        await pilot.press("k", "enter")  # the touchpoint list, closed: Kick-off call, and Enter
        await wait_until(pilot, lambda: on_top(app) != "RecordDialog", what="the dialog closed")
    made = [i for i in store.customers.book().interactions if i.contact == ids["bob"]]
    assert made and made[-1].date == TODAY.isoformat()


# -- type-ahead: one letter goes round, however slowly -----------------------------------------


def test_one_letter_goes_round_however_slowly_and_stand_ins_come_last(clock: Clock) -> None:
    labels = ["(no stage)", "Need", "Awareness", "Consideration", "Purchase", "Check-in", "Use"]
    keys, order = [match_key(k) for k in labels], search_order(labels)
    ahead = TypeAhead(pause=1.0)
    assert ahead.feed("c", keys, 0, order) == 3
    clock.now += 5  # slowly: the same letter still goes on to the next
    assert ahead.feed("c", keys, 3, order) == 5
    clock.now += 5
    assert ahead.feed("c", keys, 5, order) == 3  # and round
    assert ahead.feed("h", keys, 3, order) == 5  # another letter, quickly: the prefix "ch"
    clock.now += 5
    assert ahead.feed("n", keys, 5, order) == 1  # a stage called Need comes before "(no stage)"
    clock.now += 5
    assert ahead.feed("n", keys, 1, order) == 0
    assert ahead.feed("n", keys, 0, order) == 1


async def test_the_same_letter_typed_slowly_goes_round_the_stages(tmp_path: Path, clock: Clock) -> None:
    store, _m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await _form(pilot, "a", "TouchpointForm")
        await pilot.press("tab", "tab")  # the stage
        seen = []
        for _ in range(3):
            clock.now += 5  # a pause longer than any prefix lasts
            await pilot.press("c")
            seen.append(_value(app, "#stage"))
        assert seen == ["Consideration", "Check-in", "Consideration"]
        clock.now += 5
        await pilot.press("n")
        assert _value(app, "#stage") == "Need"
        clock.now += 5
        await pilot.press("n")
        assert _value(app, "#stage") == "\x00none"  # "(no stage)" after the stage called Need
        await pilot.press("p", "u")  # different letters, quickly: a prefix
        assert _value(app, "#stage") == "Purchase"


# -- the rename prompt --------------------------------------------------------------------------


async def test_renaming_a_stage_replaces_the_old_name_as_typed(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await pilot.press("s")
        await wait_until(pilot, lambda: on_top(app) == "StagesEditor", what="the stages")
        await pilot.press("r")  # Need
        await wait_until(pilot, lambda: on_top(app) == "TextPrompt", what="the prompt")
        await type_text(pilot, "Trigger")
        assert app.screen.query_one("#answer").value == "Trigger"  # type: ignore[attr-defined]
        assert "typing replaces, arrows edit" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_top(app) == "StagesEditor", what="the stages again")
        await pilot.press("down", "r")  # Awareness: an arrow keeps the old name to edit
        await wait_until(pilot, lambda: on_top(app) == "TextPrompt", what="the prompt again")
        await pilot.press("end")
        await type_text(pilot, " phase")
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_top(app) == "StagesEditor", what="the stages once more")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Trigger" in store.get(m.id).stages, what="the stages saved")
    assert store.get(m.id).stages[:2] == ["Trigger", "Awareness phase"]


async def test_a_new_maps_suggested_title_is_replaced_as_typed(tmp_path: Path, clock: Clock) -> None:
    store = Store.open(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # the first template: its title is offered
        await wait_until(pilot, lambda: on_top(app) == "NewMapPrompt", what="the new map's dialog")
        assert app.screen.query_one("#title").value  # type: ignore[attr-defined]
        await type_text(pilot, "Our desk")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(store.summaries()), what="the map made")
    assert [s.title for s in store.summaries()] == ["Our desk"]


# -- the improvement form's touchpoint list ----------------------------------------------------


async def test_the_touchpoint_list_starts_on_the_ticked_row_and_says_what_is_out_of_sight(
        tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path, touchpoints=10)
    store.change(m.id, lambda m: m.add_improvement("Fix flats", touchpoints=[m.touchpoints[8].id]))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f5")
        await _form(pilot, "e", "ImprovementForm")
        await pilot.press("tab", "tab")
        await settle(pilot)
        ticks = app.screen.query_one("#touchpoints")
        assert app.focused is ticks and ticks.cursor_row == 8  # type: ignore[attr-defined]
        assert "[x]" in screen_text(app) and "Visit 9" in screen_text(app)
        assert read_widget(app, "#touchpoints-label").endswith("2 above, 1 below")
        await pilot.press("G")
        await settle(pilot)
        assert read_widget(app, "#touchpoints-label").endswith("3 more above")
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: on_top(app) != "ImprovementForm", what="the form closed")
        await _form(pilot, "a", "ImprovementForm")  # nothing ticked: the first row
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert app.screen.query_one("#touchpoints").cursor_row == 0  # type: ignore[attr-defined]
        assert read_widget(app, "#touchpoints-label").endswith("3 more below")


# -- focus in colour ---------------------------------------------------------------------------


def _distance(a: Color, b: Color) -> int:
    return abs(a.r - b.r) + abs(a.g - b.g) + abs(a.b - b.b)


async def test_the_focused_field_and_drop_down_stand_out_in_colour(tmp_path: Path, clock: Clock) -> None:
    store, _m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f3")
        await _form(pilot, "a", "TouchpointForm")
        name, action = app.screen.query_one("#name"), app.screen.query_one("#action")
        assert app.focused is name
        assert _distance(name.background_colors[1], action.background_colors[1]) >= 60
        await pilot.press("tab", "tab")
        await settle(pilot)
        stage, channel = (app.screen.query_one(f"#{n}", Select).query_one("SelectCurrent") for n in ("stage", "channel"))
        assert _distance(stage.background_colors[1], channel.background_colors[1]) >= 60


# -- one Escape leaves a field, whichever field ------------------------------------------------


async def test_one_escape_in_any_field_of_a_form_leaves_the_field_and_keeps_what_was_typed(
        tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path, touchpoints=3)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _step(pilot, "f5")
        for key, form in (("a", "ImprovementForm"), ("f", "BacklogFilterDialog")):
            await _form(pilot, key, form)
            if form == "ImprovementForm":
                await type_text(pilot, "Free test rides")
            fields = list(app.screen.focus_chain)
            assert len(fields) > 3, fields
            for field in fields:
                field.focus()
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
                assert on_top(app) == form and app.focused is None, field  # the form stays
            if form == "ImprovementForm":
                assert app.screen.query_one("#title").value == "Free test rides"  # type: ignore[attr-defined]
            app.screen.query_one("#touchpoints" if form == "ImprovementForm" else "#statuses").focus()
            await settle(pilot)
            await pilot.press("escape", "escape")  # the second closes it
            await wait_until(pilot, lambda: on_top(app) != form, what=f"{form} closed")  # noqa: B023
    assert store.get(m.id).improvements == []
