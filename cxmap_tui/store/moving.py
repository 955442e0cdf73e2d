"""Moving a workspace whole from one database to another (`cxmap copy`): from a file to a server
and back, or file to file, server to server. What moves is everything the workspace holds at one
moment: every table's documents (maps, their summaries, customers) and the history of changes
as it was recorded (each change's number, who made it, when), so that the copy is the same
workspace with the same past. The target must be empty; nothing in the source changes."""

from __future__ import annotations

from dataclasses import dataclass

from .customer_checks import ACCOUNTS, CONTACTS, INTERACTIONS
from .engine import Movable
from .errors import StoreError
from .store import MAPS, Store


@dataclass(frozen=True)
class Copied:
    """What a copy moved: how many maps, accounts, contacts, interactions and recorded changes."""

    maps: int
    accounts: int
    contacts: int
    interactions: int
    changes: int


def copy_workspace(source: Store, target: Store) -> Copied:
    """Copy the whole workspace of `source` into `target`, which must hold nothing yet (no
    document, no history): StoreError in one line otherwise, and for an engine that cannot move
    (the in-memory one), with nothing changed."""
    if source.location == target.location:
        raise StoreError(f"{source.location} is both the source and the target; copy it somewhere else")
    for store in (source, target):
        if not isinstance(store.storage, Movable):
            raise StoreError(f"{store.location} cannot be copied from or to")
    assert isinstance(source.storage, Movable) and isinstance(target.storage, Movable)
    whole = source.storage.whole()
    target.storage.adopt(whole)
    count = {name: len(docs) for name, docs in whole.tables.items()}
    return Copied(count.get(MAPS, 0), count.get(ACCOUNTS, 0), count.get(CONTACTS, 0), count.get(INTERACTIONS, 0),
                  len(whole.records))
