"""The whole map on one screen, scrollable: what `cxmap show` prints."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from ...domain.analysis import analyze
from ...domain.model import ExperienceMap
from ...present.analysis_view import analysis_view
from ...present.map_view import map_view
from ..context import cxmap
from ..widgets.key_bar import KeyBar
from ..widgets.light import LightScreen
from ..widgets.list_keys import ReadingScroll


class OverviewScreen(LightScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,v,ctrl+g", "app.pop_screen", "Back", key_display="q/v/Esc", id="overview-close"),
        Binding("ctrl+q", "app.quit", "Quit", key_display="^q", id="overview-quit"),
    ]

    def __init__(self, m: ExperienceMap) -> None:
        super().__init__()
        self.map = m

    def compose(self) -> ComposeResult:
        ascii = cxmap(self).glyphs.ascii
        with ReadingScroll(id="overview"):
            yield Static(map_view(self.map, ascii=ascii))
            yield Static(Text(""))
            yield Static(analysis_view(self.map, analyze(self.map), ascii=ascii))
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#overview").focus()
