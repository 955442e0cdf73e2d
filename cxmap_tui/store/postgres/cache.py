"""What the PostgreSQL engine keeps in memory of a workspace, and the log's changes as JSON.

The cache holds every table as read (`table.Table`: a document read whole stays as its bytes
until it is looked at), each document's revision, and the last log row taken in. It only ever
moves forward by log rows, each applied once, in order; what was handed to a reader is never
changed (a change makes new tables). Nothing here talks to the server (postgres.py does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import orjson

from ..checked_json import MAX_DEPTH, NotJSON, deeper_than, parse_checked
from ..engine import Whole
from ..errors import StoreError, UnreadableFile
from ..file_format import checked_dumps
from ..records import Change
from ..table import Document, Table

DOC_DEPTH = MAX_DEPTH - 2  # as deep as the file engine keeps a document
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # the escape of U+0000, not an escaped backslash before "u0000"
_EMPTY = Table()


@dataclass
class Cache:
    """The workspace as read up to log row `last` (0: none yet), saved at `last_at`."""

    where: str
    tables: dict[str, Table] = field(default_factory=dict)
    revs: dict[tuple[str, str], int] = field(default_factory=dict)
    last: int = 0
    last_at: datetime | None = None

    def load(self, last: int, last_at: datetime | None, rows: Iterable[tuple[str, str, bytes, int]]) -> None:
        """Take in the whole workspace: its documents (table, id, JSON bytes, revision) as of
        log row `last`."""
        docs: dict[str, dict[str, Document | memoryview]] = {}
        revs: dict[tuple[str, str], int] = {}
        for table, doc_id, raw, rev in rows:
            docs.setdefault(table, {})[doc_id] = memoryview(raw)
            revs[(table, doc_id)] = rev
        self.tables = {name: Table(found, self.where) for name, found in docs.items()}
        self.revs, self.last, self.last_at = revs, last, last_at

    def table(self, name: str) -> Table:
        return self.tables.get(name, _EMPTY)

    def revision(self, table: str, doc_id: str) -> int | None:
        return self.revs.get((table, doc_id))

    def apply(self, seq: int, at: datetime, changes: Iterable[Change],
              docs: Mapping[tuple[str, str], memoryview] | None = None) -> None:
        """Take in log row `seq` (the next one): its documents, each now at revision `seq`
        (`docs`: each put's document as read, by table and id, in place of the change's)."""
        if seq != self.last + 1:
            raise ValueError(f"log row {seq} does not follow {self.last}")
        self.tables = changed_tables(self.tables, changes, docs)
        for c in changes:
            if c.doc is None:
                self.revs.pop((c.table, c.id), None)
            else:
                self.revs[(c.table, c.id)] = seq
        self.last, self.last_at = seq, at


def changed_tables(tables: Mapping[str, Table], changes: Iterable[Change],
                   docs: Mapping[tuple[str, str], memoryview] | None = None) -> dict[str, Table]:
    """`tables` with `changes` made, as new tables (those passed in are left as they are);
    `docs`: the puts' documents as read, in place of the changes' own."""
    by_table: dict[str, tuple[dict[str, Document | memoryview], list[str]]] = {}
    for c in changes:
        put, gone = by_table.setdefault(c.table, ({}, []))
        if c.doc is None:
            put.pop(c.id, None)
            gone.append(c.id)
        else:
            put[c.id] = c.doc if docs is None else docs[(c.table, c.id)]
    out = dict(tables)
    for name, (put, gone) in by_table.items():
        out[name] = out.get(name, _EMPTY).changed(put, gone)
    return out


def dumped(value: object) -> str:
    """JSON text of a value to save; StoreError for one cxmap could not read back."""
    return checked_dumps(value).decode("utf-8")


def _fast(doc: Document) -> str:
    """A document whose depth its maker vouched for, by orjson (the same text as `dumped`, some
    ten times sooner); what orjson refuses goes the checked way, which says what is wrong."""
    try:
        return orjson.dumps(doc).decode("utf-8")
    except orjson.JSONEncodeError:
        return dumped(doc)


def encoded(changes: Iterable[Change]) -> tuple[list[str | None], str]:
    """Each change's document as JSON text (None for a removal), and the log row's changes
    (without the documents, which are saved as versions: schema.py)."""
    docs: list[str | None] = []
    parts: list[str] = []
    for c in changes:
        vouched = c.depth is not None and c.depth <= DOC_DEPTH  # its maker said how deep it nests
        if c.doc is not None and not vouched and deeper_than(c.doc, DOC_DEPTH):
            raise StoreError(f"cannot save: the change is nested too deeply (more than {DOC_DEPTH} levels)")
        doc = None if c.doc is None else _fast(c.doc) if vouched else dumped(c.doc)
        if doc is not None and "\\u0000" in doc and _NUL.search(doc):  # the pattern only where it may match
            raise StoreError("cannot save: the change holds the character U+0000 (NUL), which a PostgreSQL "
                             "workspace cannot keep; take it out and save again")
        docs.append(doc)
        parts.append(dumped({"table": c.table, "id": c.id, "removed": c.doc is None,
                             "fields": None if c.fields is None else list(c.fields)}))
    return docs, "[" + ",".join(parts) + "]"


def decoded(raw: bytes, where: str, seq: int, *, docs: bool = True) -> tuple[Change, ...]:
    """The changes of log row `seq` from their JSON; UnreadableFile (one line) if they are not
    what cxmap writes. `docs=False`: the feed's rows, read without their documents (a put then
    holds an empty one)."""
    try:
        found = parse_checked(raw, MAX_DEPTH)
    except NotJSON as e:
        raise UnreadableFile(f"cannot read {where}: its log row {seq} is damaged ({e})") from None
    out: list[Change] = []
    for c in found if isinstance(found, list) else [None]:
        if not isinstance(c, dict) or type(c.get("table")) is not str or type(c.get("id")) is not str:
            raise UnreadableFile(f"cannot read {where}: a change in its log row {seq} does not name its table and id")
        doc, fields, removed = c.get("doc"), c.get("fields"), c.get("removed")
        if type(removed) is not bool or (docs and not ((removed and doc is None) or isinstance(doc, dict))):
            raise UnreadableFile(f"cannot read {where}: a change in its log row {seq} has no document")
        if fields is not None and not (isinstance(fields, list) and all(type(f) is str for f in fields)):
            raise UnreadableFile(f"cannot read {where}: a change in its log row {seq} has fields that are not names")
        kept = doc if isinstance(doc, dict) else None if removed else {}
        out.append(Change(c["table"], c["id"], kept, None if fields is None else tuple(fields)))
    return tuple(out)


def decoded_version(raw: bytes, fields: bytes | None, where: str, seq: int) -> tuple[Document, tuple[str, ...] | None]:
    """A version's document, and the fields its log row says it changed, from their JSON;
    UnreadableFile (one line) if they are not what cxmap writes."""
    try:
        doc = parse_checked(raw, MAX_DEPTH)
        named = None if fields is None else parse_checked(fields, 2)
    except NotJSON as e:
        raise UnreadableFile(f"cannot read {where}: its version {seq} is damaged ({e})") from None
    if not isinstance(doc, dict):
        raise UnreadableFile(f"cannot read {where}: its version {seq} is not a document")
    listed = tuple(str(f) for f in named) if isinstance(named, list) else None
    return doc, listed


class LogRow(NamedTuple):
    seq: int
    at: datetime
    user: str
    participant: str | None
    changes: bytes | None  # None for the row read last, which is only compared


Docs = dict[tuple[str, str], memoryview]  # documents as read, by table and id


def news(rows: Iterable[Sequence[object]]) -> tuple[list[LogRow], dict[int, Docs]]:
    """The answer to schema.NEWS split: its log rows, and the documents each saved, as read, by
    seq and then table and id."""
    log: list[LogRow] = []
    docs: dict[int, Docs] = {}
    for seq, at, user, participant, changes, table, doc_id, doc in rows:
        if not isinstance(seq, int):
            continue
        if isinstance(at, datetime):
            log.append(LogRow(seq, at, str(user), participant if isinstance(participant, str) else None,
                              changes if isinstance(changes, bytes) else None))
        elif isinstance(table, str) and isinstance(doc_id, str) and isinstance(doc, bytes):
            docs.setdefault(seq, {})[(table, doc_id)] = memoryview(doc)
    return log, docs


def with_docs(changes: tuple[Change, ...], docs: Mapping[tuple[str, str], memoryview], where: str,
              seq: int) -> tuple[Change, ...]:
    """Log row `seq`'s changes (read without their documents), checked to have each put's version
    in `docs`; UnreadableFile (one line) for one that is missing."""
    for c in changes:
        if c.doc is not None and (c.table, c.id) not in docs:
            raise UnreadableFile(f"cannot read {where}: its log row {seq} saved a document that is not there")
    return changes


Rows = list[tuple[object, ...]]


def adopted(whole: Whole) -> tuple[Rows, Rows, Rows]:
    """A whole workspace as the rows to write (schema.ADOPT_DOC, ADOPT_VERSION, ADOPT_LOG): each
    document at the revision of the last recorded change that saved it (0: none), each version:
    the documents as they are now, then every one the history saved (the last of a document's is
    its current one, and is not written twice), and the log rows as recorded."""
    revs: dict[tuple[str, str], int] = {}
    for r in whole.records:
        for c in r.changes:
            revs[(c.table, c.id)] = r.seq
    rows = [(name, doc_id, doc) for name, docs in whole.tables.items() for doc_id, doc in docs.items()]
    docs, _ = encoded([Change(name, doc_id, doc) for name, doc_id, doc in rows])
    heads: Rows = [(name, doc_id, revs.get((name, doc_id), 0)) for name, doc_id, _ in rows]
    versions: Rows = [(*head, doc) for head, doc in zip(heads, docs, strict=True)]
    log: Rows = []
    for r in whole.records:
        saved, logged = encoded(r.changes)
        versions += [(c.table, c.id, r.seq, doc) for c, doc in zip(r.changes, saved, strict=True) if doc is not None]
        log.append((r.seq, r.at, r.by.user, r.by.participant, logged))
    return heads, versions, log
