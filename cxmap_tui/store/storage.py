"""The database file: TinyDB storage that keeps cxmap's promises on disk.

Nothing a user saved is ever lost:

* Writes happen only inside `transaction()` (see `transactional`). A transaction takes a
  cross-process lock, re-reads the file if anyone else changed it, lets TinyDB work on that
  fresh data, and writes once at the end. So no process writes over a change it has not seen,
  and a batch of changes costs one write.
* The file is replaced atomically (see `atomic.write_atomic_in`), with the previous version kept
  as `.bak` beside it: a second name of the very file that was read, or a copy of it made from
  its open descriptor.
* The file is only re-parsed when it changed: its stat signature and a random generation token
  written at its head are compared first, so a change in a large workspace costs about one
  serialisation and one fsync.

No one gets in: in a folder others may write in, every step goes through `safe_files`. The
database, its lock, backup and temporary files are opened without following links and made new
where made at all; modes and groups are set through descriptors, and never wider than the
database's own. Before the file is replaced, the name must still hold the file that was locked
and read. A link or a swapped file at one of these names is refused in one line.

A file that is not a cxmap database, or comes from a newer cxmap, is never written to.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from contextlib import suppress
from pathlib import Path

from .atomic import write_atomic_in
from .errors import FileGone, LockTimeout, NoDatabase, ReadOnly, SaveFailed, StoreError
from .file_format import HEADER, Tables, decode, encode
from .lock import FolderLock
from .safe_files import PRIVATE, Folder, Unsafe, copy_contents, make_folder, resolve_own_link, same_file
from .transactional import MemoryStorage, TransactionalStorage

__all__ = ["HEADER", "JSONFileStorage", "MemoryStorage", "TransactionalStorage", "decode", "encode"]

HEAD_BYTES = 256
_GENERATION = re.compile(rb'"generation":"([0-9a-f]+)"')
_SWAPPED = "it was replaced (by a link or another file) or given to another owner while cxmap was saving"


class JSONFileStorage(TransactionalStorage):
    """One JSON file, safe against crashes, against other processes using it at once, and
    against other users of its folder."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 5.0, shared: bool = False,
                 create: bool = True) -> None:
        """`shared`: a new file (and the folder, if made) is for a group, not just its owner:
        group read/write, in the group of its folder. An existing file keeps its own mode.
        `create=False`: a missing file (or folder) raises NoDatabase; nothing is made, not even
        the lock."""
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
        self.read_only: str = ""  # why this user may not change the file; "" when they may
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
        self.read_only = self._why_read_only()

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
            write_atomic_in(self._folder, self.path.name, encode({}, secrets.token_hex(8)),
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
        lock = self._folder.lstat(self.lock_path.name) if self._folder is not None else None
        if lock is not None and stat.S_ISREG(lock.st_mode) and not os.access(self.lock_path, os.W_OK):
            return f"you may not write to its lock file {self.lock_path.name} (ask its owner to run chmod g+rw on it)"
        return ""

    def _remove_stale_temporaries(self) -> None:
        """Writers hold the lock while their temporary file exists, so under the lock any
        temporary file beside the database was left by a writer killed mid-save."""
        assert self._folder is not None
        for base in (self.path.name, self.backup_path.name):
            for leftover in self._folder.temporary_names(base):
                with suppress(OSError):
                    self._folder.unlink(leftover)

    # -- locking ---------------------------------------------------------------------------------

    def _acquire(self) -> None:
        if self.read_only:
            raise ReadOnly(
                f"{self.path} is read-only for you: {self.read_only}. You can read and export it, "
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
        fd = self._open_database()
        try:
            loaded = self._load(fd)
        except BaseException:
            os.close(fd)
            raise
        if self._lock is not None and self._lock.held:
            # Kept open until the lock is released: the backup is made from it, and the name is
            # checked to still hold it before the file is replaced.
            if self._held is not None:
                os.close(self._held[0])
            self._held = (fd, os.fstat(fd))
        else:
            os.close(fd)
        return loaded

    def _load(self, fd: int) -> bool:
        st = os.fstat(fd)
        signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if self._tables is not None and signature == self._signature:
            # Same stat; the generation token catches a rewrite that happened to reuse the inode
            # within one timestamp tick.
            match = _GENERATION.search(os.pread(fd, HEAD_BYTES, 0))
            if match is not None and match.group(1).decode() == self._generation:
                return False
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read()
        tables, generation = decode(raw, str(self.path), self.backup_path)
        self._tables, self._signature, self._generation = tables, signature, generation
        self._mode = st.st_mode & 0o777
        self._gid = st.st_gid
        return True

    def _forget(self) -> None:
        super()._forget()
        self._signature = None

    # -- writing ---------------------------------------------------------------------------------

    def _save(self, tables: Tables) -> None:
        assert self._folder is not None
        generation = secrets.token_hex(8)
        data = encode(tables, generation)
        try:
            st = write_atomic_in(self._folder, self.path.name, data, mode=self._mode, gid=self._gid,
                                 before_replace=self._keep_backup)
        except Unsafe as e:
            raise SaveFailed(f"did not save to {self.path}: {e}; the change was not saved") from None
        except OSError as e:
            raise SaveFailed(
                f"could not save to {self.path}: {e.strerror or e}; the change was not saved "
                "and the file still holds everything saved before it"
            ) from None
        self._signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        self._generation = generation

    def _keep_backup(self) -> None:
        """Keep the version about to be replaced (the one read and checked under the lock) as the
        .bak file, after making sure the database's name still holds it."""
        assert self._folder is not None and self._held is not None
        folder, (fd, read) = self._folder, self._held
        now = folder.lstat(self.path.name)
        if now is None or not same_file(now, read):
            raise Unsafe(_SWAPPED)
        backup = folder.lstat(self.backup_path.name)
        if backup is not None and same_file(backup, read):
            # A save cut off after this step left the backup as a second name of this very
            # version. Linking again would be a no-op rename that strands the temporary name.
            return
        tmp = f".{self.backup_path.name}.{secrets.token_hex(4)}.tmp"
        try:
            folder.link(self.path.name, tmp)
        except OSError:
            # No hard links here (or not to this file): copy what was read, from its descriptor,
            # into a new file with the database's mode and group.
            tmp, out = folder.create_temporary(self.backup_path.name, mode=self._mode, gid=self._gid)
            try:
                copy_contents(fd, out)
                os.fsync(out)
            except BaseException:
                with suppress(FileNotFoundError):
                    folder.unlink(tmp)
                raise
            finally:
                os.close(out)
        else:
            linked = folder.lstat(tmp)
            if linked is None or not same_file(linked, read):
                with suppress(FileNotFoundError):
                    folder.unlink(tmp)
                raise Unsafe(_SWAPPED)
        try:
            folder.replace(tmp, self.backup_path.name)
        except OSError:
            with suppress(FileNotFoundError):
                folder.unlink(tmp)
            raise
