"""The one table layer of the store: documents (JSON objects) keyed by cxmap's own string ids,
read from and written through the transactional storage. Maps and customers both go through it.

TinyDB's own Table keys documents by integer counters and hands out `Document`s; cxmap's ids are
strings that travel in exports and links, so the store keeps them as the keys and speaks plain
mappings. A change copies the table, changes the copy and puts it back whole, so that a reader
iterating the old table (another thread, outside the transaction) never sees it change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .transactional import TransactionalStorage

Doc = Mapping[str, Any]


class DocTable:
    """Table `name` of the database behind `storage`."""

    def __init__(self, storage: TransactionalStorage, name: str) -> None:
        self.storage = storage
        self.name = name

    def docs(self) -> Mapping[str, Doc]:
        """Every document by id, as stored: read them, never change them (use `change`)."""
        tables = self.storage.read()
        return {} if tables is None else tables.get(self.name, {})

    def get(self, doc_id: str) -> Doc | None:
        return self.docs().get(doc_id)

    def change(self, put: Mapping[str, Doc] | None = None, remove: Iterable[str] = ()) -> None:
        """Put documents in (replacing those with their ids) and remove others, in one write;
        inside a transaction, the transaction saves it. Removing an id that is not there is
        an error (KeyError): the caller read the table to choose it."""
        tables = self.storage.read()
        if tables is None:
            tables = {}
        table = dict(tables.get(self.name, {}))
        for doc_id in remove:
            del table[doc_id]
        for doc_id, doc in (put or {}).items():
            table[doc_id] = dict(doc)
        tables[self.name] = table
        self.storage.write(tables)
