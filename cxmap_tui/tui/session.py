"""Where each user left off, per database: the map, the step, the row highlighted in each step,
the map last used to record what happened to a customer and, per map, the channel of the last
touchpoint they added; and, for any database, the folder
they last exported to or imported from. Kept in the user's own state folder, not in the (possibly
shared) database, so colleagues don't move each other around.

The map and the step are written as soon as they change. A highlighted row changes with every
cursor key, so it is only noted in memory (`note_row`) and written by `flush`: the app flushes
after a short idle, and on the way out; a step or map change writes it along with the step.

Only the app reads and writes it (`cxmap open` starts the app at a place through
`cli/group.py::start_app`), so it is part of the app's package; it needs nothing from Textual."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.json_types import JSONDict
from ..paths import state_dir
from ..store.atomic import write_atomic

FILENAME = "session.json"
FOLDER_FILENAME = "folder.json"
MAP_ROWS = (3, 4, 5)  # steps whose row is one of the open map's touchpoints or improvements
CHANNELS_KEPT = 100  # maps whose last channel is remembered (the most recently used)


@dataclass(frozen=True)
class Place:
    """The open map and the step; `rows` is the row highlighted in each step as remembered (step 1:
    an entry of its list, such as "map:<id>"; 3 and 4: a touchpoint id; 5: an improvement id). Two
    places are the same place whatever their rows: the rows are not what moves the user about."""

    map_id: str | None = None
    step: int = 1
    rows: Mapping[int, str] = field(default_factory=dict, compare=False)


@dataclass
class _Entry:
    """What is remembered for one database, as read from the file (checked) and changed since."""

    map_id: str | None = None
    step: int = 1
    rows: dict[int, str] = field(default_factory=dict)
    record_map: str | None = None
    channels: dict[str, str] = field(default_factory=dict)  # map id -> channel, oldest first

    @classmethod
    def read(cls, entry: object) -> _Entry:
        """The entry as the file has it: anything of the wrong type is dropped."""
        if not isinstance(entry, dict):
            return cls()
        map_id, step = entry.get("map"), entry.get("step")
        rows, record_map, channels = entry.get("rows"), entry.get("record_map"), entry.get("channels")
        return cls(
            map_id if isinstance(map_id, str) else None,
            step if isinstance(step, int) and not isinstance(step, bool) and 1 <= step <= 5 else 1,
            {int(k): v for k, v in rows.items()
             if k in ("1", "2", "3", "4", "5") and isinstance(v, str)} if isinstance(rows, dict) else {},
            record_map if isinstance(record_map, str) else None,
            {k: v for k, v in channels.items()
             if isinstance(k, str) and isinstance(v, str) and v} if isinstance(channels, dict) else {},
        )

    def json(self) -> JSONDict:
        return {"map": self.map_id, "step": self.step, "rows": {str(k): v for k, v in sorted(self.rows.items())},
                "record_map": self.record_map, "channels": dict(self.channels)}


class Session:
    def __init__(self, db_location: str, directory: Path | None = None) -> None:
        self.key = os.path.abspath(db_location) if db_location != "memory" else "memory"
        self.path = (directory or state_dir()) / FILENAME
        self.folder_path = self.path.parent / FOLDER_FILENAME
        self._entry: _Entry | None = None  # this database's entry, once read
        self.dirty = False  # noted in memory, not written yet
        self.writes = 0  # how often the file was written (what a cursor key costs shows here)

    def _load_all(self) -> JSONDict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a missing or damaged session file only costs the user their place
        return data if isinstance(data, dict) else {}

    def _mine(self) -> _Entry:
        """This database's entry, read once and checked."""
        if self._entry is None:
            self._entry = _Entry.read(self._load_all().get(self.key))
        return self._entry

    def load(self) -> Place:
        mine = self._mine()
        return Place(mine.map_id, mine.step, dict(mine.rows))

    def save(self, place: Place) -> None:
        """The user is somewhere else: write it now (with the rows noted so far). The rows of
        another map's touchpoints and improvements are forgotten."""
        mine = self._mine()
        if place.map_id != mine.map_id:
            for step in MAP_ROWS:
                mine.rows.pop(step, None)
        mine.map_id, mine.step = place.map_id, place.step
        self._write()

    def row(self, step: int) -> str | None:
        """The row remembered for a step (of the open map, for steps 3 to 5)."""
        return self._mine().rows.get(step)

    def note_row(self, step: int, item_id: str) -> bool:
        """The row highlighted in a step, kept in memory until `flush`. True if it changed."""
        rows = self._mine().rows
        if rows.get(step) == item_id:
            return False
        rows[step] = item_id
        self.dirty = True
        return True

    @property
    def record_map(self) -> str | None:
        """The map last used to record what happened to a customer."""
        return self._mine().record_map

    def note_record_map(self, map_id: str) -> None:
        """Remember the map a record was made on (written at once: it happens once per record)."""
        mine = self._mine()
        if mine.record_map != map_id:
            mine.record_map = map_id
            self._write()

    def channel(self, map_id: str) -> str:
        """The channel of the last touchpoint added to a map, or "" if none is remembered."""
        return self._mine().channels.get(map_id, "")

    def note_channel(self, map_id: str, channel: str) -> None:
        """Remember the channel a touchpoint was added on (written at once: once per addition)."""
        channels = self._mine().channels
        if not channel or channels.get(map_id) == channel:
            return
        channels.pop(map_id, None)
        channels[map_id] = channel  # last in the order: the most recently used
        for old in list(channels)[:-CHANNELS_KEPT]:
            del channels[old]
        self._write()

    def flush(self) -> None:
        """Write what was noted in memory, if anything."""
        if self.dirty:
            self._write()

    def _write(self) -> None:
        self.dirty = False
        if self.key == "memory":
            return
        data = self._load_all()  # other databases' places, as other runs left them
        data[self.key] = self._mine().json()
        if self._write_file(self.path, data):
            self.writes += 1

    def last_folder(self) -> Path | None:
        """The folder of the last file exported or imported, if it is still a folder."""
        try:
            data = json.loads(self.folder_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        folder = data.get("folder") if isinstance(data, dict) else None
        if not isinstance(folder, str) or not os.path.isabs(folder) or not os.path.isdir(folder):
            return None
        return Path(folder)

    def remember_folder(self, folder: Path) -> None:
        self._write_file(self.folder_path, {"folder": os.path.abspath(folder)})

    @staticmethod
    def _write_file(path: Path, data: object) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(path, json.dumps(data, indent=1).encode("utf-8"), mode=0o600)
            return True
        except OSError:
            return False  # remembering the place is a convenience; never fail the user's work over it
