"""The customers screen's tables: columns whose widths follow the room there is, and rows laid
out in them. A column of dates or numbers keeps its width; the columns of names give way (down to
a least width) when the room is short, and the ones that can use more room take it when there is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from textual.content import Content, Span

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
    text with `Glyphs.text` first: its ellipsis is ASCII in ASCII mode, this one's never is.

    The line is made as `Content.assemble` would make it from each cell's `Content.truncate`,
    and it knows its width: a list of thousands of rows then measures each by looking it up."""
    text: list[str] = []
    spans: list[Span] = []
    position = length = 0
    last = len(cells) - 1
    for n, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        if isinstance(cell, Content):
            cut = cell.truncate(width, ellipsis=True, pad=n < last)
            part, cells_wide = cut.plain, cut.cell_length
            spans += [Span(start + position, end + position, span_style) for start, end, span_style in cut.spans]
        else:
            part, cells_wide = _fit(cell, width, pad=n < last)
        if n < last:
            part, cells_wide = part + GAP, cells_wide + len(GAP)
        text.append(part)
        position += len(part)
        length += cells_wide
    line = "".join(text)
    # Content takes out the few control codes a terminal would obey; printable text has none.
    row = Content(line, spans, length, strip_control_codes=not line.isprintable())
    return row.stylize(style) if style else row


def _fit(text: str, width: int, *, pad: bool) -> tuple[str, int]:
    """What `Content(text).truncate(width, ellipsis=True, pad=pad)` holds, and its width in cells."""
    length = cell_len(text)
    if length > width:
        return (set_cell_size(text, width - 1) + "\u2026" if width else ""), width
    if pad and length < width:
        return text + " " * (width - length), width
    return text, length


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
