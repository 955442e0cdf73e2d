"""Replace a file so that a crash at any moment leaves either the old or the new content."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600, gid: int | None = None,
                 before_replace=None) -> os.stat_result:
    """Write `data` to a temporary file beside `path`, fsync it, rename it over `path`, fsync the
    directory. Returns the stat of the new file. `before_replace` runs just before the rename."""
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), mode)
            if gid is not None and gid != os.fstat(f.fileno()).st_gid:
                # Keep a shared file's group; a user outside the group simply cannot, which is fine.
                with suppress(PermissionError):
                    os.fchown(f.fileno(), -1, gid)
            os.fsync(f.fileno())
            st = os.fstat(f.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)
    return st
