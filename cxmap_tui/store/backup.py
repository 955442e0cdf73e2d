"""The `.bak` beside the database: the version about to be replaced, kept as a second name of the
very file that was read (a hard link), or, where there are no hard links, as a copy made from its
open descriptor, with the database's mode and group. Either way only after checking that the
database's name still holds the file that was locked and read."""

from __future__ import annotations

import os
import secrets
from contextlib import suppress

from .safe_files import Folder, Unsafe, copy_contents, same_file

SWAPPED = "it was replaced (by a link or another file) or given to another owner while cxmap was saving"


def keep_backup(folder: Folder, name: str, backup: str, read: tuple[int, os.stat_result], *, mode: int,
                gid: int | None) -> None:
    """Keep the file `name` (open as `read`: its descriptor and what fstat said) as `backup`; Unsafe
    if the name no longer holds that file."""
    fd, seen = read
    now = folder.lstat(name)
    if now is None or not same_file(now, seen):
        raise Unsafe(SWAPPED)
    existing = folder.lstat(backup)
    if existing is not None and same_file(existing, seen):
        # A save cut off after this step left the backup as a second name of this very version.
        # Linking again would be a no-op rename that strands the temporary name.
        return
    tmp = f".{backup}.{secrets.token_hex(4)}.tmp"
    try:
        folder.link(name, tmp)
    except OSError:
        # No hard links here (or not to this file): copy what was read, from its descriptor, into
        # a new file with the database's mode and group.
        tmp, out = folder.create_temporary(backup, mode=mode, gid=gid)
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
        if linked is None or not same_file(linked, seen):
            with suppress(FileNotFoundError):
                folder.unlink(tmp)
            raise Unsafe(SWAPPED)
    try:
        folder.replace(tmp, backup)
    except OSError:
        with suppress(FileNotFoundError):
            folder.unlink(tmp)
        raise
