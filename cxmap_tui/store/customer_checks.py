"""The checks a bulk add of customers passes before anything is written: names unique where
they must be, references that exist, ids free, interactions numbered in order. Each check
indexes what is stored once, so that a bulk add stays linear in its size.

Also the helpers the customer store reads and resolves with: a contact's stored rows checked
cell by cell, touchpoint names for messages, and who is working (for a resolution's "by")."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import Protocol

from ..domain.customers import Account, Contact, Interaction
from ..domain.errors import NotFound, ValidationError
from ..domain.feelings import MAX_SCORE, MIN_SCORE
from ..domain.ids import new_id
from ..domain.model import ExperienceMap
from .errors import StoreError
from .tables import JSON, Doc

ACCOUNTS = "accounts"
CONTACTS = "contacts"
INTERACTIONS = "interactions"
RESOLUTIONS = "resolutions"
ROW_COLUMNS = ("id", "map", "touchpoint", "date", "feeling", "note", "seq")


@dataclass
class Added:
    """What one bulk add stored (with the ids they were given)."""

    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)


class Maps(Protocol):
    """The maps, as the customer store reads them (the workspace's `Store` is one)."""

    def get(self, map_id: str) -> ExperienceMap: ...

    def maps(self) -> list[ExperienceMap]: ...


def check_accounts(accounts: list[Account], stored: Mapping[str, Doc], added: Added) -> dict[str, str]:
    """Check new accounts into `added` (`stored`: the accounts table); returns the ids that had
    to change (old -> new)."""
    names = {str(d.get("name", "")).casefold(): str(d.get("name", "")) for d in stored.values()}
    ids = set(stored)
    renamed: dict[str, str] = {}
    for a in accounts:
        a = Account(**a.to_dict())
        if not a.id or a.id in ids:
            old, a.id = a.id, new_id(ids)
            if old:
                renamed[old] = a.id
        a.validate()
        if a.name.casefold() in names:
            raise ValidationError(f"there is already an account called {names[a.name.casefold()]!r}")
        ids.add(a.id)
        names[a.name.casefold()] = a.name
        added.accounts.append(a)
    return renamed

def check_contacts(
    contacts: list[Contact], stored: Mapping[str, Doc], accounts: Mapping[str, Doc], renamed: dict[str, str],
    added: Added,
) -> dict[str, str]:
    """Check new contacts into `added` (`stored`: the contacts table); returns the ids that had
    to change (old -> new)."""
    account_names = {k: str(d.get("name", "")) for k, d in accounts.items()}
    account_names.update((a.id, a.name) for a in added.accounts)
    names = {
        (str(d.get("account", "")), str(d.get("name", "")).casefold()): str(d.get("name", ""))
        for d in stored.values()
        if d.get("account")
    }
    ids = set(stored)
    changed: dict[str, str] = {}
    for c in contacts:
        c = Contact(**c.to_dict())
        c.account = renamed.get(c.account, c.account)
        if not c.id or c.id in ids:
            old, c.id = c.id, new_id(ids)
            if old:
                changed[old] = c.id
        c.validate(account_names)
        key = (c.account, c.name.casefold())
        if c.account and key in names:
            raise ValidationError(
                f"there is already a contact called {names[key]!r} at {account_names[c.account]}"
            )
        ids.add(c.id)
        if c.account:
            names[key] = c.name
        added.contacts.append(c)
    return changed

def check_interactions(
    maps: Maps, interactions: list[Interaction], contacts: Mapping[str, Doc], histories: Mapping[str, Doc],
    renamed: dict[str, str], added: Added,
) -> None:
    """Check new interactions into `added`, numbered after those stored (`histories`: the
    interactions table)."""
    new_contacts = {c.id for c in added.contacts}
    seq, taken = _seqs_and_ids(histories)
    touchpoints = _MapCache(maps)
    for i in interactions:
        i = Interaction(**i.to_dict())
        i.contact = renamed.get(i.contact, i.contact)
        if not i.id or i.id in taken:
            i.id = new_id(taken)
        i.validate()
        if i.contact not in contacts and i.contact not in new_contacts:
            raise NotFound(f"no contact with id {i.contact!r} (someone may have deleted them)")
        touchpoints.check(i.map, i.touchpoint)
        taken.add(i.id)
        seq += 1
        i.seq = seq
        added.interactions.append(i)


class _MapCache:
    """Maps looked up once per bulk add, to check interactions' touchpoints."""

    def __init__(self, maps: Maps) -> None:
        self._maps = maps
        self._touchpoints: dict[str, tuple[ExperienceMap, set[str]]] = {}

    def check(self, map_id: str, touchpoint_id: str) -> None:
        if map_id not in self._touchpoints:
            m = self._maps.get(map_id)
            self._touchpoints[map_id] = (m, {tp.id for tp in m.touchpoints})
        m, ids = self._touchpoints[map_id]
        if touchpoint_id not in ids:
            raise NotFound(f"map {m.title!r} has no touchpoint with id {touchpoint_id!r} (any more)")


def _seqs_and_ids(stored: Mapping[str, Doc]) -> tuple[int, set[str]]:
    """The highest recording number so far (0 for none), and every interaction id taken."""
    last = 0
    ids: set[str] = set()
    for doc in stored.values():
        columns, rows = doc.get("columns"), doc.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list) or "seq" not in columns or "id" not in columns:
            continue  # a damaged history is reported when it is read
        at_seq, at_id = columns.index("seq"), columns.index("id")
        for row in rows:
            if isinstance(row, list) and len(row) == len(columns):
                seq = row[at_seq]
                if type(seq) is int and seq > last:
                    last = seq
                ids.add(str(row[at_id]))
    return last, ids


