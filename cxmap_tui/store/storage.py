"""The database file: TinyDB storage that keeps cxmap's promises on disk.

Nothing a user saved is ever lost:

* Writes happen only inside `transaction()` (see `transactional`). A transaction takes a
  cross-process lock, re-reads what anyone else saved, lets the tables work on that fresh data,
  and saves once at the end. So no process writes over a change it has not seen, and a batch of
  changes costs one write.
* A save appends one checksummed record of the documents it changed to the journal beside the
  database (`cx.json.journal`, see docs/journal-format.md), fsynced: its cost follows the change,
  not the workspace. When the journal has grown past a threshold, the save folds it into the
  snapshot (`compaction.compact`, crash-safe at every step), keeping its records in
  `cx.json.history`, which only `prune_history` trims (under the lock, atomically).
* The snapshot is only ever replaced atomically (see `atomic.write_atomic_in`), with the previous
  version kept as `.bak` beside it: a second name of the very file that was read, or a copy of it
  made from its open descriptor.
* Reading costs what is new: the snapshot is re-parsed only when it changed (its stat signature
  and a random generation token written at its head are compared first), and the journal is read
  from the offset where the last read ended.
* A torn journal tail (a save cut off) is dropped with a note (`journal_note`); a journal damaged
  in the middle opens read-only, saying what to do, and is never written over.

No one gets in: the files are reached as `folder_storage.FolderStorage` says (through the
folder's descriptor, never a link, never wider than the database).

A file that is not a cxmap database, or comes from a newer cxmap, is never written to. A file
from before the journal or the map summaries (format 1 or 2) is read as it always was, and
converted to format 3 by its first save (its backup kept).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from .atomic import write_atomic_in
from .compaction import (
    Opened,
    Pruned,
    Replayed,
    Snapshot,
    compact,
    decode_snapshot,
    encode_snapshot,
    history_after,
    keep_history,
    prune_history,
    read_history,
    replay,
)
from .engine import Version, Whole, in_order, last_seq, refuse_unless_empty
from .errors import SaveFailed, StoreError
from .file_format import FORMAT_VERSION, HEADER, Table, Tables, decode, encode
from .folder_storage import FolderStorage
from .journal import FileId, ReadResult, append_record, cut_torn_tail, read_file
from .records import Change, Clock, Record, Who, new_record
from .safe_files import Unsafe, same_file
from .transactional import MemoryStorage, TransactionalStorage

__all__ = ["HEADER", "JSONFileStorage", "MemoryStorage", "TransactionalStorage", "decode", "encode"]

HEAD_BYTES = 256
_GENERATION = re.compile(rb'"generation":"([0-9a-f]+)"')

# When to fold the journal into the snapshot. A compaction rewrites the whole snapshot, so it is
# done when the journal is at least as large as the snapshot (and at least COMPACT_BYTES): then
# its cost, spread over the saves that grew the journal, stays about what appending them cost,
# at any size of workspace, and opening never reads more than twice the snapshot's bytes. The
# record count bounds how many records opening replays when each is small.
COMPACT_BYTES = 4 << 20
COMPACT_RECORDS = 1000


def _signature_of(st: os.stat_result) -> tuple[int, ...]:
    """What tells one version of the snapshot from another without reading it."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class JSONFileStorage(FolderStorage):
    """One JSON file, safe against crashes, against other processes using it at once, and
    against other users of its folder."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 5.0, shared: bool = False,
                 create: bool = True, clock: Clock = _utc_now, compact_bytes: int = COMPACT_BYTES,
                 compact_records: int = COMPACT_RECORDS) -> None:
        """`shared` and `create`: see FolderStorage. `clock`: when each change was made (a time
        with its zone). The journal is folded into the snapshot once it holds `compact_records`
        records, or is larger than both `compact_bytes` and the snapshot."""
        self.clock = clock
        self.compact_bytes = compact_bytes
        self.compact_records = compact_records
        self.after_compaction_step: Callable[[str], None] | None = None  # tests stop a compaction there
        self._signature: tuple[int, ...] | None = None
        self._generation = ""
        # The snapshot as read: its file format, the last record it holds, and its size.
        self._format = FORMAT_VERSION
        self._snapshot_seq = 0
        self._snapshot_size = 0
        # The journal as read: which file (dev, inode; None when there is none), where its last good
        # record ends, how many records it holds, the last one applied, and the next number.
        self._journal_id: FileId | None = None
        self._journal_end = 0
        self._journal_records = 0
        self._applied_seq = 0
        self._next_seq = 1
        self.journal_note = ""  # the last torn tail dropped (or compaction put off), for the app to show
        self._read_once = False  # the feed begins at the first read
        self._put_off = ""  # the note of a compaction put off, until one is done
        super().__init__(path, lock_timeout=lock_timeout, shared=shared, create=create)

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def note(self) -> str:
        return self.journal_note

    def _empty_database(self) -> bytes:
        return encode_snapshot({}, secrets.token_hex(8), 0)

    # -- reading ---------------------------------------------------------------------------------

    def _reload_if_changed(self) -> bool:
        while True:
            fd = self._open_database()
            try:
                loaded = self._load(fd)
            except BaseException:
                os.close(fd)
                raise
            if loaded is not None:
                break
            os.close(fd)  # replaced while it was read: read the new one
        if self._lock is not None and self._lock.held:
            # Kept open until the lock is released: the backup is made from it, and the name is
            # checked to still hold it before the file is replaced.
            if self._held is not None:
                os.close(self._held[0])
            self._held = (fd, os.fstat(fd))
        else:
            os.close(fd)
        return loaded

    def _load(self, fd: int) -> bool | None:
        """Read the open snapshot `fd` and its journal, if they changed; None when another session
        compacted meanwhile, so that the journal read may belong to the file that replaced it."""
        st = os.fstat(fd)
        signature = _signature_of(st)
        if self._tables is not None and signature == self._signature:
            # Same stat; the generation token catches a rewrite that happened to reuse the inode
            # within one timestamp tick.
            match = _GENERATION.search(os.pread(fd, HEAD_BYTES, 0))
            if match is not None and match.group(1).decode() == self._generation:
                news = self._read_journal_news()
                if news is not None:
                    return news
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read()
        snapshot = decode_snapshot(raw, str(self.path), self.backup_path)
        journal, journal_id = self._read_journal(0)
        assert self._folder is not None
        now = self._folder.lstat(self.path.name)
        if now is None or not same_file(now, st):
            return None  # a compaction renames the journal after the file: checking the file now is enough
        state = replay(snapshot, journal.records)
        anew = snapshot.generation != self._generation  # else the same snapshot, read again
        self._tables, self._signature, self._generation = state.tables, signature, snapshot.generation
        self._format, self._snapshot_seq, self._snapshot_size = snapshot.format, snapshot.last_seq, st.st_size
        self._journal_id, self._journal_records, self._next_seq = journal_id, 0, 1
        self._damaged = ""
        if anew:
            self._note_folded(snapshot.last_seq)
        self._took(journal, state)
        self._mode = st.st_mode & 0o777
        self._gid = st.st_gid
        return True

    def _note_folded(self, through: int) -> None:
        """A snapshot read anew holds the records up to `through`: the feed takes those it had not
        seen from the history, where the compaction kept them (or, if it cannot, says so). A
        new snapshot behind what was seen is another database put in its place."""
        assert self._folder is not None
        seen, first, self._read_once = self._feed_seq, not self._read_once, True
        if first:
            self._feed_seq = through  # the feed begins here: what came before is no news
            return
        if through < seen:
            self._note_replaced(through)
            return
        if through == seen:
            return
        folded = [r for r in history_after(self._folder, self.path.name, seen) or () if r.seq <= through]
        if [r.seq for r in folded] != list(range(seen + 1, through + 1)):
            self._note_unknown(through)
            return
        for record in folded:
            self._note(record)

    def _read_journal_news(self) -> bool | None:
        """Read what was appended to the journal since the last read, on top of the tables as
        they are; None when the journal is not the one read before (made anew, cut, removed):
        the caller reads everything again."""
        journal, journal_id = self._read_journal(self._journal_end)
        if journal_id != self._journal_id and not (self._journal_id is None and self._journal_end == 0):
            return None
        self._journal_id = journal_id
        if journal.offset == self._journal_end and journal.torn is None and journal.damaged is None:
            return False
        assert self._tables is not None
        state = replay(Snapshot(self._tables, self._generation, self._applied_seq), journal.records)
        self._tables = state.tables
        self._took(journal, state)
        return bool(state.applied)

    def _took(self, journal: ReadResult, state: Replayed) -> None:
        """Note the journal as now read: where it ends, its numbering, and any bad bytes."""
        self._journal_end = journal.offset
        self._journal_records += len(journal.records)
        self._applied_seq = state.last_seq
        for record in state.applied:
            self._note(record)
        self._next_seq = max([self._next_seq, self._snapshot_seq + 1, state.last_seq + 1,
                              *(r.seq + 1 for r in journal.records)])
        torn = journal.torn
        if torn is not None and self._torn_for_sure(journal.offset):
            self.journal_note = (f"a change whose save was cut off (cxmap stopped while writing it) is left out of "
                                 f"{self.journal_path.name}: it was never saved, and everything saved before it is "
                                 f"here ({torn.length:,} bytes from byte {torn.offset:,} dropped)")
        if journal.damaged is not None:
            bad = journal.damaged.bad
            self._damaged = (
                f"{journal.damaged.said_of(f'its journal {self.journal_path.name}')}. cxmap shows the changes "
                f"saved before the damage and writes nothing until it is mended: keep a copy of "
                f"{self.journal_path.name}, then cut it at byte {bad.offset} (truncate -s {bad.offset} "
                f"{self.journal_path}) to go on without the damaged record and those after it"
            )

    def _torn_for_sure(self, offset: int) -> bool:
        """Whether the bad bytes after `offset` are a torn tail for sure. Read without the lock,
        they may be a save another session is writing right now: they count only if they are still
        there with the lock free (taken for a moment). When someone holds the lock, or this user
        may not take it, they are not noted here: the next save cuts them, under the lock, and
        that session says so."""
        assert self._folder is not None and self._lock is not None
        if self._lock.held or self._folder.lstat(self.lock_path.name) is None:
            return True  # no one else can be writing (a writer makes the lock file before it writes)
        try:
            self._lock.acquire(0, mode=self._mode, gid=self._gid)
        except (TimeoutError, OSError, Unsafe):
            return False
        try:
            if self._read_journal(offset)[0].torn is None:
                return False
            # Torn for sure: cut off now (if this user may), so that it is told once, not at every start.
            cut_torn_tail(self._folder, self.journal_path.name, offset, mode=self._mode)
            return True
        finally:
            self._lock.release()

    def _read_journal(self, offset: int) -> tuple[ReadResult, FileId | None]:
        """The journal's records from `offset`, and which file it is (journal.read_file)."""
        assert self._folder is not None
        return read_file(self._folder, self.journal_path.name, offset)

    def _forget(self) -> None:
        super()._forget()
        self._signature = None

    # -- the history -----------------------------------------------------------------------------

    @property
    def history_name(self) -> str:
        return self.history_path.name

    def prune_history(self, *, since: datetime | None = None, last: int | None = None,
                      dry_run: bool = False) -> Pruned:
        """Drop the history's records made before `since` and not among the `last` N (either may
        be left out; see compaction.prune_history), under the lock, so that no save or compaction
        comes between; the records not yet folded into the snapshot stay. `dry_run`: say what
        would go and change nothing (no lock needed). ReadOnly when this user may not change the
        database; StoreError for a history damaged in the middle or that is not its own plain file."""
        assert self._folder is not None
        with self._mutex:
            if self._in_transaction:
                raise RuntimeError("the history is pruned outside a transaction")
            if not dry_run:
                self._acquire()
            try:
                self._reload_if_changed()  # which records the snapshot holds now
                return prune_history(self._folder, self.path.name, since=since, last=last,
                                     keep_after=self._snapshot_seq, mode=self._mode, gid=self._gid, dry_run=dry_run)
            finally:
                if not dry_run:
                    self._release()

    # -- moving the workspace (engine.Movable) ----------------------------------------------------

    def whole(self) -> Whole:
        """Every table and the history (engine.Movable)."""
        tables, records = self._with_records("copy")
        return Whole(tables, records)

    def versions(self, table: str, doc_id: str) -> list[Version]:
        """The versions of one document in the history and the journal (engine.Chronicled)."""
        _, records = self._with_records("read the history of")
        return [Version(r.seq, r.at, r.by, c.doc, c.fields) for r in records for c in r.changes
                if c.table == table and c.id == doc_id]

    def _with_records(self, doing: str) -> tuple[Tables, tuple[Record, ...]]:
        """The tables and every record of the history (the folded records, then the journal's),
        read under the lock when this user may take it, so that no compaction moves records
        meanwhile; StoreError "cannot `doing` ..." for a damaged history."""
        assert self._folder is not None
        with self._mutex:
            locked = not self.read_only
            if locked:
                self._acquire()
            try:
                self._reload_if_changed()
                history = read_history(self._folder, self.path.name)
                if history.damaged is not None:
                    raise StoreError(f"cannot {doing} {self.path}: {history.damaged.said_of(self.history_path.name)}")
                journal, _ = self._read_journal(0)
                mine = [r for r in journal.records if r.follows == self._generation and r.seq > self._snapshot_seq]
                return dict(self._tables or {}), in_order([*history.records, *mine])
            finally:
                if locked:
                    self._release()

    def adopt(self, whole: Whole) -> None:
        """The snapshot first (numbered to go on after the last record), then the history: cut
        off between the two, the copy holds every document and lacks only the record of changes."""
        assert self._folder is not None
        with self._mutex:
            self._acquire()
            try:
                self._reload_if_changed()
                journal, _ = self._read_journal(0)
                had = len(read_history(self._folder, self.path.name).records) + len(journal.records)
                refuse_unless_empty(str(self.path), (self._tables or {}).values(), had)
                tables: Tables = {name: Table.of(docs) for name, docs in whole.tables.items() if docs}
                self._write_snapshot(tables, secrets.token_hex(8), last_seq(whole))
                keep_history(self._folder, self.path.name, whole.records, mode=self._mode, gid=self._gid)
            finally:
                self._forget()
                self._release()

    # -- writing ---------------------------------------------------------------------------------

    def _save(self, tables: Tables, changes: tuple[Change, ...] | None) -> None:
        assert self._folder is not None
        if changes is None:
            # A write that did not say what it changed: the tables are saved whole, as a new
            # snapshot that folds the journal in.
            encode(tables, "")  # refused before anything is written, if it must be
            self._fold(tables)
            return
        if any(c.table == HEADER for c in changes):
            raise StoreError(f"cannot save a table named {HEADER!r}: the name is reserved for the file's header")
        if self._format < FORMAT_VERSION:
            # A file from before the journal: first rewritten as it is in the format that says it
            # has one (its backup kept), then the change is appended like any other.
            assert self._tables is not None
            self._write_snapshot(self._started, secrets.token_hex(8), self._next_seq - 1)
        record = new_record(self._next_seq, self._generation, Who.current(), changes, self.clock)
        self._append(record)
        self._applied_seq = record.seq
        self._note(record)
        if self._journal_records >= self.compact_records or \
                self._journal_end >= max(self.compact_bytes, self._snapshot_size):
            self._compact(tables)

    def _append(self, record: Record) -> None:
        assert self._folder is not None
        end = append_record(self._folder, self.journal_path.name, record, self._journal_end,
                            mode=self._mode, gid=self._gid)
        st = self._folder.lstat(self.journal_path.name)
        self._journal_id = None if st is None else (st.st_dev, st.st_ino)
        self._journal_end = end
        self._journal_records += 1
        self._next_seq = record.seq + 1

    def _write_snapshot(self, tables: Tables, generation: str, last_seq: int) -> None:
        assert self._folder is not None
        with self._replacing():
            st = write_atomic_in(self._folder, self.path.name, encode_snapshot(tables, generation, last_seq),
                                 mode=self._mode, gid=self._gid, before_replace=self._keep_backup)
        self._signature = _signature_of(st)
        self._generation, self._format, self._snapshot_seq, self._snapshot_size = \
            generation, FORMAT_VERSION, last_seq, st.st_size
        # The old snapshot was replaced: the backup of the next one is made from the new one.
        self._held_new(st)

    def _compact(self, tables: Tables) -> None:
        """Fold the journal into the snapshot. The change is saved already; a compaction that
        fails is put off to a later save (and said in `journal_note`), the data as it was."""
        try:
            self._fold(tables)
        except (OSError, Unsafe, StoreError) as e:
            why = e.why if isinstance(e, SaveFailed) else str(e).split("; ")[0]  # what stopped the fold
            self.journal_note = self._put_off = (
                f"the change was saved, in {self.journal_path.name}; the journal could not be folded into the "
                f"database yet ({why}): nothing was lost, and a later save tries again")
            self._forget()  # read again from what is on disk
            return
        if self.journal_note == self._put_off:
            self.journal_note = ""  # done now: nothing to say any more
        self._put_off = ""

    def _fold(self, tables: Tables) -> None:
        """Compaction: `tables` (the journal's records applied) as the new snapshot, the records
        kept in the history, a fresh journal. Each step's failure leaves a database that opens
        to the same data (compaction.py); it is raised."""
        assert self._folder is not None
        with self._replacing():
            journal, _ = self._read_journal(0)
            snapshot = Snapshot(tables, self._generation, self._snapshot_seq)
            folded = [r for r in journal.records if r.follows == self._generation and r.seq > self._snapshot_seq]
            state = Replayed(tables, self._generation, self._applied_seq, tuple(folded), 0)
            generation = secrets.token_hex(8)

            def after_step(step: str) -> None:
                if step == "snapshot":
                    self._snapshot_in_place(generation)
                if self.after_compaction_step is not None:
                    self.after_compaction_step(step)

            compact(self._folder, self.path.name, Opened(snapshot, journal, state), generation,
                    mode=self._mode, gid=self._gid, before_replace=self._keep_backup, after_step=after_step)
        self._journal_records, self._journal_end = 0, 0
        st = self._folder.lstat(self.journal_path.name)
        self._journal_id = None if st is None else (st.st_dev, st.st_ino)

    def _snapshot_in_place(self, generation: str) -> None:
        """The compaction's new snapshot is in place: it is the one read and held from now on."""
        assert self._folder is not None
        st = self._folder.lstat(self.path.name)
        if st is None:
            raise StoreError(f"{self.path} was removed while cxmap compacted it")
        self._signature = _signature_of(st)
        self._generation, self._format, self._snapshot_seq, self._snapshot_size = \
            generation, FORMAT_VERSION, self._applied_seq, st.st_size
        self._held_new(st)
