"""A detail line under a table: the highlighted row in full, wrapped over two rows, where the
table's columns cut it short (a terminal too narrow for a side panel).

Each row is a Static of its own, one line high, updated only when its text changes and without a
layout pass: a cursor key repaints the rows whose text changed and nothing else (see light.py),
which keeps a key light over a slow link."""

from __future__ import annotations

from typing import Unpack

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from .args import WidgetArgs
from .light import update_if_changed

ROWS = 2


class DetailLine(Vertical):
    DEFAULT_CSS = """
    DetailLine { height: 2; }
    DetailLine > Static { height: 1; width: 1fr; text-wrap: nowrap; }
    """

    def __init__(self, *, ascii: bool = False, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self.ascii = ascii
        self._shown = Content("")

    def compose(self) -> ComposeResult:
        for _ in range(ROWS):
            yield Static(classes="detail-row")

    def show(self, content: Content) -> None:
        """Show `content` (one paragraph of safe, unmarked-up text), wrapped to the width."""
        self._shown = content
        width = self.size.width or max(20, self.app.size.width - 2)  # before the first layout
        lines = wrapped(content, width, ascii=self.ascii)  # as many as there are rows, or fewer
        for row, text in zip(self.query_children(Static).results(Static), lines, strict=False):
            update_if_changed(row, text, layout=False)

    def on_resize(self) -> None:
        self.show(self._shown)


def wrapped(content: Content, width: int, rows: int = ROWS, *, ascii: bool = False) -> list[Content]:
    """`content` in `rows` lines of at most `width` cells; the last ends with an ellipsis if the
    text goes on past it."""
    lines = content.wrap(max(1, width)) if content.plain else []
    if len(lines) > rows:
        mark = "..." if ascii else "\u2026"
        last = lines[rows - 1].rstrip()
        if last.cell_length + len(mark) > width:  # make room for the mark: drop the last word
            room = max(0, width - len(mark))
            space = last.plain.rfind(" ", 0, room + 1)
            last = (last[:space] if space > 0 else last.truncate(room)).rstrip()
        lines = [*lines[:rows - 1], last + mark]
    return [line.rstrip() for line in lines] + [Content("")] * (rows - len(lines))
