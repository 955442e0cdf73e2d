"""An ideal map used as a checklist: for one contact, or one account, which of the moments the
company wants to have with every customer have happened, which are due, which are late.

The rules:

* Each touchpoint of the ideal map runs on a clock: the **contact's** (its `clock` is "contact":
  counted from the contact's start) or the **account's** ("account": counted from the account's
  start, however long the contact has been there). A contact without an account uses their own
  start for both.
* A touchpoint with a `due_day` is due on clock start + due_day (day 0 is the first day) and
  stays due for a grace window of `grace` more days (7 unless said otherwise).
* The state of a moment, on the day `today`:
  - **done**: an interaction was recorded at that touchpoint of this map, dated on or before
    today. For a contact-clock moment it must be the contact's own; for an account-clock moment,
    any contact of the account counts (the account had its check-in).
  - **due**: not done, and due date <= today <= due date + grace;
  - **overdue**: not done, and today > due date + grace;
  - **ahead**: not done, and today < due date;
  - **any time**: not done, and the touchpoint has no due day.
* A contact's checklist has one line per touchpoint. An account's checklist has one line per
  account-clock touchpoint (for the account) and one per contact-clock touchpoint and contact.

`today` is always given by the caller; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .customers import Account, Contact, CustomerBook, Interaction
from .errors import NotFound, ValidationError
from .model import ExperienceMap
from .parts import Touchpoint

GRACE_DAYS = 7

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
AHEAD = "ahead"
ANY_TIME = "any time"
STATES = (OVERDUE, DUE, AHEAD, ANY_TIME, DONE)


@dataclass(frozen=True)
class ChecklistItem:
    """One moment of the ideal map for one customer."""

    touchpoint: Touchpoint
    contact: Contact | None  # whose moment; None for an account-clock moment of an account
    state: str  # one of STATES
    clock_start: date
    due: date | None  # clock start + due day; None without a due day
    until: date | None  # the last day of the grace window
    done: Interaction | None  # the earliest interaction (up to today) that ticked it off
    done_by: Contact | None = None  # whose interaction that was


@dataclass(frozen=True)
class Checklist:
    map: ExperienceMap
    today: date
    grace: int
    account: Account | None
    contact: Contact | None  # None when this is an account's checklist
    items: list[ChecklistItem]

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state == state)


def moment_state(
    due_day: int | None, clock_start: date, done: Interaction | None, today: date, grace: int = GRACE_DAYS
) -> tuple[str, date | None, date | None]:
    """The state of one moment (see the module's rules), its due date and the window's last day."""
    due = until = None
    if due_day is not None:
        due = clock_start + timedelta(days=due_day)
        until = due + timedelta(days=grace)
    if done is not None:
        return DONE, due, until
    if due is None or until is None:
        return ANY_TIME, None, None
    if today < due:
        return AHEAD, due, until
    if today <= until:
        return DUE, due, until
    return OVERDUE, due, until


def contact_checklist(
    book: CustomerBook, ideal: ExperienceMap, contact_id: str, today: date, *, grace: int = GRACE_DAYS
) -> Checklist:
    """The ideal map as a checklist for one contact."""
    _check(ideal, grace)
    contact = book.contacts.get(contact_id)
    if contact is None:
        raise NotFound("that contact is not in the workspace (any more)")
    account = book.account_of(contact)
    colleagues = book.contacts_of[account.id] if account is not None else [contact]
    firsts = _first_done(book, ideal, colleagues, today)
    own_start = contact.start_date()
    account_start = account.start_date() if account is not None else own_start
    items = []
    for tp in ideal.touchpoints:
        if tp.clock == "account":
            start, done = account_start, _earliest(firsts, tp.id, colleagues)
        else:
            start, done = own_start, firsts.get((contact.id, tp.id))
        state, due, until = moment_state(tp.due_day, start, done, today, grace)
        items.append(ChecklistItem(tp, contact, state, start, due, until, done, _by(book, done)))
    return Checklist(ideal, today, grace, account, contact, items)


def account_checklist(
    book: CustomerBook, ideal: ExperienceMap, account_id: str, today: date, *, grace: int = GRACE_DAYS
) -> Checklist:
    """The ideal map as a checklist for one account and each of its contacts."""
    _check(ideal, grace)
    account = book.accounts.get(account_id)
    if account is None:
        raise NotFound("that account is not in the workspace (any more)")
    contacts = sorted(book.contacts_of[account.id], key=lambda c: (c.name.casefold(), c.id))
    firsts = _first_done(book, ideal, contacts, today)
    account_start = account.start_date()
    starts = {c.id: c.start_date() for c in contacts}
    items = []
    for tp in ideal.touchpoints:
        if tp.clock == "account":
            done = _earliest(firsts, tp.id, contacts)
            state, due, until = moment_state(tp.due_day, account_start, done, today, grace)
            items.append(ChecklistItem(tp, None, state, account_start, due, until, done, _by(book, done)))
            continue
        for c in contacts:
            done = firsts.get((c.id, tp.id))
            state, due, until = moment_state(tp.due_day, starts[c.id], done, today, grace)
            items.append(ChecklistItem(tp, c, state, starts[c.id], due, until, done, _by(book, done)))
    return Checklist(ideal, today, grace, account, None, items)


def _check(ideal: ExperienceMap, grace: int) -> None:
    if ideal.kind != "ideal":
        raise ValidationError(
            f"{ideal.title!r} is a current-state map; a checklist follows an ideal map (kind ideal)"
        )
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise ValidationError(f"the grace window is a whole number of days from 0 up, not {grace!r}")


def _first_done(
    book: CustomerBook, ideal: ExperienceMap, contacts: list[Contact], today: date
) -> dict[tuple[str, str], Interaction]:
    """(contact id, touchpoint id) -> that contact's earliest interaction there up to today."""
    last_day = today.isoformat()  # ISO dates compare as text
    out: dict[tuple[str, str], Interaction] = {}
    for c in contacts:
        for i in book.interactions_of.get(c.id, ()):
            if i.map != ideal.id or i.date > last_day:
                continue
            key = (c.id, i.touchpoint)
            first = out.get(key)
            if first is None or i.order() < first.order():
                out[key] = i
    return out


def _by(book: CustomerBook, done: Interaction | None) -> Contact | None:
    return None if done is None else book.contacts.get(done.contact)


def _earliest(firsts: dict[tuple[str, str], Interaction], tp_id: str, contacts: list[Contact]) -> Interaction | None:
    found: Interaction | None = None
    for c in contacts:
        i = firsts.get((c.id, tp_id))
        if i is not None and (found is None or i.order() < found.order()):
            found = i
    return found

