"""TinyDB storages that keep cxmap's promise: nothing a user saved is ever lost.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write leaves a broken file,
and it has no notion of other processes. These storages differ in three ways:

* Writes happen only inside `transaction()` (see `transactional`). A transaction takes a cross-process lock, re-reads
  the file if anyone else changed it, lets TinyDB work on that fresh data, and writes once at
  the end. So no process writes over a change it has not seen, and a batch of changes costs
  one write.
* The file is replaced atomically (see `atomic.write_atomic`), with the previous version kept
  as a hard-linked `.bak` beside it.
* The file is only re-parsed when it changed: its stat signature and a random generation token
  written at its head are compared first, so a change in a large workspace costs about one
  serialisation and one fsync.

A file that is not a cxmap database, or comes from a newer cxmap, is never written to.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from contextlib import suppress
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .errors import LockTimeout, ReadOnly, SaveFailed, StoreError
from .file_format import HEADER, Tables, decode, encode
from .transactional import MemoryStorage, TransactionalStorage

HEAD_BYTES = 256
_GENERATION = re.compile(rb'"generation":"([0-9a-f]+)"')

__all__ = ["HEADER", "JSONFileStorage", "MemoryStorage", "TransactionalStorage", "decode", "encode"]


class JSONFileStorage(TransactionalStorage):
    """One JSON file, safe against crashes and against other processes using it at once."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 5.0, shared: bool = False) -> None:
        """`shared`: a new file (and the folder, if made) is for a group, not just its owner:
        group read/write, in the group of its folder."""
        super().__init__()
        self.path = Path(path)
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self._signature: tuple[int, ...] | None = None
        self._generation = ""
        self._mode = 0o600
        self._gid: int | None = None
        self._file_lock: Any = None  # made on first use: the lock library is slow to import
        self._tidied = False
        self.read_only: str = ""  # why this user may not change the file; "" when they may
        if shared:
            self._mode = 0o660
        try:
            self._open(shared)
        except OSError as e:  # a folder on the way the user may not enter, say
            raise StoreError(f"cannot open {self.path}: {e.strerror or e}") from None

    def _open(self, shared: bool) -> None:
        if not self.path.parent.exists():
            try:
                self.path.parent.mkdir(parents=True, mode=0o700)
                # mkdir leaves the set-group-id bit to chance: set the mode outright. A shared
                # folder hands its group down to every file made in it.
                self.path.parent.chmod(0o2770 if shared else 0o700)
            except OSError as e:
                raise StoreError(f"cannot create the folder {self.path.parent}: {e.strerror or e}") from None
        self._gid = self.path.parent.stat().st_gid
        if not self.path.exists():
            self._acquire()
            try:
                self._create_if_missing()
            finally:
                self._release()
        # Opening reads the file at once, so a bad file is reported before anything else. No lock
        # is needed to read: the file is only ever replaced whole.
        self._reload_if_changed()
        self.read_only = self._why_read_only()

    def _create_if_missing(self) -> None:
        if self.path.exists():
            return  # another process made it while we waited for the lock
        try:
            write_atomic(self.path, encode({}, secrets.token_hex(8)), mode=self._mode, gid=self._gid)
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
        if self.lock_path.exists() and not os.access(self.lock_path, os.W_OK):
            return f"you may not write to its lock file {self.lock_path.name} (ask its owner to run chmod g+rw on it)"
        return ""

    def _remove_stale_temporaries(self) -> None:
        """Writers hold the lock while their temporary file exists, so under the lock any
        temporary file beside the database was left by a writer killed mid-save."""
        for pattern in (f".{self.path.name}.*.tmp", f".{self.backup_path.name}.*.tmp"):
            for leftover in self.path.parent.glob(pattern):
                with suppress(OSError):
                    leftover.unlink()

    # -- locking ---------------------------------------------------------------------------------

    def _acquire(self) -> None:
        from filelock import FileLock, Timeout

        if self.read_only:
            raise ReadOnly(
                f"{self.path} is read-only for you: {self.read_only}. You can read and export it, "
                "not change it; ask its owner for write access"
            )
        if self._file_lock is None:
            # The lock is shared exactly as the database is: by its group, or by no one.
            lock_mode = 0o660 if self._mode & 0o060 else 0o600
            self._file_lock = FileLock(self.lock_path, timeout=self.lock_timeout, thread_local=False, mode=lock_mode)
        try:
            self._file_lock.acquire()
            self._give_lock_to_group()
        except Timeout:
            raise LockTimeout(
                f"{self.path} is locked by another cxmap for more than {self.lock_timeout:g} s; "
                "your change was not saved, try again in a moment"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot lock {self.lock_path}: {e.strerror}") from None
        if not self._tidied:
            self._remove_stale_temporaries()
            self._tidied = True

    def _release(self) -> None:
        self._file_lock.release()

    def _give_lock_to_group(self) -> None:
        """A new lock file of a shared database goes to the database's group, so that the group's
        other members can take the lock too."""
        if self._gid is None or not self._mode & 0o060:
            return
        with suppress(OSError):
            st = self.lock_path.stat()
            if st.st_gid != self._gid and st.st_uid == os.getuid():
                os.chown(self.lock_path, -1, self._gid)

    # -- reading ---------------------------------------------------------------------------------

    def _reload_if_changed(self) -> bool:
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            raise StoreError(
                f"{self.path} has been removed or moved while cxmap was using it; "
                "put it back, or start cxmap again to begin a new database"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot read {self.path}: {e.strerror}") from None
        with f:
            st = os.fstat(f.fileno())
            signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
            if self._tables is not None and signature == self._signature:
                # Same stat; the generation token catches a rewrite that happened to reuse the
                # inode within one timestamp tick.
                match = _GENERATION.search(f.read(HEAD_BYTES))
                if match is not None and match.group(1).decode() == self._generation:
                    return False
                f.seek(0)
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
        generation = secrets.token_hex(8)
        data = encode(tables, generation)
        try:
            st = write_atomic(
                self.path, data, mode=self._mode, gid=self._gid, before_replace=self._keep_backup
            )
        except OSError as e:
            raise SaveFailed(
                f"could not save to {self.path}: {e.strerror or e}; the change was not saved "
                "and the file still holds everything saved before it"
            ) from None
        self._signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        self._generation = generation

    def _keep_backup(self) -> None:
        """Keep the version about to be replaced (which was read and checked) as the .bak file."""
        with suppress(OSError):
            if os.path.samefile(self.path, self.backup_path):
                # A save cut off after this step left the backup as a second name of this very
                # version. Linking again would be a no-op rename that strands the temporary name.
                return
        tmp = self.backup_path.with_name(f".{self.backup_path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.link(self.path, tmp)
        except FileNotFoundError:
            return
        except OSError:
            # A file system without hard links: copy instead.
            shutil.copyfile(self.path, tmp)
        try:
            os.replace(tmp, self.backup_path)
        except OSError:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
