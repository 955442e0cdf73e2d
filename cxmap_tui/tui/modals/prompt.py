"""Ask for one line of text. A text offered (the old name, when renaming) starts selected: typing
replaces it, an arrow key (or Home, End) keeps it to edit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..context import cxmap
from ..widgets.hints import Hints
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
            yield SafeInput(value=self.value, placeholder=self.placeholder, id="answer", select_on_focus=True,
                            ascii=cxmap(self).glyphs.ascii, compact=True)
            yield Static("", id="message", classes="message")
            if self.value:
                yield Hints("Enter OK", "typing replaces, arrows edit", "Esc/^g cancel")
            else:
                yield Hints("Enter OK", "Esc or ctrl+g cancel")

    @on(SafeInput.Submitted)
    def _submit(self, event: SafeInput.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#message", Static).update(Content("Type something, or cancel."))
            return
        self.dismiss(event.value)
