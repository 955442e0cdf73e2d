"""The touchpoint form and the stages editor, by keys: letters pick in a drop-down, a channel of
your own, the stage and channel a new touchpoint starts with, the keys an addition takes, and
removing a stage (asked, counted, undone)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Select

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.vocabulary import SERVICE_STAGES
from cxmap_tui.store import Store
from cxmap_tui.tui.app import CxmapApp
from cxmap_tui.tui.widgets.quick_select import TypeAhead, match_key
from tests.helpers.clock import Clock
from tests.helpers.dialog import dialog_lines
from tests.helpers.tmux import TMUX, Terminal
from tests.helpers.tui import make_app, on_top, open_map, screen_text, settle, type_text, wait_until

SIZE = (80, 24)


def _store(tmp_path: Path) -> tuple[Store, ExperienceMap]:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Bike shop")
    m.add_touchpoint("Advert", stage="Awareness")
    return store, store.add(m)


def _value(app: CxmapApp, selector: str) -> object:
    return app.screen.query_one(selector, Select).value


def _row(app: CxmapApp, label: str) -> str:
    """The dialog's line that starts with `label`, without the frame."""
    for line in screen_text(app).splitlines():
        inside = line.strip().strip("\u2502").strip()
        if inside.startswith(label):
            return " ".join(inside[len(label):].replace("\u25bc", "").replace("\u25b2", "").split())
    raise AssertionError(f"no line {label!r} on screen:\n{screen_text(app)}")


async def _touchpoints_step(pilot: Pilot[None], title: str = "Bike shop") -> None:
    await settle(pilot)
    await open_map(pilot, title)
    await pilot.press("f3")
    await settle(pilot)


async def _open_form(pilot: Pilot[None], key: str = "a") -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: on_top(pilot.app) == "TouchpointForm", what="the form")  # type: ignore[arg-type]


# -- type-ahead -------------------------------------------------------------------------------


def test_type_ahead_prefix_cycle_and_pause(clock: Clock) -> None:
    keys = [match_key(k) for k in ("(no stage)", "Awareness", "Consideration", "Purchase", "Check-in", "Use")]
    ahead = TypeAhead(pause=1.0)
    assert ahead.feed("c", keys, 0) == 2  # the first that starts with c
    assert ahead.feed("h", keys, 2) == 4  # "ch"
    clock.now += 2  # a pause: a new prefix
    assert ahead.feed("c", keys, 4) == 2
    assert ahead.feed("c", keys, 2) == 4  # the same letter again: the next one
    assert ahead.feed("c", keys, 4) == 2  # and round again
    ahead.reset()
    assert ahead.feed("n", keys, 3) == 0  # punctuation at the start is skipped
    assert ahead.feed("x", keys, 0) is None  # nothing starts with "nx" or "x": no move


async def test_letters_pick_the_stage_and_the_channel_closed_and_open(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _touchpoints_step(pilot)
        await _open_form(pilot)
        await type_text(pilot, "Shop visit")
        await pilot.press("tab", "tab")  # to the stage
        await pilot.press("u")
        assert _value(app, "#stage") == "Use"
        await settle(pilot)
        assert _row(app, "Stage") == "Use"
        await pilot.press("c")
        assert _value(app, "#stage") == "Consideration"
        await pilot.press("h")  # "ch"
        assert _value(app, "#stage") == "Check-in"
        clock.now += 5  # after a pause, c starts again
        await pilot.press("c")
        assert _value(app, "#stage") == "Consideration"
        await pilot.press("c")  # c again, without a pause: the next stage with c
        assert _value(app, "#stage") == "Check-in"
        await pilot.press("shift+tab", "tab", "p")  # any other key starts the prefix again
        assert _value(app, "#stage") == "Purchase"

        await pilot.press("tab", "i")  # the channel, closed
        assert _value(app, "#channel") == "In-product"
        await pilot.press("i")
        assert _value(app, "#channel") == "In person"
        await settle(pilot)
        assert _row(app, "Channel") == "In person"

        await pilot.press("space")  # open: letters move the highlight, Enter takes it
        await settle(pilot)
        channel = app.screen.query_one("#channel", Select)
        assert channel.expanded
        await pilot.press("s", "s")
        options = channel.query_one(OptionList)
        assert str(options.get_option_at_index(options.highlighted or 0).prompt) == "Store"
        assert _value(app, "#channel") == "In person"  # not yet
        await pilot.press("enter")
        await settle(pilot)
        assert not channel.expanded and _value(app, "#channel") == "Store"
        await pilot.press("ctrl+s")
        await settle(pilot)
    tp = store.get(m.id).touchpoints[-1]
    assert (tp.name, tp.stage, tp.channel) == ("Shop visit", "Purchase", "Store")


async def test_letters_pick_in_the_improvement_form(tmp_path: Path, clock: Clock) -> None:
    store, _m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_map(pilot, "Bike shop")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: on_top(app) == "ImprovementForm", what="the form")
        await type_text(pilot, "Free test rides")
        await pilot.press("tab", "tab", "tab", "4", "tab", "5", "tab", "2", "tab", "d", "r")
        assert [_value(app, f"#{name}") for name in ("customer_value", "business_value", "effort", "status")] == [
            4, 5, 2, "dropped"]


