"""Name a new map, and for a template, choose whether to keep its feelings."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Label, Static

from ...templates import Template
from ..context import cxmap
from ..widgets.form_button import FormButton
from ..widgets.hints import Hints
from ..widgets.safe_input import SafeInput
from ..widgets.tick_box import TickBox
from .base import Dialog


@dataclass(frozen=True)
class NewMapChoice:
    title: str
    keep_feelings: bool


class NewMapPrompt(Dialog[NewMapChoice | None]):
    def __init__(self, template: Template | None, taken_titles: Set[str]) -> None:
        super().__init__()
        self.template = template
        self.taken = taken_titles

    def compose(self) -> ComposeResult:
        ascii = cxmap(self).glyphs.ascii
        about = "a blank map" if self.template is None else f"the template {self.template.title!r}"
        with Vertical(classes="dialog"):
            yield Static(Content(f"New map from {about}"), classes="title")
            yield Label("Title")
            suggestion = "" if self.template is None else self._free_title(self.template.title)
            yield SafeInput(value=suggestion, placeholder="e.g. Support call about a late order",
                            id="title", ascii=ascii, compact=True)
            if self.template is not None:
                yield TickBox("Keep the template's feelings and thoughts", value=False, id="keep", compact=True)
            yield Static("", id="message", classes="message")
            yield FormButton(Content("Create"), id="create", variant="primary", compact=True)
            yield Hints("Enter create", "Tab next", "Esc twice cancels")

    def on_mount(self) -> None:
        # The suggested title starts selected, as in any prompt that offers a text: typing
        # replaces it, an arrow key keeps it to edit. (Only now: Tab back into it selects nothing.)
        title = self.query_one("#title", SafeInput)
        title.focus()
        title.select_all()

    def _free_title(self, title: str) -> str:
        candidate, n = title, 2
        while candidate.casefold() in self.taken:
            candidate, n = f"{title} ({n})", n + 1
        return candidate

    @on(SafeInput.Submitted, "#title")
    @on(Button.Pressed, "#create")
    def _submit(self) -> None:
        title = self.query_one("#title", SafeInput).value.strip()
        message = self.query_one("#message", Static)
        if not title:
            message.update(Content("A map needs a title."))
            return
        if title.casefold() in self.taken:
            message.update(Content("There is already a map with that title; choose another."))
            return
        keep = self.query(Checkbox)
        self.dismiss(NewMapChoice(title, bool(keep) and keep.first().value))
