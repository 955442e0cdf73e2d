"""Touchpoints from a CSV table (a spreadsheet, or cxmap's own `csv` export).

The first row names the columns, in any order and any case. `name` is required; `action`,
`stage`, `channel`, `owner`, `notes`, `feeling` and `thoughts` are optional; `position` and `id`
(which the export writes) are accepted and ignored: rows are read in customer order and the
touchpoints get new ids. Any other column is an error, so a typo does not lose a column.

Errors name the row as a spreadsheet numbers it (the header is row 1) and the field. Nothing is
added unless every row is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..domain.errors import ValidationError
from ..domain.feelings import parse_score
from ..domain.model import ExperienceMap
from .csv_format import restore

COLUMNS = ("name", "action", "stage", "channel", "owner", "notes", "feeling", "thoughts")
IGNORED = ("position", "id")
DELIMITERS = (",", ";", "\t")  # spreadsheets set to Dutch or Swedish save with ";"


@dataclass(frozen=True)
class Row:
    number: int  # the header is row 1
    fields: dict[str, Any]  # `name` and whichever other columns the file has; feeling already read


def _records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as e:
        raise ValidationError(f"{source} row {number + 1}: cannot read it as CSV ({e})") from None


def read_touchpoints(text: str, source: str = "the file") -> list[Row]:
    """The rows of a touchpoints CSV, checked cell by cell (names, columns, feelings)."""
    text = text.removeprefix("\ufeff")
    records = _records(text, source)
    try:
        _, header = next(records)
    except StopIteration:
        raise ValidationError(f"{source} is empty: its first row must name the columns (at least 'name')") from None
    columns = _columns(header, source)

    rows = []
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows a spreadsheet left empty
        if len(cells) != len(header):
            raise ValidationError(
                f"{source} row {number}: {len(cells)} cell{'s' if len(cells) != 1 else ''}, "
                f"but the header has {len(header)} columns"
            )
        fields: dict[str, Any] = {}
        for i, (column, cell) in enumerate(zip(columns, cells, strict=True), start=1):
            if column is None:
                if cell.strip():
                    raise ValidationError(f"{source} row {number}, column {i}: a value under a header with no name")
            elif column not in IGNORED:
                fields[column] = _field(column, restore(cell), f"{source} row {number}, {column}")
        rows.append(Row(number, fields))
    if not rows:
        raise ValidationError(f"{source} has a header but no touchpoints")
    return rows


def _columns(header: list[str], source: str) -> list[str | None]:
    """Each header cell as a known column name, or None for a blank one."""
    columns: list[str | None] = []
    for cell in header:
        name = cell.strip().casefold() or None
        if name is not None and name not in COLUMNS and name not in IGNORED:
            raise ValidationError(
                f"{source} row 1: unknown column {cell.strip()!r}; the columns are {', '.join(COLUMNS)} "
                f"(and {' and '.join(IGNORED)}, which are ignored)"
            )
        if name is not None and name in columns:
            raise ValidationError(f"{source} row 1: the column {name!r} appears twice")
        columns.append(name)
    if "name" not in columns:
        raise ValidationError(f"{source} row 1: there is no 'name' column; the header must have at least 'name'")
    return columns


def _field(column: str, value: str, where: str) -> Any:
    if column == "name" and not value.strip():
        raise ValidationError(f"{where}: a touchpoint needs a name")
    if column == "feeling":
        try:
            return parse_score(value)
        except ValueError as e:
            raise ValidationError(f"{where}: {e}") from None
    return value


def add_touchpoints(m: ExperienceMap, rows: Iterable[Row], source: str = "the file") -> None:
    """Append the rows to `m` as touchpoints, or raise at the first bad one (with `m` half changed,
    so give it a copy: the store's `change` does)."""
    # name -> the row that has it, or None when the map had it before
    taken: dict[str, int | None] = {tp.name.casefold(): None for tp in m.touchpoints}
    for row in rows:
        fields = dict(row.fields)
        name = fields.pop("name").strip()
        where = f"{source} row {row.number}"
        key = name.casefold()
        if key in taken:
            other = taken[key]
            if other is None:
                raise ValidationError(f"{where}, name: the map already has a touchpoint called {name!r}")
            raise ValidationError(f"{where}, name: row {other} is also called {name!r}; touchpoint names must differ")
        taken[key] = row.number
        if "stage" in fields:
            try:
                fields["stage"] = m.canonical_stage(fields["stage"])
            except ValidationError as e:
                raise ValidationError(f"{where}, stage: {e}") from None
        try:
            m.add_touchpoint(name, **fields)
        except ValidationError as e:
            raise ValidationError(f"{where}: {e}") from None


def map_from_csv(
    text: str,
    source: str,
    *,
    title: str,
    experience: str = "custom",
    kind: str = "current",
    persona: str = "",
    scope: str = "",
    stages: list[str] | None = None,
) -> ExperienceMap:
    """A new map holding the CSV's touchpoints."""
    rows = read_touchpoints(text, source)
    m = ExperienceMap.new(title, experience=experience, kind=kind, persona=persona, scope=scope, stages=stages)
    add_touchpoints(m, rows, source)
    return m
