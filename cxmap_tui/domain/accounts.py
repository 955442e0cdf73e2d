"""How each contact and each account feels now, which accounts have an open problem, whom to
ask for a review (and when not to), and whom to ask for a reference.

The rules:

* A contact's **latest feeling** is the feeling of their latest rated interaction: the one with
  the latest date; of two on the same date, the one recorded later. Interactions without a
  feeling are skipped, so "nobody asked" never hides how they last said they felt.
* An **account's experience** is only as good as its worst contact's: the lowest latest feeling
  among its contacts. Of two contacts equally low, the one whose feeling is more recent names it
  (then the first by name). An account none of whose contacts has a feeling has no experience yet.
* An interaction at -1 or lower opens a **problem**, open until it is resolved (see `problems`).
  An account is **at risk** while any of its contacts has an open problem; a contact without an
  account is at risk, on their own, while they have one. An account's (or lone contact's) worst
  problem is the lowest feeling, then the oldest (the earliest date, then the first recorded);
  the list is worst first by that problem, then by name.
* **Review requests** are about *when* to ask, never *whom by feeling*: asking only the happy
  ones ("review gating") is forbidden by the review platforms and deceptive to the public. So
  every contact who has had an interaction is asked, however they felt, except while their
  account (or, without an account, they themselves) has an open problem: then "not now", naming
  it. A contact nobody has met yet is left out for that reason. Candidates are listed by account
  and name, not by feeling.
* **References** (case studies, a reference call: things a person is asked for directly) are a
  separate list, and may be chosen by feeling: contacts whose latest feeling is +1 or higher, at
  an account with no open problem (or, without an account, with none of their own).
* Interactions keep counting after their touchpoint (or their whole map) is deleted: what the
  customer went through still happened. They are then named as "a touchpoint since removed from
  <map>" or "a map since deleted".

Everything here is one pass over the interactions plus one over the contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from .customers import Account, Contact, CustomerBook, Interaction
from .feelings import signed
from .model import ExperienceMap
from .problems import PROBLEM, Resolution, is_problem

HAPPY = 1  # this or higher: the contact may be asked for a reference

# Why a contact is not asked for a review now.
NO_INTERACTION = "no interaction"
OPEN_PROBLEM = "open problem"


@dataclass(frozen=True)
class Moment:
    """Where an interaction happened, named for people."""

    map_id: str
    touchpoint_id: str
    map_title: str  # "" when the map has been deleted
    touchpoint: str  # the touchpoint's name; "" when it is no longer in the map

    @property
    def removed(self) -> bool:
        return not self.touchpoint

    def label(self) -> str:
        if self.touchpoint:
            return self.touchpoint
        if self.map_title:
            return f"a touchpoint since removed from {self.map_title!r}"
        return "a map since deleted"


class TouchpointNames:
    """Map and touchpoint names by id, to say where an interaction happened."""

    def __init__(self, maps: Iterable[ExperienceMap]) -> None:
        self._maps = {m.id: (m.title, {tp.id: tp.name for tp in m.touchpoints}) for m in maps}
        # One Moment per touchpoint, shared: a big workspace has tens of thousands of interactions
        # at a few dozen touchpoints, and fewer objects made means shorter garbage collections.
        self._made: dict[tuple[str, str], Moment] = {}

    def moment(self, interaction: Interaction) -> Moment:
        key = (interaction.map, interaction.touchpoint)
        found = self._made.get(key)
        if found is None:
            title, names = self._maps.get(interaction.map, ("", {}))
            found = self._made.setdefault(key, Moment(*key, title, names.get(interaction.touchpoint, "")))
        return found


@dataclass(frozen=True)
class ContactFeeling:
    """A contact's latest feeling, and the interaction (and moment) it comes from."""

    contact: Contact
    feeling: int
    interaction: Interaction
    moment: Moment

    def describe(self) -> str:
        """'Bo Ek at First invoice (-2)'."""
        return f"{self.contact.name} at {self.moment.label()} ({signed(self.feeling)})"


def latest_rated(book: CustomerBook) -> dict[str, Interaction]:
    """Contact id -> their latest interaction that has a feeling (contacts without one are absent)."""
    best: dict[str, Interaction] = {}
    get = best.get
    for i in book.interactions:
        if i.feeling is not None:
            b = get(i.contact)
            if b is None or i.date > b.date or (i.date == b.date and i.seq >= b.seq):  # `later`, written out
                best[i.contact] = i
    return best


def latest_feelings(book: CustomerBook, names: TouchpointNames) -> dict[str, ContactFeeling]:
    """Contact id -> their latest feeling, for the contacts of the book that have one."""
    out: dict[str, ContactFeeling] = {}
    contacts, moment = book.contacts, names.moment
    for contact_id, i in latest_rated(book).items():
        contact = contacts.get(contact_id)
        if contact is not None:
            assert i.feeling is not None
            out[contact_id] = ContactFeeling(contact, i.feeling, i, moment(i))
    return out