def check_account_name(account: Account, stored: Mapping[str, Doc]) -> None:
    folded = account.name.casefold()
    for doc_id, doc in stored.items():
        if doc_id != account.id and str(doc.get("name", "")).casefold() == folded:
            raise ValidationError(f"there is already an account called {doc.get('name')!r}")


def check_contact_name(
    contact: Contact, stored: Mapping[str, Doc], accounts: Mapping[str, Doc]
) -> None:
    if not contact.account:
        return  # people without an account (consumers) may share a name
    folded = contact.name.casefold()
    for doc_id, doc in stored.items():
        if (
            doc_id != contact.id
            and doc.get("account") == contact.account
            and str(doc.get("name", "")).casefold() == folded
        ):
            where = accounts.get(contact.account, {}).get("name", contact.account)
            raise ValidationError(f"there is already a contact called {doc.get('name')!r} at {where}")


def read_rows(contact_id: str, doc: Doc, location: str) -> list[Interaction]:
    """One contact's interactions from their stored document, in the order stored."""

    def damaged(why: str) -> StoreError:
        return StoreError(f"the interactions of contact {contact_id} in {location} are damaged: {why}")

    columns, rows = doc.get("columns"), doc.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise damaged("they need a list of columns and a list of rows")
    try:
        at = [columns.index(name) for name in ROW_COLUMNS]
    except ValueError:
        missing = [name for name in ROW_COLUMNS if name not in columns]
        raise damaged(f"no {missing[0]!r} column") from None
    standard = at == list(range(len(ROW_COLUMNS))) and len(columns) == len(ROW_COLUMNS)
    out = []
    # Checked cell by cell, without a dict per row: a workspace can hold 50,000 of them.
    for n, row in enumerate(rows, start=1):
        if type(row) is not list or len(row) != len(columns):
            raise damaged(f"row {n} does not have {len(columns)} cells")
        i_id, map_id, tp_id, day, feeling, note, seq = row if standard else [row[k] for k in at]
        if not (type(i_id) is str and type(map_id) is str and type(tp_id) is str and type(day) is str
                and type(note) is str and type(seq) is int):
            raise damaged(f"row {n}: id, map, touchpoint, date and note must be text, seq a whole number")
        if feeling is not None and (type(feeling) is not int or not MIN_SCORE <= feeling <= MAX_SCORE):
            raise damaged(f"row {n}: feeling {feeling!r} is not one of -2..+2")
        out.append(Interaction(i_id, contact_id, map_id, tp_id, day, feeling, note, seq))
    return out


_STANDARD = list(ROW_COLUMNS)
_FEELINGS = frozenset({None, *range(MIN_SCORE, MAX_SCORE + 1)})
_NONE = type(None)


def read_all_rows(docs: Mapping[str, Doc], location: str) -> list[Interaction]:
    """Every contact's interactions (`docs`: the interactions table), in the order recorded.

    What cxmap writes is checked a column at a time, for all contacts at once: 50,000 rows read
    and checked row by row take most of the time of an analysis. Anything else (other columns,
    a damaged row) is read contact by contact by `read_rows`, which says what is damaged where."""
    found = _read_standard(docs)
    if found is None:
        found = [i for contact_id, doc in docs.items() for i in read_rows(contact_id, doc, location)]
    found.sort(key=attrgetter("seq"))
    return found


def _read_standard(docs: Mapping[str, Doc]) -> list[Interaction] | None:
    """The interactions of `docs` in the order stored, if every document has the columns cxmap
    writes and every cell is as `read_rows` would accept it; else None."""
    rows: list[JSON] = []
    owners: list[str] = []
    for contact_id, doc in docs.items():
        theirs = doc.get("rows")
        if doc.get("columns") != _STANDARD or type(theirs) is not list:
            return None
        rows += theirs
        owners += repeat(contact_id, len(theirs))
    if not rows:
        return []
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {len(ROW_COLUMNS)}:  # type: ignore[arg-type]
        return None
    ids, maps, touchpoints, days, feelings, notes, seqs = zip(*rows, strict=True)
    texts = (set(map(type, ids)) | set(map(type, maps)) | set(map(type, touchpoints)) | set(map(type, days))
             | set(map(type, notes)))
    if (texts != {str} or set(map(type, seqs)) != {int} or not set(map(type, feelings)) <= {int, _NONE}
            or not set(feelings) <= _FEELINGS):
        return None
    return list(map(Interaction, ids, owners, maps, touchpoints, days, feelings, notes, seqs))


def touchpoint_names(maps: Maps, history: list[Interaction]) -> dict[str, str]:
    """Interaction id -> the name of its touchpoint, for messages ('a touchpoint' if gone)."""
    names: dict[str, str] = {}
    for m in maps.maps() if history else []:
        tps = {tp.id: tp.name for tp in m.touchpoints}
        names.update((i.id, tps[i.touchpoint]) for i in history if i.map == m.id and i.touchpoint in tps)
    return names


def os_user() -> str:
    """Who is working, as the operating system knows them (not as the environment claims)."""
    uid = getattr(os, "getuid", None)
    if uid is not None:
        return _name_of(uid())
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@functools.lru_cache(maxsize=8)
def _name_of(uid: int) -> str:
    """The user `uid`'s name, looked up once per process: every saved change names its user,
    and the password database is a file read (or a network call) each time."""
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"  # a user with no entry in the password database
