"""What the customers screen shows, apart from the widgets: one snapshot of the workspace's
customers and what follows from them, and rows laid out in columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets import OptionList

from ...domain import feelings
from ...domain.accounts import (
    AccountExperience,
    AtRisk,
    ContactFeeling,
    LeftOut,
    Problem,
    ReviewCandidates,
    TouchpointNames,
    account_experiences,
    at_risk,
    group_of,
    latest_feelings,
    open_problems,
    review_candidates,
)
from ...domain.checklist import STATES, account_checklist, contact_checklist
from ...domain.customers import Contact, CustomerBook
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.problems import is_problem
from ..glyphs import Glyphs
from ..widgets.light import LightOptionList
from ..widgets.list_keys import LIST_KEYS, ListKeys

GAP = "  "  # between columns


@dataclass
class Snapshot:
    """The workspace's customers and what follows from them, computed in one go."""

    book: CustomerBook
    maps: list[ExperienceMap]
    experiences: dict[str, AccountExperience]
    latest: dict[str, ContactFeeling]
    at_risk: list[AtRisk]
    reviews: ReviewCandidates
    names: TouchpointNames
    problems: dict[str, list[Problem]]  # the open ones, by "acc:<id>" or (a lone contact's) "con:<id>"

    @property
    def ideals(self) -> list[ExperienceMap]:
        return [m for m in self.maps if m.kind == "ideal"]


def take_snapshot(store: Any) -> Snapshot:
    book = store.customers.book()
    maps = store.maps()
    names = TouchpointNames(maps)
    problems = open_problems(book, names)
    return Snapshot(
        book=book,
        maps=maps,
        experiences={e.account.id: e for e in account_experiences(book, names)},
        latest=latest_feelings(book, names),
        at_risk=at_risk(book, names, problems),
        reviews=review_candidates(book, names),
        names=names,
        problems=problems,
    )


class CustomerTable(ListKeys, LightOptionList):
    """A table of customers: one option per row, the columns laid out by the screen. An OptionList
    paints only the rows on screen, so a book of thousands of contacts fills in a fraction of the
    time a DataTable takes to measure every cell. Each row is one line already cut to its columns,
    so the list is told not to wrap: measuring a row is then a length, not a line-breaking pass."""

    BINDINGS: ClassVar[list[BindingType]] = [*LIST_KEYS]
    DEFAULT_CSS = """
    CustomerTable { text-wrap: nowrap; text-overflow: ellipsis; }
    """


def lay_out(cells: Sequence[Content | str], widths: Sequence[int], *, style: str = "") -> Content:
    """One line of cells, each cut or padded to its column's width (the last one only cut). Cut
    text with `Glyphs.text` first: its ellipsis is ASCII in ASCII mode, this one's never is."""
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
    rows = Rows("risk", [("Account", 18), ("Feels", 5), ("Worst open problem", 28), ("Since", 10), ("Open", 4)])
    for r in s.at_risk:
        w = r.worst
        name = _bold(g.text(r.account.name, 18)) if r.account is not None else Content.styled("(no account)", "dim")
        key = f"acc:{r.account.id}" if r.account is not None else f"con:{w.contact.id}"
        rows.add(key, name, face(g, w.feeling), g.text(f"{w.contact.name} at {w.moment.label()}", 28),
                 w.interaction.date, str(len(r.problems)))
    rows.below = ("Accounts with a problem nobody has resolved yet (a feeling of -1 or lower), worst first; "
                  "R resolves one." if s.at_risk else "No account is at risk: no problem is open.")
    return rows


def review_rows(s: Snapshot, g: Glyphs) -> Rows:
    rows = Rows("reviews", [("Contact", 18), ("Account", 12), ("Ask?", 42)])
    for c in s.reviews.candidates:
        rows.add(f"con:{c.contact.id}", _bold(g.text(c.contact.name, 18)),
                 g.text(c.account.name if c.account else "-", 12),
                 _bold(f"ask (last met {c.last.interaction.date})"))
    for x in s.reviews.left_out:
        # The row names whose problem it is (a colleague's name whole, in 80 columns) and where;
        # the lines below the table give the whole reason for the highlighted contact.
        p = x.problem
        why = "no interaction yet"
        if p is not None:
            who = "their own" if p.contact.id == x.contact.id else p.contact.name
            why = f"{feelings.signed(p.feeling)} {who} at {p.moment.label()}"
        rows.add(f"con:{x.contact.id}", g.text(x.contact.name, 18), g.text(x.account.name if x.account else "-", 12),
                 g.text(f"not now: {why}", 42))
    rows.below = (f"{len(s.reviews.candidates)} to ask, {len(s.reviews.left_out)} not now. Everyone met is asked, "
                  "however they felt, unless a problem is open at their account.")
    return rows


