"""The cxmap app (the guided workshop is built on top of this shell)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from ..store import Store


class CxmapApp(App[None]):
    TITLE = "cxmap"

    def __init__(self, store: Store, *, ascii_mode: bool | None = None) -> None:
        super().__init__()
        self.store = store
        self.ascii_mode = bool(ascii_mode)

    def compose(self) -> ComposeResult:
        yield Static(f"cxmap - {len(self.store.summaries())} maps in {self.store.location}", markup=False)
        yield Footer()
