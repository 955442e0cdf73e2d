"""The guided workshop, driven by keys alone at 80x24, checked on screen and in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, on_top, open_map, palette_entries, screen_text, settle, step_shown, type_text

SIZE = (80, 24)


async def test_walk_all_five_steps_by_keys_from_an_empty_database(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert step_shown(app) == 1 and "Blank map" in screen_text(app)

        # Step 1: a blank map, named in the dialog.
        await pilot.press("enter")
        await settle(pilot)
        assert on_top(app) == "NewMapPrompt"
        await type_text(pilot, "Late order call")
        await pilot.press("enter")
        await settle(pilot)
        assert [m.title for m in store.maps()] == ["Late order call"]
        assert step_shown(app) == 2 and app.screen.current.id == store.maps()[0].id

        # Step 2: the experience: service, a scope and a persona.
        await pilot.press("tab", "enter")  # open the experience list
        await pilot.press("up", "up", "up", "up", "enter")  # from "custom" up to "service"
        await pilot.press("tab")
        await type_text(pilot, "A customer calls about a late order")
        await pilot.press("enter")
        await type_text(pilot, "Busy parent")
        await pilot.press("enter")
        await settle(pilot)
        m = store.maps()[0]
        assert (m.title, m.experience, m.scope, m.persona) == (
            "Late order call", "service", "A customer calls about a late order", "Busy parent")

        # Step 3: three touchpoints with stages, then a reorder.
        await pilot.press("f3")
        await settle(pilot)
        assert "No touchpoints yet" in screen_text(app)
        for name, action, stage_downs in (
            # A new touchpoint starts in the stage of the row it follows (the first stage on an
            # empty map): the stages of a service call, which came with the experience.
            ("Order status page", "Looks for the delivery date", 0),  # Notice need, as offered
            ("Phone menu", "Presses 3 for orders", 1),  # Notice need -> Get in touch
            ("Hold music", "Waits for an adviser", 1),  # Get in touch -> Wait
        ):
            await pilot.press("a")
            await settle(pilot)
            await type_text(pilot, name)
            await pilot.press("tab")
            await type_text(pilot, action)
            await pilot.press("tab", "space", *["down"] * stage_downs, "enter")
            await pilot.press("tab", "tab")  # past the channel, to the owner
            await type_text(pilot, "Support desk")
            await pilot.press("enter")
            await settle(pilot)
        m = store.maps()[0]
        assert [t.name for t in m.touchpoints] == ["Order status page", "Phone menu", "Hold music"]
        assert app.screen.query_one("#step-3").cursor_id() == m.touchpoints[2].id
        await pilot.press("shift+up")  # the cursor is on the last one added: move it up
        await settle(pilot)
        m = store.maps()[0]
        assert [t.name for t in m.touchpoints] == ["Order status page", "Hold music", "Phone menu"]
        assert m.stages[:3] == ["Notice need", "Get in touch", "Wait"]
        assert [t.stage for t in m.touchpoints] == ["Notice need", "Wait", "Get in touch"]
        assert {t.owner for t in m.touchpoints} == {"Support desk"}

        # Step 4: walk them, a key per feeling, thoughts typed after it.
        await pilot.press("f4")
        await settle(pilot)
        assert step_shown(app) == 4
        await pilot.press("4")
        await type_text(pilot, "Clear enough, but no date.")
        await pilot.press("enter", "1")
        await type_text(pilot, "Twenty minutes of this?")
        await pilot.press("enter", "2", "enter")
        await settle(pilot)
        m = store.maps()[0]
        assert [t.feeling for t in m.touchpoints] == [1, -2, -1]
        assert [t.thoughts for t in m.touchpoints] == ["Clear enough, but no date.", "Twenty minutes of this?", ""]
        assert "dissatisfied" in screen_text(app)  # the feeling in words, beside its face

        # Step 5: the worst unaddressed touchpoint is pointed out; plan for it.
        await pilot.press("f5")
        await settle(pilot)
        screen = screen_text(app)
        assert "Friction with no improvement yet" in screen and "Hold music" in screen
        await pilot.press("A")
        await settle(pilot)
        await type_text(pilot, "Offer a call-back")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Shorter phone menu")
        await pilot.press("tab", "tab", "down", "down", "space")  # tick the third touchpoint
        await pilot.press("tab", "space", "down", "enter")  # customer value 4
        await pilot.press("shift+tab", "shift+tab", "enter")  # save from the title field
        await settle(pilot)
        m = store.maps()[0]
        by_title = {i.title: i for i in m.improvements}
        hold, menu = m.touchpoints[1].id, m.touchpoints[2].id
        assert by_title["Offer a call-back"].touchpoints == [hold]
        assert by_title["Shorter phone menu"].touchpoints == [menu]
        assert by_title["Shorter phone menu"].customer_value == 4
        screen = screen_text(app)
        assert "Offer a call-back" in screen and "Shorter phone menu" in screen
        assert "Every friction point has an improvement" in screen
        # Every step is now done.
        assert "\u2713" in screen.splitlines()[0] and screen.splitlines()[0].count("\u2713") == 4


async def test_reopening_returns_to_the_same_map_and_step(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    first = store.add(ExperienceMap.new("First map"))
    second = store.add(ExperienceMap.new("Second map"))
    second_id = second.id
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Second")
        await pilot.press("f4")
        await settle(pilot)
        assert step_shown(app) == 4 and app.screen.current.id == second_id
        await pilot.press("ctrl+q")
    assert first.id != second_id
    again = make_app(Store.open(db), tmp_path / "state")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert step_shown(again) == 4 and again.screen.current.id == second_id
        # What is shown is what is stored, and the line under the step bar says so from the start.
        assert screen_text(again).splitlines()[1].endswith("saved"), screen_text(again).splitlines()[1]
        # Back at step 1, the open map is the one highlighted in the list, here and after a restart.
        await pilot.press("f1")
        await settle(pilot)
        assert again.screen.query_one("#choices").highlighted_option.id == f"map:{second_id}"
        await pilot.press("ctrl+q")
    third = make_app(Store.open(db), tmp_path / "state")
    async with third.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert step_shown(third) == 1
        assert third.screen.query_one("#choices").highlighted_option.id == f"map:{second_id}"


async def test_blank_title_keeps_the_user_in_the_form_and_saves_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = store.add(ExperienceMap.new("Keep me"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Keep me")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")  # clear the title
        await pilot.pause(1.0)  # longer than the typing pause that would save it
        await pilot.press("f3")
        await settle(pilot)
        screen = screen_text(app)
        assert "A map needs a title" in screen
        assert step_shown(app) == 2
        assert store.get(m.id).title == "Keep me"
        await type_text(pilot, "Renamed")
        await pilot.press("enter")
        await settle(pilot)
        assert store.get(m.id).title == "Renamed"


async def test_delete_asks_first_and_undo_brings_it_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Numbers")
    for name in ("One", "Two", "Three"):
        m.add_touchpoint(name)
    m.add_improvement("Fix two", touchpoints=["Two"])
    m = store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Numbers")
        await pilot.press("f3", "down")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Delete the touchpoint 'Two'?" in screen_text(app)
        assert "linked to 1" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert len(store.get(m.id).touchpoints) == 3
        await pilot.press("d", "y")
        await settle(pilot)
        assert [t.name for t in store.get(m.id).touchpoints] == ["One", "Three"]
        assert "Press u to undo" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        again = store.get(m.id)
        assert [t.name for t in again.touchpoints] == ["One", "Two", "Three"]
        assert again.improvements[0].touchpoints == [again.touchpoints[1].id]


async def test_in_a_dialog_ctrl_g_or_escape_leaves_the_field_and_a_second_closes_it(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    store.add(ExperienceMap.new("Numbers"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Numbers")
        await pilot.press("f3", "a")
        await settle(pilot)
        assert on_top(app) == "TouchpointForm"
        await type_text(pilot, "Not wanted")
        await pilot.press("ctrl+g")  # leaves the field: what was typed stays
        await settle(pilot)
        assert on_top(app) == "TouchpointForm" and app.screen.focused is None
        assert app.screen.query_one("#name").value == "Not wanted"
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert step_shown(app) == 3
        await pilot.press("a")
        await settle(pilot)
        assert on_top(app) == "TouchpointForm"
        await pilot.press("escape", "escape")  # Escape does the same
        await settle(pilot)
        assert step_shown(app) == 3
        await pilot.press("question_mark")
        await settle(pilot)
        assert on_top(app) == "HelpScreen"
        await pilot.press("q")  # q closes help (it does not quit from there)
        await settle(pilot)
        assert app.is_running and step_shown(app) == 3
        assert store.maps()[0].touchpoints == []


async def test_q_quits_outside_text_fields_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "q")  # / goes to the filter: q is a letter there
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one("#filter").value == "q"
        await pilot.press("escape", "q")  # back on the list, q is a command
        await settle(pilot)
        assert not app.is_running


async def test_q_and_help_work_on_the_first_screen(tmp_path: Path) -> None:
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert on_top(app) == "HelpScreen"
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and step_shown(app) == 1
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running


async def test_command_palette_lists_the_steps_actions(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Numbers")
    m.add_touchpoint("One")
    store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Numbers")
        await pilot.press("f3")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Add (a)", "Edit (e)", "Delete (d)", "Help (?)", "Quit (^q)", "Whole map (v)",
                       "Export the map (x)", "Import a map (i)"):
            assert any(t.startswith(wanted) for t in titles), (wanted, titles)
        # cxmap's own actions only, each once: no Textual text-editing actions, one Quit.
        assert len(titles) == len(set(titles))
        assert sum(t.startswith("Quit") for t in titles) == 1
        assert not [t for t in titles if t.startswith(("Copy", "Cursor", "Delete all", "Theme", "Keys"))]
        assert not any(t.startswith("Undo") for t in titles)  # nothing to undo yet
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Two")
        await pilot.press("enter")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Undo (u)" in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "whole map")
        await settle(pilot)
        assert palette_entries(app)[0] == "Whole map (v)", palette_entries(app)
        await pilot.press("enter")
        await settle(pilot)
        assert on_top(app) == "OverviewScreen"


async def test_a_pasted_10000_character_name_is_stored_whole_and_shown_cut(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    store.add(ExperienceMap.new("Pasted"))
    app = make_app(store, tmp_path / "state")
    long_name = "Long " + "x" * 9995
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Pasted")
        await pilot.press("f3", "a")
        await settle(pilot)
        app.screen.focused.post_message(events.Paste(long_name))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert store.maps()[0].touchpoints[0].name == long_name  # stored whole
        row = next(line for line in screen_text(app).splitlines() if "Long xxx" in line)
        assert "\u2026" in row and len(row) <= 80
        await pilot.press("f4")
        await settle(pilot)
        assert all(len(line) <= 80 for line in screen_text(app).splitlines())
        assert "\u2026" in screen_text(app)


async def test_typing_after_a_feeling_key_adds_to_existing_thoughts(tmp_path: Path) -> None:
    """A feeling key moves straight to the thoughts; what is typed goes after what is there."""
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Thoughtful")
    m.add_touchpoint("Unboxing", thoughts="The base is cracked.")
    m = store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Thoughtful")
        await pilot.press("f4", "1")
        await type_text(pilot, " Nine days for this!")
        await pilot.press("enter")
        await settle(pilot)
    tp = Store.open(tmp_path / "cx.json").get(m.id).touchpoints[0]
    assert (tp.feeling, tp.thoughts) == (-2, "The base is cracked. Nine days for this!")


async def test_the_key_bar_follows_the_step_and_a_click_presses_the_key(tmp_path: Path) -> None:
    from cxmap_tui.tui.widgets.key_bar import KeyBar

    store = Store.open(tmp_path / "cx.json")
    store.add(ExperienceMap.new("Numbers"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bottom = screen_text(app).splitlines()[-1]
        assert bottom.startswith("\u23ce Open / start / Filter") and "^q Quit" in bottom
        assert "a Add" not in bottom
        await open_map(pilot, "Numbers")
        await pilot.press("f3")
        await settle(pilot)
        bottom = screen_text(app).splitlines()[-1]
        assert bottom.startswith("a Add e Edit d Delete")
        assert bottom.endswith("? Help ^q Quit")
        # Clicking "a Add" on the bottom line does what the key does.
        bar = app.screen.query_one(KeyBar)
        assert await pilot.click(KeyBar, offset=(2, 0))
        await settle(pilot)
        assert on_top(app) == "TouchpointForm"
        await pilot.press("ctrl+g", "ctrl+g")
        await settle(pilot)
        # Hovering over "F1-F5" shows what each step key is.
        steps_at = bottom.index("F1-F5")
        await pilot.hover(KeyBar, offset=(steps_at + 1, 0))
        assert bar.tooltip == "F1 Template, F2 Experience, F3 Touchpoints, F4 Feelings, F5 Improvements"
        await pilot.press("f4")
        await settle(pilot)
        assert screen_text(app).splitlines()[-1].startswith("1-5 Feel 0 Clear t Thoughts")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_restart_puts_each_steps_cursor_back_on_the_same_row(tmp_path: Path, size: tuple[int, int],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows far down the lists: the touchpoint highlighted in steps 3 and 4, the improvement in
    step 5 and the entry in step 1 come back after a restart, highlighted and in sight. The app
    quits at once after the last move: the rows are written on the way out (not on every move)."""
    monkeypatch.setattr("cxmap_tui.tui.steps.base.IDLE_SECONDS", 3600.0)
    db, state = tmp_path / "cx.json", tmp_path / "state"
    store = Store.open(db)
    m = ExperienceMap.new("Long map")
    tps = [m.add_touchpoint(f"Touchpoint {n:02}") for n in range(1, 31)]
    for n in range(1, 16):
        m.add_improvement(f"Improvement {n:02}", touchpoints=[tps[n].id])
    m = store.add(m)
    store.add(ExperienceMap.new("Other map"))
    titles = {imp.id: imp.title for imp in m.improvements}

    app = make_app(store, state)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_map(pilot, "Long map")
        await pilot.press("f3", *["down"] * 24, "f5", *["down"] * 11, "f4", *["down"] * 19)
        await settle(pilot)
        chosen = app.screen.query_one("#step-5").cursor_id()
        assert app.screen.query_one("#step-4").current_id() == tps[19].id
        assert app.screen.query_one("#step-3").cursor_id() == tps[24].id
        await pilot.press("ctrl+q")
    assert app.session.writes <= 5  # opening the map, three step changes and the quit; not the 54 keys

    again = make_app(Store.open(db), state)
    async with again.run_test(size=size) as pilot:
        await settle(pilot)
        assert step_shown(again) == 4
        assert again.screen.query_one("#step-4").current_id() == tps[19].id
        assert "Touchpoint 20" in screen_text(again)
        await pilot.press("f3")
        await settle(pilot)
        assert again.screen.query_one("#step-3").cursor_id() == tps[24].id
        assert "Touchpoint 25" in screen_text(again)
        await pilot.press("f5")
        await settle(pilot)
        assert again.screen.query_one("#step-5").cursor_id() == chosen
        assert titles[chosen] in screen_text(again)
        await pilot.press("f1", "down", "end")  # from the filter to the list, then its last entry
        await settle(pilot)
        last = again.screen.query_one("#choices").highlighted_option.id
        assert last != f"map:{m.id}"
        await pilot.press("ctrl+q")

    third = make_app(Store.open(db), state)
    async with third.run_test(size=size) as pilot:
        await settle(pilot)
        assert step_shown(third) == 1
        assert third.screen.query_one("#choices").highlighted_option.id == last


async def test_counts_on_screen_say_one_touchpoint_not_one_touchpoints(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = ExperienceMap.new("Single")
    m.add_touchpoint("Only one")
    store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(pilot, "Single")
        await pilot.press("f3")
        await settle(pilot)
        text = screen_text(app)
        assert "(current state, 1 touchpoint)" in text and "1 touchpoints" not in text
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("d")  # delete the map? says what goes with it
        await settle(pilot)
        text = screen_text(app)
        assert "with its 1 touchpoint and 0" in text, text