def _worse(a: ContactFeeling, b: ContactFeeling | None) -> bool:
    """True if `a` should name the account rather than `b`: lower, or as low and more recent."""
    if b is None or a.feeling != b.feeling:
        return b is None or a.feeling < b.feeling
    if a.interaction.order() != b.interaction.order():
        return a.interaction.order() > b.interaction.order()
    return a.contact.name.casefold() < b.contact.name.casefold()


@dataclass(frozen=True)
class AccountExperience:
    """An account's current experience: its worst contact's latest feeling."""

    account: Account
    worst: ContactFeeling | None  # None: none of its contacts has a feeling recorded
    contacts: int
    rated: int  # contacts with a feeling

    @property
    def feeling(self) -> int | None:
        return None if self.worst is None else self.worst.feeling


def _experiences(book: CustomerBook, latest: dict[str, ContactFeeling]) -> dict[str, AccountExperience]:
    out: dict[str, AccountExperience] = {}
    for account_id, contacts in book.contacts_of.items():
        worst: ContactFeeling | None = None
        rated = 0
        for c in contacts:
            cf = latest.get(c.id)
            if cf is not None:
                rated += 1
                if _worse(cf, worst):
                    worst = cf
        out[account_id] = AccountExperience(book.accounts[account_id], worst, len(contacts), rated)
    return out


def account_experiences(book: CustomerBook, names: TouchpointNames,
                        latest: dict[str, ContactFeeling] | None = None) -> list[AccountExperience]:
    """Every account's experience, by account name. `latest`: what `latest_feelings` gave for
    this book, if it is at hand."""
    found = _experiences(book, latest_feelings(book, names) if latest is None else latest)
    return sorted(found.values(), key=lambda e: (e.account.name.casefold(), e.account.id))


# -- problems and who is at risk --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """An interaction at -1 or lower, and its resolution if it has one."""

    contact: Contact
    interaction: Interaction
    moment: Moment
    resolution: Resolution | None = None

    @property
    def feeling(self) -> int:
        assert self.interaction.feeling is not None
        return self.interaction.feeling

    @property
    def is_open(self) -> bool:
        return self.resolution is None

    def where(self) -> str:
        """'Invoice (-2) on 2026-02-03'."""
        return f"{self.moment.label()} ({signed(self.feeling)}) on {self.interaction.date}"

    def describe(self) -> str:
        """'Bo Ek at Invoice (-2) on 2026-02-03'."""
        return f"{self.contact.name} at {self.where()}"


def problems_of(book: CustomerBook, names: TouchpointNames, contact_id: str) -> list[Problem]:
    """One contact's problems, open and resolved, in the order they happened."""
    contact = book.contacts[contact_id]
    found = [Problem(contact, i, names.moment(i), book.resolutions.get(i.id))
             for i in book.interactions_of.get(contact_id, ()) if is_problem(i)]
    return sorted(found, key=lambda p: p.interaction.order())


def group_of(book: CustomerBook, contact: Contact) -> str:
    """Whose problems a contact shares: their account's, or (without one) only their own."""
    account = book.account_of(contact)
    return f"acc:{account.id}" if account is not None else f"con:{contact.id}"


_WORST_FIRST = attrgetter("feeling", "date", "seq")  # the lowest feeling, then the oldest


def _open_by_group(book: CustomerBook) -> tuple[dict[str, list[Interaction]], dict[str, str]]:
    """The interactions of the open problems by group ("acc:<id>", or "con:<id>" for a contact
    without an account), worst first; and each contact's group."""
    groups = {c.id: group_of(book, c) for c in book.contacts.values()}
    out: dict[str, list[Interaction]] = {}
    resolved = book.resolutions
    for i in [i for i in book.interactions if i.feeling is not None and i.feeling <= PROBLEM]:
        if i.id not in resolved:
            group = groups.get(i.contact)
            if group is not None:
                out.setdefault(group, []).append(i)
    for found in out.values():
        found.sort(key=_WORST_FIRST)
    return out, groups


def open_problems(book: CustomerBook, names: TouchpointNames) -> dict[str, list[Problem]]:
    """The open problems of each account ("acc:<id>") and of each contact without one
    ("con:<id>"), worst first; those without any are absent."""
    found, _ = _open_by_group(book)
    contacts, moment = book.contacts, names.moment
    return {group: [Problem(contacts[i.contact], i, moment(i)) for i in interactions]
            for group, interactions in found.items()}


@dataclass(frozen=True)
class AtRisk:
    """An account with open problems, or a contact without an account who has some."""

    account: Account | None  # None: `problems` are one lone contact's
    problems: list[Problem]  # worst first
    contacts: int  # how many contacts the account has (1 for a lone contact)

    @property
    def worst(self) -> Problem:
        return self.problems[0]

    @property
    def name(self) -> str:
        return self.account.name if self.account is not None else self.worst.contact.name

    @property
    def id(self) -> str:
        """The account's id, or the lone contact's."""
        return self.account.id if self.account is not None else self.worst.contact.id

    @property
    def troubled(self) -> int:
        """How many of its contacts have an open problem."""
        return len({p.contact.id for p in self.problems})


