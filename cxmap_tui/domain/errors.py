"""Errors the domain raises. Their messages are written for the person at the keyboard."""

from __future__ import annotations

from typing import Self


class CxmapError(Exception):
    """Base of every error cxmap reports to a user as one line.

    An error about input can also say where the problem is, as data: the file (named as the user
    named it), the row (as a spreadsheet numbers it: the header is row 1) and the field. `str()`
    gives the whole line, "FILE row 3, feeling: REASON"; `line(file=False)` leaves the file out,
    for a dialog that shows the error beside the file name the user typed."""

    def __init__(self, reason: str = "", *, file: str | None = None, row: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.row = row
        self.field = field

    def at(self, *, file: str | None = None, row: int | None = None, field: str | None = None) -> Self:
        """Fill in the parts of the place that are not known yet (an inner caller knows the
        field, an outer one the file); returns the error itself, to raise again."""
        if self.file is None:
            self.file = file
        if self.row is None:
            self.row = row
        if self.field is None:
            self.field = field
        return self

    def line(self, *, file: bool = True) -> str:
        head = self.file if file and self.file else ""
        if self.row is not None:
            head = f"{head} row {self.row}" if head else f"row {self.row}"
        place = ", ".join(part for part in (head, self.field) if part)
        return f"{place}: {self.reason}" if place else self.reason

    def __str__(self) -> str:
        return self.line()


class ValidationError(CxmapError, ValueError):
    """Input that would make a map wrong or confusing."""


class NotFound(CxmapError, LookupError):
    """A map, touchpoint or improvement that is not there (any more)."""


class AmbiguousRef(NotFound):
    """A name that matches more than one thing."""
