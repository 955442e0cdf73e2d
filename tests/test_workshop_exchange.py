"""Templates, export and import, from inside the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.io.formats import export_file
from cxmap_tui.io.json_format import map_from_json, map_to_json
from cxmap_tui.store import Store
from cxmap_tui.templates import load_templates
from tests.helpers.dialog import dialog_message
from tests.helpers.tui import make_app, open_map, screen_text, settle, type_text

SIZE = (80, 24)
ROOT = Path(__file__).resolve().parent.parent


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
            assert "New map from the template" in screen_text(app)
            await pilot.press("enter")  # its own title is free: keep it
            await settle(pilot)
            assert "\u25b82 Experience" in screen_text(app).splitlines()[0]
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
    monkeypatch.chdir(tmp_path)  # file names are typed relative to the working folder, as people do
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Commuter")
        await pilot.press("f3", "x")
        await settle(pilot)
        assert "Export 'Commuter e-bike: web shop to store'" in screen_text(app)
        await pilot.press("enter", "down", "down", "enter")  # markdown -> html
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
    monkeypatch.chdir(tmp_path)
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
        assert "Import a map" in screen_text(app)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, exported.name)
        await pilot.press("enter")
        await settle(pilot)
        screen = screen_text(app)
        assert "\u25b83 Touchpoints" in screen.splitlines()[0] and "Solar panels" in screen.splitlines()[1]
        # A bad CSV: the row and the field are named, and nothing is imported.
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, bad_csv.name)
        await pilot.press("tab")
        await type_text(pilot, "Helpdesk")
        await pilot.press("enter")
        await settle(pilot)
        screen = screen_text(app)
        assert "Import a map" in screen
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
