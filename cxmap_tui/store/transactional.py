"""TinyDB storages whose writes are grouped into locked, all-or-nothing transactions.

TinyDB hands its storage the very dict that `read` returned, changed in place, so a write the
storage refuses has already changed the cached data by then. Whatever is refused or fails, the
cache is therefore dropped and read again: the data in memory is always data that was saved.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tinydb.storages import Storage

from .file_format import Tables, decode, encode


class TransactionalStorage(Storage):
    """A TinyDB storage whose writes are grouped into locked, all-or-nothing transactions."""

    def __init__(self) -> None:
        self._mutex = threading.RLock()
        self._in_transaction = False
        self._tables: Tables | None = None
        self._dirty = False

    # -- what subclasses provide ----------------------------------------------------------------

    def _acquire(self) -> None: ...

    def _release(self) -> None: ...

    def _reload_if_changed(self) -> bool:
        """Make the cache match what is stored; True if it had to load."""
        raise NotImplementedError

    def _save(self, tables: Tables) -> None:
        raise NotImplementedError

    # -- TinyDB's interface ----------------------------------------------------------------------

    def read(self) -> Tables | None:
        with self._mutex:
            if not self._in_transaction:
                self._reload_if_changed()
            return self._tables

    def write(self, data: Tables) -> None:
        with self._mutex:
            if not self._in_transaction:
                # TinyDB changed the cached tables before calling this: forget them, so that the
                # refused change does not live on in memory.
                self._forget()
                raise RuntimeError("cxmap writes to its database only inside a transaction")
            self._tables = data
            self._dirty = True

    def close(self) -> None:
        pass

    # -- transactions ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, bring the data up to date, run the block, and save once if it changed anything.

        If the block (or the save) fails, nothing is saved and the cached data is dropped, so
        that a half-made change never survives in memory either."""
        with self._mutex:
            if self._in_transaction:
                raise RuntimeError("transactions do not nest")
            self._acquire()
            try:
                self._reload_if_changed()
                self._in_transaction = True
                try:
                    yield
                    if self._dirty:
                        assert self._tables is not None
                        self._save(self._tables)
                except BaseException:
                    self._forget()
                    raise
            finally:
                self._in_transaction = False
                self._dirty = False
                self._release()

    def refresh(self) -> bool:
        """Pick up changes made by others; True if there were any."""
        with self._mutex:
            if self._in_transaction:
                return False
            return self._reload_if_changed()

    def _forget(self) -> None:
        self._tables = None


class MemoryStorage(TransactionalStorage):
    """In-memory storage with the same behaviour as the file one, for tests.

    It keeps the saved data as encoded JSON, so whatever would not survive the file does not
    survive here either."""

    def __init__(self) -> None:
        super().__init__()
        self._saved = encode({}, "")

    def _reload_if_changed(self) -> bool:
        if self._tables is not None:
            return False
        self._tables, _ = decode(self._saved, "memory")
        return True

    def _save(self, tables: Tables) -> None:
        self._saved = encode(tables, secrets.token_hex(8))
