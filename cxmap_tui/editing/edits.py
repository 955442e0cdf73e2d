"""Changes to the workspace, as data: a change to one map (a domain edit, see domain.edits), adding
or deleting a map, linking an ideal, and the customer records. Each applies itself to the store and
says what it stored and which change takes it back; applying that one gives the change again.

They hold ids and values, never callables: the save queue runs them, the undo history keeps them,
and a held change shows on its map while it waits (`preview`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..domain.customers import Account, Contact, DateLike, Interaction
from ..domain.edits import MapEdit
from ..domain.model import ExperienceMap
from ..domain.problems import Resolution
from ..store import Store

T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Applied(Generic[T_co]):
    """What applying a change gave: its result, the change that takes it back (None: it cannot be
    taken back), and the map as the change left it stored, when it changed one map."""

    result: T_co
    undo: StoreEdit[object] | None
    stored: ExperienceMap | None = None


class StoreEdit(ABC, Generic[T_co]):
    @abstractmethod
    def apply(self, store: Store) -> Applied[T_co]:
        """Make the change in one transaction (or raise CxmapError, storing nothing)."""

    def preview(self, m: ExperienceMap) -> None:
        """Show the change on `m` (a copy of a stored map) while it waits to be saved; most changes
        have nothing to show there."""


# -- maps -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnMap(StoreEdit[MapEdit]):
    """A domain edit applied to the freshest copy of one stored map; the result is its inverse."""

    map_id: str
    edit: MapEdit

    def apply(self, store: Store) -> Applied[MapEdit]:
        inverse, saved = store.change_and_get(self.map_id, self.edit.apply)
        return Applied(inverse, OnMap(self.map_id, inverse), saved)

    def preview(self, m: ExperienceMap) -> None:
        if m.id == self.map_id:
            self.edit.apply(m)


@dataclass(frozen=True)
class AddMap(StoreEdit[ExperienceMap]):
    """A new map (blank, from a template, imported, or a deleted one back with its id)."""

    map: ExperienceMap

    def apply(self, store: Store) -> Applied[ExperienceMap]:
        added = store.add(self.map)
        return Applied(added, DeleteMap(added.id), added)


@dataclass(frozen=True)
class DeleteMap(StoreEdit[ExperienceMap]):
    map_id: str

    def apply(self, store: Store) -> Applied[ExperienceMap]:
        removed = store.delete(self.map_id)
        return Applied(removed, AddMap(removed))


@dataclass(frozen=True)
class LinkIdeal(StoreEdit[ExperienceMap]):
    """Compare a current-state map with an ideal map ('' unlinks). Taken back, the old link comes
    back with the pairings made for it (linking another ideal clears them)."""

    map_id: str
    ideal_id: str
    matches: Mapping[str, str] | None = None  # the pairings to set with the link (undo)

    def apply(self, store: Store) -> Applied[ExperienceMap]:
        before = store.get(self.map_id)
        saved = store.link_ideal(self.map_id, self.ideal_id, self.matches)
        return Applied(saved, LinkIdeal(self.map_id, before.ideal, dict(before.matches)), saved)


# -- customers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddAccount(StoreEdit[Account]):
    account: Account

    def apply(self, store: Store) -> Applied[Account]:
        made = store.customers.add_account(self.account)
        return Applied(made, DeleteAccount(made.id))


@dataclass(frozen=True)
class DeleteAccount(StoreEdit[Account]):
    account_id: str

    def apply(self, store: Store) -> Applied[Account]:
        gone = store.customers.delete_account(self.account_id)
        return Applied(gone, AddAccount(gone))


@dataclass(frozen=True)
class AddContact(StoreEdit[Contact]):
    """A new contact, or a deleted one back with what was recorded for them."""

    contact: Contact
    interactions: tuple[Interaction, ...] = ()

    def apply(self, store: Store) -> Applied[Contact]:
        added = store.customers.add_many(contacts=[self.contact], interactions=self.interactions)
        made = added.contacts[0]
        return Applied(made, DeleteContact(made.id))


@dataclass(frozen=True)
class DeleteContact(StoreEdit[Contact]):
    """A contact and everything recorded for them."""

    contact_id: str

    def apply(self, store: Store) -> Applied[Contact]:
        gone, theirs = store.customers.delete_contact(self.contact_id)
        return Applied(gone, AddContact(gone, tuple(theirs)))


@dataclass(frozen=True)
class Record(StoreEdit[Interaction]):
    """What happened to a contact at a touchpoint (from `Interaction.new`)."""

    interaction: Interaction

    def apply(self, store: Store) -> Applied[Interaction]:
        made = store.customers.add_many(interactions=[self.interaction]).interactions[0]
        return Applied(made, DeleteInteraction(made.id))


@dataclass(frozen=True)
class DeleteInteraction(StoreEdit[Interaction]):
    interaction_id: str

    def apply(self, store: Store) -> Applied[Interaction]:
        gone = store.customers.delete_interaction(self.interaction_id)
        return Applied(gone, Record(gone))


@dataclass(frozen=True)
class Resolve(StoreEdit[list[tuple[Interaction, Resolution]]]):
    """Resolve some open problems of a contact (`only`: the interactions that opened them)."""

    contact_id: str
    when: DateLike
    note: str = ""
    only: tuple[str, ...] = field(default=())

    def apply(self, store: Store) -> Applied[list[tuple[Interaction, Resolution]]]:
        done = store.customers.resolve(self.contact_id, self.when, self.note, only=self.only or None)
        return Applied(done, Unresolve(tuple(r.interaction for _, r in done), self))


@dataclass(frozen=True)
class Unresolve(StoreEdit[list[Resolution]]):
    """Those problems open again; `redo` resolves them again."""

    interaction_ids: tuple[str, ...]
    redo: Resolve | None = None

    def apply(self, store: Store) -> Applied[list[Resolution]]:
        return Applied(store.customers.unresolve(self.interaction_ids), self.redo)
