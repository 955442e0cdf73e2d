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

The tables are read and changed through `DocTable` (store/tables.py), as the maps are, never
through TinyDB's table objects: those copy every document on reading and rebuild a whole table on
each insert, which in a big workspace costs more than the rest of recording an interaction. The
customer store needs only that, a transaction, and the maps to check touchpoints against (any
`Maps`: the workspace's `Store` hands itself).

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
from typing import TypeVar, Unpack

from ..domain.customers import Account, Contact, CustomerBook, DateLike, Interaction
from ..domain.errors import NotFound, ValidationError
from ..domain.ids import resolve
from ..domain.problems import Resolution, plan_resolutions
from .collecting import collection_paused
from .customer_changes import AccountChanges, ContactChanges
from .customer_checks import (
    ACCOUNTS,
    CONTACTS,
    INTERACTIONS,
    RESOLUTIONS,
    ROW_COLUMNS,
    Added,
    Maps,
    check_account_name,
    check_accounts,
    check_contact_name,
    check_contacts,
    check_interactions,
    os_user,
    read_all_rows,
    read_rows,
    touchpoint_names,
)
from .engine import Engine, attempts
from .errors import StoreError
from .tables import Doc, DocTable, snapshot

T = TypeVar("T", Account, Contact)


class CustomerStore:
    """The workspace's customers: `store.customers`. Speaks domain objects; owns four tables of
    the database behind `storage`, and reads `maps` to check what interactions refer to.
    `location` names the database in messages about damaged data."""

    def __init__(self, storage: Engine, *, maps: Maps, location: str) -> None:
        self._storage = storage
        self._maps = maps
        self._location = location
        self._accounts = DocTable(storage, ACCOUNTS)
        self._contacts = DocTable(storage, CONTACTS)
        self._histories = DocTable(storage, INTERACTIONS)  # one document per contact: see above
        self._resolved = DocTable(storage, RESOLUTIONS)

    # -- the tables ------------------------------------------------------------------------------

    @staticmethod
    def _changed(table: DocTable, put: Iterable[T] = (), remove: Iterable[str] = ()) -> None:
        """Put accounts or contacts into (or remove them from) `table`; the transaction saves it."""
        table.change(put={item.id: item.to_dict() for item in put}, remove=remove)

    def _set_histories(self, histories: Mapping[str, list[Interaction]]) -> None:
        """Store each contact's whole list of interactions (an empty list removes the document)."""
        stored = self._histories.docs()
        put: dict[str, Doc] = {contact_id: {"columns": list(ROW_COLUMNS),
                                           "rows": [[i.id, i.map, i.touchpoint, i.date, i.feeling, i.note, i.seq]
                                                    for i in history]}
                              for contact_id, history in histories.items() if history}
        gone = [contact_id for contact_id, history in histories.items() if not history and contact_id in stored]
        self._histories.change(put=put, remove=gone)

    def _rows(self, contact_id: str, doc: Doc) -> list[Interaction]:
        """One contact's interactions from their stored document, in the order stored."""
        return read_rows(contact_id, doc, self._location)

    def _history(self, contact_id: str) -> list[Interaction]:
        """One contact's interactions as stored now (none if they have no document)."""
        doc = self._histories.get(contact_id)
        return self._rows(contact_id, doc) if doc is not None else []

    # -- reading ---------------------------------------------------------------------------------

    def _load_all(self, docs: Mapping[str, Doc], table: str, kind: Callable[[Doc], T]) -> list[T]:
        out = []
        for doc_id, doc in docs.items():
            out.append(self._load(kind, doc_id, doc, table))
        return out

    def _load(self, kind: Callable[[Doc], T], doc_id: str, doc: Doc, table: str) -> T:
        try:
            item = kind(doc)
        except ValidationError as e:
            raise StoreError(f"{table[:-1]} {doc_id} in {self._location} is damaged: {e}") from None
        item.id = str(doc_id)
        return item

    def _account(self, account_id: str) -> Account:
        doc = self._accounts.get(account_id)
        if doc is None:
            raise NotFound("that account is not in the database (someone may have deleted it)")
        return self._load(Account.from_dict, account_id, doc, ACCOUNTS)

    def _contact(self, contact_id: str) -> Contact:
        doc = self._contacts.get(contact_id)
        if doc is None:
            raise NotFound("that contact is not in the database (someone may have deleted them)")
        return self._load(Contact.from_dict, contact_id, doc, CONTACTS)

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        found = self._load_all(self._accounts.docs(), ACCOUNTS, Account.from_dict)
        return sorted(found, key=lambda a: (a.name.casefold(), a.id))

    def contacts(self, account_id: str | None = None) -> list[Contact]:
        """Every contact (or those of one account), by name."""
        found = self._load_all(self._contacts.docs(), CONTACTS, Contact.from_dict)
        if account_id is not None:
            found = [c for c in found if c.account == account_id]
        return sorted(found, key=lambda c: (c.name.casefold(), c.id))

    def interactions(self, contact_id: str | None = None) -> list[Interaction]:
        """Every interaction (or one contact's), in the order they were recorded."""
        if contact_id is None:
            with collection_paused():
                return read_all_rows(self._histories.docs(), self._location)
        found = self._history(contact_id)
        found.sort(key=lambda i: i.seq)
        return found

    def book(self) -> CustomerBook:
        """All accounts, contacts and interactions as one consistent snapshot, for the analyses."""
        accounts, contacts, histories, resolved = snapshot(self._accounts, self._contacts, self._histories,
                                                           self._resolved)
        with collection_paused():
            return CustomerBook(
                self._load_all(accounts, ACCOUNTS, Account.from_dict),
                self._load_all(contacts, CONTACTS, Contact.from_dict),
                read_all_rows(histories, self._location),
                self._read_resolutions(resolved),
            )

    def _read_resolutions(self, docs: Mapping[str, Doc], contact_id: str | None = None) -> list[Resolution]:
        out = []
        for doc_id, doc in docs.items():
            if contact_id is None or doc.get("contact") == contact_id:
                try:
                    out.append(Resolution.from_dict(str(doc_id), doc))
                except ValidationError as e:
                    raise StoreError(f"resolution {doc_id} in {self._location} is damaged: {e}") from None
        return out

    def resolutions(self, contact_id: str | None = None) -> list[Resolution]:
        """Every resolution (or one contact's), by date."""
        return sorted(self._read_resolutions(self._resolved.docs(), contact_id), key=lambda r: (r.date, r.interaction))

    def get_account(self, account_id: str) -> Account:
        return self._account(account_id)

    def get_contact(self, contact_id: str) -> Contact:
        return self._contact(contact_id)

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

    def update_account(self, account_id: str, **changes: Unpack[AccountChanges]) -> Account:
        """Change an account's name, start or segment."""
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                account = self._account(account_id)
                account.edit(**changes)
                account.validate()
                check_account_name(account, self._accounts.docs())
                self._changed(self._accounts, put=[account])
        return account

    def delete_account(self, account_id: str) -> Account:
        """Remove an account that has no contacts (refused otherwise, saying how many it has)."""
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                account = self._account(account_id)
                n = sum(1 for c in self._contacts.docs().values() if c.get("account") == account_id)
                if n:
                    raise ValidationError(
                        f"{account.name!r} still has {n} contact{'s' if n != 1 else ''}: move them to another "
                        "account or delete them first"
                    )
                self._changed(self._accounts, remove=[account_id])
        return account

    # -- contacts --------------------------------------------------------------------------------

    def add_contact(self, contact: Contact) -> Contact:
        """Store a new contact (from `Contact.new`); its account must exist."""
        return self.add_many(contacts=[contact]).contacts[0]

    def update_contact(self, contact_id: str, **changes: Unpack[ContactChanges]) -> Contact:
        """Change a contact's name, account ("" for none), segment or start."""
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                contact = self._contact(contact_id)
                contact.edit(**changes)
                accounts = self._accounts.docs()
                contact.validate(accounts)
                check_contact_name(contact, self._contacts.docs(), accounts)
                self._changed(self._contacts, put=[contact])
        return contact

    def delete_contact(self, contact_id: str) -> tuple[Contact, list[Interaction]]:
        """Remove a contact and their interactions; returns both. Giving them back to `add_many`
        undoes it (the interactions are then numbered after the others)."""
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                contact = self._contact(contact_id)
                doc = self._histories.get(contact_id)
                theirs = self._rows(contact_id, doc) if doc is not None else []
                if doc is not None:
                    self._set_histories({contact_id: []})
                self._unresolve([i.id for i in theirs])
                self._changed(self._contacts, remove=[contact_id])
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
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                for contact_id, doc in self._histories.docs().items():
                    rows = doc.get("rows")
                    if isinstance(rows, list) and any(isinstance(r, list) and interaction_id in r for r in rows):
                        history = self._rows(contact_id, doc)
                        gone = next((i for i in history if i.id == interaction_id), None)
                        if gone is not None:
                            self._set_histories({contact_id: [i for i in history if i is not gone]})
                            self._unresolve([gone.id])
                            return gone
                raise NotFound("that interaction is not in the database (someone may have deleted it)")
        raise AssertionError("not reached: the last try's refusal is raised")

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
        chosen = None if only is None else list(only)
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                person = self._contacts.get(contact_id)
                if person is None:
                    raise NotFound("that contact is not in the database (someone may have deleted them)")
                history = self._history(contact_id)
                resolved = {r.interaction: r for r in self._read_resolutions(self._resolved.docs(), contact_id)}
                made = plan_resolutions(history, resolved, when, note, os_user() if by is None else by,
                                        only=chosen,
                                        where=touchpoint_names(self._maps, history),
                                        name=str(person.get("name", contact_id)))
                self._resolved.change(put={r.interaction: r.to_dict() for r in made})
        by_id = {i.id: i for i in history}
        return [(by_id[r.interaction], r) for r in made]

    def unresolve(self, interaction_ids: Iterable[str]) -> list[Resolution]:
        """Take resolutions back (to undo `resolve`): those problems are open again. Returns the
        resolutions removed; ids without one are passed over."""
        ids = list(interaction_ids)
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                return self._unresolve(ids)
        raise AssertionError("not reached: the last try's refusal is raised")

    def _unresolve(self, interaction_ids: list[str]) -> list[Resolution]:
        stored = self._resolved.docs()
        gone = [Resolution.from_dict(i, stored[i]) for i in interaction_ids if i in stored]
        if gone:
            self._resolved.change(remove=dict.fromkeys(r.interaction for r in gone))
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
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self._storage.transaction():
                added = Added()
                stored_accounts, stored_contacts = self._accounts.docs(), self._contacts.docs()
                stored_histories = self._histories.docs()
                renamed = check_accounts(accounts, stored_accounts, added) if accounts else {}
                renamed_contacts = (check_contacts(contacts, stored_contacts, stored_accounts, renamed, added)
                                    if contacts else {})
                if interactions:
                    check_interactions(self._maps, interactions, stored_contacts, stored_histories, renamed_contacts,
                                       added)
                if added.accounts:
                    self._changed(self._accounts, put=added.accounts)
                if added.contacts:
                    self._changed(self._contacts, put=added.contacts)
                if added.interactions:
                    histories: dict[str, list[Interaction]] = {}
                    for i in added.interactions:
                        if i.contact not in histories:
                            doc = stored_histories.get(i.contact)
                            histories[i.contact] = self._rows(i.contact, doc) if doc is not None else []
                        histories[i.contact].append(i)
                    self._set_histories(histories)
        return added
