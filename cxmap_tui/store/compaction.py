"""Folding the journal into the snapshot, so that a crash at any point opens to the same data.

What opening sees (`open_database`): the snapshot `cx.json`, then every good record of
`cx.json.journal` that follows the snapshot's generation and has a sequence number above the
last one the snapshot names (`replay`). Any other record is already in the snapshot.

Compaction (`compact`, run by the storage under its lock) takes three steps, each a complete
state on its own:

1. **history**: the records being folded are appended to `cx.json.history` (those not there
   yet, by sequence number) and fsynced. The snapshot and the journal are unchanged, so the
   database opens as before; a record cut off mid-line is a torn tail the next step cuts.
2. **snapshot**: the folded tables are written atomically (temporary file, fsync, rename, fsync
   the folder) with a new generation and the last sequence number they hold. From the rename
   on, the old journal's records follow an older generation, so opening skips them.
3. **journal**: an empty journal is renamed over the old one. Until then, a writer appends
   after the skipped records, which is correct too.

The change records live on in the history, which `prune_history` trims (by date, by count).
docs/journal-format.md says it at more length.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .atomic import write_atomic_in
from .errors import SaveFailed, StoreError
from .file_format import FORMAT_VERSION, HEADER, Document, Table, Tables, decode_with_header, encode
from .journal import (
    ReadResult,
    append_line,
    check_companion,
    history_name,
    journal_name,
    open_for_append,
    read_in,
    read_records,
)
from .records import MAX_SEQ, Record, encode_record, parse_record
from .safe_files import Folder, Unsafe

SEQ_KEY = "journal_seq"  # in the snapshot's header: the last journal record the snapshot holds
_HEAD = 4096
COMPACTION_STEPS = ("history", "snapshot", "journal")


@dataclass(frozen=True)
class Snapshot:
    tables: Tables
    generation: str
    last_seq: int  # 0 when the snapshot names none (a database that never had a journal)
    format: int = FORMAT_VERSION  # the file format it was written in (1: from before the journal)


def encode_snapshot(tables: Tables, generation: str, last_seq: int) -> bytes:
    """The database file for `tables`, its header naming `last_seq`: file_format's bytes (and
    its refusals) with one more header field, which every cxmap that reads the format ignores."""
    if type(last_seq) is not int or last_seq < 0:
        raise ValueError("the last sequence number is a whole number, 0 or more")
    return encode(tables, generation, {SEQ_KEY: last_seq})


def decode_snapshot(raw: bytes, where: str, backup: Path | None = None) -> Snapshot:
    """The snapshot in `raw`; UnreadableFile / NewerFormat as `file_format.decode` raises them."""
    tables, header = decode_with_header(raw, where, backup)
    generation, version = header.get("generation"), header.get("format")
    return Snapshot(tables, generation if isinstance(generation, str) else "", _header_seq(header),
                    version if type(version) is int else FORMAT_VERSION)


def _header_seq(header: dict[str, object]) -> int:
    """The header's journal_seq; 0 if it is not there, as in a file from before the journal or
    edited by hand."""
    seq = header.get(SEQ_KEY)
    return seq if type(seq) is int and 0 <= seq <= MAX_SEQ else 0


# -- replay --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replayed:
    """The snapshot with the journal's records applied."""

    tables: Tables
    generation: str
    last_seq: int  # of the last record applied, or the snapshot's
    applied: tuple[Record, ...]
    skipped: int  # records already in the snapshot (an earlier generation, or an old sequence number)
    notes: tuple[str, ...] = ()


def apply_changes(tables: Tables, record: Record) -> Tables:
    """`tables` with the record's changes made, copying only the tables it touches (and none of
    the documents)."""
    put: dict[str, dict[str, Document]] = {}
    removed: dict[str, list[str]] = {}
    for c in record.changes:
        if c.table == HEADER:
            continue  # not a table: the name is the file's header (encode refuses it too)
        if c.doc is None:
            put.get(c.table, {}).pop(c.id, None)
            removed.setdefault(c.table, []).append(c.id)
        else:
            put.setdefault(c.table, {})[c.id] = c.doc
    out = dict(tables)
    for name in put.keys() | removed.keys():
        table = Table.of(out.get(name, {})).changed(put.get(name), removed.get(name, ()))
        if table or name in tables:
            out[name] = table  # a removal of something never there makes no empty table
    return out


def replay(snapshot: Snapshot, records: Iterable[Record]) -> Replayed:
    tables, last, skipped = snapshot.tables, snapshot.last_seq, 0
    applied: list[Record] = []
    notes: list[str] = []
    for r in records:
        if r.follows != snapshot.generation or r.seq <= snapshot.last_seq:
            skipped += 1
            continue
        if r.seq != last + 1 and applied:
            notes.append(f"records {last + 1} to {r.seq - 1} are missing from the journal")
        tables = apply_changes(tables, r)
        last = r.seq
        applied.append(r)
    return Replayed(tables, snapshot.generation, last, tuple(applied), skipped, tuple(notes))


