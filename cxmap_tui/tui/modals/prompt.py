"""Ask for one line of text."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..widgets.safe_input import SafeInput
from .base import Dialog


class TextPrompt(Dialog[str | None]):
    ONE_FIELD = True
    def __init__(self, question: str, value: str = "", *, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.shown(self.question)), classes="title")
            yield SafeInput(value=self.value, placeholder=self.placeholder, id="answer",
                            ascii=self.app.glyphs.ascii, compact=True)  # type: ignore[attr-defined]
            yield Static("", id="message", classes="message")
            yield Static(Content("Enter OK  |  Esc or ctrl+g cancel"), classes="hints")

    @on(SafeInput.Submitted)
    def _submit(self, event: SafeInput.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#message", Static).update(Content("Type something, or cancel."))
            return
        self.dismiss(event.value)
