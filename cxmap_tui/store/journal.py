"""The journal: changed documents appended beside the database, one checksummed line a change.

A database `cx.json` (the snapshot) may have a companion `cx.json.journal`. Each saved change
appends one record (store/records.py says what a record holds).

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
import os
import stat
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

from .errors import SaveFailed, StoreError
from .records import MAX_RECORD_BYTES, Record, encode_record, parse_record
from .safe_files import Folder, Unsafe

JOURNAL_SUFFIX = ".journal"
HISTORY_SUFFIX = ".history"
_CHUNK = 1 << 20


def journal_name(database: str) -> str:
    return database + JOURNAL_SUFFIX


def history_name(database: str) -> str:
    return database + HISTORY_SUFFIX


def _database_of(name: str) -> str:
    """The database a journal or history file belongs to, by its name."""
    return name.removesuffix(JOURNAL_SUFFIX).removesuffix(HISTORY_SUFFIX)


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
        return self.said_of("the journal")

    def said_of(self, what: str) -> str:
        """The damage, `what` (the file, as the reader knows it) its subject."""
        return (f"{what} is damaged in the middle: {self.bad}, and {self.good_after} good "
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


FileId = tuple[int, int]  # which file a name held when it was read: device and inode
REMADE: FileId = (-1, -1)  # a file shorter than where its reader stopped: made anew since


def read_file(folder: Folder, name: str, offset: int = 0, *,
              max_bytes: int = MAX_RECORD_BYTES) -> tuple[ReadResult, FileId | None]:
    """`read_records` of the journal (or history) `name` in `folder` from `offset`, and which file
    that was (None: there is none, which reads as empty; REMADE: it is shorter than `offset`).
    Raises one StoreError line for a name that holds a link or something other than a file, or
    that this user may not read."""
    path = folder.where(name)
    try:
        fd = folder.open(name)
    except FileNotFoundError:
        return ReadResult((), 0), None
    except Unsafe as e:
        raise StoreError(f"cannot use {path}: {e}. cxmap read and changed nothing; move it aside if it is not "
                         "the database's own") from None
    except PermissionError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}. It belongs to the database and needs the same "
                         f"permissions (chmod --reference={_database_of(name)} {name})") from None
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if st.st_size < offset:
            return ReadResult((), 0), REMADE
        return read_records(fd, offset, max_bytes=max_bytes), (st.st_dev, st.st_ino)
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}") from None
    finally:
        os.close(fd)


def read_in(folder: Folder, name: str, offset: int = 0, *, max_bytes: int = MAX_RECORD_BYTES) -> ReadResult:
    """`read_file` for a reader that must not find the file made anew (StoreError if it was)."""
    result, file_id = read_file(folder, name, offset, max_bytes=max_bytes)
    if file_id == REMADE:
        raise StoreError(f"{folder.path / name} is shorter than when it was last read; read it from the start")
    return result


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
        check_companion(fd, folder.where(name), mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, made


def cut_torn_tail(folder: Folder, name: str, end: int, *, mode: int) -> bool:
    """Cut the journal `name` back to `end`, its last good record's end, dropping a torn tail
    (the caller holds the lock and has just read it). False, the file left as it is, when it
    cannot be opened to write (this user may only read it, it is not a plain file with one name,
    it is no longer than `end`) or the cut fails."""
    try:
        fd = folder.open(name, os.O_RDWR)
    except (OSError, Unsafe):
        return False
    try:
        check_companion(fd, folder.where(name), mode)
        if os.fstat(fd).st_size <= end:
            return False
        os.ftruncate(fd, end)
        os.fsync(fd)
        return True
    except (OSError, Unsafe):
        return False
    finally:
        os.close(fd)


def append_line(fd: int, line: bytes, end: int, where: str) -> int:
    """Append `line` to the open journal whose last good record ends at `end`, and fsync it.

    Anything after `end` (a torn tail) is cut first. If writing or fsync fails, what was written
    is cut off again, so the journal reads as before, and SaveFailed says the change was not
    saved. If even that cut fails, the partial line is left as a torn tail, which reading drops
    and the next append cuts. Returns the new end."""
    size = os.fstat(fd).st_size
    if size < end:
        raise SaveFailed(f"could not save to {where}: it was made anew meanwhile; the change was not saved",
                         why=f"{where}: it was made anew meanwhile")
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
            "holds everything saved before it", why=f"{where}: {e.strerror or e}"
        ) from None
    return end + len(line)


def append_record(folder: Folder, name: str, record: Record, end: int, *, mode: int, gid: int | None,
                  max_bytes: int = MAX_RECORD_BYTES) -> int:
    """Append `record` to the journal `name` in `folder` (made if missing), at `end`: the offset
    after its last good record as last read under the lock. Returns the new end.

    Raises StoreError for a record that cannot be written, SaveFailed when it was not saved."""
    line = encode_record(record, max_bytes=max_bytes)
    where = folder.where(name)
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
