"""Templates, export and import, from inside the app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.io.formats import export_file
from cxmap_tui.io.json_format import map_from_json, map_to_json
from cxmap_tui.store import Store
from cxmap_tui.templates import load_templates
from cxmap_tui.tui.app import CxmapApp
from cxmap_tui.tui.widgets.safe_input import SafeInput
from tests.helpers.dialog import dialog_message
from tests.helpers.tui import make_app, on_top, open_map, screen_text, settle, step_shown, type_text, wait_until

SIZE = (80, 24)
ROOT = Path(__file__).resolve().parents[2]


def _distinctive(title: str, others: list[str]) -> str:
    """The shortest piece of a title that no other title contains: what a person would type."""
    folded = [o.casefold() for o in others if o != title]
    for size in range(3, len(title) + 1):
        for start in range(len(title) - size + 1):
            piece = title[start:start + size]
            if piece.strip() == piece and not any(piece.casefold() in o for o in folded):
                return piece
    return title


async def test_every_sample_map_is_a_template_that_starts_a_new_map(tmp_path: Path) -> None:
    templates = load_templates()
    assert len(templates) >= 7
    store = Store.open(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = screen_text(app)
        for t in templates:
            assert f"+ {t.title}" in listed, t.title
        titles = [t.title for t in templates]
        for t in templates:
            await pilot.press("f1", "slash", "end", "ctrl+u")
            await type_text(pilot, _distinctive(t.title, titles))
            await pilot.press("enter")  # the only match: the template
            await settle(pilot)
            assert on_top(app) == "NewMapPrompt" and app.screen.template.name == t.name  # type: ignore[attr-defined]
            await pilot.press("enter")  # its own title is free: keep it
            await settle(pilot)
            assert step_shown(app) == 2 and app.screen.current.template == t.name
    made = {m.template: m for m in store.maps()}
    assert set(made) == {t.name for t in templates}
    for t in templates:
        m = made[t.name]
        assert [tp.name for tp in m.touchpoints] == [tp.name for tp in t.map.touchpoints]
        assert all(tp.feeling is None for tp in m.touchpoints)  # started unrated by default
        assert {tp.id for tp in m.touchpoints}.isdisjoint({tp.id for tp in t.map.touchpoints})


async def test_a_template_can_keep_its_feelings(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    template = next(t for t in load_templates() if t.name == "service-broken-delivery")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Broken chair")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Our chair support")
        await pilot.press("tab", "space", "tab", "enter")  # tick "keep", then Create
        await settle(pilot)
    [m] = store.maps()
    assert m.title == "Our chair support"
    assert [tp.feeling for tp in m.touchpoints] == [tp.feeling for tp in template.map.touchpoints]
    assert [tp.thoughts for tp in m.touchpoints] == [tp.thoughts for tp in template.map.touchpoints]


async def test_export_from_the_app_writes_the_chosen_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = store.add(map_from_json((ROOT / "sample_maps" / "store-bike-shop.json").read_text()))
    target = tmp_path / "out" / "bikes.html"
    target.parent.mkdir()
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # file names are typed relative to the working folder, as people do
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Commuter")
        await pilot.press("f3", "x")
        await settle(pilot)
        assert "Export 'Commuter e-bike: web shop to store'" in screen_text(app)
        assert "ctrl+u clears the path" in screen_text(app)  # the path is offered, not selected
        await pilot.press("space", "down", "down", "enter")  # markdown -> html
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "out/bikes.html")
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_bytes() == export_file(store.get(m.id), "html")
        assert "Exported to" in screen_text(app)
        # Again to the same file: it asks before replacing.
        target.write_text("old")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "out/bikes.html")
        await pilot.press("enter")
        await settle(pilot)
        assert "That file exists" in screen_text(app)
        assert target.read_text() == "old"
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_bytes() == export_file(store.get(m.id), "markdown")


async def test_import_from_the_app_json_and_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # the names below are typed relative to the working folder
    source = map_from_json((ROOT / "sample_maps" / "sales-solar-quote.json").read_text())
    exported = tmp_path / "solar.json"
    exported.write_text(map_to_json(source))
    good_csv = tmp_path / "desk.csv"
    good_csv.write_text("name,stage,feeling,thoughts\r\nCall,Use,-2,\"Too long,\r\nreally\"\r\nFix,Use,2,Great\r\n")
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("name,stage,feeling\nCall,Use,-2\nFix,Use,seven\n")
    store = Store.open(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "i")  # from the list (the filter field would take the letter)
        await settle(pilot)
        assert on_top(app) == "ImportDialog"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, exported.name)
        await pilot.press("enter")
        await settle(pilot)
        assert step_shown(app) == 3 and app.screen.current.title == source.title
        assert [m.title for m in store.maps()] == [source.title]
        # A bad CSV: the row and the field are named, and nothing is imported.
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, bad_csv.name)
        await pilot.press("tab")
        await type_text(pilot, "Helpdesk")
        await pilot.press("enter")
        await settle(pilot)
        assert on_top(app) == "ImportDialog"  # it stays open, saying why
        screen = screen_text(app)
        # The row and the field, without the folder the file is in (which the user never typed).
        assert dialog_message(screen) == ("Row 3, feeling: 'seven' is not a feeling: use a number from -2 to +2, "
                                          "--/-/0/+/++, or 'none'")
        assert [m.title for m in store.maps()] == [source.title]
        # Fix the path to the good one: imported, line breaks in cells kept.
        await pilot.press("shift+tab", "end", "ctrl+u")
        await type_text(pilot, good_csv.name)
        await pilot.press("enter")
        await settle(pilot)
    imported = {m.title: m for m in store.maps()}
    assert imported[source.title].touchpoints == source.touchpoints
    desk = imported["Helpdesk"]
    assert [(t.name, t.feeling, t.thoughts) for t in desk.touchpoints] == [
        ("Call", -2, "Too long,\r\nreally"), ("Fix", 2, "Great")]


# -- the file field: the format's extension, the last folder, Tab completion ---------------------


def _bank(tmp_path: Path) -> tuple[Store, ExperienceMap]:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Bank")
    m.add_touchpoint("Branch visit", stage="Purchase")
    return store, store.add(m)


def _field(app: CxmapApp) -> SafeInput:
    return app.screen.query_one("#path", SafeInput)


async def _dialog(pilot: Pilot[None], key: str, name: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: on_top(pilot.app) == name, what=name)  # type: ignore[arg-type]


def test_the_file_name_follows_the_format_without_losing_what_was_typed() -> None:
    from cxmap_tui.tui.modals.exchange import with_format

    m = ExperienceMap.new("Bank")
    assert with_format("/d/bank.md", m, "html") == "/d/bank.html"  # the suggested name: suggested again
    assert with_format("/d/bank.csv", m, "csv-improvements") == "/d/bank-improvements.csv"
    assert with_format("/d/mine.md", m, "html") == "/d/mine.html"  # typed: only the extension changes
    assert with_format("/d/mine", m, "csv") == "/d/mine.csv"
    assert with_format("/d/notes.txt", m, "json") == "/d/notes.txt.json"
    assert with_format("/d/", m, "mermaid") == "/d/bank.mmd"


async def test_after_a_format_change_typing_goes_at_the_end_of_the_file_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(work))  # the first export starts in the home folder
    store, m = _bank(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Bank")
        await pilot.press("f3")
        await _dialog(pilot, "x", "ExportDialog")
        assert _field(app).value == str(work / "bank.md")
        await pilot.press("h")  # the format, by its first letter: html
        await settle(pilot)
        path = _field(app)
        assert path.value == str(work / "bank.html") and path.cursor_position == len(path.value)
        await pilot.press("tab", *["backspace"] * len("bank.html"))
        await type_text(pilot, "mine")
        await pilot.press("shift+tab", "c")  # csv: the typed name gets the extension, the cursor the end
        await settle(pilot)
        assert path.value == str(work / "mine.csv") and path.cursor_position == len(path.value)
        await pilot.press("tab", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, ".html")
        await pilot.press("shift+tab", "h", "tab", "enter")
        await settle(pilot)
    assert [p.name for p in work.iterdir()] == ["mine.html"]
    assert (work / "mine.html").read_bytes() == export_file(store.get(m.id), "html")


async def test_the_first_export_and_import_start_in_the_home_folder_not_where_cxmap_was_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, started = tmp_path / "home", tmp_path / "shared" / "team"
    home.mkdir()
    started.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(started)  # a team's folder on a shared server, say
    store, m = _bank(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Bank")
        await pilot.press("f3")
        await _dialog(pilot, "x", "ExportDialog")
        assert _field(app).value == str(home / "bank.md")
        await pilot.press("escape", "escape")  # out of the field, then out of the dialog
        await wait_until(pilot, lambda: on_top(app) == "WorkshopScreen", what="the workshop")
        await _dialog(pilot, "i", "ImportDialog")
        assert _field(app).value == str(home) + "/"
        await pilot.press("escape", "escape")  # out of the field, then out of the dialog
        await wait_until(pilot, lambda: on_top(app) == "WorkshopScreen", what="the workshop")
        await _dialog(pilot, "x", "ExportDialog")
        await pilot.press("tab", "enter")  # the path as offered
        await settle(pilot)
    assert (home / "bank.md").read_bytes() == export_file(store.get(m.id), "markdown")
    assert list(started.iterdir()) == []


async def test_export_and_import_start_in_the_last_folder_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)  # "exports/bank.json" below is typed relative to it
    store, _m = _bank(tmp_path)
    exports, other = tmp_path / "exports", tmp_path / "other"
    exports.mkdir()
    other.mkdir()
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Bank")
        await pilot.press("f3")
        await _dialog(pilot, "x", "ExportDialog")
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, "exports/bank.json")
        await pilot.press("shift+tab", "j", "tab", "enter")  # json, to import it again below
        await settle(pilot)
        assert (exports / "bank.json").is_file()
        await _dialog(pilot, "x", "ExportDialog")
        assert _field(app).value == str(exports / "bank.md")
        await pilot.press("escape", "escape")  # leave the format's list, then close
        await _dialog(pilot, "i", "ImportDialog")
        assert _field(app).value == str(exports) + "/"
        await pilot.press("escape")
        await settle(pilot)
    (other / "copy.json").write_bytes((exports / "bank.json").read_bytes())
    app = make_app(store, tmp_path / "state")  # the next session remembers it too
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _dialog(pilot, "x", "ExportDialog")
        assert _field(app).value == str(exports / "bank.md")
        await pilot.press("escape", "escape")  # leave the format's list, then close
        await _dialog(pilot, "i", "ImportDialog")
        assert _field(app).value == str(exports) + "/"
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, str(other / "copy.json"))
        await pilot.press("tab")
        await type_text(pilot, "Bank again")
        await pilot.press("enter")
        await settle(pilot)
        await _dialog(pilot, "x", "ExportDialog")
        assert _field(app).value == str(other / "bank-again.md")
    assert str(other) not in (tmp_path / "cx.json").read_text()  # remembered per user, not in the team's file
    shutil.rmtree(other)  # a folder that is gone: back to the home folder
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _dialog(pilot, "x", "ExportDialog")
        assert _field(app).value == str(home / "bank-again.md")


async def test_tab_completes_the_path_in_both_dialogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # "files/so" below is typed relative to it
    store, _m = _bank(tmp_path)
    files = tmp_path / "files"
    (files / "solar-old").mkdir(parents=True)
    for name in ("solar-2024.json", "solar-2025.json", ".solar-hidden", "desk.csv"):
        (files / name).write_text("x")
    (files / "solar-old" / "q3.json").write_text(map_to_json(ExperienceMap.new("Solar Q3")))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Bank")
        await pilot.press("f3")
        await _dialog(pilot, "i", "ImportDialog")
        await pilot.press("tab")  # the folder the dialog filled in is not completed: Tab moves on
        assert app.focused is not None and app.focused.id == "title"
        await pilot.press("shift+tab", "end", "ctrl+u")
        await type_text(pilot, "files/so")  # relative to where cxmap was started
        await pilot.press("tab")  # as far as the matches agree
        await settle(pilot)
        assert _field(app).value == "files/solar-"
        assert "matches:" not in screen_text(app)
        await pilot.press("tab")  # nothing to add: the matches are listed (hidden names are not)
        await settle(pilot)
        assert "3 matches: solar-2024.json  solar-2025.json  solar-old/" in screen_text(app)
        assert app.focused is _field(app)
        await type_text(pilot, "o")
        await settle(pilot)
        assert "matches:" not in screen_text(app)  # typing puts the list away
        await pilot.press("tab")  # one match, a folder: it gets its "/"
        await settle(pilot)
        assert _field(app).value == "files/solar-old/"
        await pilot.press("tab")
        await settle(pilot)
        assert _field(app).value == "files/solar-old/q3.json"
        await pilot.press("tab")  # nothing left to complete: on to the next field
        assert app.focused is not None and app.focused.id == "title"
        await pilot.press("enter")
        await settle(pilot)
        assert "Solar Q3" in [x.title for x in store.maps()]

        await _dialog(pilot, "x", "ExportDialog")
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, str(files) + "/d")
        await pilot.press("tab")
        assert _field(app).value == str(files / "desk.csv")
        await pilot.press("ctrl+u")
        await type_text(pilot, str(files) + "/solar-20")
        await pilot.press("tab")
        await settle(pilot)
        assert _field(app).value == str(files) + "/solar-202"
        await pilot.press("tab")
        await settle(pilot)
        assert "2 matches: solar-2024.json  solar-2025.json" in screen_text(app)
        await pilot.press("tab")  # the list was shown: the next Tab moves on
        assert app.focused is not None and app.focused.id == "export"
