"""The one place that decides where cxmap keeps its files."""

from __future__ import annotations

import os
import re
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


# A workspace on a PostgreSQL server is named as libpq names a database: by its URL
# (postgresql://user@host:port/db?...; `postgresql://` alone takes everything from libpq's
# environment, `postgresql://?service=team` a service file's entry), or by key=value pairs that
# begin with one of libpq's keywords ("service=team", "host=db dbname=cxmap"). A file's path is
# never taken for one: it would have to begin with such a word and an equals sign.
_SERVER = re.compile(r"postgres(ql)?://|\s*(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|"
                     r"connect_timeout|options|application_name|target_session_attrs)\s*=", re.IGNORECASE)


def is_server_address(text: str | os.PathLike[str]) -> bool:
    """Whether `text` names a workspace on a PostgreSQL server rather than a file."""
    return isinstance(text, str) and _SERVER.match(text) is not None


def chosen_db(option: str | os.PathLike[str] | None = None) -> str | os.PathLike[str] | None:
    """What the user chose: --db, else $CXMAP_DB, else None (the default file)."""
    return option or os.environ.get(DB_ENV) or None


def resolve_db(option: str | os.PathLike[str] | None = None) -> Path | str:
    """The database in use: a file's path, or a server's address as given (a str). --db wins,
    then $CXMAP_DB, then the file in the user's data directory."""
    chosen = chosen_db(option)
    if chosen is not None and is_server_address(chosen):
        return str(chosen)
    return Path(chosen).expanduser() if chosen is not None else default_db_path()


def resolve_db_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The database file in use (see resolve_db); ValueError for a server's address."""
    where = resolve_db(option)
    if isinstance(where, str):
        raise ValueError("that is a PostgreSQL server's address, not a file")
    return where