def at_risk(book: CustomerBook, names: TouchpointNames,
            problems: dict[str, list[Problem]] | None = None) -> list[AtRisk]:
    """Accounts (and lone contacts) with open problems, worst first, then by name. `problems`:
    what `open_problems` gave for this book, if it is at hand."""
    found = []
    for key, open_ones in (open_problems(book, names) if problems is None else problems).items():
        kind, _, ref = key.partition(":")
        account = book.accounts[ref] if kind == "acc" else None
        size = len(book.contacts_of[ref]) if account is not None else 1
        found.append(AtRisk(account, open_ones, size))
    return sorted(found, key=lambda r: (r.worst.feeling, *r.worst.interaction.order(), r.name.casefold(),
                                        r.account is None, r.id))


# -- whom to ask for a review, and for a reference --------------------------------------------------


@dataclass(frozen=True)
class Met:
    """A contact's latest interaction, rated or not, and where it was."""

    interaction: Interaction
    moment: Moment


@dataclass(frozen=True)
class Candidate:
    """A contact to ask for a review now."""

    contact: Contact
    account: Account | None
    last: Met  # their latest interaction: to say when they were last met, not to choose by


@dataclass(frozen=True)
class LeftOut:
    """A contact not to ask for a review now, and why."""

    contact: Contact
    account: Account | None
    why: str  # NO_INTERACTION or OPEN_PROBLEM
    problem: Problem | None = None  # for OPEN_PROBLEM: their own worst open one, else the account's
    open_problems: int = 0  # how many are open at the account (or, without one, their own)

    @property
    def reason(self) -> str:
        if self.why == NO_INTERACTION:
            return "no interaction recorded yet"
        p = self.problem
        assert p is not None
        more = self.open_problems - 1
        also = f" (and {more} more open{' at the account' if self.account is not None else ''})" if more else ""
        if p.contact.id == self.contact.id:
            return f"their own open problem: {p.where()}{also}"
        assert self.account is not None
        return f"open problem at {self.account.name}: {p.describe()}{also}"


@dataclass(frozen=True)
class ReviewCandidates:
    candidates: list[Candidate]  # by account (none last) and name
    left_out: list[LeftOut]  # by account (none last) and name


def _by_name(contact: Contact, account: Account | None) -> tuple[bool, str, str, str]:
    # By account, those without one last; then by name.
    return (account is None, account.name.casefold() if account else "", contact.name.casefold(), contact.id)


_ORDER = attrgetter("date", "seq")  # `Interaction.order`


def _last(history: list[Interaction]) -> Interaction:
    """The latest of one contact's interactions (in recording order), as `later` decides: of
    two with equal dates and numbers, the one given later."""
    return max(reversed(history), key=_ORDER)


def review_candidates(book: CustomerBook, names: TouchpointNames) -> ReviewCandidates:
    """Whom to ask for a review, and everyone left out with the reason (see the module's rules)."""
    problems, groups = _open_by_group(book)
    own_worst: dict[str, Interaction] = {}  # contact id -> their worst open problem
    for interactions in problems.values():
        for i in interactions:
            own_worst.setdefault(i.contact, i)
    named: dict[str, Problem] = {}

    def problem(i: Interaction) -> Problem:
        if i.id not in named:
            named[i.id] = Problem(book.contacts[i.contact], i, names.moment(i))
        return named[i.id]

    histories = book.interactions_of
    candidates: list[Candidate] = []
    left_out: list[LeftOut] = []
    for contact in book.contacts.values():
        account = book.account_of(contact)
        open_here = problems.get(groups[contact.id])
        history = histories.get(contact.id)
        if not history:
            left_out.append(LeftOut(contact, account, NO_INTERACTION))
        elif open_here:
            shown = problem(own_worst.get(contact.id, open_here[0]))
            left_out.append(LeftOut(contact, account, OPEN_PROBLEM, shown, len(open_here)))
        else:
            i = _last(history)
            candidates.append(Candidate(contact, account, Met(i, names.moment(i))))
    candidates.sort(key=lambda c: _by_name(c.contact, c.account))
    left_out.sort(key=lambda x: _by_name(x.contact, x.account))
    return ReviewCandidates(candidates, left_out)


@dataclass(frozen=True)
class Reference:
    """A contact to ask, in person, for a reference or a case study."""

    contact: Contact
    account: Account | None
    latest: ContactFeeling


def references(book: CustomerBook, names: TouchpointNames) -> list[Reference]:
    """Contacts whose latest feeling is +1 or higher, where nothing is open at their account (or,
    without one, for them): by account (none last) and name."""
    problems, groups = _open_by_group(book)
    found = []
    for contact_id, i in latest_rated(book).items():
        contact = book.contacts.get(contact_id)
        if contact is not None and i.feeling is not None and i.feeling >= HAPPY and groups[contact_id] not in problems:
            found.append(Reference(contact, book.account_of(contact), ContactFeeling(contact, i.feeling, i,
                                                                                     names.moment(i))))
    found.sort(key=lambda r: _by_name(r.contact, r.account))
    return found
