"""Accounts, contacts and recorded interactions from CSV tables (a spreadsheet, a CRM export).

The first row names the columns, in any order and any case; columns marked * are required:

    accounts:      name*, start*, segment
    contacts:      name*, start*, account, segment
    interactions:  contact*, map*, touchpoint*, date*, feeling, note

Dates are written YYYY-MM-DD. `account` (of a contact) and `contact` (of an interaction) name
what is already in the database, by id or by exact name (ignoring case); a name that several
contacts share must be given as the id. `map` is a map's id or exact title, `touchpoint` one of
its touchpoints' ids or exact names. `feeling` is -2..+2, --/-/0/+/++, a label such as
"satisfied", or empty for none.

Errors name the row as a spreadsheet numbers it (the header is row 1) and the field. These
functions only read and check; the caller stores the result in one transaction, so nothing is
imported unless every row is good.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, ParamSpec, TypeVar

from ..domain.customers import Account, Contact, CustomerBook, Interaction, check_date
from ..domain.errors import ValidationError
from ..domain.feelings import parse_score
from ..domain.model import ExperienceMap
from ..domain.parts import Touchpoint
from ..domain.words import counted
from .csv_table import Table
from .limits import shown

T = TypeVar("T")
P = ParamSpec("P")

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # what: (required columns, optional columns)
    "accounts": (("name", "start"), ("segment",)),
    "contacts": (("name", "start"), ("account", "segment")),
    "interactions": (("contact", "map", "touchpoint", "date"), ("feeling", "note")),
}


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, str]  # column -> cell, for the columns the file has


def columns_help(what: str) -> str:
    required, optional = COLUMNS[what]
    return ", ".join([*(f"{c}*" for c in required), *optional])


def read_rows(text: str, what: str, source: str = "the file") -> list[Row]:
    """The rows of a CSV table of `what` ("accounts", "contacts" or "interactions"), with the
    header checked: every required column present, no unknown or repeated column."""
    required, optional = COLUMNS[what]
    table = Table(text, source)
    header = table.header()
    if header is None:
        raise ValidationError(
            f"the file is empty; its first row must name the columns ({columns_help(what)}; * required)",
            file=source)
    names: list[str | None] = []
    for cell in header:
        name = cell.strip().casefold() or None
        if name is not None and name not in required and name not in optional:
            raise ValidationError(
                f"unknown column {shown(cell.strip())}; the columns of {what} are {columns_help(what)} "
                "(* required)", file=source, row=1)
        if name is not None and name in names:
            raise ValidationError(f"the column {name!r} appears twice", file=source, row=1)
        names.append(name)
    for column in required:
        if column not in names:
            raise ValidationError(f"there is no {column!r} column; {what} need {', '.join(required)}",
                                  file=source, row=1)

    rows = []
    for cells in table.rows(names):
        number = table.number
        if not any(c.strip() for c in cells):
            continue  # blank lines, and rows a spreadsheet left empty
        if len(cells) != len(header):
            raise ValidationError(
                f"{counted(len(cells), 'cell')}, but the header has {counted(len(header), 'column')}",
                file=source, row=number)
        found: dict[str, str] = {}
        for i, (name, cell) in enumerate(zip(names, cells, strict=True), start=1):
            if name is None:
                if cell.strip():
                    raise ValidationError("a value under a header with no name", file=source, row=number,
                                          field=f"column {i}")
                continue
            found[name] = cell
        for column in required:
            if not found[column].strip():
                raise ValidationError(f"empty, but {what} need one", file=source, row=number, field=column)
        rows.append(Row(number, found))
    if not rows:
        raise ValidationError("the file has a header but no rows", file=source)
    return rows


def _at(where: tuple[str, int], field: str | None, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args)`, with its error (if any) placed at `field` of the row `where` (file, row)."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as e:
        raise e.at(file=where[0], row=where[1], field=field) from None


def _feeling(text: str) -> int | None:
    try:
        return parse_score(text)
    except ValueError as e:
        raise ValidationError(str(e)) from None


class _Lookup(Generic[T]):
    """Find things by exact id or exact name (ignoring case), indexed once."""

    def __init__(self, what: str, items: Sequence[T], id_of: Callable[[T], str], name_of: Callable[[T], str]) -> None:
        self.what = what
        self.by_id = {id_of(x): x for x in items}
        self.by_name: dict[str, list[T]] = {}
        for x in items:
            self.by_name.setdefault(name_of(x).strip().casefold(), []).append(x)
        self.id_of = id_of

    def find(self, ref: str) -> T:
        ref = ref.strip()
        if ref in self.by_id:
            return self.by_id[ref]
        found = self.by_name.get(ref.casefold(), [])
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(self.id_of(x) for x in found[:5])
            raise ValidationError(f"{shown(ref)} is the name of {len(found)} {self.what}s ({ids}); use the id")
        raise ValidationError(f"no {self.what} has the id or name {shown(ref)}")


def accounts_from_csv(text: str, book: CustomerBook, source: str = "the file") -> list[Account]:
    """New accounts from a CSV table, checked against each other and the accounts in `book`."""
    taken: dict[str, int | None] = {a.name.casefold(): None for a in book.accounts.values()}
    out = []
    for row in read_rows(text, "accounts", source):
        where = (source, row.number)
        name = row.cells["name"].strip()
        key = name.casefold()
        if key in taken:
            other = taken[key]
            if other is None:
                raise ValidationError(f"there is already an account called {shown(name)}", file=source,
                                      row=row.number, field="name")
            raise ValidationError(f"row {other} is also called {shown(name)}; account names must differ",
                                  file=source, row=row.number, field="name")
        taken[key] = row.number
        start = _at(where, "start", check_date, row.cells["start"], "the start date")
        out.append(_at(where, None, Account.new, name, start, row.cells.get("segment", "")))
    return out


def contacts_from_csv(text: str, book: CustomerBook, source: str = "the file") -> list[Contact]:
    """New contacts from a CSV table; their accounts must be in `book`."""
    accounts = _Lookup("account", list(book.accounts.values()), lambda a: a.id, lambda a: a.name)
    # (account id, name) -> the row that has it, or None when the database has it already
    taken: dict[tuple[str, str], int | None] = {
        (c.account, c.name.casefold()): None for c in book.contacts.values() if c.account
    }
    out = []
    for row in read_rows(text, "contacts", source):
        where = (source, row.number)
        name = row.cells["name"].strip()
        account: Account | None = None
        ref = row.cells.get("account", "").strip()
        if ref:
            account = _at(where, "account", accounts.find, ref)
        start = _at(where, "start", check_date, row.cells["start"], "the start date")
        if account is not None:
            key = (account.id, name.casefold())
            if key in taken:
                other = taken[key]
                if other is None:
                    raise ValidationError(f"there is already a contact called {shown(name)} at {account.name}",
                                          file=source, row=row.number, field="name")
                raise ValidationError(f"row {other} is also {shown(name)} at {account.name}", file=source,
                                      row=row.number, field="name")
            taken[key] = row.number
        out.append(_at(where, None, Contact.new, name, start, account=account.id if account else "",
                       segment=row.cells.get("segment", "")))
    return out


def interactions_from_csv(
    text: str, book: CustomerBook, maps: Sequence[ExperienceMap], source: str = "the file"
) -> list[Interaction]:
    """Recorded interactions from a CSV table; contacts, maps and touchpoints must exist."""
    contacts = _Lookup("contact", list(book.contacts.values()), lambda c: c.id, lambda c: c.name)
    by_map = _Lookup("map", list(maps), lambda m: m.id, lambda m: m.title)
    touchpoints: dict[str, _Lookup[Touchpoint]] = {}
    out = []
    for row in read_rows(text, "interactions", source):
        where = (source, row.number)
        contact = _at(where, "contact", contacts.find, row.cells["contact"])
        m = _at(where, "map", by_map.find, row.cells["map"])
        if m.id not in touchpoints:
            touchpoints[m.id] = _Lookup("touchpoint", m.touchpoints, lambda t: t.id, lambda t: t.name)
        tp = _at(where, "touchpoint", touchpoints[m.id].find, row.cells["touchpoint"])
        feeling = _at(where, "feeling", _feeling, row.cells.get("feeling", ""))
        when = _at(where, "date", check_date, row.cells["date"], "the date")
        out.append(_at(where, None, Interaction.new, contact.id, m.id, tp.id, when, feeling,
                       row.cells.get("note", "")))
    return out
