"""Today against the ideal, in the app: both curves, the gaps, and correcting the pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, on_top, open_map, screen_text, settle, type_text

ROOT = Path(__file__).resolve().parents[2]


def _pair(tmp_path: Path) -> tuple[Store, ExperienceMap, ExperienceMap]:
    store = Store.open(tmp_path / "cx.json")
    ideal = store.add(map_from_json((ROOT / "sample_maps" / "insurance-claim-ideal.json").read_text()))
    current = store.add(map_from_json((ROOT / "sample_maps" / "insurance-claim-current.json").read_text()))
    assert current.ideal == ideal.id  # the samples come linked
    return store, ideal, current


async def test_both_curves_the_gaps_and_what_is_missing(tmp_path: Path) -> None:
    store, _ideal, _current = _pair(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "(today)")
        await pilot.press("f3", "p")
        await settle(pilot)
        screen = screen_text(app)
        assert "Today: Home insurance claim (today)" in screen
        assert "7 paired, 6 only in the ideal, 4 only today; mean gap -1.14" in screen
        assert "\u25cb ideal" in screen and "\u25c9 both" in screen  # the legend of the two series
        assert "1/17 Emergency line" in screen and "Emergency line   today" in screen and "gap -2" in screen
        await pilot.press("right")
        await settle(pilot)
        screen = screen_text(app)
        assert "2/17 Emergency plumber  only in the ideal: missing today" in screen


async def test_a_touchpoint_can_be_paired_by_hand_and_back_by_name(tmp_path: Path) -> None:
    store, ideal, current = _pair(tmp_path)
    extra = next(tp for tp in current.touchpoints if tp.name == "Finding a plumber myself")
    plumber = next(tp for tp in ideal.touchpoints if tp.name == "Emergency plumber")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "(today)")
        await pilot.press("f3", "p", "right", "right", "right")  # the ideal's two extra moments come first
        await settle(pilot)
        assert "4/17 Finding a plumber myself" in screen_text(app) and "not in the ideal" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert on_top(app) == "ChooseDialog"
        assert app.screen.title_text == "In the ideal, 'Finding a plumber myself' stands for..."  # type: ignore[attr-defined]
        choices = app.screen.query_one("#choices")
        index = [o.id for o in choices.options].index(plumber.id)
        await pilot.press(*["down"] * (index - choices.highlighted))
        await pilot.press("enter")
        await settle(pilot)
        assert store.get(current.id).matches == {extra.id: plumber.id}
        assert "8 paired, 5 only in the ideal, 3 only today" in screen_text(app)
        await pilot.press("p", "home", "enter")  # (pair by name) again
        await settle(pilot)
        assert store.get(current.id).matches == {}


async def test_linking_an_ideal_map_from_the_comparison(tmp_path: Path) -> None:
    store, ideal, current = _pair(tmp_path)
    store.link_ideal(current.id, "")
    other = store.add(ExperienceMap.new("Another claim", experience="service"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Another claim")
        await pilot.press("f3", "p", "l")
        await settle(pilot)
        assert on_top(app) == "ChooseDialog"
        assert app.screen.title_text == "Compare with which ideal map?"  # type: ignore[attr-defined]
        await pilot.press("enter")  # the only ideal map of this experience
        await settle(pilot)
        assert store.get(other.id).ideal == ideal.id
        assert "0 paired, 13 only in the ideal, 0 only today" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f1", "slash", "end", "ctrl+u")
        await type_text(pilot, "(ideal)")
        await pilot.press("down", "enter", "f3", "p")
        await settle(pilot)
        assert "An ideal map is what current-state maps are compared with" in screen_text(app)


async def test_backlog_filter_and_opportunity_matrix_in_the_app(tmp_path: Path) -> None:
    store, _ideal, current = _pair(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "(today)")
        await pilot.press("f5")
        await settle(pilot)
        screen = screen_text(app)
        assert f"Backlog, {len(current.improvements)} improvements, by priority" in screen
        # Filter: only the planned ones.
        await pilot.press("f")
        await settle(pilot)
        assert on_top(app) == "BacklogFilterDialog"
        await pilot.press("down", "space")  # tick "planned"
        await pilot.press("tab", "tab", "tab", "enter")  # on to Show
        await settle(pilot)
        planned = [i for i in current.improvements if i.status == "planned"]
        screen = screen_text(app)
        assert f"{len(planned)} of {len(current.improvements)} improvements (status planned)" in screen
        for imp in current.improvements:
            assert (imp.title[:20] in screen) is (imp.status == "planned"), imp.title
        # The matrix of what is shown, with its quadrants; m again goes back.
        await pilot.press("m")
        await settle(pilot)
        screen = screen_text(app)
        assert "Opportunity matrix" in screen and "quick win" in screen and "money pit" in screen
        await pilot.press("m", "f")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "tab", "enter")  # Show all
        await settle(pilot)
        assert f"Backlog, {len(current.improvements)} improvements" in screen_text(app)


async def test_the_matrix_scrolls_by_keys_and_escape_goes_back_to_the_list(tmp_path: Path) -> None:
    """At 80x24 the list under the matrix that says which improvement is which is below the
    screen: G/End, j/k and PageDown reach it; Escape left the matrix on screen."""
    sample = ROOT / "sample_maps" / "service-broken-delivery.json"
    store = Store.open(tmp_path / "cx.json")
    store.add(map_from_json(sample.read_text(), sample.name))
    app = make_app(store, tmp_path / "state")
    last = "Show replacement parts in My"  # the explaining list's last entry
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press("f5", "m")
        await settle(pilot)
        view = app.screen.query_one("#matrix-view")
        assert "Opportunity matrix" in screen_text(app) and last not in screen_text(app)
        assert view.max_scroll_y > 0
        for key in ("G", "g", "end", "home"):
            await pilot.press(key)
            await settle(pilot)
            assert (last in screen_text(app)) is (key in ("G", "end")), key
            assert (view.scroll_y == view.max_scroll_y) is (key in ("G", "end")), key
        await pilot.press("j")
        await settle(pilot)
        assert view.scroll_y == 1
        await pilot.press("k", "pagedown")
        await settle(pilot)
        assert view.scroll_y > 1
        await pilot.press("escape")
        await settle(pilot)
        screen = screen_text(app)
        assert "Backlog, 5 improvements, by priority" in screen and "Opportunity matrix" not in screen
        assert app.focused is app.screen.query_one("#backlog")
        await pilot.press("a")  # the list's keys work again
        await settle(pilot)
        assert on_top(app) == "ImprovementForm" and app.screen.imp is None  # type: ignore[attr-defined]


def _flat(text: str) -> str:
    """The screen's words in one line: a sentence wrapped at 60 columns reads the same as at 80."""
    return " ".join(text.split())


