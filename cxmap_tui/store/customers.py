"""Accounts, contacts, their interactions and the resolutions of their problems, kept in the same
database file as the maps.

Four tables, "accounts", "contacts", "interactions" and "resolutions", keyed by cxmap's own string ids like
the maps, written in the same transactions: every change here is one locked, all-or-nothing
save of the whole file, and a bulk add is one save however many rows it holds.

"accounts" and "contacts" hold one document per account or contact, keyed by its id, like the
maps. "interactions" holds one document per contact, keyed by the contact's id: that contact's
interactions as rows under named columns,

    {"columns": ["id", "map", "touchpoint", "date", "feeling", "note", "seq"],
     "rows": [["3fa9c21b", "<map id>", "<touchpoint id>", "2026-02-01", -2, "Wrong VAT", 17], ...]}

because every save rewrites the whole file, and 50,000 interactions written as rows serialise
about three times faster (and take half the room) than as one object each. A contact's history
also reads naturally in one place.

"resolutions" holds one document per resolved problem, keyed by the id of the interaction that
opened it: {"contact": "<contact id>", "date": "2026-02-10", "note": "Credit note sent",
"by": "<OS user name>"}. Only problems have one, so they are few beside the interactions.

The tables are read and changed through the storage's data directly rather than through
TinyDB's table objects: those copy every document on reading and rebuild a whole table on each
insert, which in a big workspace costs more than the rest of recording an interaction.

The rules this store keeps:

* Account names are unique (ignoring case). Contacts may share a name, but not two at the same
  account.
* A contact's account must exist. An account that still has contacts cannot be deleted: move
  or delete its contacts first (the refusal says how many there are).
* Deleting a contact deletes the interactions recorded for them: a person's record goes whole.
* An interaction is recorded only for a contact, a map and a touchpoint of that map that exist.
  If the touchpoint or the map is deleted later, the interaction stays, and the analyses show
  it as "since removed".
* Interactions are numbered in the order they are recorded (`seq`), which decides between two
  interactions of the same date.
* A problem (an interaction at -1 or lower) is resolved once, on or after the day it happened
  (see `domain.problems`). Deleting the interaction, or its contact, deletes its resolution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain.customers import Account, Contact, CustomerBook, DateLike, Interaction
from ..domain.errors import NotFound, ValidationError
from ..domain.ids import resolve
from ..domain.problems import Resolution, plan_resolutions
from .customer_checks import (
    ACCOUNTS,
    CONTACTS,
    INTERACTIONS,
    RESOLUTIONS,
    ROW_COLUMNS,
    Added,
    check_account_name,
    check_accounts,
    check_contact_name,
    check_contacts,
    check_interactions,
    os_user,
    read_rows,
    touchpoint_names,
)
from .errors import StoreError
from .tables import Doc, DocTable

if TYPE_CHECKING:
    from .store import Store

T = TypeVar("T", Account, Contact)


class CustomerStore:
    """The workspace's customers: `store.customers`. Speaks domain objects; owns three tables."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- the storage's data ----------------------------------------------------------------------

    def _raw(self) -> dict[str, dict[str, Any]]:
        """The storage's tables as they are, not copied: read them, and change them only inside
        a transaction, handing them to `_changed`."""
        tables = self._store.storage.read()
        return tables if tables is not None else {}

    def _changed(self, name: str, put: Iterable[T] = (), remove: Iterable[str] = ()) -> None:
        """Put documents into (or remove them from) table `name` and have the transaction save it
        (the tables `_raw` gave inside the transaction see the change)."""
        DocTable(self._store.storage, name).change(put={item.id: item.to_dict() for item in put}, remove=remove)

    def _set_histories(self, tables: dict[str, dict[str, Any]], histories: Mapping[str, list[Interaction]]) -> None:
        """Store each contact's whole list of interactions (an empty list removes the document)."""
        stored = tables.get(INTERACTIONS, {})
        put: dict[str, Doc] = {contact_id: {"columns": list(ROW_COLUMNS),
                                           "rows": [[i.id, i.map, i.touchpoint, i.date, i.feeling, i.note, i.seq]
                                                    for i in history]}
                              for contact_id, history in histories.items() if history}
        gone = [contact_id for contact_id, history in histories.items() if not history and contact_id in stored]
        DocTable(self._store.storage, INTERACTIONS).change(put=put, remove=gone)

    def _rows(self, contact_id: str, doc: Any) -> list[Interaction]:
        """One contact's interactions from their stored document, in the order stored."""
        return read_rows(contact_id, doc, self._store.location)

    # -- reading ---------------------------------------------------------------------------------

    def _load_all(self, tables: Mapping[str, Any], name: str, kind: Callable[[Mapping[str, Any]], T]) -> list[T]:
        out = []
        for doc_id, doc in tables.get(name, {}).items():
            out.append(self._load(kind, doc_id, doc, name))
        return out

    def _load(self, kind: Callable[[Mapping[str, Any]], T], doc_id: str, doc: Mapping[str, Any], table: str) -> T:
        try:
            item = kind(doc)
        except ValidationError as e:
            raise StoreError(f"{table[:-1]} {doc_id} in {self._store.location} is damaged: {e}") from None
        item.id = str(doc_id)
        return item

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        found = self._load_all(self._raw(), ACCOUNTS, Account.from_dict)
        return sorted(found, key=lambda a: (a.name.casefold(), a.id))

    def contacts(self, account_id: str | None = None) -> list[Contact]:
        """Every contact (or those of one account), by name."""
        found = self._load_all(self._raw(), CONTACTS, Contact.from_dict)
        if account_id is not None:
            found = [c for c in found if c.account == account_id]
        return sorted(found, key=lambda c: (c.name.casefold(), c.id))

    def interactions(self, contact_id: str | None = None) -> list[Interaction]:
        """Every interaction (or one contact's), in the order they were recorded."""
        raw = self._raw().get(INTERACTIONS, {})
        docs = raw.items() if contact_id is None else [(contact_id, raw.get(contact_id))]
        found = [i for doc_id, doc in docs if doc is not None for i in self._rows(doc_id, doc)]
        found.sort(key=lambda i: i.seq)
        return found

    def book(self) -> CustomerBook:
        """All accounts, contacts and interactions as one consistent snapshot, for the analyses."""
        raw = self._raw()
        # The tables taken at once: a change saved meanwhile swaps tables, never edits them.
        tables = {name: raw.get(name, {}) for name in (ACCOUNTS, CONTACTS, INTERACTIONS, RESOLUTIONS)}
        interactions = [i for doc_id, doc in tables[INTERACTIONS].items() for i in self._rows(doc_id, doc)]
        interactions.sort(key=lambda i: i.seq)
        return CustomerBook(
            self._load_all(tables, ACCOUNTS, Account.from_dict),
            self._load_all(tables, CONTACTS, Contact.from_dict),
            interactions,
            self._resolutions(tables),
        )

    def _resolutions(self, tables: Mapping[str, Any], contact_id: str | None = None) -> list[Resolution]:
        out = []
        for doc_id, doc in tables.get(RESOLUTIONS, {}).items():
            if contact_id is None or doc.get("contact") == contact_id:
                try:
                    out.append(Resolution.from_dict(str(doc_id), doc))
                except ValidationError as e:
                    raise StoreError(f"resolution {doc_id} in {self._store.location} is damaged: {e}") from None
        return out

    def resolutions(self, contact_id: str | None = None) -> list[Resolution]:
        """Every resolution (or one contact's), by date."""
        return sorted(self._resolutions(self._raw(), contact_id), key=lambda r: (r.date, r.interaction))

    def get_account(self, account_id: str) -> Account:
        doc = self._raw().get(ACCOUNTS, {}).get(account_id)
        if doc is None:
            raise NotFound("that account is not in the database (someone may have deleted it)")
        return self._load(Account.from_dict, account_id, doc, ACCOUNTS)

    def get_contact(self, contact_id: str) -> Contact:
        doc = self._raw().get(CONTACTS, {}).get(contact_id)
        if doc is None:
            raise NotFound("that contact is not in the database (someone may have deleted them)")
        return self._load(Contact.from_dict, contact_id, doc, CONTACTS)

    def find_account(self, ref: str) -> Account:
        """An account by id, id prefix, name, or unique name prefix."""
        return resolve(self.accounts(), ref, what="account", id_of=lambda a: a.id, name_of=lambda a: a.name)

    def find_contact(self, ref: str) -> Contact:
        """A contact by id, id prefix, name, or unique name prefix."""
        return resolve(self.contacts(), ref, what="contact", id_of=lambda c: c.id, name_of=lambda c: c.name)

    # -- accounts --------------------------------------------------------------------------------

    def add_account(self, account: Account) -> Account:
        """Store a new account (from `Account.new`); returns it as stored."""
        return self.add_many(accounts=[account]).accounts[0]

    def update_account(self, account_id: str, **changes: Any) -> Account:
        """Change an account's name, start or segment."""
        with self._store.storage.transaction():
            tables = self._raw()
            doc = tables.get(ACCOUNTS, {}).get(account_id)
            if doc is None:
                raise NotFound("that account is not in the database (someone may have deleted it)")
            account = self._load(Account.from_dict, account_id, doc, ACCOUNTS)
            account.edit(**changes)
            account.validate()
            check_account_name(account, tables.get(ACCOUNTS, {}))
            self._changed(ACCOUNTS, put=[account])
        return account

    def delete_account(self, account_id: str) -> Account:
        """Remove an account that has no contacts (refused otherwise, saying how many it has)."""
        with self._store.storage.transaction():
            tables = self._raw()
            doc = tables.get(ACCOUNTS, {}).get(account_id)
            if doc is None:
                raise NotFound("that account is not in the database (someone may have deleted it)")
            account = self._load(Account.from_dict, account_id, doc, ACCOUNTS)
            n = sum(1 for c in tables.get(CONTACTS, {}).values() if c.get("account") == account_id)
            if n:
                raise ValidationError(
                    f"{account.name!r} still has {n} contact{'s' if n != 1 else ''}: move them to another "
                    "account or delete them first"
                )
            self._changed(ACCOUNTS, remove=[account_id])
        return account

    # -- contacts --------------------------------------------------------------------------------

    def add_contact(self, contact: Contact) -> Contact:
        """Store a new contact (from `Contact.new`); its account must exist."""
        return self.add_many(contacts=[contact]).contacts[0]

    def update_contact(self, contact_id: str, **changes: Any) -> Contact:
        """Change a contact's name, account ("" for none), segment or start."""
        with self._store.storage.transaction():
            tables = self._raw()
            doc = tables.get(CONTACTS, {}).get(contact_id)
            if doc is None:
                raise NotFound("that contact is not in the database (someone may have deleted them)")
            contact = self._load(Contact.from_dict, contact_id, doc, CONTACTS)
            contact.edit(**changes)
            accounts = tables.get(ACCOUNTS, {})
            contact.validate(accounts)
            check_contact_name(contact, tables.get(CONTACTS, {}), accounts)
            self._changed(CONTACTS, put=[contact])
        return contact

    def delete_contact(self, contact_id: str) -> tuple[Contact, list[Interaction]]:
        """Remove a contact and their interactions; returns both. Giving them back to `add_many`
        undoes it (the interactions are then numbered after the others)."""
        with self._store.storage.transaction():
            tables = self._raw()
            doc = tables.get(CONTACTS, {}).get(contact_id)
            if doc is None:
                raise NotFound("that contact is not in the database (someone may have deleted them)")
            contact = self._load(Contact.from_dict, contact_id, doc, CONTACTS)
            history = tables.get(INTERACTIONS, {}).get(contact_id)
            theirs = self._rows(contact_id, history) if history is not None else []
            if history is not None:
                self._set_histories(tables, {contact_id: []})
            self._unresolve(tables, [i.id for i in theirs])
            self._changed(CONTACTS, remove=[contact_id])
        return contact, theirs

    # -- interactions ----------------------------------------------------------------------------

    def record(
        self,
        contact_id: str,
        map_id: str,
        touchpoint_id: str,
        when: DateLike,
        feeling: int | None = None,
        note: str = "",
    ) -> Interaction:
        """Record that a contact met a touchpoint of a map on a date (and how they felt), saved
        at once. The contact, the map and the touchpoint must exist."""
        made = Interaction.new(contact_id, map_id, touchpoint_id, when, feeling, note)
        return self.add_many(interactions=[made]).interactions[0]

    def delete_interaction(self, interaction_id: str) -> Interaction:
        with self._store.storage.transaction():
            tables = self._raw()
            for contact_id, doc in tables.get(INTERACTIONS, {}).items():
                rows = doc.get("rows") if isinstance(doc, dict) else None
                if isinstance(rows, list) and any(isinstance(r, list) and interaction_id in r for r in rows):
                    history = self._rows(contact_id, doc)
                    gone = next((i for i in history if i.id == interaction_id), None)
                    if gone is not None:
                        self._set_histories(tables, {contact_id: [i for i in history if i is not gone]})
                        self._unresolve(tables, [gone.id])
                        return gone
            raise NotFound("that interaction is not in the database (someone may have deleted it)")

    # -- resolving problems -----------------------------------------------------------------------

    def resolve(
        self,
        contact_id: str,
        when: DateLike,
        note: str = "",
        *,
        only: Iterable[str] | None = None,
        by: str | None = None,
    ) -> list[tuple[Interaction, Resolution]]:
        """Resolve some problems of a contact (`only`: the ids of the interactions that opened
        them), or all their open ones, on a date, with a note, under `by` (default: the OS
        user). All or nothing, in one save; refused in one line when there is nothing open to
        resolve or the date is before a problem it would resolve. Returns each problem with its
        resolution."""
        with self._store.storage.transaction():
            tables = self._raw()
            person = tables.get(CONTACTS, {}).get(contact_id)
            if person is None:
                raise NotFound("that contact is not in the database (someone may have deleted them)")
            doc = tables.get(INTERACTIONS, {}).get(contact_id)
            history = self._rows(contact_id, doc) if doc is not None else []
            resolved = {r.interaction: r for r in self._resolutions(tables, contact_id)}
            made = plan_resolutions(history, resolved, when, note, os_user() if by is None else by,
                                    only=None if only is None else list(only),
                                    where=touchpoint_names(self._store, history),
                                    name=str(person.get("name", contact_id)))
            table = dict(tables.get(RESOLUTIONS, {}))
            for r in made:
                table[r.interaction] = r.to_dict()
            tables[RESOLUTIONS] = table
            self._store.storage.write(tables)
        by_id = {i.id: i for i in history}
        return [(by_id[r.interaction], r) for r in made]

    def unresolve(self, interaction_ids: Iterable[str]) -> list[Resolution]:
        """Take resolutions back (to undo `resolve`): those problems are open again. Returns the
        resolutions removed; ids without one are passed over."""
        with self._store.storage.transaction():
            return self._unresolve(self._raw(), list(interaction_ids))

    def _unresolve(self, tables: dict[str, dict[str, Any]], interaction_ids: list[str]) -> list[Resolution]:
        stored = tables.get(RESOLUTIONS, {})
        gone = [Resolution.from_dict(i, stored[i]) for i in interaction_ids if i in stored]
        if gone:
            tables[RESOLUTIONS] = {k: v for k, v in stored.items() if k not in {r.interaction for r in gone}}
            self._store.storage.write(tables)
        return gone

    # -- in bulk ---------------------------------------------------------------------------------

    def add_many(
        self,
        *,
        accounts: Iterable[Account] = (),
        contacts: Iterable[Contact] = (),
        interactions: Iterable[Interaction] = (),
    ) -> Added:
        """Store new accounts, contacts and interactions in one transaction and one write, all
        or nothing. Contacts may belong to accounts of the same call, and interactions to its
        contacts. An id already taken is replaced by a new one (and references to it within the
        call follow). Interactions are numbered in the order given, after those already stored."""
        accounts, contacts, interactions = list(accounts), list(contacts), list(interactions)
        added = Added()
        with self._store.storage.transaction():
            tables = self._raw()
            renamed = check_accounts(accounts, tables, added) if accounts else {}
            renamed_contacts = check_contacts(contacts, tables, renamed, added) if contacts else {}
            if interactions:
                check_interactions(self._store, interactions, tables, renamed_contacts, added)
            if added.accounts:
                self._changed(ACCOUNTS, put=added.accounts)
            if added.contacts:
                self._changed(CONTACTS, put=added.contacts)
            if added.interactions:
                histories: dict[str, list[Interaction]] = {}
                for i in added.interactions:
                    if i.contact not in histories:
                        doc = tables.get(INTERACTIONS, {}).get(i.contact)
                        histories[i.contact] = self._rows(i.contact, doc) if doc is not None else []
                    histories[i.contact].append(i)
                self._set_histories(tables, histories)
        return added
