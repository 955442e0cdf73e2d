"""Where each user left off, per database: the map and the step; and, for any database, the folder
they last exported to or imported from. Kept in the user's own state folder, not in the (possibly
shared) database, so colleagues don't move each other around."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .paths import state_dir
from .store.atomic import write_atomic

FILENAME = "session.json"
FOLDER_FILENAME = "folder.json"


@dataclass(frozen=True)
class Place:
    map_id: str | None = None
    step: int = 1


class Session:
    def __init__(self, db_location: str, directory: Path | None = None) -> None:
        self.key = os.path.abspath(db_location) if db_location != "memory" else "memory"
        self.path = (directory or state_dir()) / FILENAME
        self.folder_path = self.path.parent / FOLDER_FILENAME

    def _load_all(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a missing or damaged session file only costs the user their place
        return data if isinstance(data, dict) else {}

    def load(self) -> Place:
        entry = self._load_all().get(self.key)
        if not isinstance(entry, dict):
            return Place()
        map_id = entry.get("map")
        step = entry.get("step")
        return Place(
            map_id if isinstance(map_id, str) else None,
            step if isinstance(step, int) and 1 <= step <= 5 else 1,
        )

    def save(self, place: Place) -> None:
        if self.key == "memory":
            return
        data = self._load_all()
        data[self.key] = {"map": place.map_id, "step": place.step}
        self._write(self.path, data)

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
        self._write(self.folder_path, {"folder": os.path.abspath(folder)})

    def _write(self, path: Path, data: object) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(path, json.dumps(data, indent=1).encode("utf-8"), mode=0o600)
        except OSError:
            pass  # remembering the place is a convenience; never fail the user's work over it
