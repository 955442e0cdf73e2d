"""Nothing raw reaches the screen in the app either: with escape sequences, C1 controls, bidi
controls and zero-width characters in every name, every screen, dialog, list, field and toast
at 80x24 shows them as symbols (and in ASCII mode as ASCII)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.store import Store
from cxmap_tui.tui.app import CxmapApp
from tests.helpers.escapes import Planted, hostile, plant, raw_characters
from tests.helpers.pty_run import KEYS, Pty
from tests.helpers.tui import make_app, on_top, screen_text, settle, type_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def planted(tmp_path: Path) -> Planted:
    return plant(tmp_path / "cx.json")


class Walk:
    """Keys pressed in the app, and after each step a look at the whole screen."""

    def __init__(self, app: CxmapApp, pilot: Pilot[None], *, ascii: bool = False) -> None:
        self.app, self.pilot, self.ascii = app, pilot, ascii
        self.seen: list[str] = []

    async def look(self, where: str, *keys: str, screen: str | None = None, shows: str = "<U+202E>") -> str:
        if keys:
            await self.pilot.press(*keys)
        await settle(self.pilot)
        text = screen_text(self.app)
        found = raw_characters(text)
        assert found == [], (where, found[:5], text)
        if self.ascii:
            assert text.isascii(), (where, text)
        if screen is not None:
            assert on_top(self.app) == screen, (where, on_top(self.app))
        assert shows in text, (where, text)  # the user text is there, its hidden characters as symbols
        self.seen.append(where)
        return text


async def _open_map(walk: Walk) -> None:
    await walk.look("step 1: the maps and templates", screen="WorkshopScreen")
    await walk.pilot.press("slash")
    await type_text(walk.pilot, "Map")
    await walk.look("step 1: filtered", "down")
    await walk.look("the map open", "enter")


async def test_the_steps_and_their_dialogs(planted: Planted) -> None:
    app = make_app(Store.open(planted.db), planted.db.parent / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        walk = Walk(app, pilot)
        await _open_map(walk)
        await walk.look("step 2: title, scope, persona fields", "f2", shows="\ufffd")
        await walk.look("step 3: the touchpoints", "f3")
        await walk.look("touchpoint form", "e", screen="TouchpointForm", shows="\ufffd")
        await walk.look("touchpoint form: the stages", "tab", "tab", "space")
        await walk.look("touchpoint form: the channels", "escape", "tab", "space")
        await walk.look("delete a touchpoint?", "escape", "escape", "escape", "d", screen="Confirm")
        await walk.look("deleted: the toast", "y", screen="WorkshopScreen", shows="Deleted '")
        await walk.look("undone: the toast", "u", shows="Undone: ")
        await walk.look("the stages editor", "s", screen="StagesEditor")
        await walk.look("rename a stage", "r", screen="TextPrompt")
        await walk.look("step 4: feelings and thoughts", "escape", "escape", "f4")
        await walk.look("step 5: the backlog", "f5")
        await walk.look("step 5: the matrix", "m")
        await walk.look("the backlog filter", "m", "f", screen="BacklogFilterDialog", shows="Show the improvements")
        await walk.look("the backlog filter: owners", *["tab"] * 6, "enter")
        await walk.look("improvement form", "escape", "escape", "escape", "e", screen="ImprovementForm")
        await walk.look("delete an improvement?", "escape", "escape", "d", screen="Confirm")
        await walk.look("export", "n", "x", screen="ExportDialog", shows="Export 'Map a<U+202E>")
        await walk.look("help", "escape", "escape", "question_mark", screen="HelpScreen", shows="Keys")
        await walk.look("step 1 again", "escape", "f1", screen="WorkshopScreen")
        await walk.look("delete the map?", "d", screen="Confirm")
        assert len(walk.seen) == 24


async def test_the_map_the_curve_and_the_comparison(planted: Planted) -> None:
    app = make_app(Store.open(planted.db), planted.db.parent / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        walk = Walk(app, pilot)
        await _open_map(walk)
        await walk.look("the whole map", "v", screen="OverviewScreen")
        await walk.look("the whole map, further down", "pagedown", "pagedown")
        await walk.look("the curve", "q", "c", screen="CurveScreen")
        await walk.look("the curve, next touchpoint", "right")
        await walk.look("today against the ideal", "q", "p", screen="CompareScreen")
        await walk.look("pair a touchpoint", "p", screen="ChooseDialog")
        await walk.look("link an ideal map", "escape", "l", screen="ChooseDialog")
        await walk.look("back", "escape", screen="CompareScreen")


async def test_the_customers(planted: Planted) -> None:
    app = make_app(Store.open(planted.db), planted.db.parent / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        walk = Walk(app, pilot)
        await _open_map(walk)
        await walk.look("accounts and contacts", "f6", screen="CustomersScreen")
        await walk.look("a contact's checklist", "down")
        await walk.look("another contact", "down")
        await walk.look("accounts at risk", "r")
        await walk.look("review candidates", "w")
        await walk.look("which segment?", "s", screen="ChooseDialog")
        await walk.look("the segment's curve", "enter", screen="CustomersScreen")
        await walk.look("which ideal map?", "M", screen="ChooseDialog")
        await walk.look("record", "escape", "l", "down", "n", screen="RecordDialog")
        await walk.look("record: the touchpoints", "enter", screen="RecordDialog")
        await walk.look("record: the maps", "escape", "shift+tab", "enter", screen="RecordDialog")
        await walk.look("closed", "escape", "escape", screen="CustomersScreen")
        await walk.look("new contact", "C", screen="ContactDialog", shows="New contact")
        await walk.look("new contact: the accounts", "tab", "enter")


async def test_a_toast_from_anywhere_shows_user_text_safely(planted: Planted) -> None:
    app = make_app(Store.open(planted.db), planted.db.parent / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        walk = Walk(app, pilot)
        app.notify(hostile("Toast"), title=hostile("Title"), markup=False)
        text = await walk.look("a toast")
        assert "Toast" in text and "Title" in text and text.count("<U+202E>") >= 2


async def test_in_ascii_mode_everything_is_ascii(planted: Planted) -> None:
    app = make_app(Store.open(planted.db), planted.db.parent / "state", ascii_mode=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        walk = Walk(app, pilot, ascii=True)
        await _open_map(walk)
        await walk.look("step 3", "f3")
        await walk.look("touchpoint form", "e", screen="TouchpointForm", shows="Edit touchpoint")
        await walk.look("step 4", "escape", "escape", "f4")
        await walk.look("customers", "f6", screen="CustomersScreen")
        await walk.look("at risk", "r")


# What the planted payloads would look like in the bytes, had any of them got through raw.
RAW = [b"\x1b]0;PWNED", b"\x1b]52;c;cHdu", b"\xc2\x9b", "\u202e".encode(), "\u200b".encode(), "\u2066".encode(),
       b"e\x1bf", b"f\x07g", b"g\x08h", b"h\ri", b"i\x1b[2Jj"]


def test_the_real_app_on_a_terminal_sends_none_of_the_payloads(planted: Planted) -> None:
    home = planted.db.parent
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(home), "LANG": "C.UTF-8",
           "XDG_STATE_HOME": str(home), "XDG_DATA_HOME": str(home), "TERM": "xterm-256color",
           "CXMAP_NO_ANIMATION": "1"}
    pty = Pty([sys.executable, "-m", "cxmap_tui", "--db", str(planted.db)], env)
    try:
        written = pty.until(b"Open a map", timeout=30)  # step 1: the maps
        # find the map and open it, then steps 3, 4 and 5 and the customers, each written in full
        for keys, mark in ((b"/Map", b"(1 of 2)"), (KEYS["down"] + KEYS["enter"], b"3 touchpoints"),
                           (KEYS["f3"], b"Customer action"), (KEYS["f4"], b"customer's words"),
                           (KEYS["f5"], b"Backlog"), (b"\x1b[17~", b"Accounts and contacts")):
            os.write(pty.master, keys)
            written += pty.until(mark, timeout=30)
    finally:
        pty.close()
    assert [raw for raw in RAW if raw in written] == []
    assert b"<U+202E>" in written and "\u241b]0;PWNED".encode() in written  # shown as symbols instead
