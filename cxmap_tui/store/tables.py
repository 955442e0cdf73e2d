"""The one table layer of the store: documents (JSON objects) keyed by cxmap's own string ids,
read from and written through the store's engine (`engine.Engine`). Maps and customers both go through it,
and nothing else in cxmap reads or writes the storage's data.

TinyDB's own Table keys documents by integer counters and hands out `Document`s; cxmap's ids are
strings that travel in exports and links, so the store keeps them as the keys and speaks plain
mappings.

What a reader can count on:

* Inside a transaction, every read sees the data as the transaction found it plus its own
  changes so far, and no one else's meanwhile (the transaction holds the lock).
* Outside one, `docs` and `get` each read what is saved now; `snapshot` reads several tables at
  one moment, so that they agree with each other even if a change is saved meanwhile.
* What was read never changes under the reader: a change makes a new table (`Table.changed`,
  which copies no document) in a new set of tables. So another thread may go on iterating what
  it read, and a change that fails to save leaves no trace in anything read before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..domain.json_types import JSON
from .engine import Doc, Engine

__all__ = ["JSON", "Doc", "DocTable", "snapshot"]



class DocTable:
    """Table `name` of the database behind `engine`."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name

    def docs(self) -> Mapping[str, Doc]:
        """Every document by id, as stored."""
        return self.engine.tables(self.name)[0]

    def get(self, doc_id: str) -> Doc | None:
        return self.docs().get(doc_id)

    def change(self, put: Mapping[str, Doc] | None = None, remove: Iterable[str] = (), *,
               depth: int | None = None) -> None:
        """Put documents in (replacing those with their ids) and remove others, in one write;
        inside a transaction, the transaction saves it. Removing an id that is not there is
        an error (KeyError): the caller read the table to choose it. `depth`: how deeply the
        documents nest at most, when the caller knows (Engine.change)."""
        self.engine.change(self.name, put, remove, depth=depth)


def snapshot(*tables: DocTable) -> tuple[Mapping[str, Doc], ...]:
    """The documents of several tables of one database, as they all stood at one moment (in the
    order given): what a change saved meanwhile does is in all of them or in none."""
    if not tables:
        return ()
    engine = tables[0].engine
    if any(t.engine is not engine for t in tables):
        raise ValueError("a snapshot reads the tables of one database")
    return engine.tables(*(t.name for t in tables))
