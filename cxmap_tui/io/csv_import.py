"""Touchpoints from a CSV table (a spreadsheet, or cxmap's own `csv` export).

The first row names the columns, in any order and any case. `name` is required; `action`,
`stage`, `channel`, `owner`, `notes`, `feeling` and `thoughts` are optional; `position` and `id`
(which the export writes) are accepted and ignored: rows are read in customer order and the
touchpoints get new ids. Any other column is an error, so a typo does not lose a column.

Errors name the row as a spreadsheet numbers it (the header is row 1) and the field. Nothing is
added unless every row is good.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.errors import ValidationError
from ..domain.feelings import parse_score
from ..domain.model import ExperienceMap
from ..domain.words import counted
from .csv_format import restore
from .csv_table import Table
from .limits import shown

COLUMNS = ("name", "action", "stage", "channel", "owner", "notes", "feeling", "thoughts")
IGNORED = ("position", "id")


@dataclass(frozen=True)
class Row:
    number: int  # the header is row 1
    fields: dict[str, str]  # `name` and whichever other text columns the file has
    feeling: int | None = None  # read from its column, if the file has one


def read_touchpoints(text: str, source: str = "the file") -> list[Row]:
    """The rows of a touchpoints CSV, checked cell by cell (names, columns, feelings)."""
    table = Table(text, source)
    header = table.header()
    if header is None:
        raise ValidationError("the file is empty; its first row must name the columns (at least 'name')",
                              file=source)
    columns = _columns(header, source)

    rows = []
    for cells in table.rows(columns):
        number = table.number
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows a spreadsheet left empty
        if len(cells) != len(header):
            raise ValidationError(
                f"{counted(len(cells), 'cell')}, but the header has {counted(len(header), 'column')}",
                file=source, row=number)
        fields: dict[str, str] = {}
        feeling: int | None = None
        for i, (column, cell) in enumerate(zip(columns, cells, strict=True), start=1):
            if column is None:
                if cell.strip():
                    raise ValidationError("a value under a header with no name", file=source, row=number,
                                          field=f"column {i}")
            elif column not in IGNORED:
                try:
                    if column == "feeling":
                        feeling = _feeling(restore(cell))
                    else:
                        fields[column] = _text(column, restore(cell))
                except ValidationError as e:
                    raise e.at(file=source, row=number, field=column) from None
        rows.append(Row(number, fields, feeling))
    if not rows:
        raise ValidationError("the file has a header but no touchpoints", file=source)
    return rows


def _columns(header: list[str], source: str) -> list[str | None]:
    """Each header cell as a known column name, or None for a blank one."""
    columns: list[str | None] = []
    for cell in header:
        name = cell.strip().casefold() or None
        if name is not None and name not in COLUMNS and name not in IGNORED:
            raise ValidationError(
                f"unknown column {shown(cell.strip())}; the columns are {', '.join(COLUMNS)} "
                f"(and {' and '.join(IGNORED)}, which are ignored)", file=source, row=1)
        if name is not None and name in columns:
            raise ValidationError(f"the column {name!r} appears twice", file=source, row=1)
        columns.append(name)
    if "name" not in columns:
        raise ValidationError("there is no 'name' column; the header must have at least 'name'", file=source, row=1)
    return columns


def _text(column: str, value: str) -> str:
    if column == "name" and not value.strip():
        raise ValidationError("a touchpoint needs a name")
    return value


def _feeling(value: str) -> int | None:
    try:
        return parse_score(value)
    except ValueError as e:
        raise ValidationError(str(e)) from None


def add_touchpoints(m: ExperienceMap, rows: Iterable[Row], source: str = "the file") -> None:
    """Append the rows to `m` as touchpoints, or raise at the first bad one (with `m` half changed,
    so give it a copy: the store's `change` does)."""
    # name -> the row that has it, or None when the map had it before
    taken: dict[str, int | None] = {tp.name.casefold(): None for tp in m.touchpoints}
    for row in rows:
        fields = dict(row.fields)
        name = fields.pop("name").strip()
        key = name.casefold()
        if key in taken:
            other = taken[key]
            if other is None:
                raise ValidationError(f"the map already has a touchpoint called {shown(name)}", file=source,
                                      row=row.number, field="name")
            raise ValidationError(f"row {other} is also called {shown(name)}; touchpoint names must differ",
                                  file=source, row=row.number, field="name")
        taken[key] = row.number
        try:
            if "stage" in fields:
                try:
                    fields["stage"] = m.canonical_stage(fields["stage"])
                except ValidationError as e:
                    raise e.at(field="stage") from None
            m.add_touchpoint(name, at=None, feeling=row.feeling, **fields)  # at the end
        except ValidationError as e:
            raise e.at(file=source, row=row.number) from None


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
