"""The seam between the store and a database engine: what `Store` and `CustomerStore` need of a
database, and all they may use of one.

An engine holds tables of documents (JSON objects) keyed by cxmap's string ids. It offers:

* **reads**: `tables(*names)` gives the documents of several tables as they all stood at one
  moment (inside a transaction: as the transaction found them, with its own changes);
* **transactions**: `transaction()` runs a block all or nothing; `change` (only inside one) puts
  and removes documents. No change is saved over one it has not seen: an engine either holds
  the database for the transaction and reads it fresh first (the file engine: a lock), or checks
  revisions when it commits and raises `Conflict`, after which the store runs the block again on
  fresh data (a server engine);
* **revisions**: `revision(table, id)` names a document's version; `change(expect=...)` saves only
  if each document named is still at the revision the caller read (else `Conflict`, nothing
  saved), for a caller that read outside the transaction;
* **a feed**: `changes_since(token)` lists what was saved since `token` (by anyone, as far as
  this engine has seen: call `refresh` first), who and when, and a token for what follows.

Three engines implement it here: `JSONFileStorage` (the file, with its journal) and `MemoryStorage`
(for tests), through `TransactionalStorage`, and `postgres.PostgresEngine` (a PostgreSQL server,
which checks revisions as it commits). The store's contract tests run against each
(tests/store/test_engine_contract.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..domain.json_types import JSON
from .errors import StoreError

if TYPE_CHECKING:
    from datetime import datetime

    from .compaction import Pruned
    from .records import Record, Who
    from .table import Document

CONFLICT_TRIES = 5

Doc = Mapping[str, JSON]  # a document as read: look, never change (change it through `Engine.change`)
Revision = str  # opaque: equal revisions, equal documents


class Conflict(StoreError):
    """A document changed after the caller read it; nothing was saved. Read again and retry."""


def attempts(tries: int = CONFLICT_TRIES) -> Iterator[Attempt]:
    """The tries of one transaction: an engine that checks revisions when it commits may refuse
    it (`Conflict`: someone saved first), and then the block runs again, on fresh data, up to
    `tries` times in all; the last refusal is raised. Used as

        for attempt in attempts():
            with attempt, engine.transaction():
                ...

    Every saved change passes here, so it is a plain loop (a retry library's bookkeeping cost
    about a tenth of a file engine's whole change)."""
    for n in range(1, tries + 1):
        attempt = Attempt(last=n == tries)
        yield attempt
        if attempt.done:
            return


class Attempt:
    """One try: leaving it without an error ends the tries; a Conflict, but on the last one, is
    swallowed so that the next try runs."""

    __slots__ = ("done", "last")

    def __init__(self, *, last: bool) -> None:
        self.last = last
        self.done = False

    def __enter__(self) -> Attempt:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> bool:
        if kind is None:
            self.done = True
            return False
        return issubclass(kind, Conflict) and not self.last


@dataclass(frozen=True)
class Noted:
    """One document changed, as the feed tells it."""

    seq: int  # the change's number in the database's life: later changes have larger ones
    table: str
    id: str
    removed: bool
    fields: tuple[str, ...] | None  # the top-level fields that changed; None for a new or removed one
    at: str  # ISO 8601, UTC, to the millisecond
    user: str
    participant: str | None = None


@dataclass(frozen=True)
class Feed:
    """What was saved since a token: `changes` in order, and `token` to ask for what follows.
    `whole` is false when the engine cannot say everything since that token (its memory of the
    changes does not go back that far, or the database was replaced): read everything again."""

    changes: tuple[Noted, ...]
    token: str
    whole: bool = True


class Engine(Protocol):
    """A database the store can use (see the module's text)."""

    @property
    def location(self) -> str:
        """Where the database is, for messages (never with a password)."""
        ...

    @property
    def read_only(self) -> str:
        """Why this database may not be changed now; "" when it may."""
        ...

    @property
    def note(self) -> str:
        """What the database has to tell the user now, in words (a save cut off and left out, a
        fold put off); "" for nothing."""
        ...

    def tables(self, *names: str) -> tuple[Mapping[str, Doc], ...]:
        """The documents of each table named, by id, all as they stood at one moment."""
        ...

    def revision(self, table: str, doc_id: str) -> Revision | None:
        """The version of a document as read now; None when there is none."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Run a block all or nothing; `change` is allowed only inside one. Transactions do not
        nest."""
        ...

    def change(self, table: str, put: Mapping[str, Doc] | None = None, remove: Iterable[str] = (),
               expect: Mapping[str, Revision | None] | None = None, depth: int | None = None) -> None:
        """Put documents in (replacing those with their ids) and remove others; KeyError for an
        id to remove that is not there. `expect`: for some ids, the revision each must still be at
        (None: it must not exist), else Conflict and nothing of the transaction is saved.
        `depth`: how deeply the documents put nest lists and objects at most, when their maker
        knows it (a domain object's document); an engine that limits nesting may then skip
        measuring them. Left out, they are measured where it matters."""
        ...

    def refresh(self) -> bool:
        """Take in what other sessions saved; True if there was anything."""
        ...

    def may_have_news(self) -> bool:
        """Whether other sessions may have saved something since the last call, told without
        reading the database (a server's announcement of each commit); an engine that cannot
        tell so cheaply says True, and `refresh` then finds out. For a session that watches."""
        ...

    def changes_since(self, token: str | None) -> Feed:
        """What was saved after `token` (None: no changes, just a token for what follows)."""
        ...

    def settle(self) -> bool | None:
        """After a save that raised SaveInDoubt: whether it was applied after all (True), or
        not (False); None when none is in doubt (an engine that never leaves one says None).
        Unavailable while it cannot tell yet."""
        ...

    def close(self) -> None:
        """Let go of what the engine holds open (a file's folder, a server's connection)."""
        ...


@runtime_checkable
class KeepsHistory(Protocol):
    """An engine whose record of changes can be pruned (`cxmap history prune`)."""

    @property
    def history_name(self) -> str:
        """What the history is called in messages ("cx.json.history", "the history on ...")."""
        ...

    def prune_history(self, *, since: datetime | None = None, last: int | None = None,
                      dry_run: bool = False) -> Pruned:
        """Drop the records made before `since` and not among the `last` N; `dry_run`: only say."""
        ...


@dataclass(frozen=True)
class Version:
    """One saved version of a document, from the history: the change's seq, when (ISO 8601 UTC;
    "" for a version kept without its change, which history pruned), by whom (None then), and
    the document (None: removed). `fields`: the top-level fields that differ from the version
    before, when the change says (a version whose predecessor is not kept is told by them)."""

    seq: int
    at: str
    by: Who | None
    doc: Document | None
    fields: tuple[str, ...] | None = None


@runtime_checkable
class Chronicled(Protocol):
    """An engine that can list the saved versions of one document (`cxmap history MAP`)."""

    def versions(self, table: str, doc_id: str) -> list[Version]:
        """The versions of one document the history keeps, oldest first."""
        ...


@dataclass(frozen=True)
class Whole:
    """A whole workspace at one moment, to move it (`cxmap copy`): every table's documents by id,
    and every record of the history kept, oldest first."""

    tables: Mapping[str, Mapping[str, Document]]
    records: tuple[Record, ...]


@runtime_checkable
class Movable(Protocol):
    """An engine a workspace can be copied out of and into."""

    def whole(self) -> Whole:
        """The workspace as it stands, with its history."""
        ...

    def adopt(self, whole: Whole) -> None:
        """Take in a whole workspace, its history as it was (numbers, who, when), into this one,
        which must be empty (StoreError, and nothing changed, if it is not)."""
        ...


def refuse_unless_empty(where: str, tables: Iterable[Iterable[object]], records: int) -> None:
    """StoreError unless there is no document in `tables` and no recorded change."""
    docs = sum(1 for table in tables for _ in table)
    if docs or records:
        held = [f"{docs} stored item{'' if docs == 1 else 's'} (maps, their summaries, customers)"] if docs else []
        held += [f"{records} recorded change{'' if records == 1 else 's'}"] if records else []
        raise StoreError(f"{where} is not empty (it holds {' and '.join(held)}); cxmap copy copies only into an "
                         "empty workspace, so nothing was copied")


def in_order(records: Iterable[Record]) -> tuple[Record, ...]:
    """The records by their numbers, each number once (the first kept)."""
    seen: dict[int, Record] = {}
    for r in records:
        seen.setdefault(r.seq, r)
    return tuple(seen[seq] for seq in sorted(seen))


def last_seq(whole: Whole) -> int:
    """The number of the newest recorded change moved (0: none)."""
    return max((r.seq for r in whole.records), default=0)
