"""The one place that decides where cxmap keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "cxmap"
DB_ENV = "CXMAP_DB"
DB_FILENAME = "cxmap.json"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Per-user state that is not the team's data (the last map and step, for instance)."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(option: str | os.PathLike[str] | None = None) -> Path:
    """--db wins, then $CXMAP_DB, then the user's data directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()
