"""The journal's records: one saved change each, who made it and when, as one checksummed line.

A record is a line of UTF-8 JSON (on one line in the file):

    {"v":1,"seq":13,"follows":"9f3c0a1b2c3d4e5f","at":"2026-11-23T16:40:02.113Z",
     "by":{"user":"ana","participant":"Ana Ruiz"},
     "changes":[{"table":"maps","id":"3fa9c21b","doc":{...},"fields":["touchpoints","updated"]}],
     "sha256":"<64 hex digits>"}

`seq` numbers records across the database's life, never reused once a record is kept; `follows`
is the generation of the snapshot the record was written on, so a record is applied only on top
of that snapshot. A change's `doc` is the whole new document, or null for a removal; `fields`
names the top-level fields that differ from the version before, and is left out for a new
document or a removal (docs/journal-format.md says why).

The checksum is sha256 over the line's bytes with the `,"sha256":"..."` field cut out, the
closing brace kept: checked from the bytes alone, with no re-serialising. `parse_record` never
raises: a line that is not a record gives the reason, in a few words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson

from ..domain.json_types import JSON
from .errors import StoreError
from .file_format import MAX_DEPTH, Document, NotJSON, Tables, checked_dumps, deeper_than, parse_checked

RECORD_VERSION = 1
MAX_RECORD_BYTES = 256 << 20  # a bulk import of thousands of maps is one record; a hostile line is not read whole
MAX_SEQ = (1 << 63) - 1  # what any JSON reader keeps exactly as a 64-bit integer
_SUM_KEY = b',"sha256":"'
_SUM_LEN = len(_SUM_KEY) + 64 + 2  # the key, the hex digest, '"}'
_RECORD_DEPTH = MAX_DEPTH + 2  # a document sits two levels deeper in a record than in the database

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Who:
    """Who made a change: the OS user (as the system knows them), and the workshop participant
    the facilitator named, if any."""

    user: str
    participant: str | None = None

    @classmethod
    def current(cls, participant: str | None = None) -> Who:
        from .customer_checks import os_user

        return cls(os_user(), participant)


@dataclass(frozen=True)
class Change:
    """One document of one table: its new version, or None when it was removed. `fields`: the
    top-level fields that differ from the version before; None for a new document or a removal."""

    table: str
    id: str
    doc: Document | None
    fields: tuple[str, ...] | None = None
    # How deeply `doc` nests, when its maker vouched for it (Engine.change's `depth`); None: not
    # known, measured before it is written. Not part of the change itself.
    depth: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Record:
    seq: int
    follows: str
    at: str  # ISO 8601, UTC, milliseconds, "Z"
    by: Who
    changes: tuple[Change, ...]
    line: bytes = field(default=b"", compare=False, repr=False)  # as read: copied verbatim into the history

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)


def utc_stamp(when: datetime) -> str:
    """`when` in ISO 8601 UTC to the millisecond; a time without a zone is refused (it would
    silently be the machine's local time)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the clock gave a time without a time zone; give it in UTC")
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_record(seq: int, follows: str, by: Who, changes: Iterable[Change], clock: Clock) -> Record:
    return Record(seq, follows, utc_stamp(clock()), by, tuple(changes))


def changed_fields(before: Mapping[str, JSON], after: Mapping[str, JSON]) -> tuple[str, ...]:
    """The top-level fields added, removed or changed between two versions, sorted."""
    names = before.keys() | after.keys()
    return tuple(sorted(n for n in names if n not in before or n not in after or before[n] != after[n]))


def changes_between(before: Tables, after: Tables) -> tuple[Change, ...]:
    """What turned `before` into `after`, document by document, in table and id order.

    The table layer copies only the tables it changes and keeps every untouched document as the
    same object, so an unchanged table or document is passed over by identity before it is
    compared."""
    out: list[Change] = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, {}), after.get(name, {})
        if old is new:
            continue
        for doc_id in sorted(old.keys() | new.keys()):
            was, now = old.get(doc_id), new.get(doc_id)
            if was is now:
                continue
            if now is None:
                out.append(Change(name, doc_id, None))
            elif was is None:
                out.append(Change(name, doc_id, now))
            elif was != now:
                out.append(Change(name, doc_id, now, changed_fields(was, now)))
    return tuple(out)


