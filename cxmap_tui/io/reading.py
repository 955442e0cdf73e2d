"""Reading a map to import from a file: a cxmap JSON export, or a CSV table of touchpoints."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import CxmapError
from ..domain.model import ExperienceMap

CSV_HINT = " (in a spreadsheet, save it as 'CSV UTF-8')"


def read_text(path: Path, hint: str = "") -> str:
    """A file's text exactly as written: UTF-8, line breaks kept, without a byte order mark."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CxmapError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CxmapError(f"{path} is a folder, not a file") from None
    except OSError as e:
        raise CxmapError(f"cannot read {path}: {e.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CxmapError(f"{path} is not UTF-8 text{hint}") from None


def map_from_file(path: Path, *, title: str | None = None) -> ExperienceMap:
    """The map a file holds. A .csv file is a touchpoint table and needs `title` for its map;
    anything else is read as a cxmap JSON export (`title`, if given, renames it)."""
    if path.suffix.lower() == ".csv":
        from .csv_import import map_from_csv

        if not title or not title.strip():
            raise CxmapError("a CSV of touchpoints becomes a new map: give it a title")
        return map_from_csv(read_text(path, CSV_HINT), str(path), title=title)
    from .json_format import map_from_json

    m = map_from_json(read_text(path), str(path))
    if title and title.strip():
        m.edit(title=title)
    return m
