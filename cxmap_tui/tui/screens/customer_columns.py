"""The customers screen's tables: columns whose widths follow the room there is, and rows laid
out in them. A column of dates or numbers keeps its width; the columns of names give way (down to
a least width) when the room is short, and the ones that can use more room take it when there is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rich.cells import cell_len
from textual.content import Content

GAP = "  "  # between columns

# One piece of a Content put together with Content.assemble: text, text with a style, a Content.
Part = str | Content | tuple[str, str]


class Column(NamedTuple):
    """A column: its header, its width at 80 columns, the least it gives way to and the most it
    takes (both that width unless said: a date's or a number's), and a shorter header for when
    the whole one does not fit."""

    label: str
    width: int
    least: int | None = None
    most: int | None = None
    short: str = ""

    def header(self, width: int) -> str:
        return self.label if cell_len(self.label) <= width or not self.short else self.short


def _share(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split in proportion to `weights`, in whole cells that add up to it."""
    total, given, shares, running = sum(weights), 0, [], 0
    for weight in weights:
        running += weight
        part = amount * running // total - given if total else 0
        shares.append(part)
        given += part
    return shares


def fit_widths(columns: Sequence[Column], room: int) -> list[int]:
    """Each column's width in `room` cells (the gaps between columns included): the widths at
    80 columns, each column that can give way or grow doing so in proportion to how much it can."""
    widths = [c.width for c in columns]
    free = room - sum(widths) - len(GAP) * (len(columns) - 1)
    if free < 0:
        slack = [c.width - (c.width if c.least is None else c.least) for c in columns]
        cuts = _share(min(-free, sum(slack)), slack)
        return [w - cut for w, cut in zip(widths, cuts, strict=True)]
    more = [(c.width if c.most is None else c.most) - c.width for c in columns]
    adds = _share(min(free, sum(more)), more)
    return [w + add for w, add in zip(widths, adds, strict=True)]


def lay_out(cells: Sequence[Content | str], widths: Sequence[int], *, style: str = "") -> Content:
    """One line of cells, each cut or padded to its column's width (the last one only cut). Cut
    text with `Glyphs.text` first: its ellipsis is ASCII in ASCII mode, this one's never is."""
    parts: list[Content | str] = []
    last = len(cells) - 1
    for n, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        text = cell if isinstance(cell, Content) else Content(cell)
        parts.append(text.truncate(width, ellipsis=True, pad=n < last))
        if n < last:
            parts.append(GAP)
    row = Content.assemble(*parts)
    return row.stylize(style) if style else row


@dataclass
class Rows:
    """A view's table, `room` cells wide: its columns, its rows (each a key and a laid-out line),
    the line below it."""

    view: str
    columns: list[Column]
    room: int
    rows: list[tuple[str, Content]] = field(default_factory=list)
    below: str = ""

    def __post_init__(self) -> None:
        self.widths = fit_widths(self.columns, self.room)

    def add(self, key: str, *cells: Content | str) -> None:
        self.rows.append((key, lay_out(cells, self.widths)))

    @property
    def header(self) -> Content:
        return lay_out([c.header(w) for c, w in zip(self.columns, self.widths, strict=True)], self.widths, style="bold")