def encode_record(record: Record, *, max_bytes: int = MAX_RECORD_BYTES) -> bytes:
    """The record's line, newline included; StoreError for a record the reader would refuse."""
    # What reading checks beyond what json.dumps refuses, checked here so it is never written.
    if type(record.seq) is not int or not 1 <= record.seq <= MAX_SEQ:
        raise StoreError(f"cannot save: {record.seq!r} is not a sequence number (1 to 2**63-1)")
    try:
        stamped = datetime.fromisoformat(record.at).tzinfo is not None
    except (TypeError, ValueError):
        stamped = False
    if not stamped:
        raise StoreError(f"cannot save: {record.at!r} is not an ISO 8601 time with its zone")
    who: dict[str, JSON] = {"user": record.by.user}
    if record.by.participant is not None:
        who["participant"] = record.by.participant
    changes: list[JSON] = []
    for c in record.changes:
        change: dict[str, JSON] = {"table": c.table, "id": c.id, "doc": c.doc}
        if c.fields is not None:
            change["fields"] = list(c.fields)
        changes.append(change)
    body: dict[str, JSON] = {"v": RECORD_VERSION, "seq": record.seq, "follows": record.follows, "at": record.at,
                             "by": who, "changes": changes}
    # A document sits three levels down in the record (its object, the list of changes, the
    # change). Documents whose maker said how deep they nest (a domain object's, every field of
    # its type: no float, let alone a non-finite one) are not walked again, and are written by
    # orjson, which gives the same bytes as json.dumps below some ten times sooner; anything else,
    # or anything orjson refuses, goes the checked way, which says what is wrong.
    vouched = all(c.doc is None or (c.depth is not None and c.depth + 3 <= _RECORD_DEPTH) for c in record.changes)
    raw = _dumped(body, vouched)
    line = raw[:-1] + _SUM_KEY + hashlib.sha256(raw).hexdigest().encode() + b'"}\n'
    if len(line) > max_bytes:
        raise StoreError(f"cannot save: the change takes {len(line):,} bytes, more than a journal record may "
                         f"({max_bytes:,})")
    return line


def _dumped(body: dict[str, JSON], vouched: bool) -> bytes:
    """The record's body as compact UTF-8 JSON; StoreError for one the reader would refuse."""
    if vouched:
        try:
            return orjson.dumps(body)
        except orjson.JSONEncodeError:
            pass  # said in words below
    elif deeper_than(body, _RECORD_DEPTH):
        raise StoreError("cannot save: the change is nested too deeply")
    return checked_dumps(body)


def parse_record(line: bytes) -> Record | str:
    """The record on `line` (no newline), or why it is not one, in a few words. Never raises."""
    if len(line) < _SUM_LEN + 2 or line[-_SUM_LEN:][: len(_SUM_KEY)] != _SUM_KEY or line[-2:] != b'"}':
        return "it does not end in a checksum"
    body = line[:-_SUM_LEN] + b"}"
    if hashlib.sha256(body).hexdigest().encode() != line[-_SUM_LEN + len(_SUM_KEY):-2]:
        return "its checksum does not match"
    try:
        doc = parse_checked(body, _RECORD_DEPTH)
    except NotJSON as e:
        return str(e)
    return _record_from(doc, line)


def _record_from(doc: object, line: bytes) -> Record | str:
    if not isinstance(doc, dict):
        return "it is not a JSON object"
    version = doc.get("v")
    if type(version) is not int:
        return "its format version is missing"
    if version > RECORD_VERSION:
        return f"it was written by a newer cxmap (record format {str(version)[:20]})"
    seq, follows, at, by, changes = (doc.get(k) for k in ("seq", "follows", "at", "by", "changes"))
    if type(seq) is not int or not 1 <= seq <= MAX_SEQ:
        return "its sequence number is missing or not a whole number from 1 to 2**63-1"
    if type(follows) is not str or type(at) is not str:
        return "its generation or time is missing"
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return "its time is not an ISO 8601 time"
    if when.tzinfo is None:
        return "its time has no time zone"
    if not isinstance(by, dict) or type(by.get("user")) is not str:
        return "it does not say who made the change"
    participant = by.get("participant")
    if participant is not None and type(participant) is not str:
        return "its participant is not text"
    if not isinstance(changes, list):
        return "its changes are not a list"
    out: list[Change] = []
    for c in changes:
        if not isinstance(c, dict) or type(c.get("table")) is not str or type(c.get("id")) is not str:
            return "a change does not name its table and id"
        new = c.get("doc")
        if new is not None and not isinstance(new, dict):
            return "a change's document is not an object"
        fields = c.get("fields")
        if fields is not None and not (isinstance(fields, list) and all(type(f) is str for f in fields)):
            return "a change's fields are not a list of names"
        out.append(Change(c["table"], c["id"], new, None if fields is None else tuple(fields)))
    return Record(seq, follows, at, Who(by["user"], participant), tuple(out), line + b"\n")
