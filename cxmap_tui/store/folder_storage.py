"""The files of one database in a folder others may share, and the rules for touching them.

A database is a file with companions beside it, all named after it: its lock, its backup
(`.bak`), its journal and history (see `storage`) and the temporary files of a save. This layer
opens the folder once and reaches every one of them through that descriptor (`safe_files`):
never through a link, new files made exclusively, modes and groups set on descriptors and never
wider than the database's own. It takes the cross-process lock, says why a user may only read,
tidies what a killed writer left, and replaces the database only while its name still holds the
file that was locked and read (keeping that one as the backup).

What the database holds and how it is read and saved is the subclass's (`storage.JSONFileStorage`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .atomic import write_atomic_in
from .backup import SWAPPED, keep_backup
from .errors import FileGone, LockTimeout, NoDatabase, ReadOnly, SaveFailed, StoreError
from .journal import history_name, journal_name
from .lock import FolderLock
from .safe_files import PRIVATE, Folder, Unsafe, make_folder, resolve_own_link, same_file
from .transactional import TransactionalStorage


class FolderStorage(TransactionalStorage):
    """A database file and its companions in one folder, locked across processes."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float, shared: bool, create: bool) -> None:
        """`shared`: a new file (and the folder, if made) is for a group, not just its owner:
        group read/write, in the group of its folder. An existing file keeps its own mode.
        `create=False`: a missing file (or folder) raises NoDatabase; nothing is made, not even
        the lock. The subclass sets up its own state before calling this: opening reads the file."""
        super().__init__()
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
        self.history_path = self.path.with_name(history_name(self.path.name))
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self._mode = 0o660 if shared else PRIVATE
        self._gid: int | None = None
        self._folder: Folder | None = None
        self._lock: FolderLock | None = None
        self._held: tuple[int, os.stat_result] | None = None  # the file read under the lock
        self._tidied = False
        self._access = ""  # why this user may not write to the files; "" when they may
        self._damaged = ""  # why nothing may be written until the files are mended; "" when it may
        try:
            self._open(shared, create)
        except OSError as e:  # a folder on the way the user may not enter, say
            raise StoreError(f"cannot open {self.path}: {e.strerror or e}") from None

    def _empty_database(self) -> bytes:
        """The bytes of a new, empty database."""
        raise NotImplementedError

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
            write_atomic_in(self._folder, self.path.name, self._empty_database(),
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

    # -- replacing the database ------------------------------------------------------------------

    @contextmanager
    def _replacing(self) -> Iterator[None]:
        """Replacing the snapshot: a refusal (a link, a swapped file) or a failure of the disk is
        one SaveFailed line. (The transaction, or the compaction that is put off, then forgets the
        data in memory and reads it again from what is on disk.)"""
        try:
            yield
        except Unsafe as e:
            raise SaveFailed(f"did not save to {self.path}: {e}; the change was not saved",
                             why=f"{self.path}: {e}") from None
        except OSError as e:
            raise SaveFailed(
                f"could not save to {self.path}: {e.strerror or e}; the change was not saved "
                "and the file still holds everything saved before it", why=f"{self.path}: {e.strerror or e}"
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
            raise SaveFailed(f"did not save to {self.path}: {SWAPPED}", why=f"{self.path}: {SWAPPED}")
        self._held = (fd, now)

    def _keep_backup(self) -> None:
        """Keep the version about to be replaced (the one read and checked under the lock) as the
        .bak file (backup.keep_backup)."""
        assert self._folder is not None and self._held is not None
        keep_backup(self._folder, self.path.name, self.backup_path.name, self._held, mode=self._mode, gid=self._gid)
