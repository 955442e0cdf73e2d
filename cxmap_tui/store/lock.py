"""The cross-process lock beside a database: flock on a file opened by cxmap itself.

Why not a lock library: the `filelock` versions cxmap allowed until now opened the lock by name,
following a link (and the 3.x ones truncated and chmodded whatever it led to), and the current
ones keep the descriptor to themselves, so a shared lock could only be handed to the team's group
by name, which a member swapping the name for a link could turn onto any file of the user's. What
cxmap needs is small: open the lock file without following a link, set the mode and group of a
lock it has just made through its descriptor, and flock that descriptor.

A lock file that was already there is used as it is: its mode and group are never changed, so a
file someone renamed to the lock's name is never widened. The lock file holds nothing and is
never written, truncated or removed: waiters must all lock the same inode.
"""

from __future__ import annotations

import fcntl
import os
import time
from errno import EACCES, EAGAIN, EWOULDBLOCK

from .safe_files import Folder

_BUSY = (EACCES, EAGAIN, EWOULDBLOCK)
# Between two tries, in seconds: short, since a waiter that sleeps long rarely finds the lock free
# among writers that take it again at once (10 writers saving without a pause starved one for 5 s
# at 25 ms).
_LONGEST_WAIT = 0.004


class FolderLock:
    """An exclusive lock on the file `name` in `folder`, made with `mode` and `gid` if missing."""

    def __init__(self, folder: Folder, name: str) -> None:
        self.folder = folder
        self.name = name
        self._fd = -1

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def acquire(self, timeout: float, *, mode: int, gid: int | None) -> None:
        """Take the lock within `timeout` seconds or raise TimeoutError; `Unsafe` if the name
        holds a link or something other than a regular file."""
        deadline = time.monotonic() + timeout
        wait = 0.001
        while True:
            fd = self._open(mode, gid)
            try:
                while not self._try(fd):
                    if time.monotonic() >= deadline:
                        raise TimeoutError
                    time.sleep(wait)
                    wait = min(wait * 2, _LONGEST_WAIT)
                if self._still_named(fd):
                    self._fd, fd = fd, -1
                    return
                # The name was given to another file while we waited: that one is the lock now.
                if time.monotonic() >= deadline:
                    raise TimeoutError
            finally:
                if fd >= 0:
                    os.close(fd)

    def release(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _open(self, mode: int, gid: int | None) -> int:
        # Opened first, made only when missing: the lock is there at every save but the first.
        for _ in range(9):
            try:
                return self.folder.open(self.name, os.O_RDWR)
            except FileNotFoundError:
                pass
            try:
                return self.folder.create(self.name, mode=mode, gid=gid)
            except FileExistsError:
                continue  # made by someone else between the two tries
        return self.folder.open(self.name, os.O_RDWR)

    @staticmethod
    def _try(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in _BUSY:
                return False
            raise
        return True

    def _still_named(self, fd: int) -> bool:
        now, mine = self.folder.lstat(self.name), os.fstat(fd)
        return now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)
