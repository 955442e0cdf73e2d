"""How each contact and each account feels now, which accounts are at risk, and whom to ask for
a review.

The rules:

* A contact's **latest feeling** is the feeling of their latest rated interaction: the one with
  the latest date; of two on the same date, the one recorded later. Interactions without a
  feeling are skipped, so "nobody asked" never hides how they last said they felt.
* An **account's experience** is only as good as its worst contact's: the lowest latest feeling
  among its contacts. Of two contacts equally low, the one whose feeling is more recent names it
  (then the first by name). An account none of whose contacts has a feeling has no experience yet.
* An account is **at risk** when its experience is -1 or lower. The list is worst first, then by
  the account's name.
* A contact is a **review candidate** when their latest feeling is +1 or higher and no contact at
  their account has a latest feeling of -1 or lower: do not ask a happy contact for a review
  while a colleague is having a bad time. Everyone else is left out with the reason. A contact
  without an account is judged on their own feeling alone.
* Interactions keep counting after their touchpoint (or their whole map) is deleted: what the
  customer went through still happened. They are then named as "a touchpoint since removed from
  <map>" or "a map since deleted".

Everything here is one pass over the interactions plus one over the contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .customers import Account, Contact, CustomerBook, Interaction, later
from .feelings import signed
from .model import ExperienceMap

UNHAPPY = -1  # this or lower: the account is at risk, and nobody there is asked for a review
HAPPY = 1  # this or higher: the contact may be asked for a review

# Why a contact is not a review candidate.
NO_FEELING = "no feeling"
NOT_HAPPY = "not happy"
COLLEAGUE_UNHAPPY = "colleague unhappy"


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

    def moment(self, interaction: Interaction) -> Moment:
        title, names = self._maps.get(interaction.map, ("", {}))
        return Moment(interaction.map, interaction.touchpoint, title, names.get(interaction.touchpoint, ""))


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
    for i in book.interactions:
        if i.feeling is not None and later(i, best.get(i.contact)):
            best[i.contact] = i
    return best


def latest_feelings(book: CustomerBook, names: TouchpointNames) -> dict[str, ContactFeeling]:
    """Contact id -> their latest feeling, for the contacts of the book that have one."""
    out: dict[str, ContactFeeling] = {}
    for contact_id, i in latest_rated(book).items():
        contact = book.contacts.get(contact_id)
        if contact is not None:
            assert i.feeling is not None
            out[contact_id] = ContactFeeling(contact, i.feeling, i, names.moment(i))
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


def account_experiences(book: CustomerBook, names: TouchpointNames) -> list[AccountExperience]:
    """Every account's experience, by account name."""
    found = _experiences(book, latest_feelings(book, names))
    return sorted(found.values(), key=lambda e: (e.account.name.casefold(), e.account.id))


def at_risk(book: CustomerBook, names: TouchpointNames, *, threshold: int = UNHAPPY) -> list[AccountExperience]:
    """Accounts whose experience is `threshold` or lower: worst first, then by name."""
    found = _experiences(book, latest_feelings(book, names))
    risky = [e for e in found.values() if e.worst is not None and e.worst.feeling <= threshold]
    return sorted(risky, key=lambda e: (e.worst.feeling if e.worst else 0, e.account.name.casefold(), e.account.id))


@dataclass(frozen=True)
class Candidate:
    """A contact who may be asked for a review."""

    contact: Contact
    account: Account | None
    latest: ContactFeeling


@dataclass(frozen=True)
class LeftOut:
    """A contact who should not be asked for a review now, and why."""

    contact: Contact
    account: Account | None
    why: str  # NO_FEELING, NOT_HAPPY or COLLEAGUE_UNHAPPY
    latest: ContactFeeling | None  # the contact's own latest feeling
    blocker: ContactFeeling | None = None  # for COLLEAGUE_UNHAPPY: the colleague, where, how low

    @property
    def reason(self) -> str:
        if self.why == NO_FEELING:
            return "no feeling recorded"
        if self.why == NOT_HAPPY:
            assert self.latest is not None
            return f"not happy ({signed(self.latest.feeling)})"
        assert self.blocker is not None and self.account is not None
        return f"another contact at {self.account.name} is unhappy: {self.blocker.describe()}"


@dataclass(frozen=True)
class ReviewCandidates:
    candidates: list[Candidate]  # happiest first, then by account (none last) and name
    left_out: list[LeftOut]  # by account (none last) and name


def review_candidates(book: CustomerBook, names: TouchpointNames) -> ReviewCandidates:
    """Whom to ask for a review, and everyone left out with the reason (see the module's rules)."""
    latest = latest_feelings(book, names)
    experiences = _experiences(book, latest)
    candidates: list[Candidate] = []
    left_out: list[LeftOut] = []
    for contact in book.contacts.values():
        account = book.account_of(contact)
        own = latest.get(contact.id)
        if own is None:
            left_out.append(LeftOut(contact, account, NO_FEELING, None))
        elif own.feeling < HAPPY:
            left_out.append(LeftOut(contact, account, NOT_HAPPY, own))
        else:
            worst = experiences[account.id].worst if account is not None else None
            if worst is not None and worst.feeling <= UNHAPPY:
                left_out.append(LeftOut(contact, account, COLLEAGUE_UNHAPPY, own, worst))
            else:
                candidates.append(Candidate(contact, account, own))

    def by_name(contact: Contact, account: Account | None) -> tuple[bool, str, str, str]:
        # By account, those without one last; then by name.
        return (account is None, account.name.casefold() if account else "", contact.name.casefold(), contact.id)

    candidates.sort(key=lambda c: (-c.latest.feeling, *by_name(c.contact, c.account)))
    left_out.sort(key=lambda x: by_name(x.contact, x.account))
    return ReviewCandidates(candidates, left_out)
