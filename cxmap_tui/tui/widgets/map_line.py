"""One line under the step bar: which map is open, and whether everything is saved."""

from __future__ import annotations

from typing import Unpack

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from ...domain.model import ExperienceMap
from ...domain.words import counted
from ..glyphs import UNICODE, Glyphs
from .args import WidgetArgs


class MapLine(Horizontal):
    DEFAULT_CSS = """
    MapLine { height: 1; }
    MapLine #map-title { width: 1fr; text-style: bold; }
    MapLine #save-state { width: auto; color: $text-muted; }
    MapLine #save-state.-error { color: $text-error; text-style: bold; }
    """

    def __init__(self, glyphs: Glyphs = UNICODE, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self.glyphs = glyphs

    def compose(self) -> ComposeResult:
        yield Static(Content("No map open yet"), id="map-title")
        yield Static(Content(""), id="save-state")

    def show_map(self, m: ExperienceMap | None) -> None:
        title = self.query_one("#map-title", Static)
        if m is None:
            title.update(Content("No map open yet: pick a template or a map below"))
            return
        kind = "ideal" if m.kind == "ideal" else "current state"
        about = f"  ({kind}, {counted(len(m.touchpoints), 'touchpoint')})"
        # Leave room for the save state on the right ("NOT saved" at most).
        room = max(10, (self.size.width or self.app.size.width) - len(about) - 12)
        title.update(Content(self.glyphs.text(m.title, room) + about))

    def show_state(self, text: str, *, error: bool = False) -> None:
        state = self.query_one("#save-state", Static)
        state.update(Content(text))
        state.set_class(error, "-error")
