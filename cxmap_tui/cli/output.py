"""Printing for the CLI, with Rich (imported only by the commands that print tables)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.segment import Segment, Segments
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..domain.model import ExperienceMap
from ..present.display import cell_width, shorten, visible
from ..present.map_view import map_view
from ..store import MapSummary
from ..templates import Template
from .group import ascii_only


class _PlainOut:
    """Standard output for a terminal that takes ASCII only: what Rich writes is brought down to
    ASCII on the way (its ellipsis, and anything else a table might cut to)."""

    encoding = "ascii"

    def __init__(self, target: TextIO) -> None:
        self.target = target

    def write(self, text: str) -> int:
        plain = text.replace("\u2026", "...")
        if not plain.isascii():
            plain = plain.encode("ascii", "replace").decode("ascii")
        return self.target.write(plain)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()


def plain_wanted() -> bool:
    return ascii_only(sys.stdout)


def console() -> Console:
    out: TextIO | _PlainOut = _PlainOut(sys.stdout) if plain_wanted() else sys.stdout
    return Console(file=out, highlight=False, emoji=False, markup=False)  # type: ignore[arg-type]


def ascii_wanted(c: Console) -> bool:
    return not c.encoding.lower().replace("-", "").startswith("utf")


# The map list's columns: header, a shorter one for when the titles would be cut, and whether the
# cells are numbers (set to the right).
MAP_COLUMNS = (("ID", "ID", False), ("Title", "Title", False), ("Kind", "Kind", False),
               ("Touchpoints", "Tps", True), ("Rated", "Rated", True), ("Improvements", "Impr", True),
               ("Changed", "Changed", False))
LEAST_TITLE = 12  # the title column's least width, however narrow the terminal
BATCH = 500  # rows printed at a time: the first ones show at once, and memory stays flat


def _width(text: str) -> int:
    """Cells on a terminal; printable ASCII (most of a list) without measuring each character."""
    return len(text) if text.isascii() and text.isprintable() else cell_width(text)


def print_map_list(summaries: list[MapSummary]) -> None:
    """One line a map, the columns as wide as their widest cell (the title cut to the width of
    the terminal), printed as it goes: no table measured whole, however many maps."""
    c = console()
    if not summaries:
        c.print("No maps yet. Start cxmap to make one, or: cxmap new TITLE")
        return
    ascii = ascii_wanted(c)
    rows = [(s.id, visible(s.title, ascii=ascii), s.kind, str(s.touchpoints), str(s.rated), str(s.improvements),
             s.updated[:10]) for s in summaries]
    cells = [max(_width(row[i]) for row in rows) for i in range(len(MAP_COLUMNS))]

    def widths_for(headers: Sequence[str]) -> list[int]:
        widths = [max(len(header), cell) for header, cell in zip(headers, cells, strict=True)]
        others = sum(widths) - widths[1] + 2 * (len(widths) - 1)
        widths[1] = max(LEAST_TITLE, min(widths[1], c.width - others))
        return widths

    headers = [whole for whole, _, _ in MAP_COLUMNS]
    widths = widths_for(headers)
    if widths[1] < cells[1]:  # the titles would be cut: shorter headers leave them more room
        headers = [short for _, short, _ in MAP_COLUMNS]
        widths = widths_for(headers)

    def line(row: Sequence[str]) -> list[str]:
        out = []
        for cell, width, (_, _, number) in zip(row, widths, MAP_COLUMNS, strict=True):
            cell = shorten(cell, width, ascii=ascii)
            pad = " " * (width - _width(cell))
            out.append(pad + cell if number else cell + pad)
        out[-1] = out[-1].rstrip()
        return out

    c.print(Text("  ".join(line(headers)), style="bold"), no_wrap=True, crop=False)
    c.print(Text(("-" if ascii else "\u2500") * min(c.width, sum(widths) + 2 * (len(widths) - 1))),
            no_wrap=True, crop=False)
    dim = Style(dim=True)
    for start in range(0, len(rows), BATCH):
        # Lines already cut to fit, of text already made safe to show (`visible`): handed to the
        # terminal as they are, not measured again to be wrapped.
        segments = []
        for row in rows[start:start + BATCH]:
            first, *rest = line(row)
            segments += [Segment(first, dim), Segment("  " + "  ".join(rest)), Segment.line()]
        c.print(Segments(segments), no_wrap=True, crop=False)


def print_map(m: ExperienceMap) -> None:
    c = console()
    view = map_view(m, ascii=ascii_wanted(c))
    if c.is_terminal:
        c.print(view)
        return
    # To a file or a pipe: the lines without the spaces that pad them to the width (no styles
    # to keep there).
    with c.capture() as captured:
        c.print(view)
    c.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def print_templates(found: Sequence[Template]) -> None:
    c = console()
    if not found:
        c.print("No templates are installed.")
        return
    ascii = ascii_wanted(c)
    table = Table(
        box=box.ASCII if ascii else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True
    )
    table.add_column("Name", no_wrap=True)
    table.add_column("Title", min_width=12)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Experience", no_wrap=True)
    table.add_column("Touchpoints", justify="right", no_wrap=True)
    for t in found:
        table.add_row(t.name, Text(visible(t.title, ascii=ascii)), t.map.kind, t.map.experience,
                      str(len(t.map.touchpoints)))
    c.print(table)
    c.print("Start one with: cxmap new TITLE --template NAME [--keep-feelings]")