@dataclass(frozen=True)
class Opened:
    """A database as opening it sees it: the snapshot, the journal as read, and the two together."""

    snapshot: Snapshot
    journal: ReadResult
    state: Replayed

    @property
    def tables(self) -> Tables:
        return self.state.tables

    @property
    def notes(self) -> tuple[str, ...]:
        return self.journal.notes + self.state.notes

    @property
    def next_seq(self) -> int:
        """The sequence number for the next record appended at `journal.offset`."""
        return max([self.state.last_seq, *(r.seq for r in self.journal.records)]) + 1


def read_snapshot(folder: Folder, name: str) -> Snapshot:
    where = str(folder.path / name)
    try:
        fd = folder.open(name)
    except Unsafe as e:
        raise StoreError(f"cannot use {where}: {e}; cxmap read and changed nothing") from None
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read()
    finally:
        os.close(fd)
    return decode_snapshot(raw, where)


def open_database(folder: Folder, name: str) -> Opened:
    """The snapshot `name` in `folder` and its journal, replayed. The journal's notes (a torn
    tail, damage) are returned, never raised; an unreadable snapshot raises as it always has."""
    snapshot = read_snapshot(folder, name)
    journal = read_in(folder, journal_name(name))
    return Opened(snapshot, journal, replay(snapshot, journal.records))


# -- compaction ----------------------------------------------------------------------------------


def history_after(folder: Folder, name: str, seen: int, *, max_bytes: int = 8 << 20) -> list[Record] | None:
    """The records of the database `name`'s history numbered above `seen`, read from its end (the
    newest are last); None when they cannot all be found within `max_bytes` of the end, or the
    history cannot be read (the caller then reads everything anew)."""
    try:
        fd = folder.open(history_name(name))
    except (OSError, Unsafe):
        return None
    try:
        size = os.fstat(fd).st_size
        window = 1 << 16
        while True:
            start = max(0, size - window)
            lines = os.pread(fd, size - start, start).split(b"\n")
            whole = lines[:-1] if start == 0 else lines[1:-1]  # a line cut by the window is not whole
            found = [r for r in map(parse_record, whole) if isinstance(r, Record)]
            if start == 0 or (found and found[0].seq <= seen):
                return [r for r in found if r.seq > seen]
            if window >= max_bytes:
                return None
            window *= 4
    except OSError:
        return None
    finally:
        os.close(fd)


def _last_good(fd: int) -> tuple[int, int]:
    """The sequence number of the last good record of an open journal or history, and the offset
    just after it, found from the end (so a long history is not read whole); (0, 0) for none."""
    size = os.fstat(fd).st_size
    window = 1 << 16
    while True:
        start = max(0, size - window)
        data = os.pread(fd, size - start, start)
        lines = data.split(b"\n")
        ends = []  # (end offset of each complete line, the line), the first dropped if cut
        offset = start
        for i, line in enumerate(lines[:-1]):
            if i > 0 or start == 0:
                ends.append((offset + len(line) + 1, line))
            offset += len(line) + 1
        for end, line in reversed(ends):
            got = parse_record(line)
            if isinstance(got, Record):
                return got.seq, end
        if start == 0:
            return 0, 0
        window *= 4


def keep_history(folder: Folder, name: str, records: Sequence[Record], *, mode: int, gid: int | None) -> int:
    """Step 1: append to the history the records it does not hold yet (a record whose sequence
    number is above its last), fsynced; a torn tail there is cut first. Returns how many."""
    where = str(folder.path / history_name(name))
    try:
        fd, made = open_for_append(folder, history_name(name), mode=mode, gid=gid)
    except Unsafe as e:
        raise SaveFailed(f"did not compact into {where}: {e}; nothing was changed", why=f"{where}: {e}") from None
    try:
        last, end = _last_good(fd)
        new = [r for r in records if r.seq > last]
        if new:
            append_line(fd, b"".join(r.line or encode_record(r) for r in new), end, where)
    finally:
        os.close(fd)
    if made:
        folder.sync()
    return len(new)


def write_snapshot(folder: Folder, name: str, tables: Tables, generation: str, last_seq: int, *, mode: int,
                   gid: int | None, before_replace: Callable[[], None] | None = None) -> os.stat_result:
    """Step 2: the folded tables as the new snapshot, atomically."""
    return write_atomic_in(folder, name, encode_snapshot(tables, generation, last_seq), mode=mode, gid=gid,
                           before_replace=before_replace)


def start_fresh_journal(folder: Folder, name: str, *, mode: int, gid: int | None) -> None:
    """Step 3: an empty journal in place of the old one (a new file renamed over it)."""
    target = journal_name(name)
    tmp, fd = folder.create_temporary(target, mode=mode, gid=gid)
    try:
        check_companion(fd, str(folder.path / tmp), mode)
        os.fsync(fd)
        folder.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            folder.unlink(tmp)
        raise
    finally:
        os.close(fd)
    folder.sync()


