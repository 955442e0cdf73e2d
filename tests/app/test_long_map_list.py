"""A workspace of many maps: the list shows its first maps at once and the rest in slices after
the first screen, so a key is never kept waiting for thousands of options (the speed is in
bench/app_bench.py). What the user ends up with is the whole list, in order, and the map they
were on highlighted wherever it falls."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.tui.steps import template
from cxmap_tui.tui.steps.template import FIRST_SLICE, SLICE
from tests.helpers.tui import make_app, open_map, settle, step_shown, type_text, wait_until

MAPS = FIRST_SLICE + SLICE + 50  # three slices


def _workspace(db: Path) -> list[str]:
    store = Store.open(db)
    made = store.add_many(ExperienceMap.new(f"Map {n:04d}: a late order") for n in range(MAPS))
    return [m.id for m in made]


def _ids(app: object) -> list[str]:
    choices = app.screen.query_one("#choices")  # type: ignore[attr-defined]
    return [o.id for o in choices.options if o.id is not None]


async def test_the_whole_list_arrives_in_order_after_a_first_slice(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _workspace(tmp_path / "cx.json")
    first: list[int] = []
    real = template.ChoiceList.set_options

    def counted(self: template.ChoiceList, options: list[object]) -> template.ChoiceList:
        first.append(len(options))
        return real(self, options)  # type: ignore[arg-type]

    monkeypatch.setattr(template.ChoiceList, "set_options", counted)
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(_ids(app)) >= MAPS + 1, what="the whole list")
        assert first == [FIRST_SLICE]  # the first screen built only the first slice
        listed = _ids(app)
        assert listed[:MAPS] == [f"map:{i}" for i in ids] and listed[MAPS] == template.BLANK
        choices = app.screen.query_one("#choices")
        assert choices.highlighted_option.id == f"map:{ids[0]}"
        await pilot.press("G")
        assert choices.highlighted_option.id == listed[-1]  # the last template, past every map


async def test_the_map_last_open_is_highlighted_though_it_is_listed_late(tmp_path: Path) -> None:
    ids = _workspace(tmp_path / "cx.json")
    late = MAPS - 10  # in the last slice
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, f"Map {late:04d}")
        assert app.screen.current.id == ids[late]
        await pilot.press("ctrl+q")
    again = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        choices = again.screen.query_one("#choices")
        await wait_until(pilot, lambda: len(_ids(again)) >= MAPS + 1, what="the whole list")
        assert step_shown(again) == 1
        assert choices.highlighted_option.id == f"map:{ids[late]}"


async def test_moving_while_the_list_fills_is_not_undone_by_a_late_slice(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _workspace(tmp_path / "cx.json")
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, f"Map {MAPS - 1:04d}")
        await pilot.press("ctrl+q")
    # The slices after the first are held back until the keys below were taken, as on a slow machine.
    held: list[tuple[template.TemplatePane, int]] = []
    real = template.TemplatePane._fill_more
    monkeypatch.setattr(template.TemplatePane, "_fill_more", lambda pane, filling: held.append((pane, filling)))
    again = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")  # the open map, in the last slice, is to be highlighted once listed
        await wait_until(pilot, lambda: bool(held), what="a slice to come")
        await pilot.press("g", "j")
        while held:
            real(*held.pop(0))
            await pilot.pause()
        assert len(_ids(again)) >= MAPS + 1
        assert again.screen.query_one("#choices").highlighted_option.id == f"map:{ids[1]}"
    # Not moved, the cursor goes to it when its slice comes.
    third = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with third.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: bool(held), what="a slice to come")
        while held:
            real(*held.pop(0))
            await pilot.pause()
        assert third.screen.query_one("#choices").highlighted_option.id == f"map:{ids[MAPS - 1]}"


async def test_a_filter_typed_while_the_list_fills_shows_only_its_matches(tmp_path: Path) -> None:
    ids = _workspace(tmp_path / "cx.json")
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "Map 06")  # Map 0600 to Map 0649
        await settle(pilot)
        wanted = [f"map:{ids[n]}" for n in range(600, MAPS)]
        await wait_until(pilot, lambda: _ids(app)[:len(wanted)] == wanted, what="the matches")
        for _ in range(5):  # any slice of the unfiltered fill still to come would arrive by now
            await pilot.pause()
        assert [i for i in _ids(app) if i.startswith("map:")] == wanted


async def test_clearing_the_filter_keeps_the_map_highlighted(tmp_path: Path) -> None:
    ids = _workspace(tmp_path / "cx.json")
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Map 0640")
        await settle(pilot)
        choices = app.screen.query_one("#choices")
        await wait_until(pilot, lambda: choices.highlighted_option is not None
                         and choices.highlighted_option.id == f"map:{ids[640]}", what="the match highlighted")
        await pilot.press(*["backspace"] * len("Map 0640"))
        await wait_until(pilot, lambda: len(_ids(app)) >= MAPS + 1, what="the whole list again")
        assert choices.highlighted_option.id == f"map:{ids[640]}"  # in the last slice, and still the one
