"""The journal: changed documents appended beside the database, one checksummed line a change.

A database `cx.json` (the snapshot) may have a companion `cx.json.journal`. Each saved change
appends one record, a line of UTF-8 JSON:

    {"v":1,"seq":13,"follows":"9f3c0a1b2c3d4e5f","at":"2026-11-23T16:40:02.113Z",
     "by":{"user":"ana","participant":"Ana Ruiz"},
     "changes":[{"table":"maps","id":"3fa9c21b","doc":{...},"fields":["touchpoints","updated"]}],
     "sha256":"<64 hex digits>"}

(on one line in the file). `seq` numbers records across the database's life, never reused once a
record is kept; `follows` is the generation of the snapshot the record was written on, so a
record is applied only on top of that snapshot. A change's `doc` is the whole new document, or
null for a removal; `fields` names the top-level fields that differ from the version before,
and is left out for a new document or a removal (docs/journal-format.md says why).

The checksum is sha256 over the line's bytes with the `,"sha256":"..."` field cut out, the
closing brace kept: checked from the bytes alone, with no re-serialising.

Reading never raises on the file's content. A record that is unfinished, garbled, or fails its
checksum ends what is read: if no good record follows it, it is a torn tail (a save cut off, or
one being written right now), dropped with a `Note`; if a good record follows, the journal is
damaged in the middle, which is reported apart (`ReadResult.damaged`), since dropping it would
drop changes that were saved. Writing truncates a torn tail before it appends, and takes back
what it wrote if the write or the fsync fails, so a failed save leaves the journal as it was.

Every file is opened through a `Folder` (no links followed, made new with O_EXCL), and a
companion file must not be readable by anyone the database is not readable by.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..domain.json_types import JSON
from .errors import SaveFailed, StoreError
from .file_format import MAX_DEPTH, Document, Tables
from .safe_files import Folder, Unsafe

JOURNAL_SUFFIX = ".journal"
HISTORY_SUFFIX = ".history"
RECORD_VERSION = 1
MAX_RECORD_BYTES = 256 << 20  # a bulk import of thousands of maps is one record; a hostile line is not read whole
_CHUNK = 1 << 20
MAX_SEQ = (1 << 63) - 1  # what any JSON reader keeps exactly as a 64-bit integer
_SUM_KEY = b',"sha256":"'
_SUM_LEN = len(_SUM_KEY) + 64 + 2  # the key, the hex digest, '"}'
_RECORD_DEPTH = MAX_DEPTH + 2  # a document sits two levels deeper in a record than in the database

Clock = Callable[[], datetime]


def journal_name(database: str) -> str:
    return database + JOURNAL_SUFFIX


def history_name(database: str) -> str:
    return database + HISTORY_SUFFIX


# -- the records ---------------------------------------------------------------------------------


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
    if _deeper_than(body, _RECORD_DEPTH):
        raise StoreError("cannot save: the change is nested too deeply")
    try:
        raw = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError("cannot save: the change holds text that is not valid Unicode (a lone surrogate)") from None
    except RecursionError:
        raise StoreError("cannot save: the change is nested too deeply") from None
    except ValueError:
        raise StoreError("cannot save: the change holds a number that is not finite") from None
    except TypeError as e:  # a value that is not JSON at all (a set, an object)
        raise StoreError(f"cannot save: the change holds something that is not JSON ({e})") from None
    line = raw[:-1] + _SUM_KEY + hashlib.sha256(raw).hexdigest().encode() + b'"}\n'
    if len(line) > max_bytes:
        raise StoreError(f"cannot save: the change takes {len(line):,} bytes, more than a journal record may "
                         f"({max_bytes:,})")
    return line


class _NotANumber(ValueError):
    pass


def _refuse_constant(text: str) -> float:
    raise _NotANumber(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotANumber(text)
    return value


def parse_record(line: bytes) -> Record | str:
    """The record on `line` (no newline), or why it is not one, in a few words. Never raises."""
    if len(line) < _SUM_LEN + 2 or line[-_SUM_LEN:][: len(_SUM_KEY)] != _SUM_KEY or line[-2:] != b'"}':
        return "it does not end in a checksum"
    body = line[:-_SUM_LEN] + b"}"
    if hashlib.sha256(body).hexdigest().encode() != line[-_SUM_LEN + len(_SUM_KEY):-2]:
        return "its checksum does not match"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"it is not UTF-8 text (byte {e.start})"
    try:
        doc: object = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except _NotANumber:
        return "it holds a number that is not finite"
    except json.JSONDecodeError as e:
        return f"it is not valid JSON (column {e.colno}: {e.msg})"
    except RecursionError:
        return "it is nested too deeply"
    except ValueError:
        return "it holds a number with too many digits"
    if _deeper_than(doc, _RECORD_DEPTH):
        return f"it is nested too deeply (more than {_RECORD_DEPTH} levels)"
    if "\\u" in text and not _valid_unicode(doc):
        return "it holds text that is not valid Unicode (a lone surrogate escape)"
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


def _deeper_than(doc: object, limit: int) -> bool:
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        values = node.values() if type(node) is dict else node if type(node) is list else ()
        stack.extend((v, depth + 1) for v in values if type(v) is dict or type(v) is list)
    return False


def _valid_unicode(doc: object) -> bool:
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """Bytes of a journal that were not read as records, and why."""

    offset: int
    length: int
    why: str

    def __str__(self) -> str:
        return f"{self.length:,} bytes at byte {self.offset:,} were not read: {self.why}"


@dataclass(frozen=True)
class Damage:
    """A bad record with good ones after it: not a torn tail but damage in the middle."""

    bad: Note
    good_after: int  # how many good records follow the first bad one

    def __str__(self) -> str:
        return (f"the journal is damaged in the middle: {self.bad}, and {self.good_after} good "
                f"record{'s' if self.good_after != 1 else ''} follow it")


@dataclass(frozen=True)
class ReadResult:
    """The good records from the offset read, in order, up to the first bad one; `offset` is
    where the next read starts (just after the last good record: an append goes there).
    At most one of `torn` and `damaged` is set."""

    records: tuple[Record, ...]
    offset: int
    torn: Note | None = None
    damaged: Damage | None = None

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(str(n) for n in (self.torn, self.damaged) if n is not None)


def read_records(fd: int, offset: int = 0, *, max_bytes: int = MAX_RECORD_BYTES) -> ReadResult:
    """The records of the open journal `fd` from byte `offset` (the end of a record, or 0).

    Reads in chunks with pread (the descriptor's position is not moved), so a line longer than
    `max_bytes` is never held whole, and stops at the end of the file as it is now. Never raises
    on content; an OSError reading the file is the caller's."""
    records: list[Record] = []
    good_end = offset
    last_seq = 0
    first_bad: Note | None = None
    good_after = 0
    pos = offset  # file offset of buf[0]
    buf = b""
    skipping: tuple[int, str] | None = None  # inside an over-long line: its start and why
    at = offset
    size = os.fstat(fd).st_size

    def take(start: int, line: bytes) -> None:
        nonlocal good_end, last_seq, first_bad, good_after
        got = parse_record(line)
        if isinstance(got, Record) and got.seq <= last_seq:
            got = f"its sequence number {got.seq} does not follow {last_seq}"
        if isinstance(got, Record):
            last_seq = got.seq
            if first_bad is None:
                records.append(got)
                good_end = start + len(line) + 1
            else:
                good_after += 1
        elif first_bad is None:
            first_bad = Note(start, len(line) + 1, f"a record that is damaged ({got})")

    def bad(start: int, length: int, why: str) -> None:
        nonlocal first_bad
        if first_bad is None:
            first_bad = Note(start, length, why)

    while at < size:
        chunk = os.pread(fd, min(_CHUNK, size - at), at)
        if not chunk:
            break  # the file was cut while we read
        at += len(chunk)
        buf += chunk
        while True:
            nl = buf.find(b"\n")
            if skipping is not None:
                if nl < 0:
                    pos, buf = pos + len(buf), b""
                    break
                start, why = skipping
                bad(start, pos + nl + 1 - start, why)
                skipping = None
                pos, buf = pos + nl + 1, buf[nl + 1:]
                continue
            if nl < 0:
                if len(buf) > max_bytes:
                    skipping = (pos, f"a line longer than {max_bytes:,} bytes")
                    pos, buf = pos + len(buf), b""
                break
            if nl > max_bytes:
                bad(pos, nl + 1, f"a line longer than {max_bytes:,} bytes")
            else:
                take(pos, buf[:nl])
            pos, buf = pos + nl + 1, buf[nl + 1:]
    if skipping is not None:
        bad(skipping[0], pos - skipping[0], skipping[1] + ", unfinished")
    elif buf:
        bad(pos, len(buf), "an unfinished last line (a save cut off, or one being written now)")
    if first_bad is None:
        return ReadResult(tuple(records), good_end)
    if good_after:
        return ReadResult(tuple(records), good_end, damaged=Damage(first_bad, good_after))
    return ReadResult(tuple(records), good_end, torn=Note(first_bad.offset, pos - first_bad.offset + len(buf),
                                                          first_bad.why))


def read_in(folder: Folder, name: str, offset: int = 0, *, max_bytes: int = MAX_RECORD_BYTES) -> ReadResult:
    """`read_records` of the journal (or history) `name` in `folder`; a missing file reads as empty.
    Raises StoreError for a name that holds a link or something other than a file."""
    try:
        fd = folder.open(name)
    except FileNotFoundError:
        return ReadResult((), 0)
    except Unsafe as e:
        raise StoreError(f"cannot read {folder.path / name}: {e}; cxmap read nothing from it") from None
    try:
        if offset > os.fstat(fd).st_size:
            # Made anew since the caller last read (a compaction): the caller reads the snapshot again.
            raise StoreError(f"{folder.path / name} is shorter than when it was last read; read it from the start")
        return read_records(fd, offset, max_bytes=max_bytes)
    finally:
        os.close(fd)


# -- writing -------------------------------------------------------------------------------------


def check_companion(fd: int, where: str, mode: int) -> None:
    """Refuse a companion file that is not a plain file with one name, or that grants anyone a
    permission the database (`mode`) does not: records written there would reach them."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise Unsafe(f"{where} is not a regular file")
    if st.st_nlink != 1:
        raise Unsafe(f"{where} has {st.st_nlink} names (a hard link could lead into someone else's file)")
    wider = stat.S_IMODE(st.st_mode) & 0o777 & ~mode
    if wider:
        raise Unsafe(f"{where} allows more than the database does (mode {stat.S_IMODE(st.st_mode):o}, "
                     f"the database {mode:o})")


def open_for_append(folder: Folder, name: str, *, mode: int, gid: int | None) -> tuple[int, bool]:
    """The companion file `name`, open to append, made new (at `mode` and group `gid`) if missing;
    and whether it was made. Unsafe for a link, a hard link or a file wider than `mode`."""
    try:
        fd = folder.open(name, os.O_RDWR | os.O_APPEND)
        made = False
    except FileNotFoundError:
        # If another writer made it between the two steps, it is checked below like any other.
        with suppress(FileExistsError):
            os.close(folder.create(name, mode=mode, gid=gid))
        fd = folder.open(name, os.O_RDWR | os.O_APPEND)
        made = True
    try:
        check_companion(fd, str(folder.path / name), mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, made


def append_line(fd: int, line: bytes, end: int, where: str) -> int:
    """Append `line` to the open journal whose last good record ends at `end`, and fsync it.

    Anything after `end` (a torn tail) is cut first. If writing or fsync fails, what was written
    is cut off again, so the journal reads as before, and SaveFailed says the change was not
    saved. If even that cut fails, the partial line is left as a torn tail, which reading drops
    and the next append cuts. Returns the new end."""
    size = os.fstat(fd).st_size
    if size < end:
        raise SaveFailed(f"could not save to {where}: it was made anew meanwhile; the change was not saved")
    try:
        if size > end:
            os.ftruncate(fd, end)
        view = memoryview(line)
        while view:
            n = os.write(fd, view)
            if n <= 0:
                raise OSError(errno.EIO, "nothing was written")
            view = view[n:]
        os.fsync(fd)
    except OSError as e:
        with suppress(OSError):
            os.ftruncate(fd, end)
            os.fsync(fd)
        raise SaveFailed(
            f"could not save to {where}: {e.strerror or e}; the change was not saved and the journal still "
            "holds everything saved before it"
        ) from None
    return end + len(line)


def append_record(folder: Folder, name: str, record: Record, end: int, *, mode: int, gid: int | None,
                  max_bytes: int = MAX_RECORD_BYTES) -> int:
    """Append `record` to the journal `name` in `folder` (made if missing), at `end`: the offset
    after its last good record as last read under the lock. Returns the new end.

    Raises StoreError for a record that cannot be written, SaveFailed when it was not saved."""
    line = encode_record(record, max_bytes=max_bytes)
    where = str(folder.path / name)
    try:
        fd, made = open_for_append(folder, name, mode=mode, gid=gid)
    except Unsafe as e:
        raise SaveFailed(f"did not save to {where}: {e}; the change was not saved") from None
    except OSError as e:
        raise SaveFailed(f"could not save to {where}: {e.strerror or e}; the change was not saved") from None
    try:
        new_end = append_line(fd, line, end, where)
    finally:
        os.close(fd)
    if made:
        try:
            folder.sync()  # the new name itself must survive a crash
        except OSError as e:
            raise SaveFailed(f"could not save to {where}: {e.strerror or e}; the change was not saved") from None
    return new_end


def next_seq(last_in_snapshot: int, records: Sequence[Record]) -> int:
    return max([last_in_snapshot, *(r.seq for r in records)]) + 1
