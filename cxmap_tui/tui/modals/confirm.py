"""Yes or no, answered with y / n (or Enter on the focused button)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from .base import Dialog


class Confirm(Dialog[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n", "answer(False)", "No", id="no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.shown(self.question)), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(Content(f"{self.yes_label} (y)"), id="yes", variant="error", compact=True)
                yield Button(Content(f"{self.no_label} (n)"), id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def cancel_value(self) -> bool:
        return False

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
