"""ctrl+p, the command palette: plain in ASCII mode, and each action's second line says what it
does (or there is none), never the name again."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from tests.helpers.tmux import TMUX, Terminal
from tests.helpers.tui import make_app, on_top, palette_entries, screen_text, settle, wait_until

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r"^\s*(.+) \(([^)]+)\)$")


def _entries(screen: str) -> list[tuple[str, str]]:
    """Each listed action's name and the line under it."""
    lines = [line.strip() for line in screen.splitlines()]
    return [(m.group(1), lines[i + 1]) for i, line in enumerate(lines[:-1]) if (m := ENTRY.match(line))]


@pytest.mark.parametrize("ascii_mode", [True, False], ids=["ascii", "unicode"])
async def test_the_palette_lists_each_action_once_without_repeating_its_name(tmp_path: Path,
                                                                             ascii_mode: bool) -> None:
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state", ascii_mode=ascii_mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: on_top(app) == "Palette" and "Help (?)" in palette_entries(app),
                         what="the palette")
        await settle(pilot)
        screen = screen_text(app)
    entries = _entries(screen)
    assert len(entries) > 5, screen
    assert [name for name, below in entries if below == name] == [], screen
    assert ("Export the map", "Write the map as Markdown, Mermaid, HTML, CSV or JSON") in entries
    if ascii_mode:
        assert screen.isascii(), screen
        assert "Search for commands..." in screen


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_the_palette_on_a_plain_vt100_writes_only_ascii(tmp_path: Path) -> None:
    wire = tmp_path / "wire.bin"
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHONPATH": str(ROOT), "LANG": "C", "TERM": "vt100", "NO_COLOR": "1"}
    t = Terminal([sys.executable, "-m", "cxmap_tui", "--db", str(tmp_path / "cx.json")], env=env, record=wire)
    try:
        t.wait_for("Start a new map")
        t.keys("C-p")
        t.wait_for("Help (?)")
        t.type("exp")  # a search: the matches, highlighted
        t.wait_until_gone("Help (?)")
        t.wait_for("Export the map (x)")
        t.keys("Escape")
        t.wait_until_gone("Export the map (x)")
        t.keys("C-q")
        t.wait_until_gone("Start a new map")
    finally:
        t.close()
    written = wire.read_bytes()
    assert b"commands" in written and b"Export" in written
    outside = sorted({b for b in written if b > 0x7F})
    assert outside == [], [written[max(0, i - 40):i + 8] for i, b in enumerate(written) if b > 0x7F][:3]