def _rated_map(store: Store, title: str = "Billing", *, kind: str = "current", rate: bool = True,
               experience: str = "service") -> ExperienceMap:
    m = ExperienceMap.new(title, kind=kind, experience=experience)
    for name, feeling in (("Invoice", -1), ("Reminder", 1)):
        tp = m.add_touchpoint(name)
        if rate:
            m.set_feeling(tp.id, feeling)
    return store.add(m)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_no_ideal_linked_says_how_to_link_one(tmp_path: Path, size: tuple[int, int]) -> None:
    """Every touchpoint is rated: the screen does not say the curve comes "as you rate", it says
    how to link the ideal map there is; l then links it."""
    store = Store.open(tmp_path / "cx.json")
    current = _rated_map(store)
    ideal = _rated_map(store, "Billing (ideal)", kind="ideal")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_map(pilot, "Billing")
        await pilot.press("f3", "p")
        await settle(pilot)
        text = _flat(screen_text(app))
        assert "as you rate" not in text
        assert "No ideal map linked: press l to link one, or cxmap link MAP IDEAL." in text
        assert "Ideal maps of this experience: 'Billing (ideal)'." in text
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert store.get(current.id).ideal == ideal.id
        text = _flat(screen_text(app))
        assert "No ideal map linked" not in text and "2 paired, 0 only in the ideal, 0 only today" in text


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_no_ideal_map_at_all_says_how_to_make_one(tmp_path: Path, size: tuple[int, int]) -> None:
    store = Store.open(tmp_path / "cx.json")
    _rated_map(store)
    _rated_map(store, "Web shop (ideal)", kind="ideal", experience="website")  # another experience's: no use here
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_map(pilot, "Billing")
        await pilot.press("f3", "p")
        await settle(pilot)
        text = _flat(screen_text(app))
        assert "as you rate" not in text
        assert "No ideal map linked, and there is no ideal map of this experience yet." in text
        assert "cxmap new TITLE --scenario service --kind ideal; then press l here to link it." in text


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_linked_but_nothing_rated_says_so(tmp_path: Path, size: tuple[int, int]) -> None:
    store = Store.open(tmp_path / "cx.json")
    current = _rated_map(store, rate=False)
    ideal = _rated_map(store, "Billing (ideal)", kind="ideal", rate=False)
    store.link_ideal(current.id, ideal.id)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_map(pilot, "Billing")
        await pilot.press("f3", "p")
        await settle(pilot)
        text = _flat(screen_text(app))
        assert "Nothing is rated yet, today or in the ideal: rate the touchpoints of each map in its step 4" in text
        await pilot.press("escape")
        await settle(pilot)
        store.change(ideal.id, lambda m: m.set_feeling(m.touchpoints[0].id, 2))
        await pilot.press("p")
        await settle(pilot)
        text = _flat(screen_text(app))
        assert "Today's touchpoints are not rated yet: rate them in step 4 (F4) to see the gaps." in text
        assert "Nothing is rated yet" not in text


