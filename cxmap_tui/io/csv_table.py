"""Reading a CSV table to import, row by row, with rows numbered as a spreadsheet numbers them
(the header is row 1) and every cell checked against the limits in `limits`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from ..domain.errors import ValidationError
from .limits import MAX_FILE_BYTES, text_problem

DELIMITERS = (",", ";", "\t")  # spreadsheets set to Dutch or Swedish save with ";"


class Table:
    """The header, then the rows, of a CSV text; `source` names the file in errors."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        _allow_long_cells()
        text = text.removeprefix("\ufeff")
        first_line = text.split("\n", 1)[0]
        delimiter = max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        self._number = 0

    def header(self) -> list[str] | None:
        """The first row (None for an empty file), each cell checked."""
        return next(self.rows(()), None)

    def rows(self, names: Sequence[str | None]) -> Iterator[list[str]]:
        """The rows after the header, each cell checked; `names` are the columns' names in
        errors (None, or a column past them, is named by its position)."""
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise ValidationError(f"cannot read it as CSV ({e})", file=self.source, row=self._number + 1) from None
            self._number += 1
            for i, cell in enumerate(cells):
                problem = text_problem(cell)
                if problem:
                    name = names[i] if i < len(names) else None
                    raise ValidationError(problem, file=self.source, row=self._number,
                                          field=name or f"column {i + 1}")
            yield cells

    @property
    def number(self) -> int:
        """The number of the row last read."""
        return self._number


def _allow_long_cells() -> None:
    # The csv module refuses a cell over 131,072 characters with a message about its own limit.
    # Cells are checked against MAX_TEXT instead, with their row and column, so let it read any
    # cell a file cxmap accepts can hold (this only ever raises the module's limit).
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)
