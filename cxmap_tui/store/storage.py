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
  `cx.json.history`.
* The snapshot is only ever replaced atomically (see `atomic.write_atomic_in`), with the previous
  version kept as `.bak` beside it: a second name of the very file that was read, or a copy of it
  made from its open descriptor.
* Reading costs what is new: the snapshot is re-parsed only when it changed (its stat signature
  and a random generation token written at its head are compared first), and the journal is read
  from the offset where the last read ended.
* A torn journal tail (a save cut off) is dropped with a note (`journal_note`); a journal damaged
  in the middle opens read-only, saying what to do, and is never written over.

No one gets in: in a folder others may write in, every step goes through `safe_files`. The
database, its journal, history, lock, backup and temporary files are opened without following
links and made new where made at all; modes and groups are set through descriptors, and never
wider than the database's own. Before the file is replaced, the name must still hold the file
that was locked and read. A link or a swapped file at one of these names is refused in one line.

A file that is not a cxmap database, or comes from a newer cxmap, is never written to. A file
from before the journal (format 1) is read as it always was, and converted to format 2 by its
first save (its backup kept).
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from .atomic import write_atomic_in
from .backup import SWAPPED, keep_backup
from .compaction import Opened, Replayed, Snapshot, compact, decode_snapshot, encode_snapshot, replay
from .errors import FileGone, LockTimeout, NoDatabase, ReadOnly, SaveFailed, StoreError
from .file_format import FORMAT_VERSION, HEADER, Tables, decode, encode
from .journal import FileId, ReadResult, append_record, history_name, journal_name, read_file
from .lock import FolderLock
from .records import Change, Clock, Record, Who, new_record
from .safe_files import PRIVATE, Folder, Unsafe, make_folder, resolve_own_link, same_file
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


