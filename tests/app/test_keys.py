"""One keyboard model, driven at 80x24: outside a text field letters are commands, the same on
every step; inside they are text; Escape (or ctrl+g) leaves a field without losing what was typed;
the key bar shows what works now; / finds a row in any list, j/k g/G move; u undoes and U redoes
every change, saying which."""

from __future__ import annotations

import re
from pathlib import Path

from cxmap_tui.domain import ExperienceMap, feelings
from cxmap_tui.domain.method import GUIDE, Step
from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.store import Store
from tests.helpers.tui import (
    make_app,
    on_top,
    open_map,
    palette_entries,
    read_widget,
    screen_text,
    settle,
    step_shown,
    toasts,
    type_text,
    wait_until,
)

SIZE = (80, 24)
ROOT = Path(__file__).resolve().parents[2]


def _map(store: Store) -> ExperienceMap:
    m = ExperienceMap.new("Support call", scope="A customer calls")
    for name in ("Order page", "Phone menu", "Hold music", "Agent answers", "Survey e-mail"):
        m.add_touchpoint(name, stage="Use")
    return store.add(m)


def _bar(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app).splitlines()[-1]


async def test_escape_leaves_a_step_2_field_and_letters_are_commands_again(tmp_path: Path) -> None:
    """The trap: in step 2, Esc ? q renamed the map to "T?q"."""
    store = Store.open(tmp_path / "cx.json")
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.focused.id == "f-title"
        assert _bar(app).startswith("Esc Done")  # in a field, the bar says how to leave it
        await type_text(pilot, " desk")
        await pilot.press("escape")
        await settle(pilot)
        assert "Enter Edit the fields" in _bar(app) and "? Help" in _bar(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert on_top(app) == "HelpScreen"
        await pilot.press("q")  # closes the help, and only that
        await settle(pilot)
        assert app.is_running and step_shown(app) == 2
        assert store.get(m.id).title == "Support call desk"  # what was typed is kept and saved
        await pilot.press("enter")  # back to the field left
        await settle(pilot)
        assert app.screen.focused.id == "f-title"
        await pilot.press("ctrl+g")  # ctrl+g leaves it too
        await settle(pilot)
        assert app.screen.focused is not None and app.screen.focused.id == "step-2"


async def test_escape_leaves_the_filter_for_the_list_on_the_first_screen(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.focused.id == "choices"  # the list, so that q and ? are commands
        await pilot.press("slash")
        await type_text(pilot, "supp")
        assert app.screen.focused.id == "filter"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.focused.id == "choices"
        assert app.screen.query_one("#filter").value == "supp"  # the filter stays as typed


async def test_slash_finds_a_row_in_a_table_and_escape_goes_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one("#touchpoints")
        table.move_cursor(row=0)
        await pilot.press("slash")
        await settle(pilot)
        assert on_top(app) == "SearchPrompt"
        await type_text(pilot, "hold")
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.press("escape")  # back to where the list was
        await settle(pilot)
        assert table.cursor_row == 0 and step_shown(app) == 3
        await pilot.press("slash")
        await type_text(pilot, "e-mail")
        await pilot.press("enter")  # stays there
        await settle(pilot)
        assert table.cursor_row == 4
        await pilot.press("slash")
        await type_text(pilot, "a")  # "Order page", "Phone menu"... the first from the top after here
        await pilot.press("down")  # the next one that says it
        await settle(pilot)
        first = table.cursor_row
        await pilot.press("down")
        await settle(pilot)
        assert table.cursor_row != first
        await pilot.press("escape")
        await type_text(pilot, "q")  # the list has the focus again: q quits
        await settle(pilot)
        assert not app.is_running


async def test_j_k_g_and_G_move_in_every_list(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        for step, list_id in (("f3", "#touchpoints"), ("f4", "#feel-list")):
            await pilot.press(step)
            await settle(pilot)
            table = app.screen.query_one(list_id)
            await pilot.press("g")
            assert table.cursor_row == 0
            await pilot.press("j", "j")
            assert table.cursor_row == 2
            await pilot.press("k")
            assert table.cursor_row == 1
            await pilot.press("G")
            assert table.cursor_row == 4
            await pilot.press("home")
            assert table.cursor_row == 0
            await pilot.press("end")
            assert table.cursor_row == 4


async def test_a_letter_means_the_same_on_every_step(tmp_path: Path) -> None:
    """x exports everywhere (it used to clear the feeling in step 4); h hides the guidance."""
    store = Store.open(tmp_path / "cx.json")
    m = _map(store)
    store.change(m.id, lambda x: x.set_feeling(x.touchpoints[0].id, 2))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        for step in ("f3", "f4", "f5"):
            await pilot.press(step)
            await settle(pilot)
            await pilot.press("g", "x")
            await settle(pilot)
            assert on_top(app) == "ExportDialog", step
            await pilot.press("ctrl+g", "ctrl+g")
            await settle(pilot)
            assert step_shown(app) == int(step[1]), step
        assert store.get(m.id).touchpoints[0].feeling == 2
        guide = app.screen.query_one("#guide")
        assert guide.display
        await pilot.press("h")
        await settle(pilot)
        assert not guide.display


async def test_undo_and_redo_say_what_they_undid_and_redid(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f4", "g", "5", "escape")
        await settle(pilot)
        assert store.get(m.id).touchpoints[0].feeling == 2
        assert "U Redo" not in _bar(app)  # nothing to redo: not offered
        await pilot.press("u")
        await settle(pilot)
        assert store.get(m.id).touchpoints[0].feeling is None
        assert "Undone: feeling at 'Order page'" in toasts(app)
        assert "U Redo" in _bar(app)
        await pilot.press("U")
        await settle(pilot)
        assert store.get(m.id).touchpoints[0].feeling == 2
        assert "Redone: feeling at 'Order page'" in toasts(app)
        # Undo, undo again (nothing more), then a new change: what was undone can no longer be redone.
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("j", "1", "escape")
        await settle(pilot)
        assert "U Redo" not in _bar(app)
        await pilot.press("U")
        await settle(pilot)
        saved = store.get(m.id)
        assert (saved.touchpoints[0].feeling, saved.touchpoints[1].feeling) == (None, -2)


async def test_redo_of_adding_a_touchpoint_and_of_deleting_a_map(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = _map(store)
    other = store.add(ExperienceMap.new("Other map"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f3", "a")
        await settle(pilot)
        await type_text(pilot, "Callback")
        await pilot.press("enter")
        await settle(pilot)
        assert "Callback" in [t.name for t in store.get(m.id).touchpoints]
        await pilot.press("u")
        await settle(pilot)
        assert "Callback" not in [t.name for t in store.get(m.id).touchpoints]
        await pilot.press("U")
        await settle(pilot)
        assert "Callback" in [t.name for t in store.get(m.id).touchpoints]
        # Deleting a map in step 1, undone and redone.
        await pilot.press("f1", "slash", "ctrl+u")
        await type_text(pilot, "Other")
        await pilot.press("down", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [s.title for s in store.summaries()] == ["Support call"], screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert other.id in [s.id for s in store.summaries()]
        await pilot.press("U")
        await wait_until(pilot, lambda: other.id not in [s.id for s in store.summaries()], what="the redo")
        assert "Redone: delete 'Other map'" in toasts(app)


async def test_the_find_bar_hides_no_row_of_the_table(tmp_path: Path) -> None:
    """At 80x24 the bar sat over step 3's fifth row: finding "Adviser" highlighted a row it hid."""
    sample = ROOT / "sample_maps" / "service-broken-delivery.json"
    store = Store.open(tmp_path / "cx.json")
    store.add(map_from_json(sample.read_text(), sample.name))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one("#touchpoints")
        await pilot.press("slash")
        await type_text(pilot, "Adviser")
        await settle(pilot)
        assert table.cursor_row == 4
        screen = screen_text(app)
        assert "Find: Adviser" in screen
        rows = [line for line in screen.splitlines() if re.match(r"^ +[0-9]+ ", line)]
        assert [line.split()[0] for line in rows] == [str(n) for n in range(1, 14)], screen
        assert any("Adviser greeting" in line and line.split()[0] == "5" for line in rows), screen
        assert "Next" in _bar(app)  # the key bar, with the find's keys, still shows


async def test_the_palette_finds_help_export_and_undo(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f4", "3", "escape")  # something to undo
        await settle(pilot)
        for query, found in (("help", "Help (?)"), ("export", "Export the map (x)"), ("undo", "Undo (u)")):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await type_text(pilot, query)
            await settle(pilot)
            assert found in palette_entries(app), (query, palette_entries(app))
            await pilot.press("escape")
            await settle(pilot)


async def test_a_customer_change_is_undone_and_redone_on_the_customers_screen(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6", "A")
        await settle(pilot)
        await type_text(pilot, "Globex")
        await pilot.press("enter")
        await settle(pilot)

        def accounts() -> list[str]:
            return [a.name for a in Store.open(tmp_path / "cx.json").customers.book().accounts.values()]

        assert accounts() == ["Globex"]
        await pilot.press("u")
        await settle(pilot)
        assert accounts() == [] and "Undone: " in toasts(app)
        await pilot.press("U")
        await settle(pilot)
        assert accounts() == ["Globex"] and "Redone: " in toasts(app)
        await pilot.press("u")  # the account made again is the one undone
        await settle(pilot)
        assert accounts() == []


async def test_j_and_k_move_in_the_stage_editor_too(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Stages")
    m.add_touchpoint("One")
    store.add(m)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(pilot, "Stages")
        await pilot.press("f3", "s")
        await settle(pilot)
        stages = app.screen.query_one("#stages")
        assert stages.highlighted == 0
        await pilot.press("j", "j")
        await settle(pilot)
        assert stages.highlighted == 2
        await pilot.press("k")
        await settle(pilot)
        assert stages.highlighted == 1


async def test_the_step_4_example_names_a_key_and_the_feeling_that_key_sets(tmp_path: Path) -> None:
    """The example read "2 (dissatisfied)": on the -2..+2 scale 2 is very satisfied; on the keys,
    dissatisfied. It names the key, and that key sets what it says."""
    store = Store.open(tmp_path / "cx.json")
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f4")
        await settle(pilot)
        shown = re.search(r"E\.g\. Key ([1-5]), ([a-z ]+): '(.+)'", screen_text(app))
        assert shown is not None, screen_text(app)
        key, said, thought = shown.groups()
        await pilot.press(key)
        await type_text(pilot, thought)
        await pilot.press("escape")
        await settle(pilot)
        assert f"Feeling:  {app.glyphs.face(store.get(m.id).touchpoints[0].feeling)} {said}" in screen_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert f"Example: Key {key}, {said}: '{thought}'" in read_widget(app, ".help > Static")
    tp = store.get(m.id).touchpoints[0]
    assert (feelings.label(tp.feeling), tp.thoughts) == (said, thought)


def test_the_readme_gives_the_step_4_example_on_the_keys_scale_as_the_app_does() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    step_4 = readme.split("4. **Feelings**", 1)[1].split("5. **Improvements**", 1)[0]
    key, said, thought = re.fullmatch(r"Key ([1-5]), ([a-z ]+): '(.+)'", GUIDE[Step.FEELINGS].example).groups()
    assert f'key `{key}`, {said}: "{thought}"' in " ".join(step_4.split())
    assert feelings.FEELINGS[feelings.FEELING_BY_KEY[key]].label == said


async def test_a_long_text_scrolls_by_the_keys_a_list_moves_by(tmp_path: Path) -> None:
    """The whole map (v) and the help (?) are read, not chosen from: j/k, g/G and space scroll
    them, as they move a list, and the key bar says so."""
    store = Store.open(tmp_path / "cx.json")
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f3", "v")
        await wait_until(pilot, lambda: on_top(app) == "OverviewScreen", what="the whole map")
        view = app.screen.query_one("#overview")
        await wait_until(pilot, lambda: view.max_scroll_y > 2, what="a map longer than the screen")
        assert "j/k Scroll" in _bar(app)
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: view.scroll_y == 2, what="two lines down")
        await pilot.press("G")
        await wait_until(pilot, lambda: view.scroll_y == view.max_scroll_y, what="the end")
        await pilot.press("k")
        await wait_until(pilot, lambda: view.scroll_y == view.max_scroll_y - 1, what="a line up")
        await pilot.press("g")
        await wait_until(pilot, lambda: view.scroll_y == 0, what="the top")
        await pilot.press("space")
        await wait_until(pilot, lambda: view.scroll_y > 2, what="a page down")
        await pilot.press("q", "question_mark")
        await wait_until(pilot, lambda: on_top(app) == "HelpScreen", what="the help")
        help_text = app.screen.query_one(".help")
        await wait_until(pilot, lambda: help_text.max_scroll_y > 0, what="a help longer than its box")
        await pilot.press("G")
        await wait_until(pilot, lambda: help_text.scroll_y == help_text.max_scroll_y, what="the help's end")
        await pilot.press("g")
        await wait_until(pilot, lambda: help_text.scroll_y == 0, what="the help's top")
