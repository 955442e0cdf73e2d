"""Driving the real app in tests: build it, wait for saves, read the screen as text, and read the
state behind it (what is on top, the step shown, what the palette lists)."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.cells import cell_len
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher

from cxmap_tui.store import Store
from cxmap_tui.tui.app import CxmapApp
from cxmap_tui.tui.session import Session

_TEXT = re.compile(r'<text [^>]*x="([0-9.]+)" [^>]*clip-path="url\(#[^"]*-line-(\d+)\)">([^<]*)</text>')
CELL = 12.2  # the width of one cell in Textual's SVG screenshots


# The day every app in the tests lives on, unless a test says otherwise: no test depends on the date.
TODAY = date(2026, 3, 2)


def make_app(store: Store, state: Path, *, poll_seconds: float = 0, ascii_mode: bool = False,
             today: date = TODAY) -> CxmapApp:
    return CxmapApp(store, session=Session(store.location, state), poll_seconds=poll_seconds, ascii_mode=ascii_mode,
                    today=lambda: today)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until queued saves are written and their results are on screen."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: CxmapApp) -> str:
    """The screen as plain text lines, as a person would read it."""
    width, height = app.size
    lines = [[" "] * width for _ in range(height)]
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        row = int(line)
        col = round(float(x) / CELL)
        for ch in html.unescape(text).replace("\xa0", " "):
            if 0 <= row < height and 0 <= col < width:
                lines[row][col] = ch
                if cell_len(ch) == 2 and col + 1 < width:
                    lines[row][col + 1] = ""
            col += max(1, cell_len(ch))
    return "\n".join("".join(cells).rstrip() for cells in lines)


def on_top(app: CxmapApp) -> str:
    """Which screen or dialog is on top, by its class's name: what is open, not how it looks."""
    return type(app.screen).__name__


def step_shown(app: CxmapApp) -> int:
    """The step the workshop is on, with the workshop on top and that step's pane the one shown."""
    assert on_top(app) == "WorkshopScreen", f"{on_top(app)} is on top, not the workshop"
    step = int(app.screen.step)
    pane = app.screen.query_one("#steps", ContentSwitcher).current
    assert pane == f"step-{step}", f"the workshop is on step {step} but shows the pane {pane}"
    return step


def palette_entries(app: CxmapApp) -> list[str]:
    """What the command palette (ctrl+p) lists now, in order: each entry's first line, the action's
    name with its key, as "Help (?)". The palette must be on top."""
    assert on_top(app) == "Palette", f"{on_top(app)} is on top, not the palette"
    return [option.prompt.plain.split("\n")[0] for option in app.screen.query_one(CommandList).options]


def toasts(app: CxmapApp) -> str:
    """What the notices on screen say, each in one line however it is wrapped, " | " between them."""
    return " | ".join(" ".join(str(toast.render()).split()) for toast in app.screen.query("Toast"))


def read_widget(app: CxmapApp, selector: str) -> str:
    """What the widget shows on screen, read as one paragraph: its rows joined by single spaces, so
    a sentence is found however the width (or the length of a path in it) wrapped it."""
    region = app.screen.query_one(selector).region
    rows = screen_text(app).split("\n")[region.y:region.bottom]
    return " ".join(" ".join(row[region.x:region.right].split()) for row in rows).strip()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text key by key, as a person would."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def open_map(pilot: Pilot[None], title: str) -> None:
    """From step 1: / to filter by the title, go down to the match, open it."""
    await pilot.press("slash")
    await type_text(pilot, title)
    await pilot.press("down", "enter")
    await settle(pilot)


async def open_at_step(pilot: Pilot[None], title: str, key: str) -> None:
    """Once the app is up: open the map `title` from step 1, then go to a step by its key (f4)."""
    await settle(pilot)
    await open_map(pilot, title)
    await pilot.press(key)
    await settle(pilot)


async def typed_new_touchpoint(pilot: Pilot[None], title: str, name: str) -> None:
    """Once the app is up: open the map `title`, go to step 3 and start a new touchpoint (a), its
    name typed; the form is left open."""
    await settle(pilot)
    await open_map(pilot, title)
    await pilot.press("f3", "a")
    await settle(pilot)
    await type_text(pilot, name)


async def wait_until(pilot: Pilot[None], ready: Callable[[], bool], *, timeout: float = 15.0, what: str = "") -> None:
    """Wait for a state, up to `timeout` seconds (generous: a busy machine is slow, not wrong)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not ready():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting {timeout:g} s for {what or 'the state'}")
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
