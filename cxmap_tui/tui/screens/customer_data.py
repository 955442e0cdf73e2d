"""What the customers screen shows, apart from the widgets: one snapshot of the workspace's
customers and what follows from them, and rows laid out in columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual.content import Content
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
from ...domain import feelings
from ...domain.customers import Contact, CustomerBook
from ...domain.model import ExperienceMap
from ..glyphs import Glyphs

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
    time a DataTable takes to measure every cell. Each row is one line already cut to its columns,
    so the list is told not to wrap: measuring a row is then a length, not a line-breaking pass."""

    DEFAULT_CSS = """
    CustomerTable { text-wrap: nowrap; text-overflow: ellipsis; }
    """


def lay_out(cells: Sequence[Content | str], widths: Sequence[int], *, style: str = "") -> Content:
    """One line of cells, each cut or padded to its column's width (the last one only cut)."""
    parts: list[Content | str] = []
    last = len(cells) - 1
    for n, (cell, width) in enumerate(zip(cells, widths)):
        text = cell if isinstance(cell, Content) else Content(cell)
        parts.append(text.truncate(width, ellipsis=True, pad=n < last))
        if n < last:
            parts.append(GAP)
    row = Content.assemble(*parts)
    return row.stylize(style) if style else row


@dataclass
class Rows:
    """A view's table: its columns, its rows (each a key and a laid-out line), the line below it."""

    view: str
    columns: list[tuple[str, int]]
    rows: list[tuple[str, Content]] = field(default_factory=list)
    below: str = ""

    def __post_init__(self) -> None:
        self.widths = [width for _, width in self.columns]

    def add(self, key: str, *cells: Content | str) -> None:
        self.rows.append((key, lay_out(cells, self.widths)))

    @property
    def header(self) -> Content:
        return lay_out([label for label, _ in self.columns], self.widths, style="bold")


def face(g: Glyphs, score: int | None) -> str:
    return f"{g.face(score)} {feelings.signed(score)}" if score is not None else g.face(None)


def _bold(text: str) -> Content:
    return Content.styled(text, "bold")


def people_rows(s: Snapshot, g: Glyphs) -> Rows:
    """Accounts (each with its worst contact's latest feeling) and their contacts, then the
    contacts of no account."""
    rows = Rows("people", [("Account / contact", 22), ("Feels", 5), ("Where (latest)", 20), ("Since", 10),
                           ("Segment", 8)])

    def contact_row(contact: Contact, indent: str) -> None:
        latest = s.latest.get(contact.id)
        rows.add(f"con:{contact.id}", indent + g.text(contact.name, 22 - len(indent)),
                 face(g, latest.feeling if latest else None), g.text(latest.moment.label() if latest else "-", 20),
                 contact.start, g.text(s.book.segment_of(contact), 8))

    for account in sorted(s.book.accounts.values(), key=lambda a: a.name.casefold()):
        e = s.experiences.get(account.id)
        worst = e.worst if e is not None else None
        where = f"{worst.contact.name}: {worst.moment.label()}" if worst else "no feelings yet"
        rows.add(f"acc:{account.id}", _bold(g.text(account.name, 22)), face(g, worst.feeling if worst else None),
                 g.text(where, 20), account.start, g.text(account.segment, 8))
        for contact in sorted(s.book.contacts_of.get(account.id, []), key=lambda c: c.name.casefold()):
            contact_row(contact, "  ")
    loners = [c for c in s.book.contacts.values() if s.book.account_of(c) is None]
    for contact in sorted(loners, key=lambda c: c.name.casefold()):
        contact_row(contact, "")
    if not rows.rows:
        rows.below = "No customers yet: A adds an account, C a contact (or: cxmap import-customers FILE)."
    return rows


def risk_rows(s: Snapshot, g: Glyphs) -> Rows:
    rows = Rows("risk", [("Account", 22), ("Feels", 5), ("Because of", 34), ("Rated", 6)])
    for e in s.at_risk:
        assert e.worst is not None
        rows.add(f"acc:{e.account.id}", _bold(g.text(e.account.name, 22)), face(g, e.feeling),
                 g.text(f"{e.worst.contact.name} at {e.worst.moment.label()}", 34), f"{e.rated}/{e.contacts}")
    rows.below = ("An account is only as happy as its worst contact: these have a contact at -1 or lower, worst "
                  "first." if s.at_risk else "No account is at risk: no contact's latest feeling is -1 or lower.")
    return rows


def review_rows(s: Snapshot, g: Glyphs) -> Rows:
    rows = Rows("reviews", [("Contact", 18), ("Account", 14), ("Ask?", 38)])
    for c in s.reviews.candidates:
        rows.add(f"con:{c.contact.id}", _bold(g.text(c.contact.name, 18)),
                 g.text(c.account.name if c.account else "-", 14),
                 _bold(f"ask: {face(g, c.latest.feeling)} at {g.text(c.latest.moment.label(), 26)}"))
    for x in s.reviews.left_out:
        rows.add(f"con:{x.contact.id}", g.text(x.contact.name, 18), g.text(x.account.name if x.account else "-", 14),
                 g.text(f"not now: {x.reason}", 38))
    rows.below = (f"{len(s.reviews.candidates)} to ask, {len(s.reviews.left_out)} not now: a happy contact is not "
                  "asked while anyone at the same account is unhappy.")
    return rows


# The views whose rows are built from the snapshot alone (on a worker thread).
BUILDERS: dict[str, Callable[[Snapshot, Glyphs], Rows]] = {
    "people": people_rows, "risk": risk_rows, "reviews": review_rows,
}
