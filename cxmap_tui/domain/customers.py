"""Real customers: business accounts, the people at them (contacts), and what each contact went
through (interactions recorded against a map's touchpoints).

An account is the company; a contact is a person, at an account or on their own (a consumer, or a
business contact not yet tied to an account). An interaction says that a contact met a touchpoint
of a map on a date, and how they felt there, if anyone asked.

Like the map model, these are plain dataclasses: `validate` checks one object and raises
ValidationError with a message a person can act on. `CustomerBook` holds a snapshot of all of
them and indexes it once, so that the analyses (checklist, accounts, segments) stay linear in
the size of the workspace.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, TypedDict

from .errors import ValidationError
from .feelings import check_score
from .field_checks import check_field_names
from .ids import new_id
from .parts import get_int, get_str
from .text import clean, clean_line
from .vocabulary import needs_text

if TYPE_CHECKING:
    from .problems import Resolution

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A date as given to the constructors: a `date`, or text written YYYY-MM-DD. (Named here because
# Interaction has a field called `date`.)
DateLike = str | date
DATE_HINT = "write it as YYYY-MM-DD, for example 2026-03-01"


# -- dates ----------------------------------------------------------------------------------------


def parse_date(value: object, what: str) -> date:
    """A calendar date from a `date` or from text written YYYY-MM-DD (nothing else: "03/01/2026"
    means different days in different countries). Raises ValidationError naming `what`."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a date written YYYY-MM-DD, not {value!r}")
    text = value.strip()
    if not text:
        raise ValidationError(f"{what} is missing: {DATE_HINT}")
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValidationError(f"{what} {text!r} is not a date: {DATE_HINT}")


def check_date(value: object, what: str) -> str:
    """`parse_date`, returned as the text stored: YYYY-MM-DD."""
    return parse_date(value, what).isoformat()


def _check_feeling(value: object, what: str) -> int | None:
    try:
        return check_score(value)
    except ValueError as e:
        raise ValidationError(f"{what}: {e}") from None


# -- accounts -------------------------------------------------------------------------------------

ACCOUNT_FIELDS = frozenset({"name", "start", "segment"})
CONTACT_FIELDS = frozenset({"name", "account", "segment", "start"})


@dataclass(slots=True)
class Account:
    """A business customer: the company. Its start date runs the clock of account-clock
    touchpoints (a 30-day check-in is due when the account is 30 days old)."""

    id: str
    name: str
    start: str  # YYYY-MM-DD
    segment: str = ""

    @classmethod
    def new(cls, name: str, start: DateLike, segment: str = "") -> Account:
        """A new account with a fresh id; raises ValidationError for an empty name or a bad date."""
        account = cls(id=new_id(), name="", start="")
        account.edit(name=name, start=start, segment=segment)
        return account

    def edit(self, **changes: str | date) -> None:
        """Change name, start or segment; checks everything before changing anything."""
        check_field_names(changes, ACCOUNT_FIELDS, "an account")
        checked: dict[str, str] = {}
        for key, value in changes.items():
            if key == "name":
                checked[key] = needs_text(value, "an account's name")
            elif key == "start":
                checked[key] = check_date(value, "the account's start date")
            else:
                checked[key] = clean_line(value)
        for key, value in checked.items():
            setattr(self, key, value)

    def validate(self) -> None:
        if not self.id:
            raise ValidationError(f"account {self.name!r} has no id")
        needs_text(self.name, "an account's name")
        check_date(self.start, f"account {self.name!r}: the start date")

    def start_date(self) -> date:
        return parse_date(self.start, f"account {self.name!r}: the start date")

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "start": self.start, "segment": self.segment}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Account:
        return cls(
            id=get_str(data, "id", "account"),
            name=get_str(data, "name", "account"),
            start=get_str(data, "start", "account"),
            segment=get_str(data, "segment", "account"),
        )


# -- contacts -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Contact:
    """A person. `account` is the id of the account they work at, or "" for none. `start` is
    when they became a customer (or were added to the account): their own clock."""

    id: str
    name: str
    account: str = ""
    segment: str = ""
    start: str = field(kw_only=True)  # YYYY-MM-DD

    @classmethod
    def new(cls, name: str, start: DateLike, *, account: str = "", segment: str = "") -> Contact:
        """A new contact with a fresh id. Whether `account` exists is checked by `validate`
        (given the known accounts) and by the store."""
        contact = cls(id=new_id(), name="", start="")
        contact.edit(name=name, start=start, account=account, segment=segment)
        return contact

    def edit(self, **changes: str | date) -> None:
        check_field_names(changes, CONTACT_FIELDS, "a contact")
        checked: dict[str, str] = {}
        for key, value in changes.items():
            if key == "name":
                checked[key] = needs_text(value, "a contact's name")
            elif key == "start":
                checked[key] = check_date(value, "the contact's start date")
            else:
                checked[key] = clean_line(value)
        for key, value in checked.items():
            setattr(self, key, value)

    def validate(self, accounts: Collection[str] | None = None) -> None:
        """Check the contact; with `accounts` (the known account ids), also that its account exists."""
        if not self.id:
            raise ValidationError(f"contact {self.name!r} has no id")
        needs_text(self.name, "a contact's name")
        check_date(self.start, f"contact {self.name!r}: the start date")
        if accounts is not None and self.account and self.account not in accounts:
            raise ValidationError(f"contact {self.name!r}: unknown account {self.account!r}")

    def start_date(self) -> date:
        return parse_date(self.start, f"contact {self.name!r}: the start date")

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "account": self.account, "segment": self.segment,
                "start": self.start}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Contact:
        return cls(
            id=get_str(data, "id", "contact"),
            name=get_str(data, "name", "contact"),
            account=get_str(data, "account", "contact"),
            segment=get_str(data, "segment", "contact"),
            start=get_str(data, "start", "contact"),
        )


