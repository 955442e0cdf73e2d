"""Where each user left off, per database: the map and the step. Kept in the user's own state
folder, not in the (possibly shared) database, so colleagues don't move each other around."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .paths import state_dir
from .store.atomic import write_atomic

FILENAME = "session.json"


@dataclass(frozen=True)
class Place:
    map_id: str | None = None
    step: int = 1


class Session:
    def __init__(self, db_location: str, directory: Path | None = None) -> None:
        self.key = os.path.abspath(db_location) if db_location != "memory" else "memory"
        self.path = (directory or state_dir()) / FILENAME

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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(self.path, json.dumps(data, indent=1).encode("utf-8"), mode=0o600)
        except OSError:
            pass  # remembering the place is a convenience; never fail the user's work over it
