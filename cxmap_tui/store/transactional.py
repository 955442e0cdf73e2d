"""TinyDB storages whose writes are grouped into locked, all-or-nothing transactions.

TinyDB hands its storage the very dict that `read` returned, changed in place, so a write the
storage refuses has already changed the cached data by then. Whatever is refused or fails, the
cache is therefore dropped and read again: the data in memory is always data that was saved.

A write says which documents it changed (`DocTable.change` does); the transaction gathers them
and hands the storage one list of changes to save (`Change`: table, id, new document or None), so
a storage can save only those. A write that does not say (TinyDB's own, which changes the tables
in place) is saved whole.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

from tinydb.storages import Storage

from .engine import Conflict, Doc, Feed, Noted, Revision
from .file_format import Document, Table, Tables, decode, encode
from .records import Change, Record, Who, changed_fields, utc_stamp

FEED_MEMORY = 20_000  # changes the feed remembers; asked for older ones, it says to read everything
_EMPTY: Mapping[str, Doc] = Table()

# What a write changed: (table, id, the new document or None when it was removed).
Written = tuple[str, str, Document | None]


class TransactionalStorage(Storage):
    """A TinyDB storage whose writes are grouped into locked, all-or-nothing transactions, and
    the store's engine (`engine.Engine`): tables, transactions, revisions, a feed of changes."""

    def __init__(self) -> None:
        self._mutex = threading.RLock()
        self._in_transaction = False
        self._tables: Tables | None = None
        self._dirty = False
        self._started: Tables = {}  # the tables as the transaction found them
        self._written: dict[tuple[str, str], Document | None] | None = {}  # None: worked out at the end
        self._depths: dict[int, int] = {}  # the nesting its maker vouched for, by the id of a document written
        # The feed: each saved record's changes at a place of its own (a token is a place), the
        # places up to `_feed_unknown` missing something, and the last record number taken in.
        self._feed: deque[tuple[int, Noted]] = deque()
        self._feed_place = 0
        self._feed_unknown = 0
        self._feed_seq = 0

    # -- what subclasses provide ----------------------------------------------------------------

    def _acquire(self) -> None: ...

    def _release(self) -> None: ...

    def _reload_if_changed(self) -> bool:
        """Make the cache match what is stored; True if it had to load."""
        raise NotImplementedError

    def _save(self, tables: Tables, changes: tuple[Change, ...] | None) -> None:
        """Save the transaction: `tables` as they now stand, `changes` what made them so (one
        entry a changed document, in table and id order; never empty), or None when a write did
        not say what it changed: then the tables are saved whole."""
        raise NotImplementedError

    # -- the engine (engine.Engine) -------------------------------------------------------------

    @property
    def location(self) -> str:
        return "memory"

    @property
    def read_only(self) -> str:
        return ""

    @property
    def note(self) -> str:
        return ""

    def tables(self, *names: str) -> tuple[Mapping[str, Doc], ...]:
        with self._mutex:
            tables = self.read() or {}
            return tuple(tables.get(name, _EMPTY) for name in names)

    def revision(self, table: str, doc_id: str) -> Revision | None:
        doc = self.tables(table)[0].get(doc_id)
        return None if doc is None else revision_of(doc)

    def change(self, table: str, put: Mapping[str, Doc] | None = None, remove: Iterable[str] = (),
               expect: Mapping[str, Revision | None] | None = None, depth: int | None = None) -> None:
        with self._mutex:
            if not self._in_transaction:
                raise RuntimeError("cxmap writes to its database only inside a transaction")
            tables = self._tables if self._tables is not None else {}
            current = tables.get(table) or Table()
            for doc_id, wanted in (expect or {}).items():
                doc = current.get(doc_id)
                if (None if doc is None else revision_of(doc)) != wanted:
                    raise Conflict(f"{table} {doc_id} was changed by someone else since it was read; "
                                   "nothing was saved: read it again and make the change on that")
            removed = list(remove)
            for doc_id in removed:
                if doc_id not in current:
                    raise KeyError(doc_id)
            docs = {doc_id: dict(doc) for doc_id, doc in (put or {}).items()}
            changed: list[Written] = [(table, doc_id, None) for doc_id in removed]
            changed += [(table, doc_id, doc) for doc_id, doc in docs.items()]
            self.write({**tables, table: Table.of(current).changed(docs, removed)}, changed)
            if depth is not None:
                self._depths.update((id(doc), depth) for doc in docs.values())

    def changes_since(self, token: str | None) -> Feed:
        with self._mutex:
            last = str(self._feed_place)
            if token is None:
                return Feed((), last)
            try:
                seen = int(token)
            except ValueError:
                return Feed((), last, whole=False)
            whole = self._feed_unknown <= seen <= self._feed_place
            return Feed(tuple(n for place, n in self._feed if place > seen), last, whole)

    def _note(self, record: Record) -> None:
        """Take a saved record's changes into the feed (one's own and those read), once: a record
        read again (after the data was read anew) is passed over by its number."""
        if record.seq <= self._feed_seq:
            return
        self._feed_place += 1
        self._feed_seq = record.seq
        for c in record.changes:
            self._feed.append((self._feed_place, Noted(record.seq, c.table, c.id, c.doc is None, c.fields,
                                                       record.at, record.by.user, record.by.participant)))
        while len(self._feed) > FEED_MEMORY:  # forgotten: a token from before it is told so
            self._feed_unknown = max(self._feed_unknown, self._feed.popleft()[0])

    def _note_unknown(self, through: int) -> None:
        """Changes up to record `through` were taken in without their records (another session
        folded them into the database): the feed cannot tell them."""
        self._feed_place += 1
        self._feed_unknown = self._feed_place
        self._feed_seq = max(self._feed_seq, through)

    def _note_replaced(self, through: int) -> None:
        """The database was replaced by another (a copy put back, a new one): whatever was read
        before, the feed cannot tell what changed; records are numbered from `through` on."""
        self._note_unknown(through)
        self._feed_seq = through

    # -- TinyDB's interface ----------------------------------------------------------------------

    # TinyDB types the tables as dicts of dicts; here each table is a read-only mapping
    # (table.Table), which is all TinyDB's own Table needs: it copies a table to change it
    # and puts the copy in the tables it hands to `write`.
    def read(self) -> Tables | None:  # type: ignore[override]
        with self._mutex:
            if not self._in_transaction:
                self._reload_if_changed()
            return self._tables

    def write(self, data: Tables, changed: Iterable[Written] | None = None) -> None:  # type: ignore[override]
        """The tables as they now stand; `changed`, the documents this write changed (left out,
        the transaction compares the tables at its end)."""
        with self._mutex:
            if not self._in_transaction:
                # TinyDB changed the cached tables before calling this: forget them, so that the
                # refused change does not live on in memory.
                self._forget()
                raise RuntimeError("cxmap writes to its database only inside a transaction")
            self._tables = data
            self._dirty = True
            if changed is None:
                self._written = None
            elif self._written is not None:
                for table, doc_id, doc in changed:
                    self._written[(table, doc_id)] = doc

    def close(self) -> None:
        pass

    # -- transactions ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, bring the data up to date, run the block, and save once if it changed anything.

        If the block (or the save) fails, nothing is saved and the cached data is dropped, so
        that a half-made change never survives in memory either."""
        with self._mutex:
            if self._in_transaction:
                raise RuntimeError("transactions do not nest")
            self._acquire()
            try:
                self._reload_if_changed()
                self._started = self._tables if self._tables is not None else {}
                self._written = {}
                self._in_transaction = True
                try:
                    yield
                    if self._dirty:
                        assert self._tables is not None
                        changes = self._changes()
                        if changes is None or changes:
                            self._save(self._tables, changes)
                except BaseException:
                    self._forget()
                    raise
            finally:
                self._in_transaction = False
                self._dirty = False
                self._started, self._written, self._depths = {}, {}, {}
                self._release()

    def _changes(self) -> tuple[Change, ...] | None:
        """What the transaction changed (None when a write did not say)."""
        return None if self._written is None else net_changes(self._started, self._written, self._depths)

    def may_have_news(self) -> bool:
        return True  # a file tells nothing by itself; `refresh` looks at it at little cost

    def settle(self) -> bool | None:
        return None  # a save here is written or not, never in doubt

    def refresh(self) -> bool:
        """Pick up changes made by others; True if there were any."""
        with self._mutex:
            if self._in_transaction:
                return False
            return self._reload_if_changed()

    def _forget(self) -> None:
        self._tables = None


class MemoryStorage(TransactionalStorage):
    """In-memory storage with the same behaviour as the file one, for tests.

    It keeps the saved data as encoded JSON, so whatever would not survive the file does not
    survive here either."""

    def __init__(self) -> None:
        super().__init__()
        self._saved = encode({}, "")
        self._seq = 0

    def _reload_if_changed(self) -> bool:
        if self._tables is not None:
            return False
        self._tables, _ = decode(self._saved, "memory")
        return True

    def _save(self, tables: Tables, changes: tuple[Change, ...] | None) -> None:
        self._saved = encode(tables, secrets.token_hex(8))
        self._seq += 1
        if changes is None:
            self._note_unknown(self._seq)
        else:
            self._note(Record(self._seq, "", utc_stamp(datetime.now(UTC)), Who.current(), changes))


def net_changes(started: Mapping[str, Mapping[str, Doc]], written: Mapping[tuple[str, str], Document | None],
                depths: Mapping[int, int] | None = None) -> tuple[Change, ...]:
    """What a transaction changed: `written`, each (table, id) with its last version (None:
    removed), against the tables it `started` from, in table and id order. A document put back
    as it was, or added and removed again, is no change. `depths`: how deeply a document nests,
    by its id(), where its maker said (Engine.change's `depth`)."""
    depths = depths or {}
    out = []
    for (table, doc_id), doc in sorted(written.items()):
        was = started.get(table, {}).get(doc_id)
        if doc is None:
            if was is not None:
                out.append(Change(table, doc_id, None))
        elif was is None:
            out.append(Change(table, doc_id, doc, depth=depths.get(id(doc))))
        elif was != doc:
            out.append(Change(table, doc_id, doc, changed_fields(was, doc), depths.get(id(doc))))
    return tuple(out)


def revision_of(doc: Doc) -> Revision:
    """A document's revision in the file and memory engines: a digest of its content, so that it
    is the same in every session and across a compaction, and changes with any change."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]