async def test_unlinking_in_the_comparison_reaches_the_workshop_and_is_undone_and_redone(tmp_path: Path) -> None:
    """Leaving the comparison used to drop the workshop's reload (it closed by popping the
    screen): the workshop kept the old link while the store had none, and u could not undo it."""
    store, ideal, current = _pair(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "(today)")
        first = current.touchpoints[0].id
        await pilot.press("f3", "p", "p", "down", "enter")  # the first: "(no counterpart in the ideal)"
        await settle(pilot)
        assert store.get(current.id).matches == {first: ""}
        await pilot.press("l", "end", "enter")  # the last choice: compare with none
        await settle(pilot)
        assert store.get(current.id).ideal == "" and store.get(current.id).matches == {}
        workshop = app.screen_stack[-2]
        assert workshop.current.ideal == ""  # told at once, under the comparison
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is workshop and workshop.current.ideal == ""  # the workshop shows the map as stored
        await pilot.press("u")
        await settle(pilot)
        back = store.get(current.id)
        assert back.ideal == ideal.id and workshop.current.ideal == ideal.id
        assert back.matches == {first: ""}  # with the pairing made for that ideal
        await pilot.press("U")
        await settle(pilot)
        assert store.get(current.id).ideal == "" and app.screen.current.ideal == ""


async def test_a_pairing_made_in_the_comparison_is_undone_there(tmp_path: Path) -> None:
    store, _ideal, current = _pair(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "(today)")
        await pilot.press("f3", "p")
        await settle(pilot)
        first = store.get(current.id).touchpoints[0].id
        await pilot.press("p", "down", "enter")  # "(no counterpart in the ideal)"
        await settle(pilot)
        assert store.get(current.id).matches.get(first) == ""
        await pilot.press("u")
        await settle(pilot)
        assert first not in store.get(current.id).matches  # paired by name again
