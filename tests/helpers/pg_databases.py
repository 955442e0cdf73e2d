"""PostgreSQL for the tests: one server for the test session, a fresh database for each test.

The server is the one at CXMAP_TEST_PG (a URL whose role may create databases and roles), or
else a throwaway cluster this session starts (pg_cluster.py) when PostgreSQL is installed, or
else none: the tests that need one are skipped, unless CXMAP_REQUIRE_PG=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.helpers import pg_cluster

MakeRole = Callable[[str], str]  # grants -> the URL to connect as a new role that has them (fixture `role`)

ENV_URL = "CXMAP_TEST_PG"
ENV_REQUIRE = "CXMAP_REQUIRE_PG"


def _unavailable(why: str) -> NoReturn:
    if os.environ.get(ENV_REQUIRE) == "1":
        pytest.fail(f"{why}; {ENV_REQUIRE}=1 says the PostgreSQL tests must run", pytrace=False)
    pytest.skip(why)


def server() -> Iterator[str]:
    """The URL of a server for this test session (see the module's text)."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    url = os.environ.get(ENV_URL)
    if url:
        try:
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as e:
            _unavailable(f"the PostgreSQL server at {ENV_URL} does not answer: {str(e).splitlines()[0]}")
        yield url
        return
    if pg_cluster.find_bin() is None:
        _unavailable("PostgreSQL is not installed (no initdb), and CXMAP_TEST_PG names no server")
    folder = Path(tempfile.mkdtemp(prefix="cxmap-pg-"))
    try:
        cluster = pg_cluster.start(folder)
    except (pg_cluster.ClusterError, OSError) as e:
        pg_cluster.stop(folder)
        _unavailable(f"could not start a PostgreSQL cluster: {e}")
    try:
        yield cluster.url
    finally:
        pg_cluster.stop(folder)


def with_params(url: str, **params: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, **params)


def admin(url: str, *statements: str) -> list[tuple[object, ...]]:
    """Run statements on the database at `url` (autocommit); the last one's rows, if it has any."""
    import psycopg

    rows: list[tuple[object, ...]] = []
    with psycopg.connect(url, autocommit=True) as db:
        for statement in statements:
            cur = db.execute(statement)  # type: ignore[arg-type]  # the tests' own SQL
            rows = cur.fetchall() if cur.description else []
    return rows


def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test (dropped after it): tests on one server
    stay apart, one process or several (pytest-xdist)."""
    name = f"cxmap_t_{secrets.token_hex(6)}"
    admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield with_params(server_url, dbname=name)
    finally:
        admin(server_url, f'DROP DATABASE "{name}" WITH (FORCE)')


def wait_for(url: str, query: str, timeout: float = 30.0) -> None:
    """Until `query` (one number) answers more than 0 on the database at `url`: a state the test
    waits for, polled, with a timeout."""
    import time

    end = time.monotonic() + timeout
    while True:
        rows = admin(url, query)
        if rows and int(rows[0][0]) > 0:  # type: ignore[call-overload]
            return
        if time.monotonic() > end:
            raise AssertionError(f"waited {timeout:g} s for: {query}")
        time.sleep(0.02)
