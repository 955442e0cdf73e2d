"""Pick one of a list: an ideal map to compare with, the ideal's touchpoint to pair with."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.hints import Hints
from ..widgets.list_keys import KeyedOptionList
from .base import Dialog


class ChooseDialog(Dialog[str | None]):
    """Returns the key of the chosen option, or None if cancelled."""

    def __init__(self, title: str, options: list[tuple[str, str]], *, current: str | None = None,
                 note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content(self.shown(self.title_text)), classes="title")
            if self.note:
                yield Static(Content(self.shown(self.note)), classes="hints")
            yield KeyedOptionList(*[Option(Content(self.shown(label)), id=key) for key, label in self.options],
                                  id="choices")
            yield Hints("Enter choose", "/ find", "Esc or ctrl+g cancel")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        keys = [key for key, _ in self.options]
        if self.current in keys:
            choices.highlighted = keys.index(self.current)
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