# -- channels of your own ---------------------------------------------------------------------


async def test_a_channel_of_your_own_is_stored_and_offered_next_time(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _touchpoints_step(pilot)
        await _open_form(pilot)
        await type_text(pilot, "Podcast ad")
        assert _row(app, "New channel") == "Other... in the list above names a channel of your own"
        assert app.screen.query_one("#channel_other").disabled
        await pilot.press("tab", "tab", "tab", "o")  # the channel: "Other..." opens the field
        await settle(pilot)
        assert _row(app, "Channel") == "Other..." and not app.screen.query_one("#channel_other").disabled
        assert _row(app, "New channel") == "The channel's name, e.g. Podcast"
        await pilot.press("tab", "enter")  # nothing typed yet: the form says so, and waits in the field
        await settle(pilot)
        assert "Type the new channel" in screen_text(app)
        assert app.focused is not None and app.focused.id == "channel_other"
        await type_text(pilot, "Podcast")
        await pilot.press("enter")
        await settle(pilot)
        assert store.get(m.id).touchpoints[-1].channel == "Podcast"

        # Another touchpoint, edited: the list has the new channel.
        await pilot.press("up")
        await _open_form(pilot, "e")
        await pilot.press("tab", "tab", "tab", "p", "o", "d")
        assert _value(app, "#channel") == "Podcast"
        await pilot.press("o", "tab")  # and a channel the list has, typed in its own case
        await type_text(pilot, "web")
        await pilot.press("enter")
        await settle(pilot)
        assert store.get(m.id).touchpoints[0].channel == "Web"
    # Next session (someone else's, from the first screen): the map's own channels are in the list.
    app = make_app(store, tmp_path / "state-2")
    async with app.run_test(size=SIZE) as pilot:
        await _touchpoints_step(pilot)
        await _open_form(pilot)
        await pilot.press("tab", "tab", "tab", "space")
        await settle(pilot)
        listed = app.screen.query_one("#channel", Select).query_one(OptionList)
        offered = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert offered[-2:] == ["Podcast", "Other..."]
        await pilot.press("p", "o", "d")  # typed in the open list: its entry is highlighted
        await settle(pilot)
        assert listed.highlighted is not None and str(listed.get_option_at_index(listed.highlighted).prompt) == "Podcast"


# -- the next touchpoint, and the keys it takes -------------------------------------------------


async def test_a_new_touchpoint_starts_in_the_stage_and_channel_of_the_row_it_follows(
        tmp_path: Path, clock: Clock) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Phone support", stages=SERVICE_STAGES)
    m.add_touchpoint("Notices a fault", stage="Notice need")
    m.add_touchpoint("Contact form", stage="Get in touch", channel="Web")
    m = store.add(m)
    empty = store.add(ExperienceMap.new("Bike shop"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _touchpoints_step(pilot, "Phone support")
        await pilot.press("end")
        await _open_form(pilot)
        assert (_value(app, "#stage"), _value(app, "#channel")) == ("Get in touch", "Web")
        await type_text(pilot, "Case summary")
        await pilot.press("tab", "tab", "f", "tab", "e", "ctrl+s")  # Follow-up, E-mail
        await wait_until(pilot, lambda: len(store.get(m.id).touchpoints) == 3, what="the summary stored")
        await settle(pilot)
        # Back on row 2: the new one goes after it, so it starts there, not where the last one went.
        await pilot.press("up")
        await _open_form(pilot)
        assert _row(app, "Stage") == "Get in touch" and _row(app, "Channel") == "Web"
        await type_text(pilot, "Callback request")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(store.get(m.id).touchpoints) == 4, what="the request stored")
        await settle(pilot)
        # A row without a channel: its stage, and the channel used last.
        await pilot.press("home")
        await _open_form(pilot)
        assert (_value(app, "#stage"), _value(app, "#channel")) == ("Notice need", "Web")
        await pilot.press("escape", "escape")  # leave the field, then close the form
        await settle(pilot)
    stored = store.get(m.id).touchpoints
    assert [(tp.name, tp.stage, tp.channel) for tp in stored] == [
        ("Notices a fault", "Notice need", ""), ("Contact form", "Get in touch", "Web"),
        ("Callback request", "Get in touch", "Web"), ("Case summary", "Follow-up", "E-mail")]
    # After a restart the channel used last is still known; an empty map starts in its first stage.
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _touchpoints_step(pilot, "Phone support")
        await pilot.press("home")
        await _open_form(pilot)
        assert _row(app, "Stage") == "Notice need" and _row(app, "Channel") == "Web"
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("f1", "slash", "end", "ctrl+u", "escape")
        await _touchpoints_step(pilot, "Bike shop")
        await _open_form(pilot)
        assert (_value(app, "#stage"), _value(app, "#channel")) == ("Awareness", Select.NULL)
    assert not store.get(empty.id).touchpoints


async def test_adding_a_touchpoint_takes_its_text_and_three_keys(tmp_path: Path, clock: Clock) -> None:
    store, m = _store(tmp_path)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await _touchpoints_step(pilot)
        await _open_form(pilot)
        await type_text(pilot, "Test ride")
        await pilot.press("tab", "tab", "p", "tab", "w", "ctrl+s")  # the first one: Purchase, Web
        await settle(pilot)

        pressed: list[str] = []

        async def press(*keys: str) -> None:
            pressed.extend(keys)
            await pilot.press(*keys)

        name, action = "Price check", "Compares the price online"
        await press("a")
        await wait_until(pilot, lambda: on_top(app) == "TouchpointForm", what="the form")
        await press(*[{" ": "space"}.get(c, c) for c in name])
        await press("tab")
        await press(*[{" ": "space"}.get(c, c) for c in action])
        await press("enter")
        await wait_until(pilot, lambda: len(store.get(m.id).touchpoints) == 3, what="the touchpoint stored")
        assert len(pressed) - len(name) - len(action) == 3
    tp = store.get(m.id).touchpoints[2]
    assert (tp.name, tp.action, tp.stage, tp.channel) == (name, action, "Purchase", "Web")


# -- removing a stage ---------------------------------------------------------------------------


async def test_removing_a_stage_asks_counts_and_is_undone(tmp_path: Path, clock: Clock) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Bike shop")
    for name, stage in (("Advert", "Awareness"), ("Basket", "Purchase"), ("Payment", "Purchase"),
                        ("Receipt", "Purchase"), ("First ride", "Use")):
        m.add_touchpoint(name, stage=stage)
    m = store.add(m)
    stages = list(m.stages)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _touchpoints_step(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "down", "d")  # Purchase
        await settle(pilot)
        assert ("Remove the stage 'Purchase'? 3 touchpoints are in it; they will have no stage."
                in " ".join(dialog_lines(screen_text(app))))
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        await pilot.press("d", "y")
        await settle(pilot)
        await pilot.press("down", "r")  # and rename Use (the stage after the one that went)
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Riding")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # done: both changes saved as one
        await settle(pilot)
        saved = store.get(m.id)
        assert "Purchase" not in saved.stages and "Riding" in saved.stages
        assert [t.stage for t in saved.touchpoints] == ["Awareness", "", "", "", "Riding"]
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: edit the stages (2 changes)" in screen_text(app)
    undone = store.get(m.id)
    assert undone.stages == stages
    assert [t.stage for t in undone.touchpoints] == ["Awareness", "Purchase", "Purchase", "Purchase", "Use"]


# -- in a real terminal, typed ahead in bursts --------------------------------------------------


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_touchpoint_and_an_export_typed_ahead_in_bursts(tmp_path: Path) -> None:
    """Over a slow link a form arrives in one write: the letter that picks "Other...", the Tab
    to the channel's field it shows, the Tab that completes a folder; each key lands where it
    would typed slowly."""
    db = tmp_path / "cx.json"
    _unused, m = _store(tmp_path)
    (tmp_path / "exports").mkdir()
    root = Path(__file__).resolve().parents[2]
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHONPATH": str(root), "LANG": "C", "TERM": "xterm-256color"}
    t = Terminal([sys.executable, "-m", "cxmap_tui", "--db", str(db)], env=env)
    try:
        t.wait_for("Start a new map")
        t.keys("/")
        t.type("Bike")
        t.keys("Down", "Enter")
        t.wait_for("(current state, 1 touchpoint")
        t.keys("F3")
        t.wait_for("Advert")
        t.keys("a")
        t.wait_for("New touchpoint")
        t.together("Podcast", "Space", "ad", "Tab", "Hears", "Space", "it", "Tab", "p", "Tab", "o", "Tab",
                   "Podcast", "Enter")
        t.wait_for("(current state, 2 touchpoints)")
        t.keys("x")
        t.wait_for("Export 'Bike shop'")
        t.together("Tab", "C-u", str(tmp_path / "ex"), "Tab", "bike.md", "Enter")
        t.wait_for("Exported to")
        t.keys("C-q")
    finally:
        t.close()
    deadline = time.monotonic() + 15
    while len(Store.open(db).get(m.id).touchpoints) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    tp = Store.open(db).get(m.id).touchpoints[-1]
    assert (tp.name, tp.action, tp.stage, tp.channel) == ("Podcast ad", "Hears it", "Purchase", "Podcast")
    assert (tmp_path / "exports" / "bike.md").is_file()