class JSONFileStorage(TransactionalStorage):
    """One JSON file, safe against crashes, against other processes using it at once, and
    against other users of its folder."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 5.0, shared: bool = False,
                 create: bool = True, clock: Clock = _utc_now, compact_bytes: int = COMPACT_BYTES,
                 compact_records: int = COMPACT_RECORDS) -> None:
        """`shared`: a new file (and the folder, if made) is for a group, not just its owner:
        group read/write, in the group of its folder. An existing file keeps its own mode.
        `create=False`: a missing file (or folder) raises NoDatabase; nothing is made, not even
        the lock. `clock`: when each change was made (a time with its zone). The journal is
        folded into the snapshot once it holds `compact_records` records, or is larger than both
        `compact_bytes` and the snapshot."""
        super().__init__()
        self.clock = clock
        self.compact_bytes = compact_bytes
        self.compact_records = compact_records
        self.after_compaction_step: Callable[[str], None] | None = None  # tests stop a compaction there
        try:
            self.path = resolve_own_link(Path(path))
        except Unsafe as e:
            raise StoreError(
                f"cannot open {path}: {e}. cxmap follows only a link nobody else could have made; "
                "if you trust it, give the path it leads to with --db"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot open {path}: {e.strerror or e}") from None
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.journal_path = self.path.with_name(journal_name(self.path.name))
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self._signature: tuple[int, ...] | None = None
        self._generation = ""
        self._mode = 0o660 if shared else PRIVATE
        self._gid: int | None = None
        self._folder: Folder | None = None
        self._lock: FolderLock | None = None
        self._held: tuple[int, os.stat_result] | None = None  # the file read under the lock
        self._tidied = False
        self._access = ""  # why this user may not write to the files; "" when they may
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
        self._damaged = ""  # the journal is damaged in the middle: what, and what to do
        self.journal_note = ""  # the last torn tail dropped (or compaction put off), for the app to show
        try:
            self._open(shared, create)
        except OSError as e:  # a folder on the way the user may not enter, say
            raise StoreError(f"cannot open {self.path}: {e.strerror or e}") from None

    def _open(self, shared: bool, create: bool) -> None:
        folder = self.path.parent
        if not create and not folder.is_dir():
            raise self._missing()
        if not folder.exists():
            try:
                # A shared folder hands its group down to every file made in it.
                make_folder(folder, 0o2770 if shared else 0o700)
            except OSError as e:
                raise StoreError(f"cannot create the folder {folder}: {e.strerror or e}") from None
        self._folder = Folder(folder)
        self._gid = os.fstat(self._folder.fd).st_gid
        self._lock = FolderLock(self._folder, self.lock_path.name)
        if self._folder.lstat(self.path.name) is None:
            if not create:
                self.close()
                raise self._missing()
            self._acquire()
            try:
                self._create_if_missing()
            finally:
                self._release()
        # Opening reads the file at once, so a bad file is reported before anything else. No lock
        # is needed to read: the file is only ever replaced whole.
        self._reload_if_changed()
        self._access = self._why_read_only()

    @property
    def read_only(self) -> str:
        """Why this database may not be changed now; "" when it may."""
        return self._damaged or self._access

    def _missing(self) -> NoDatabase:
        return NoDatabase(f"no database at {self.path}; cxmap new creates one")

    def close(self) -> None:
        if self._folder is not None:
            self._folder.close()

    def _create_if_missing(self) -> None:
        assert self._folder is not None
        if self._folder.lstat(self.path.name) is not None:
            return  # another process made it while we waited for the lock
        try:
            write_atomic_in(self._folder, self.path.name, encode_snapshot({}, secrets.token_hex(8), 0),
                            mode=self._mode, gid=self._gid)
        except OSError as e:
            raise StoreError(f"cannot create {self.path}: {e.strerror or e}") from None

    def _why_read_only(self) -> str:
        """Saving means a new file in the folder renamed over this one, and the lock: both must be
        writable. (Checked with the real, not the effective, ids: good enough to warn early.)"""
        folder = self.path.parent
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"you may not write in its folder {folder}"
        if not os.access(self.path, os.W_OK):
            return "you may not write to it"
        journal = self._folder.lstat(self.journal_path.name) if self._folder is not None else None
        if journal is not None and stat.S_ISREG(journal.st_mode) and not os.access(self.journal_path, os.W_OK):
            return (f"you may not write to its journal {self.journal_path.name} "
                    "(ask its owner to run chmod g+rw on it)")
        lock = self._folder.lstat(self.lock_path.name) if self._folder is not None else None
        if lock is not None and stat.S_ISREG(lock.st_mode) and not os.access(self.lock_path, os.W_OK):
            return f"you may not write to its lock file {self.lock_path.name} (ask its owner to run chmod g+rw on it)"
        return ""

    def _remove_stale_temporaries(self) -> None:
        """Writers hold the lock while their temporary file exists, so under the lock any
        temporary file beside the database was left by a writer killed mid-save."""
        assert self._folder is not None
        name = self.path.name
        for base in (name, self.backup_path.name, journal_name(name), history_name(name)):
            for leftover in self._folder.temporary_names(base):
                with suppress(OSError):
                    self._folder.unlink(leftover)

    # -- locking ---------------------------------------------------------------------------------

    def _acquire(self) -> None:
        if self._damaged:
            raise ReadOnly(f"{self.path} is open read-only: {self._damaged}")
        if self._access:
            raise ReadOnly(
                f"{self.path} is read-only for you: {self._access}. You can read and export it, "
                "not change it; ask its owner for write access"
            )
        assert self._lock is not None
        try:
            # The lock is shared exactly as the database is: by its group, or by no one.
            self._lock.acquire(self.lock_timeout, mode=self._mode, gid=self._gid)
        except TimeoutError:
            raise LockTimeout(
                f"{self.path} is locked by another cxmap for more than {self.lock_timeout:g} s; "
                "your change was not saved, try again in a moment"
            ) from None
        except Unsafe as e:
            raise StoreError(
                f"cannot lock {self.lock_path}: {e}. Nothing was changed; remove it and cxmap makes a new lock"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot lock {self.lock_path}: {e.strerror or e}") from None
        if not self._tidied:
            self._remove_stale_temporaries()
            self._tidied = True

    def _release(self) -> None:
        if self._held is not None:
            fd, self._held = self._held[0], None
            os.close(fd)
        if self._lock is not None:
            self._lock.release()

    # -- reading ---------------------------------------------------------------------------------

    def _open_database(self) -> int:
        assert self._folder is not None
        try:
            return self._folder.open(self.path.name)
        except FileNotFoundError:
            raise FileGone(
                f"{self.path} has been removed or moved while cxmap was using it; "
                "put it back, or start cxmap again to begin a new database"
            ) from None
        except Unsafe as e:
            raise StoreError(
                f"cannot use {self.path}: {e}. cxmap read and changed nothing; move it aside and put "
                f"the database back (its last saved version is {self.backup_path.name})"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot read {self.path}: {e.strerror or e}") from None

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
        self._tables, self._signature, self._generation = state.tables, signature, snapshot.generation
        self._format, self._snapshot_seq, self._snapshot_size = snapshot.format, snapshot.last_seq, st.st_size
        self._journal_id, self._journal_records, self._next_seq = journal_id, 0, 1
        self._damaged = ""
        self._took(journal, state)
        self._mode = st.st_mode & 0o777
        self._gid = st.st_gid
        return True

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
        self._next_seq = max([self._next_seq, self._snapshot_seq + 1, state.last_seq + 1,
                              *(r.seq + 1 for r in journal.records)])
        if journal.torn is not None:
            self.journal_note = f"{self.journal_path.name}: {journal.torn} (dropped)"
        if journal.damaged is not None:
            bad = journal.damaged.bad
            self._damaged = (
                f"its journal {self.journal_path.name} is {journal.damaged}. cxmap shows the changes saved before "
                f"the damage and writes nothing until it is mended: keep a copy of {self.journal_path.name}, then "
                f"cut it at byte {bad.offset} (truncate -s {bad.offset} {self.journal_path}) to go on without "
                "the damaged record and those after it"
            )

    def _read_journal(self, offset: int) -> tuple[ReadResult, FileId | None]:
        """The journal's records from `offset`, and which file it is (journal.read_file)."""
        assert self._folder is not None
        return read_file(self._folder, self.journal_path.name, offset)

    def _forget(self) -> None:
        super()._forget()
        self._signature = None

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

    @contextmanager
    def _replacing(self) -> Iterator[None]:
        """Replacing the snapshot: a refusal (a link, a swapped file) or a failure of the disk is
        one SaveFailed line. (The transaction, or the compaction that is put off, then forgets the
        data in memory and reads it again from what is on disk.)"""
        try:
            yield
        except Unsafe as e:
            raise SaveFailed(f"did not save to {self.path}: {e}; the change was not saved") from None
        except OSError as e:
            raise SaveFailed(
                f"could not save to {self.path}: {e.strerror or e}; the change was not saved "
                "and the file still holds everything saved before it"
            ) from None

    def _held_new(self, st: os.stat_result) -> None:
        assert self._folder is not None
        if self._held is not None:
            os.close(self._held[0])
            self._held = None
        fd = self._folder.open(self.path.name)
        now = os.fstat(fd)
        if not same_file(now, st):
            os.close(fd)
            raise SaveFailed(f"did not save to {self.path}: {SWAPPED}")
        self._held = (fd, now)

    def _compact(self, tables: Tables) -> None:
        """Fold the journal into the snapshot. The change is saved already; a compaction that
        fails is put off to a later save (and said in `journal_note`), the data as it was."""
        try:
            self._fold(tables)
        except (OSError, Unsafe, StoreError) as e:
            self.journal_note = (f"the journal {self.journal_path.name} could not be folded into the database yet "
                                 f"({e}); nothing was lost, and a later save tries again")
            self._forget()  # read again from what is on disk

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

    def _keep_backup(self) -> None:
        """Keep the version about to be replaced (the one read and checked under the lock) as the
        .bak file (backup.keep_backup)."""
        assert self._folder is not None and self._held is not None
        keep_backup(self._folder, self.path.name, self.backup_path.name, self._held, mode=self._mode, gid=self._gid)