# -- interactions ---------------------------------------------------------------------------------


class InteractionDict(TypedDict):
    """An interaction as `Interaction.to_dict` gives it: its fields by name."""

    id: str
    contact: str
    map: str
    touchpoint: str
    date: str
    feeling: int | None
    note: str
    seq: int


@dataclass(slots=True)
class Interaction:
    """A contact met a touchpoint (`touchpoint`, a touchpoint id of map `map`) on `date`, and
    felt `feeling` there (-2..+2, or None when nobody asked).

    `seq` is the order in which interactions were recorded in the workspace (the store numbers
    them 1, 2, 3, ...). It decides between two interactions of the same date: the one recorded
    later is the later one."""

    id: str
    contact: str
    map: str
    touchpoint: str
    date: str  # YYYY-MM-DD
    feeling: int | None
    note: str = ""
    seq: int = 0

    @classmethod
    def new(
        cls,
        contact: str,
        map: str,
        touchpoint: str,
        when: DateLike,
        feeling: int | None = None,
        note: str = "",
    ) -> Interaction:
        """A new interaction with a fresh id; the store checks that the contact, the map and
        the touchpoint exist, and numbers it."""
        made = cls(id=new_id(), contact=contact, map=map, touchpoint=touchpoint, date="", feeling=None)
        made.date = check_date(when, "the date")
        made.feeling = _check_feeling(feeling, "the feeling")
        made.note = clean(note)
        made.validate()
        return made

    def validate(self) -> None:
        if not self.id:
            raise ValidationError("an interaction has no id")
        for key in ("contact", "map", "touchpoint"):
            if not getattr(self, key):
                raise ValidationError(f"an interaction needs a {key}")
        check_date(self.date, "the interaction's date")
        _check_feeling(self.feeling, "the interaction's feeling")

    def order(self) -> tuple[str, int]:
        """Sort key for "which came later": the date, then the recording order."""
        return self.date, self.seq

    def to_dict(self) -> InteractionDict:
        return {"id": self.id, "contact": self.contact, "map": self.map, "touchpoint": self.touchpoint,
                "date": self.date, "feeling": self.feeling, "note": self.note, "seq": self.seq}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Interaction:
        try:
            feeling = check_score(data.get("feeling"))
        except ValueError as e:
            raise ValidationError(str(e)) from None
        return cls(
            id=get_str(data, "id", "interaction"),
            contact=get_str(data, "contact", "interaction"),
            map=get_str(data, "map", "interaction"),
            touchpoint=get_str(data, "touchpoint", "interaction"),
            date=get_str(data, "date", "interaction"),
            feeling=feeling,
            note=get_str(data, "note", "interaction"),
            seq=get_int(data, "seq", 0),
        )


# -- the whole book -------------------------------------------------------------------------------


def later(a: Interaction, b: Interaction | None) -> bool:
    """True if `a` came after `b` (or there is no `b`): a later date, or the same date and
    recorded later. Equal keys count as later, so that of two interactions given in recording
    order, the second wins."""
    return b is None or a.order() >= b.order()


class CustomerBook:
    """Every account, contact, interaction and resolution of a workspace at one moment,
    indexed once.

    Built by the store (`store.customers.book()`) or by hand in tests. The indexes are made on
    first use and never updated: make a new book after a change. Interactions are kept in the
    order given, which the store makes the recording order; resolutions are kept by the id of
    the interaction whose problem they resolve."""

    def __init__(
        self,
        accounts: Iterable[Account] = (),
        contacts: Iterable[Contact] = (),
        interactions: Iterable[Interaction] = (),
        resolutions: Iterable[Resolution] = (),
    ) -> None:
        self.accounts: dict[str, Account] = {a.id: a for a in accounts}
        self.contacts: dict[str, Contact] = {c.id: c for c in contacts}
        self.interactions: list[Interaction] = list(interactions)
        self.resolutions: dict[str, Resolution] = {r.interaction: r for r in resolutions}

    def account_of(self, contact: Contact) -> Account | None:
        """The contact's account, or None (no account, or one that is not in the book)."""
        return self.accounts.get(contact.account) if contact.account else None

    @cached_property
    def contacts_of(self) -> dict[str, list[Contact]]:
        """Account id -> its contacts, in the order the book holds them."""
        out: dict[str, list[Contact]] = {a: [] for a in self.accounts}
        for c in self.contacts.values():
            if c.account in out:
                out[c.account].append(c)
        return out

    @cached_property
    def interactions_of(self) -> dict[str, list[Interaction]]:
        """Contact id -> its interactions, in the book's (recording) order."""
        out: dict[str, list[Interaction]] = {}
        for i in self.interactions:
            out.setdefault(i.contact, []).append(i)
        return out

    def segment_of(self, contact: Contact) -> str:
        """The contact's segment: its own, or else its account's."""
        if contact.segment:
            return contact.segment
        account = self.account_of(contact)
        return account.segment if account is not None else ""

    def segments(self) -> dict[str, int]:
        """Each segment (as first spelled) and how many contacts are in it, by name."""
        counts: dict[str, int] = {}
        spelled: dict[str, str] = {}
        for c in self.contacts.values():
            s = self.segment_of(c)
            if s:
                key = spelled.setdefault(s.casefold(), s)
                counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: kv[0].casefold()))
