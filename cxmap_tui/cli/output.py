"""Printing for the CLI, with Rich (imported only by the commands that print tables)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..domain.model import ExperienceMap
from ..present.display import visible
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


def print_map_list(summaries: list[MapSummary]) -> None:
    c = console()
    if not summaries:
        c.print("No maps yet. Start cxmap to make one, or: cxmap new TITLE")
        return
    ascii = ascii_wanted(c)
    table = Table(
        box=box.ASCII if ascii else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True
    )
    table.add_column("ID", no_wrap=True, style="dim")
    table.add_column("Title", min_width=12)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Touchpoints", justify="right", no_wrap=True)
    table.add_column("Rated", justify="right", no_wrap=True)
    table.add_column("Improvements", justify="right", no_wrap=True)
    table.add_column("Changed", no_wrap=True)
    for s in summaries:
        table.add_row(
            s.id,
            Text(visible(s.title, ascii=ascii)),
            s.kind,
            str(s.touchpoints),
            str(s.rated),
            str(s.improvements),
            s.updated[:10],
        )
    c.print(table)


def print_map(m: ExperienceMap) -> None:
    c = console()
    c.print(map_view(m, ascii=ascii_wanted(c)))


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
