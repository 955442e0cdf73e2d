"""Help for the current step: what to do and why, and every key that works here."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ...domain.method import GUIDE, Step
from .base import Dialog

GLOBAL_KEYS = (
    ("F1 .. F5", "go to step 1 .. 5"),
    ("> / <", "next / previous step (outside text fields)"),
    ("F6", "customers: accounts, contacts, checklists, accounts at risk, reviews, segments"),
    ("v", "the whole map on one screen"),
    ("c", "the emotional curve on a screen of its own"),
    ("p", "today against the ideal map: both curves, the gaps, re-pairing"),
    ("x", "export the map: Markdown, Mermaid, HTML, CSV or JSON"),
    ("i", "import a map: a cxmap JSON export or a CSV of touchpoints"),
    ("h", "hide or show the guidance"),
    ("u / U", "undo the last change / redo what was undone (also ctrl+r)"),
    ("?", "this help"),
    ("ctrl+p", "every action, searchable"),
    ("q / ctrl+q", "quit (q outside text fields); everything is already saved"),
    ("Esc or ctrl+g", "leave a text field (what was typed is kept); in a dialog, again to close it"),
    ("/", "in a list: find a row by what it says"),
    ("j k / g G", "in a list: down, up / first, last (also Home, End)"),
)


class HelpScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,question_mark,enter", "cancel", "Close", show=False, id="help-close"),
    ]

    def __init__(self, step: Step, pane: Any, workshop: Screen[Any]) -> None:
        super().__init__()
        self.step = step
        self.pane = pane
        self.workshop = workshop

    def compose(self) -> ComposeResult:
        g = GUIDE[self.step]
        intro = Text()
        intro.append(f"Step {int(self.step)}: {g.title}\n", style="bold")
        intro.append(f"{g.what}\n")
        intro.append(f"Why: {g.why}\n", style="dim")
        intro.append(f"Example: {g.example}", style="italic")
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, what in self.pane.HELP_KEYS:
            keys.add_row(key, what)
        general = Table.grid(padding=(0, 2))
        general.add_column(style="bold", no_wrap=True)
        general.add_column()
        for key, what in GLOBAL_KEYS:
            general.add_row(key, what)
        with VerticalScroll(classes="dialog wide tall help"):
            yield Static(intro)
            yield Static(Text("\nKeys in this step", style="bold underline"))
            yield Static(keys)
            yield Static(Text("\nKeys everywhere", style="bold underline"))
            yield Static(general)
            yield Static(Text("\nEsc, q, ? or Enter closes this help.", style="dim"))
