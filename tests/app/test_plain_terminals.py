"""Plain terminals: ASCII mode everywhere, no colour, and how the terminal is detected."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.present.terminal import detect, locale_is_utf8
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, on_top, open_map, screen_text, settle, type_text, wait_until

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_maps" / "service-broken-delivery.json"

# Every screen a user can reach, as keys from the open sample map.
SCREENS = {
    "1-template": ["f1"],
    "1-new-map": ["f1", "end", "ctrl+u", "down", "down", "enter"],
    "2-experience": ["f2"],
    "3-touchpoints": ["f3", "down"],
    "3-touchpoint-form": ["f3", "e"],
    "3-confirm": ["f3", "d"],
    "3-stages": ["f3", "s"],
    "4-feelings": ["f4", "down", "down"],
    "5-improvements": ["f5"],
    "5-improvement-form": ["f5", "e"],
    "help": ["f4", "question_mark"],
    "overview": ["v"],
    "curve": ["c"],
    "export": ["f3", "x"],
    "import": ["f3", "i"],
    "deleted-toast": ["f3", "d", "y"],
    "5-matrix": ["f5", "m"],
    "5-filter": ["f5", "f"],
    "compare": ["p"],
}


def _app(tmp_path: Path, ascii_mode: bool):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "cx.json")
    m = map_from_json(SAMPLE.read_text(), SAMPLE.name)
    # Hostile text too: it must come out in ASCII as well.
    m.add_touchpoint("Caf\u00e9 \u05e9\u05dc\u05d5\u05dd \U0001f600 \x1b[31m", stage="Problem", thoughts="\u2026 \u00e9t\u00e9")
    store.add(m)
    return make_app(store, tmp_path / "state", ascii_mode=ascii_mode)


@pytest.mark.parametrize("screen", sorted(SCREENS))
async def test_ascii_mode_shows_no_character_outside_ascii(tmp_path: Path, screen: str) -> None:
    app = _app(tmp_path, ascii_mode=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press(*SCREENS[screen])
        await settle(pilot)
        text = screen_text(app)
    offenders = sorted({ch for ch in text if not ch.isascii()})
    assert offenders == [], f"{screen}: {offenders}\n{text}"


def _go(keys: list[str]):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


STEPS = {k: v for k, v in SCREENS.items() if k[0].isdigit() and "-" in k and k.count("-") == 1}


@pytest.mark.parametrize("look", ["ascii", "no-colour"])
@pytest.mark.parametrize("screen", sorted(STEPS))
def test_every_step_snapshot_in_ascii_and_without_colour(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                         screen: str, look: str) -> None:
    if look == "no-colour":
        monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(tmp_path, ascii_mode=look == "ascii"), run_before=_go(STEPS[screen]),
                        terminal_size=(80, 24))


@pytest.mark.parametrize(
    ("env", "utf8"),
    [
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "C.utf8"}, True),
        ({"LANG": "C"}, False),
        ({}, False),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, False),  # LC_ALL wins
        ({"LANG": "C", "LC_CTYPE": "nl_NL.UTF-8"}, True),  # then LC_CTYPE
        ({"LANG": "sv_SE.ISO-8859-1"}, False),
        ({"LANG": "de_DE.utf-8@euro"}, True),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),  # what CPython itself sets under LANG=C
        ({"LC_CTYPE": "C.UTF-8"}, False),
        ({"LANG": "en_GB.UTF-8", "LC_CTYPE": "C.UTF-8"}, True),
    ],
)
def test_locale_decides_utf8(env: dict[str, str], utf8: bool) -> None:
    assert locale_is_utf8(env) is utf8
    assert detect(env).ascii is not utf8


def test_flags_and_environment_override_the_locale() -> None:
    assert detect({"LANG": "en_GB.UTF-8", "CXMAP_ASCII": "1"}).ascii is True
    assert detect({"LANG": "C", "CXMAP_ASCII": "0"}).ascii is False
    assert detect({"LANG": "C", "CXMAP_ASCII": "0"}, ascii=True).ascii is True
    assert detect({"NO_COLOR": "1"}).color is False
    assert detect({"NO_COLOR": ""}).color is True  # set but empty does not count
    over_ssh = detect({"LANG": "C.UTF-8", "SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"})
    assert over_ssh.over_ssh and not over_ssh.animate
    assert not detect({"CXMAP_NO_ANIMATION": "1"}).animate
    assert detect({"LANG": "C.UTF-8"}).animate


async def test_escape_and_the_next_key_arriving_together_are_both_obeyed(tmp_path: Path) -> None:
    """Over a slow link Escape then d arrives as alt+d: the dialog closes and d still acts."""
    app = _app(tmp_path, ascii_mode=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press("f3", "e")
        await settle(pilot)
        assert on_top(app) == "TouchpointForm" and app.screen.tp is not None  # type: ignore[attr-defined]
        await pilot.press("escape")  # leaves the field; the next Escape closes the dialog
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: on_top(app) == "Confirm", what="d after the Escape")
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["WorkshopScreen", "Confirm"]  # the form closed
        # On top is not yet drawn: wait for the question to be on the screen.
        await wait_until(pilot, lambda: "Delete the touchpoint 'Unboxing the chair'?" in screen_text(app),
                         what="the question")
        await pilot.press("n", "f4", "t")
        await type_text(pilot, " Again!")
        await pilot.press("alt+2")  # Escape (save, back to the list), then 2 (dissatisfied)
        await wait_until(pilot, lambda: Store.open(tmp_path / "cx.json").maps()[0].touchpoints[0].feeling == -1,
                         what="2 after the Escape")
    m = Store.open(tmp_path / "cx.json").maps()[0]
    assert m.touchpoints[0].thoughts.endswith(" Again!")
    assert m.touchpoints[0].feeling == -1


async def test_still_usable_at_60x20(tmp_path: Path) -> None:
    """A small terminal: the guidance steps aside (h brings it back), every step and form works."""
    app = _app(tmp_path, ascii_mode=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press("f3")
        await settle(pilot)
        assert not app.screen.query_one("#guide").display
        screen = screen_text(app)
        assert "3 Touchpoints" in screen and "Unboxing the" in screen
        await pilot.press("h")
        await settle(pilot)
        assert "Now: List each touchpoint" in screen_text(app)
        await pilot.press("h", "a")
        await settle(pilot)
        await type_text(pilot, "Small screen touchpoint")
        await pilot.press("enter", "f4")
        await settle(pilot)
        screen = screen_text(app)
        assert "Thoughts" in screen  # step 4's field (its whole label, if there is room)
        await pilot.press("f5", "e")
        await settle(pilot)
        screen = screen_text(app)
        for label in ("Customer value", "Business value", "Effort", "Status", "Owner", "Save"):
            assert label in screen, label
        assert all(len(line) <= 60 for line in screen.splitlines())
        await pilot.press("escape")
    m = Store.open(tmp_path / "cx.json").maps()[0]
    assert "Small screen touchpoint" in [tp.name for tp in m.touchpoints]


@pytest.mark.parametrize("ascii_mode", [True, False], ids=["ascii", "unicode"])
async def test_a_check_box_says_its_state_in_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  ascii_mode: bool) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # nothing but the text tells checked from unchecked
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state", ascii_mode=ascii_mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # the first template
        await settle(pilot)
        assert "[ ] Keep the template's feelings" in screen_text(app)
        await pilot.press("tab", "space")
        await settle(pilot)
        assert "[x] Keep the template's feelings" in screen_text(app)
