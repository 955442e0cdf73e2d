"""Small builders shared by the tests."""

from __future__ import annotations

import os
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.store.file_format import Tables


def make_map(title: str = "Support call", touchpoints: int = 3) -> ExperienceMap:
    m = ExperienceMap.new(title, experience="service", scope="A customer calls about a late order")
    for i in range(touchpoints):
        m.add_touchpoint(f"Step {i + 1}", stage="Use", channel="Phone", action=f"does {i + 1}")
    return m


def file_bytes(path: os.PathLike[str]) -> bytes:
    return Path(path).read_bytes()


def stored(db: os.PathLike[str]) -> Tables:
    """What the database at `db` holds, read straight from its files: the snapshot with its
    journal's records applied (as any cxmap opening it sees it), not through a store."""
    from cxmap_tui.store.compaction import open_database
    from cxmap_tui.store.safe_files import Folder

    path = Path(db)
    with Folder(path.parent) as folder:
        return open_database(folder, path.name).tables


def compacting(db: os.PathLike[str], *, shared: bool = False, lock_timeout: float = 5.0) -> Store:
    """A store on `db` that folds its journal into the database at every save, as a store does
    once its journal has grown: every save replaces the file and keeps the backup."""
    from cxmap_tui.store.storage import JSONFileStorage

    return Store(JSONFileStorage(db, compact_records=1, shared=shared, lock_timeout=lock_timeout))
