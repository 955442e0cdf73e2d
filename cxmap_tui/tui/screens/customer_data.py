"""What the customers screen shows, apart from the widgets: one snapshot of the workspace's
customers and what follows from them, and rows laid out in columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from textual.binding import BindingType
from textual.content import Content

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
from ...store import Store
from ..glyphs import Glyphs
from ..widgets.light import LightOptionList
from ..widgets.list_keys import LIST_KEYS, ListKeys
from .customer_columns import Column, Part, Rows, fit_widths, lay_out


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


def take_snapshot(store: Store) -> Snapshot:
    book = store.customers.book()
    maps = store.maps()
    names = TouchpointNames(maps)
    problems = open_problems(book, names)
    latest = latest_feelings(book, names)
    _ = book.interactions_of  # indexed here, on the worker, rather than on the first highlight
    return Snapshot(
        book=book,
        maps=maps,
        experiences={e.account.id: e for e in account_experiences(book, names, latest)},
        latest=latest,
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


def face(g: Glyphs, score: int | None) -> str:
    return f"{g.face(score)} {feelings.signed(score)}" if score is not None else g.face(None)


def _bold(text: str) -> Content:
    return Content.styled(text, "bold")


PEOPLE = [Column("Account / contact", 22, least=12, short="Customer"), Column("Feels", 5),
          Column("Where (latest)", 20, least=10, short="Where"), Column("Since", 10),
          Column("Segment", 8, least=7, most=12)]
RISK = [Column("Account", 18, least=10), Column("Feels", 5),
        Column("Worst open problem", 28, least=13, most=36, short="Worst problem"), Column("Since", 10),
        Column("Open", 4)]
ASK = "ask (last met {})"
REVIEWS = [Column("Contact", 18, least=12), Column("Account", 12, least=8),
           Column("Ask?", 42, least=len(ASK.format("2026-01-01")))]  # the date whole


def people_rows(s: Snapshot, g: Glyphs, room: int) -> Rows:
    """Accounts (each with its worst contact's latest feeling) and their contacts, then the
    contacts of no account."""
    rows = Rows("people", PEOPLE, room)
    name_w, _, where_w, _, segment_w = rows.widths

    def contact_row(contact: Contact, indent: str) -> None:
        latest = s.latest.get(contact.id)
        rows.add(f"con:{contact.id}", indent + g.text(contact.name, name_w - len(indent)),
                 face(g, latest.feeling if latest else None),
                 g.text(latest.moment.label() if latest else "-", where_w),
                 contact.start, g.text(s.book.segment_of(contact), segment_w))

    for account in sorted(s.book.accounts.values(), key=lambda a: a.name.casefold()):
        e = s.experiences.get(account.id)
        worst = e.worst if e is not None else None
        where = f"{worst.contact.name}: {worst.moment.label()}" if worst else "no feelings yet"
        rows.add(f"acc:{account.id}", _bold(g.text(account.name, name_w)), face(g, worst.feeling if worst else None),
                 g.text(where, where_w), account.start, g.text(account.segment, segment_w))
        for contact in sorted(s.book.contacts_of.get(account.id, []), key=lambda c: c.name.casefold()):
            contact_row(contact, "  ")
    loners = [c for c in s.book.contacts.values() if s.book.account_of(c) is None]
    for contact in sorted(loners, key=lambda c: c.name.casefold()):
        contact_row(contact, "")
    if not rows.rows:
        rows.below = "No customers yet: A adds an account, C a contact (or: cxmap import-customers FILE)."
    return rows


def risk_rows(s: Snapshot, g: Glyphs, room: int) -> Rows:
    rows = Rows("risk", RISK, room)
    name_w, _, problem_w, _, _ = rows.widths
    for r in s.at_risk:
        w = r.worst
        name = (_bold(g.text(r.account.name, name_w)) if r.account is not None
                else Content.styled(g.text("(no account)", name_w), "dim"))
        key = f"acc:{r.account.id}" if r.account is not None else f"con:{w.contact.id}"
        rows.add(key, name, face(g, w.feeling), g.text(f"{w.contact.name} at {w.moment.label()}", problem_w),
                 w.interaction.date, str(len(r.problems)))
    rows.below = ("Accounts with a problem nobody has resolved yet (a feeling of -1 or lower), worst first; "
                  "R resolves one." if s.at_risk else "No account is at risk: no problem is open.")
    return rows


def review_rows(s: Snapshot, g: Glyphs, room: int) -> Rows:
    rows = Rows("reviews", REVIEWS, room)
    contact_w, account_w, ask_w = rows.widths
    for c in s.reviews.candidates:
        rows.add(f"con:{c.contact.id}", _bold(g.text(c.contact.name, contact_w)),
                 g.text(c.account.name if c.account else "-", account_w),
                 _bold(ASK.format(c.last.interaction.date)))
    for x in s.reviews.left_out:
        # The row names whose problem it is (a colleague's name whole, in 80 columns) and where;
        # the lines below the table give the whole reason for the highlighted contact.
        p = x.problem
        why = "no interaction yet"
        if p is not None:
            who = "their own" if p.contact.id == x.contact.id else p.contact.name
            why = f"{feelings.signed(p.feeling)} {who} at {p.moment.label()}"
        rows.add(f"con:{x.contact.id}", g.text(x.contact.name, contact_w),
                 g.text(x.account.name if x.account else "-", account_w), g.text(f"not now: {why}", ask_w))
    rows.below = (f"{len(s.reviews.candidates)} to ask, {len(s.reviews.left_out)} not now. Everyone met is asked, "
                  "however they felt, unless a problem is open at their account.")
    return rows


def contact_history(s: Snapshot, g: Glyphs, contact_id: str, width: int, shown: int = 12) -> list[Part]:
    """The parts of a Content, in lines of `width` cells: a contact's interactions, newest first,
    each problem marked open or resolved (when, by whom, how)."""
    book = s.book
    history = sorted(book.interactions_of.get(contact_id, ()), key=lambda i: i.order(), reverse=True)
    contact = book.contacts.get(contact_id)
    still = [p for p in s.problems.get(group_of(book, contact), []) if p.contact.id == contact_id] if contact else []
    head = f"{_count(len(still), 'open problem')} (R resolves)" if still else "no open problem"
    parts: list[Part] = [("History", "bold"), f": {_count(len(history), 'interaction')}, {head}"]
    label_w, rest = max(8, width - 19), max(8, width - 12)  # after the date and the face; after the indent
    for i in history[:shown]:
        parts += ["\n", lay_out([i.date, face(g, i.feeling), g.text(s.names.moment(i).label(), label_w)],
                                [10, 5, label_w])]
        if i.note:
            parts += ["\n", (f"{'':12}{g.text(i.note, rest)}", "$text-muted")]
        r = book.resolutions.get(i.id)
        if r is not None:
            done = f"resolved {r.date} by {g.text(r.by or '?', 16)}"
            how = f": {g.text(r.note, max(4, rest - len(done) - 2))}" if r.note else ""
            parts += ["\n", (f"{'':12}{done}{how}", "$text-success")]
        elif is_problem(i):
            parts += ["\n", (f"{'':12}OPEN problem", "bold $text-error")]
    if len(history) > shown:
        parts += ["\n", (f"... and {len(history) - shown} earlier: cxmap contact show NAME lists them all",
                         "$text-muted")]
    return parts


PROBLEM = [Column("", 5), Column("", 18, least=8), Column("", 24, least=10), Column("", 10)]


def account_problems(s: Snapshot, g: Glyphs, account_id: str, width: int) -> list[Part]:
    """The parts of a Content, in lines of `width` cells: an account's open problems, worst first."""
    found = s.problems.get(f"acc:{account_id}", [])
    if not found:
        return [("No open problem", "bold"), " at this account."]
    count = _count(len(found), "open problem")
    then = " here, worst first (R resolves a contact's):"
    parts: list[Part] = [(count, "bold"), then if len(count + then) <= width else then.replace(" here", "")]
    widths = fit_widths(PROBLEM, width)
    for p in found[:12]:
        parts += ["\n", lay_out([face(g, p.feeling), g.text(p.contact.name, widths[1]),
                                 g.text(p.moment.label(), widths[2]), p.interaction.date], widths)]
    if len(found) > 12:
        parts += ["\n", (f"... and {len(found) - 12} more: cxmap at-risk --json lists them all", "$text-muted")]
    return parts


def review_verdict(s: Snapshot, g: Glyphs, contact_id: str, width: int) -> list[Part]:
    """The parts of a Content: whether to ask this contact for a review now, and why not."""
    for c in s.reviews.candidates:
        if c.contact.id == contact_id:
            where = f"no problem is open at {g.text(c.account.name, 30)}" if c.account else "none of theirs is open"
            return [("Ask for a review now", "bold"), f": {where} (how they felt does not matter).", "\n"]
    for x in s.reviews.left_out:
        if x.contact.id == contact_id:
            return [("Not now", "bold"), ": ", *_why_not(g, x, width), "\n"]
    return []


def _why_not(g: Glyphs, x: LeftOut, width: int) -> list[Part]:
    """Why not now. A colleague's problem a fact a line of `width` cells (the names cut to fit),
    so that none is cut or broken across lines: where it is open, who felt what and when, and at
    which touchpoint."""
    p = x.problem
    if p is None:
        return [g.text(x.reason)]
    more = x.open_problems - 1
    also = f" (and {more} more open{' there' if x.account is not None else ''})" if more else ""
    if p.contact.id == x.contact.id or x.account is None:  # their history, just below, has it
        return [f"their own problem is open{also} (R resolves it)"]
    felt = f" felt {feelings.signed(p.feeling)} on {p.interaction.date}"
    at = "open problem at "
    return [at, g.text(x.account.name, max(8, width - len("Not now: ") - len(at))), "\n",
            (g.text(p.contact.name, max(8, width - len(felt))), "bold"), felt, "\n",
            f"at {g.text(p.moment.label(), max(8, width - 3 - len(also)))}{also}"]


def _from_line(g: Glyphs, title: str, width: int) -> str:
    """Which ideal map the checklist comes from, and the keys for it, in lines of `width` cells:
    shorter words when the whole ones leave too little room for the map's title, and the keys on
    a line of their own when even those do."""
    shown = cell_len(g.text(title))
    for lead, keys in (("from the ideal map ", "  (M: another map; Tab: scroll this)"),
                       ("from ", "  (M: another; Tab: scroll)")):
        room = min(30, width - len(lead) - len(keys) - 2)  # 2: the quotes
        if room >= min(shown, 20):
            return f"{lead}{g.text(title, room)!r}{keys}"
    return f"from {g.text(title, max(8, min(30, width - 7)))!r}\n{keys.strip()}"


def checklist_parts(s: Snapshot, g: Glyphs, key: str, ideal_id: str | None, today: date, width: int) -> list[Part]:
    """The parts of a Content, in lines of `width` cells: the ideal map's checklist for a contact
    ("con:<id>") or an account ("acc:<id>"), on `today`, the moments to act on first."""
    ideal = next((m for m in s.ideals if m.id == ideal_id), None)
    if ideal is None:
        return [("No ideal map yet: the checklist runs an ideal map's moments for each customer. "
                 "Start one in step 1 (an 'ideal' template).")]
    kind, _, ref = key.partition(":")
    try:
        checklist = (account_checklist if kind == "acc" else contact_checklist)(s.book, ideal, ref, today)
    except CxmapError as error:
        return [g.text(str(error))]
    who = checklist.contact.name if checklist.contact else checklist.account.name if checklist.account else ""
    counts = ", ".join(f"{checklist.count(state)} {state}" for state in STATES if checklist.count(state))
    lines: list[Part] = [(g.text(who, 30), "bold"), f": {counts or 'nothing to do'}", "\n",
                        (_from_line(g, ideal.title, width), "$text-muted")]
    order = {state: i for i, state in enumerate(STATES)}
    items = sorted(checklist.items, key=lambda i: order[i.state])
    shown = 30
    for item in items[:shown]:
        due = f" (due {item.due.isoformat()})" if item.due and item.state != "done" else ""
        room = width - 10 - len(due)  # after the state, before the date: the names fit what is left
        if due and room < 16:  # too little for a name: the date goes under it
            room, due = width - 10, f"\n{'':9}{due}"
        shared = kind == "acc" and item.contact is not None  # the touchpoint, then whose it is
        name = g.text(item.touchpoint.name, min(30, max(8, (room - 3) * 3 // 5 if shared else room)))
        whose = ""
        if shared and item.contact is not None:
            whose = f" - {g.text(item.contact.name, min(30, max(6, room - 3 - cell_len(name))))}"
        style = "bold $text-error" if item.state == "overdue" else "bold" if item.state == "due" else ""
        lines += ["\n", (f"{item.state:<9}", style), f" {name}{whose}{due}"]
    if len(items) > shown:
        option = "account" if kind == "acc" else "contact"
        more = f"... and {len(items) - shown} more: cxmap checklist --{option} NAME --map IDEAL shows them all"
        lines += ["\n", (more, "$text-muted")]
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# The views whose rows are built from the snapshot alone (on a worker thread).
BUILDERS: dict[str, Callable[[Snapshot, Glyphs, int], Rows]] = {
    "people": people_rows, "risk": risk_rows, "reviews": review_rows,
}
