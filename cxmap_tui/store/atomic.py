"""Replace a file so that a crash at any moment leaves either the old or the new content."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from .safe_files import PRIVATE, Folder, set_mode_and_group


def fsync_dir(directory: Path) -> None:
    with Folder(directory) as folder:
        folder.sync()


def write_atomic(path: Path, data: bytes, *, mode: int = PRIVATE, gid: int | None = None,
                 before_replace: Callable[[], None] | None = None) -> os.stat_result:
    """Write `data` to a new temporary file beside `path`, fsync it, rename it over `path`, fsync
    the folder. Returns the stat of the new file. `before_replace` runs just before the rename."""
    with Folder(path.parent) as folder:
        return write_atomic_in(folder, path.name, data, mode=mode, gid=gid, before_replace=before_replace)


def write_atomic_in(folder: Folder, name: str, data: bytes, *, mode: int = PRIVATE, gid: int | None = None,
                    before_replace: Callable[[], None] | None = None) -> os.stat_result:
    """`write_atomic` for the file `name` in an open folder. The temporary file is made new
    (never one that was there, never through a link), private until it is written; its mode and
    group are then set through its descriptor."""
    tmp, fd = folder.create_temporary(name, mode=PRIVATE, gid=None)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            set_mode_and_group(f.fileno(), mode, gid)
            os.fsync(f.fileno())
            st = os.fstat(f.fileno())
        if before_replace is not None:
            before_replace()
        folder.replace(tmp, name)
    except BaseException:
        with suppress(FileNotFoundError):
            folder.unlink(tmp)
        raise
    folder.sync()
    return st
