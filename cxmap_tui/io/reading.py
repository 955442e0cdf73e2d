"""Reading a file to import: a cxmap JSON export, or a CSV table.

Whatever the file is (missing, a folder, a pipe, too big, not text), the result is its text or a
CxmapError that says why in one line, naming the file as the user named it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ..domain.errors import CxmapError
from ..domain.model import ExperienceMap
from .limits import MAX_FILE_BYTES, too_big

CSV_HINT = " (in a spreadsheet, save it as 'CSV UTF-8')"
_CHUNK = 1 << 20


def read_text(path: Path, hint: str = "", source: str | None = None) -> str:
    """A file's text exactly as written: UTF-8, line breaks kept, without a byte order mark.
    Errors name the file as `source` (by default, the path)."""
    source = str(path) if source is None else source
    return decode(_read_bytes(path, source), source, hint)


def read_named(name: str, hint: str = "") -> tuple[str, str]:
    """The text of the file a user named, or of standard input for "-", and how to name it."""
    if name != "-":
        return read_text(Path(name), hint, name), name
    source = "standard input"
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise CxmapError(too_big(), file=source)
    return decode(data, source, hint), source


def decode(data: bytes, source: str, hint: str = "") -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CxmapError(f"not UTF-8 text{hint}", file=source) from None
    if "\0" in text:  # a binary file, or UTF-16 text, which is valid UTF-8 full of NUL bytes
        raise CxmapError(f"not UTF-8 text: it holds NUL bytes{hint}", file=source)
    return text


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        # Not blocking: a named pipe would otherwise wait here for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CxmapError("no such file", file=source) from None
    except ValueError:  # a NUL in the name
        raise CxmapError("not a file name", file=source) from None
    except OSError as e:
        raise CxmapError(f"cannot read it: {e.strerror}", file=source) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise CxmapError("a folder, not a file", file=source)
        if not stat.S_ISREG(info.st_mode):
            raise CxmapError("not a regular file (a device, a pipe or a socket)", file=source)
        if info.st_size > MAX_FILE_BYTES:
            raise CxmapError(too_big(info.st_size), file=source)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise CxmapError(f"cannot read it: {e.strerror}", file=source) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise CxmapError(too_big(), file=source)
    return b"".join(chunks)


def map_from_file(path: Path, *, title: str | None = None, source: str | None = None) -> ExperienceMap:
    """The map a file holds. A .csv file is a touchpoint table and needs `title` for its map;
    anything else is read as a cxmap JSON export (`title`, if given, renames it). Errors name
    the file as `source` (by default, the path)."""
    source = str(path) if source is None else source
    if path.suffix.lower() == ".csv":
        from .csv_import import map_from_csv

        if not title or not title.strip():
            raise CxmapError("a CSV of touchpoints becomes a new map: give it a title")
        return map_from_csv(read_text(path, CSV_HINT, source), source, title=title)
    from .json_format import map_from_json

    m = map_from_json(read_text(path, "", source), source)
    if title and title.strip():
        m.edit(title=title)
    return m