def compact(folder: Folder, name: str, opened: Opened, generation: str, *, mode: int, gid: int | None,
            after_step: Callable[[str], None] | None = None,
            before_replace: Callable[[], None] | None = None) -> Snapshot:
    """Fold `opened` (read under the lock the caller holds) into a new snapshot of generation
    `generation`, keeping its records in the history, and start a fresh journal. `after_step`
    is called with each step's name once it is done (tests stop there); `before_replace` as in
    `write_atomic_in` (the storage keeps its backup there)."""
    keep_history(folder, name, opened.state.applied, mode=mode, gid=gid)
    if after_step is not None:
        after_step("history")
    write_snapshot(folder, name, opened.tables, generation, opened.state.last_seq, mode=mode, gid=gid,
                   before_replace=before_replace)
    if after_step is not None:
        after_step("snapshot")
    start_fresh_journal(folder, name, mode=mode, gid=gid)
    if after_step is not None:
        after_step("journal")
    return Snapshot(opened.tables, generation, opened.state.last_seq)


# -- the history ---------------------------------------------------------------------------------


def read_history(folder: Folder, name: str) -> ReadResult:
    """The change records compaction kept, oldest first (the journal's records come after)."""
    return read_in(folder, history_name(name))


@dataclass(frozen=True)
class Pruned:
    """What a prune kept and dropped (or would, in a dry run), and the history's size before and
    after; `oldest` and `newest`: when the first and the last record dropped were made."""

    kept: int
    dropped: int
    notes: tuple[str, ...]
    size_before: int = 0
    size_after: int = 0
    oldest: datetime | None = None
    newest: datetime | None = None


def check_prune(since: datetime | None, last: int | None) -> None:
    """ValueError for a prune that does not say what to keep, or says it wrongly."""
    if since is None and last is None:
        raise ValueError("say which records to keep: since a time, the last N, or both")
    if last is not None and last < 0:
        raise ValueError("the number of records to keep is 0 or more")
    if since is not None and since.tzinfo is None:
        raise ValueError("give the time with a time zone")


def prune_history(folder: Folder, name: str, *, since: datetime | None = None, last: int | None = None,
                  keep_after: int | None = None, mode: int, gid: int | None, dry_run: bool = False) -> Pruned:
    """Keep the history's records made at or after `since`, or among the `last` N, or both (a
    record either keeps stays), and those numbered above `keep_after` (still in the journal, not
    yet folded into the snapshot: a compaction cut off after its history step); drop the rest,
    rewriting the history atomically at `mode` and `gid` (`dry_run`: only say what would go).
    Bytes the history could not read (a torn tail) are dropped too, and said in `notes`.

    The caller holds the database's lock. Refused (StoreError, nothing changed) for a history
    damaged in the middle, and for one that is a link, not a plain file, has a second name or
    allows more than `mode`."""
    check_prune(since, last)
    where = folder.path / history_name(name)
    history, size = _read_to_prune(folder, name, mode)
    records = list(history.records)
    if history.damaged is not None:
        # Good records follow the damage: pruning would drop them with it. A person looks first.
        raise StoreError(f"did not prune {where}: {history.damaged}; it was left as it is")
    first_kept = len(records) - last if last is not None else len(records)

    def stays(i: int, r: Record) -> bool:
        return i >= first_kept or (since is not None and r.when >= since) or \
            (keep_after is not None and r.seq > keep_after)

    kept: list[Record] = []
    dropped: list[Record] = []
    for i, r in enumerate(records):
        (kept if stays(i, r) else dropped).append(r)
    span = (min(r.when for r in dropped), max(r.when for r in dropped)) if dropped else (None, None)
    if not dropped and history.torn is None:
        return Pruned(len(kept), 0, (), size, size)
    data = b"".join(r.line or encode_record(r) for r in kept)
    if not dry_run:
        try:
            write_atomic_in(folder, history_name(name), data, mode=mode, gid=gid)
        except (OSError, Unsafe) as e:
            why = e.strerror if isinstance(e, OSError) and e.strerror else e
            raise SaveFailed(f"could not prune {where}: {why}; it was left as it is") from None
    return Pruned(len(kept), len(dropped), history.notes, size, len(data), *span)


def _read_to_prune(folder: Folder, name: str, mode: int) -> tuple[ReadResult, int]:
    """The history's records and its size; an empty one when there is none."""
    where = folder.path / history_name(name)
    try:
        fd = folder.open(history_name(name))
    except FileNotFoundError:
        return ReadResult((), 0), 0
    except Unsafe as e:
        raise StoreError(f"did not prune {where}: {e}; it was left as it is") from None
    except OSError as e:
        raise StoreError(f"cannot read {where}: {e.strerror or e}; it was left as it is") from None
    try:
        check_companion(fd, str(where), mode)
        return read_records(fd), os.fstat(fd).st_size
    except Unsafe as e:
        raise StoreError(f"did not prune {where}: {e}; it was left as it is") from None
    except OSError as e:
        raise StoreError(f"cannot read {where}: {e.strerror or e}; it was left as it is") from None
    finally:
        os.close(fd)