def contact_history(s: Snapshot, g: Glyphs, contact_id: str, shown: int = 12) -> list[Any]:
    """The parts of a Content: a contact's interactions, newest first, each problem marked open
    or resolved (when, by whom, how)."""
    book = s.book
    history = sorted(book.interactions_of.get(contact_id, ()), key=lambda i: i.order(), reverse=True)
    contact = book.contacts.get(contact_id)
    still = [p for p in s.problems.get(group_of(book, contact), []) if p.contact.id == contact_id] if contact else []
    head = f"{_count(len(still), 'open problem')} (R resolves)" if still else "no open problem"
    parts: list[Any] = [("History", "bold"), f": {_count(len(history), 'interaction')}, {head}"]
    for i in history[:shown]:
        parts += ["\n", lay_out([i.date, face(g, i.feeling), g.text(s.names.moment(i).label(), 40)], [10, 5, 40])]
        if i.note:
            parts += ["\n", (f"{'':12}{g.text(i.note, 60)}", "$text-muted")]
        r = book.resolutions.get(i.id)
        if r is not None:
            how = f": {g.text(r.note)}" if r.note else ""
            parts += ["\n", (f"{'':12}resolved {r.date} by {g.text(r.by or '?', 16)}{how}", "$text-success")]
        elif is_problem(i):
            parts += ["\n", (f"{'':12}OPEN problem", "bold $text-error")]
    if len(history) > shown:
        parts += ["\n", (f"... and {len(history) - shown} earlier: cxmap contact show NAME lists them all",
                         "$text-muted")]
    return parts


def account_problems(s: Snapshot, g: Glyphs, account_id: str) -> list[Any]:
    """The parts of a Content: an account's open problems, worst first."""
    found = s.problems.get(f"acc:{account_id}", [])
    if not found:
        return [("No open problem", "bold"), " at this account."]
    parts: list[Any] = [(_count(len(found), "open problem"), "bold"), " here, worst first (R resolves a contact's):"]
    for p in found[:12]:
        parts += ["\n", lay_out([face(g, p.feeling), g.text(p.contact.name, 18), g.text(p.moment.label(), 24),
                                  p.interaction.date], [5, 18, 24, 10])]
    if len(found) > 12:
        parts += ["\n", (f"... and {len(found) - 12} more: cxmap at-risk --json lists them all", "$text-muted")]
    return parts


def review_verdict(s: Snapshot, g: Glyphs, contact_id: str) -> list[Any]:
    """The parts of a Content: whether to ask this contact for a review now, and why not."""
    for c in s.reviews.candidates:
        if c.contact.id == contact_id:
            where = f"no problem is open at {g.text(c.account.name, 30)}" if c.account else "none of theirs is open"
            return [("Ask for a review now", "bold"), f": {where} (how they felt does not matter).", "\n"]
    for x in s.reviews.left_out:
        if x.contact.id == contact_id:
            return [("Not now", "bold"), ": ", *_why_not(g, x), "\n"]
    return []


def _why_not(g: Glyphs, x: LeftOut) -> list[Any]:
    """Why not now. A colleague's problem a fact a line, so that none is cut or broken across
    lines at 60 columns: where it is open, who felt what and when, and at which touchpoint."""
    p = x.problem
    if p is None:
        return [g.text(x.reason)]
    more = x.open_problems - 1
    also = f" (and {more} more open{' there' if x.account is not None else ''})" if more else ""
    if p.contact.id == x.contact.id or x.account is None:  # their history, just below, has it
        return [f"their own problem is open{also} (R resolves it)"]
    return [f"open problem at {g.text(x.account.name)}", "\n", (g.text(p.contact.name), "bold"),
            f" felt {feelings.signed(p.feeling)} on {p.interaction.date}", "\n",
            f"at {g.text(p.moment.label())}{also}"]


def checklist_parts(s: Snapshot, g: Glyphs, key: str, ideal_id: str | None, today: date) -> list[Any]:
    """The parts of a Content: the ideal map's checklist for a contact ("con:<id>") or an
    account ("acc:<id>"), on `today`, the moments to act on first."""
    ideal = next((m for m in s.ideals if m.id == ideal_id), None)
    if ideal is None:
        return ["No ideal map yet: the checklist runs an ideal map's moments for each customer. "
                "Start one in step 1 (an 'ideal' template)."]
    kind, _, ref = key.partition(":")
    try:
        checklist = (account_checklist if kind == "acc" else contact_checklist)(s.book, ideal, ref, today)
    except CxmapError as error:
        return [g.text(str(error))]
    who = checklist.contact.name if checklist.contact else checklist.account.name if checklist.account else ""
    counts = ", ".join(f"{checklist.count(state)} {state}" for state in STATES if checklist.count(state))
    lines: list[Any] = [(g.text(who, 30), "bold"), f": {counts or 'nothing to do'}", "\n",
                        (f"from the ideal map {g.text(ideal.title, 30)!r}  (M: another map; Tab: scroll this)",
                         "$text-muted")]
    order = {state: i for i, state in enumerate(STATES)}
    items = sorted(checklist.items, key=lambda i: order[i.state])
    shown = 30
    for item in items[:shown]:
        due = f" (due {item.due.isoformat()})" if item.due and item.state != "done" else ""
        whose = f" - {g.text(item.contact.name, 30)}" if kind == "acc" and item.contact else ""
        style = "bold $text-error" if item.state == "overdue" else "bold" if item.state == "due" else ""
        lines += ["\n", (f"{item.state:<9}", style), f" {g.text(item.touchpoint.name, 30)}{whose}{due}"]
    if len(items) > shown:
        lines += ["\n", (f"... and {len(items) - shown} more: cxmap checklist --{'account' if kind == 'acc' else 'contact'}"
                         f" NAME --map IDEAL shows them all", "$text-muted")]
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# The views whose rows are built from the snapshot alone (on a worker thread).
BUILDERS: dict[str, Callable[[Snapshot, Glyphs], Rows]] = {
    "people": people_rows, "risk": risk_rows, "reviews": review_rows,
}
