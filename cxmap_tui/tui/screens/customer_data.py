"""What the customers screen shows, apart from the widgets: one snapshot of the workspace's
customers and what follows from them, and rows laid out in columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import OptionList

from ...domain.accounts import (
    AccountExperience,
    ContactFeeling,
    ReviewCandidates,
    TouchpointNames,
    account_experiences,
    at_risk,
    latest_feelings,
    review_candidates,
)
from ...domain.customers import CustomerBook
from ...domain.model import ExperienceMap

GAP = "  "  # between columns


@dataclass
class Snapshot:
    """The workspace's customers and what follows from them, computed in one go."""

    book: CustomerBook
    maps: list[ExperienceMap]
    experiences: dict[str, AccountExperience]
    latest: dict[str, ContactFeeling]
    at_risk: list[AccountExperience]
    reviews: ReviewCandidates

    @property
    def ideals(self) -> list[ExperienceMap]:
        return [m for m in self.maps if m.kind == "ideal"]


def take_snapshot(store: Any) -> Snapshot:
    book = store.customers.book()
    maps = store.maps()
    names = TouchpointNames(maps)
    return Snapshot(
        book=book,
        maps=maps,
        experiences={e.account.id: e for e in account_experiences(book, names)},
        latest=latest_feelings(book, names),
        at_risk=at_risk(book, names),
        reviews=review_candidates(book, names),
    )


class CustomerTable(OptionList):
    """A table of customers: one option per row, the columns laid out by the screen. An OptionList
    paints only the rows on screen, so a book of thousands of contacts fills in a fraction of the
    time a DataTable takes to measure every cell."""


def lay_out(cells: Sequence[Any], widths: Sequence[int], *, style: str = "") -> Text:
    """One line of cells, each cut or padded to its column's width (the last one only cut)."""
    row = Text(style=style)
    last = len(cells) - 1
    for n, (cell, width) in enumerate(zip(cells, widths)):
        text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
        text.truncate(width, overflow="ellipsis", pad=n < last)
        row.append_text(text)
        if n < last:
            row.append(GAP)
    return row
