"""Help for the current step: what to do and why, and every key that works here."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from ...domain.method import GUIDE, Step
from ..widgets.list_keys import ReadingScroll
from .base import Dialog

STEP_KEYS: dict[Step, tuple[tuple[str, str], ...]] = {
    Step.TEMPLATE: (
        ("/", "filter the list by title (Esc, or down, back to the list)"),
        ("enter", "open the map, or start a new one from the template"),
        ("d", "delete the highlighted map (u undoes it)"),
    ),
    Step.EXPERIENCE: (
        ("tab / shift+tab", "next / previous field"),
        ("enter", "save the field and go to the next"),
        ("enter on Stages", "edit the lifecycle stages"),
        ("escape or ctrl+g", "leave the field (what was typed is saved); Enter goes back to it"),
    ),
    Step.TOUCHPOINTS: (
        ("up / down", "move the cursor"),
        ("enter or e", "edit the touchpoint"),
        ("a", "add a touchpoint after the cursor"),
        ("d", "delete it (asks first; u undoes it)"),
        ("shift+up / shift+down (or K / J)", "move it earlier or later"),
        ("s", "edit the stages"),
        ("u", "undo the last change"),
    ),
    Step.FEELINGS: (
        ("up / down", "walk the touchpoints"),
        ("1 2 3 4 5", "very dissatisfied, dissatisfied, neutral, satisfied, very satisfied"),
        ("0", "clear the feeling (not rated)"),
        ("t or enter", "type the customer's thoughts"),
        ("enter (in thoughts)", "save the thoughts and go to the next touchpoint"),
        ("up / down (in thoughts)", "save the thoughts and move"),
        ("escape or tab (in thoughts)", "save the thoughts and go back to the list"),
    ),
    Step.IMPROVEMENTS: (
        ("up / down", "move the cursor"),
        ("a", "add an improvement"),
        ("A (shift+a)", "add one for the worst friction point nobody is working on yet"),
        ("enter or e", "edit it"),
        ("d", "delete it (asks first; u undoes it)"),
        ("o", "sort by priority, value, effort, status or title"),
        ("f", "show only some: by status, owner, touchpoint"),
        ("m", "the opportunity matrix: value against effort, four quadrants (m or Esc: the list)"),
        ("j / k, G / End", "in the matrix: scroll it (PageDown a page)"),
        ("Val / Eff", "customer value / business value, and effort, each 1-5"),
        ("Prio", "mean of customer and business value, divided by effort, times 20 (4-100)"),
    ),
}
"""The keys of each step, beyond those every step has (below); one place for all, so they read alike."""

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

    def __init__(self, step: Step) -> None:
        super().__init__()
        self.step = step

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
        for key, what in STEP_KEYS[self.step]:
            keys.add_row(key, what)
        general = Table.grid(padding=(0, 2))
        general.add_column(style="bold", no_wrap=True)
        general.add_column()
        for key, what in GLOBAL_KEYS:
            general.add_row(key, what)
        with ReadingScroll(classes="dialog wide tall help"):
            yield Static(intro)
            yield Static(Text("\nKeys in this step", style="bold underline"))
            yield Static(keys)
            yield Static(Text("\nKeys everywhere", style="bold underline"))
            yield Static(general)
            yield Static(Text("\nEsc, q, ? or Enter closes this help.", style="dim"))
