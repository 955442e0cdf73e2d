"""/ in a list: find a row by what it says, as you type."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from ..context import cxmap
from ..widgets.safe_input import SafeInput
from .base import Dialog

if TYPE_CHECKING:
    from ..widgets.list_keys import ListKeys


class SearchPrompt(Dialog[None]):
    """A line at the top, over the step bar (where it hides no row of the list, nor the key
    bar with the keys that work in it): each letter moves the list to the first row that says
    what was typed; down (or ctrl+n) finds the next, up the previous; Enter stays there, Escape
    goes back to where the list was."""

    ONE_FIELD = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,ctrl+n", "next(1)", "Next", key_display="down", id="find-next", priority=True),
        Binding("up,ctrl+p", "next(-1)", "Previous", key_display="up", id="find-previous", priority=True),
    ]
    DEFAULT_CSS = """
    SearchPrompt { background: transparent; }
    SearchPrompt #find-line { dock: top; height: 1; background: $surface; }
    SearchPrompt #find-label { width: auto; }
    SearchPrompt #find-status { width: auto; color: $text-muted; }
    SearchPrompt SafeInput { width: 1fr; }
    """

    def __init__(self, target: ListKeys) -> None:
        super().__init__()
        self.target = target
        self.start = target.current_row()

    def compose(self) -> ComposeResult:
        with Horizontal(id="find-line"):
            yield Static(Content("Find: "), id="find-label")
            yield SafeInput(id="find", placeholder="what the row says", compact=True,
                            ascii=cxmap(self).glyphs.ascii)
            yield Static(Content(""), id="find-status")

    @on(SafeInput.Changed, "#find")
    def _typed(self, event: SafeInput.Changed) -> None:
        self._go(self.target.found(event.value, after=self.start - 1))

    def action_next(self, direction: int) -> None:
        query = self.query_one("#find", SafeInput).value
        here = self.target.current_row()
        if direction > 0:
            self._go(self.target.found(query, after=here))
            return
        # Backwards: the last match before this row, wrapping round.
        matches = [i for i in range(self.target.row_count_for_keys()) if self.target.found(query, after=i - 1) == i]
        before = [i for i in matches if i < here]
        self._go(before[-1] if before else (matches[-1] if matches else None))

    def _go(self, index: int | None) -> None:
        status = self.query_one("#find-status", Static)
        if index is None:
            status.update(Content("  not found" if self.query_one("#find", SafeInput).value.strip() else ""))
            return
        status.update(Content(""))
        self.target.go_to_row(index)

    @on(SafeInput.Submitted, "#find")
    def _done(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.target.go_to_row(self.start)
        self.dismiss(None)
