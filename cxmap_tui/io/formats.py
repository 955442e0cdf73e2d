"""Every export format in one list, so the command line and the app offer the same choice."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.errors import ValidationError
from ..domain.model import ExperienceMap
from ..present.display import laid_out
from . import csv_format, html_format, markdown_format, mermaid_format
from .json_format import map_to_json

BOM = "\ufeff"


@dataclass(frozen=True)
class Format:
    name: str
    render: Callable[[ExperienceMap], str]
    extension: str  # without the dot
    description: str
    bom_in_files: bool = False  # spreadsheets read a CSV file as UTF-8 only when it starts with a BOM
    # How the format looks on a terminal, in ASCII or not (default: as in a file, made safe).
    on_terminal: Callable[[ExperienceMap, bool], str] | None = None

    def for_terminal(self, m: ExperienceMap, ascii: bool) -> str:
        text = self.on_terminal(m, ascii) if self.on_terminal is not None else self.render(m)
        return laid_out(text, ascii=ascii)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", map_to_json, "json", "cxmap's lossless format, for backup and import",
               on_terminal=lambda m, ascii: map_to_json(m, ascii=ascii)),
        Format("markdown", markdown_format.render, "md", "a document with tables and the curve, for wikis and GitHub"),
        Format("mermaid", mermaid_format.render, "mmd", "the emotional curve as a Mermaid journey diagram"),
        Format("html", html_format.render, "html", "one self-contained page to read on screen or print"),
        Format("csv", csv_format.touchpoints, "csv", "the touchpoints as a spreadsheet table", bom_in_files=True,
               on_terminal=lambda m, ascii: csv_format.touchpoints(m, csv_format.on_screen(ascii))),
        Format("csv-improvements", csv_format.improvements, "csv", "the improvement backlog as a spreadsheet table",
               bom_in_files=True, on_terminal=lambda m, ascii: csv_format.improvements(m, csv_format.on_screen(ascii))),
    )
}


def _format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValidationError(f"unknown format {name!r}: use one of {', '.join(FORMATS)}") from None


def export_map(m: ExperienceMap, fmt: str) -> str:
    return _format(fmt).render(m)


def export_for_terminal(m: ExperienceMap, fmt: str, *, ascii: bool = False) -> str:
    """An export as a terminal is to show it: nothing in it the terminal would obey, and in
    ASCII mode nothing outside ASCII. JSON stays exact (escapes); a CSV's cells show their
    control characters as symbols; the documents are as in a file (brought down to ASCII in
    ASCII mode)."""
    return _format(fmt).for_terminal(m, ascii)


def export_file(m: ExperienceMap, fmt: str) -> bytes:
    """The bytes of an export file: UTF-8, with a BOM for the formats spreadsheets open."""
    f = _format(fmt)
    text = f.render(m)
    return ((BOM if f.bom_in_files else "") + text).encode("utf-8")


def suggested_filename(m: ExperienceMap, fmt: str) -> str:
    """A file name from the map's title: lower case, letters and digits joined by hyphens."""
    slug = re.sub(r"[^0-9a-z]+", "-", m.title.casefold()).strip("-")[:60].strip("-") or "map"
    suffix = "-improvements" if fmt == "csv-improvements" else ""
    return f"{slug}{suffix}.{_format(fmt).extension}"
