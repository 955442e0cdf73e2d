"""File steps that someone who shares a folder with the user cannot turn against them.

In a team folder every member may rename, replace and plant names. So each step here works in a
folder opened once (a descriptor, which keeps meaning that folder whatever is renamed later),
never follows a symbolic link at a name in it (O_NOFOLLOW), makes a file only where nothing is
(O_EXCL), and sets a file's mode and group through its own descriptor, never by name. A step that
finds something it must not use raises `Unsafe` saying what it found. The database storage is
built on these, and so can be any other layout of cxmap's files.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path

PRIVATE = 0o600
_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC
_MAX_LINKS = 16


class Unsafe(Exception):
    """A name holds something cxmap must not read, write or follow; the text says what."""


def set_mode_and_group(fd: int, mode: int, gid: int | None) -> None:
    """Give an open file `mode` and the group `gid`. If the group cannot be given (the user is not
    in it), the group's bits are dropped: the file ends up as narrow as asked, or narrower."""
    mode = stat.S_IMODE(mode) & 0o777
    if gid is not None and os.fstat(fd).st_gid != gid:
        try:
            os.fchown(fd, -1, gid)
        except PermissionError:
            mode &= ~0o070
    os.fchmod(fd, mode)


def copy_contents(source_fd: int, target_fd: int) -> None:
    """Copy a whole open file into another, from the start, by descriptor."""
    offset = 0
    while chunk := os.pread(source_fd, 1 << 20, offset):
        view = memoryview(chunk)
        while view:
            view = view[os.write(target_fd, view):]
        offset += len(chunk)


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """The same inode, still with the same owner."""
    return (a.st_dev, a.st_ino, a.st_uid) == (b.st_dev, b.st_ino, b.st_uid)


class Folder:
    """A folder, opened once; every name is looked up in it and never followed if a link."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._prefix = "" if str(path) == "." else os.path.join(str(path), "")  # as pathlib joins
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)

    def where(self, name: str) -> str:
        """The path of `name` in the folder, as text for a message (a save asks for it every
        time, so it is not built by pathlib)."""
        return self._prefix + name

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)

    def __del__(self) -> None:
        with suppress(OSError, AttributeError):
            self.close()

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def open(self, name: str, flags: int = os.O_RDONLY) -> int:
        """The regular file at `name`, opened without following a link or blocking on a pipe."""
        try:
            fd = os.open(name, flags | _NO_FOLLOW | os.O_NONBLOCK, dir_fd=self.fd)
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.EMLINK) and self._is_link(name):
                raise Unsafe("it is a symbolic link, which cxmap does not follow here (it could lead into "
                             "someone else's file)") from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise Unsafe("it is not a regular file")
        os.set_blocking(fd, True)
        return fd

    def create(self, name: str, *, mode: int, gid: int | None) -> int:
        """A new file at `name`, never one that is already there, open for reading and writing."""
        fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, PRIVATE, dir_fd=self.fd)
        try:
            set_mode_and_group(fd, mode, gid)
        except BaseException:
            os.close(fd)
            with suppress(OSError):
                self.unlink(name)
            raise
        return fd

    def create_temporary(self, base: str, *, mode: int, gid: int | None) -> tuple[str, int]:
        """A new file named `.BASE.RANDOM.tmp` (the pattern `temporary_names` finds)."""
        for _ in range(100):
            name = f".{base}.{secrets.token_hex(4)}.tmp"
            with suppress(FileExistsError):
                return name, self.create(name, mode=mode, gid=gid)
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(self.path / base))

    def temporary_names(self, base: str) -> list[str]:
        prefix = f".{base}."
        return [n for n in os.listdir(self.fd)
                if n.startswith(prefix) and n.endswith(".tmp") and len(n) > len(prefix) + 4]

    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def link(self, source: str, target: str) -> None:
        """A second name for whatever is at `source`, itself if it is a link (check what you got)."""
        os.link(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd, follow_symlinks=False)

    def replace(self, source: str, target: str) -> None:
        os.replace(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        os.unlink(name, dir_fd=self.fd)

    def sync(self) -> None:
        os.fsync(self.fd)

    def _is_link(self, name: str) -> bool:
        st = self.lstat(name)
        return st is not None and stat.S_ISLNK(st.st_mode)


def make_folder(path: Path, mode: int) -> None:
    """Make `path` (and the folders above it) and give it `mode` through its descriptor: mkdir
    leaves the set-group-id bit to chance and the umask."""
    path.mkdir(parents=True, mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW)
    try:
        if os.fstat(fd).st_uid == os.geteuid():  # not a folder someone swapped in meanwhile
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def resolve_own_link(path: Path) -> Path:
    """`path`, or, if it is a symbolic link only its user could have made, where it leads.

    A link is followed when it is the user's (or root's) and sits in a folder of the user's (or
    root's) that nobody else may write in, or that is sticky like /tmp: nobody else can have put
    it there or can swap it later. Any other link raises `Unsafe` with the reason."""
    me = os.geteuid()
    for _ in range(_MAX_LINKS):
        try:
            st = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return path
        if not stat.S_ISLNK(st.st_mode):
            return path
        folder = path.parent
        folder_st = os.stat(folder)
        if st.st_uid not in (me, 0):
            raise Unsafe(f"it is a symbolic link made by another user (uid {st.st_uid})")
        others_may_write = folder_st.st_mode & 0o022 and not folder_st.st_mode & stat.S_ISVTX
        if folder_st.st_uid not in (me, 0) or others_may_write:
            raise Unsafe(f"it is a symbolic link in {folder}, where others may replace it")
        path = folder / os.readlink(path)
    raise Unsafe("it is a chain of too many symbolic links")
