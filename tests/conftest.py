from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from cxmap_tui.tui.widgets import quick_select
from tests.helpers import pg_databases
from tests.helpers.clock import Clock
from tests.helpers.pg_databases import MakeRole
from tests.helpers.tcp_proxy import Relay


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data or state directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("CXMAP_DB", raising=False)


@pytest.fixture(autouse=True)
def _still_snapshots(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot is taken with nothing blinking: a text cursor caught on or off by chance would
    make the same screen compare different."""
    if "snap_compare" in request.fixturenames:
        monkeypatch.setenv("CXMAP_NO_ANIMATION", "1")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "team" / "cx.json"


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "memory":
        return Store.in_memory()
    return Store.open(tmp_path / "cx.json")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The type-ahead's clock, standing still until the test moves it."""
    fake = Clock()
    monkeypatch.setattr(quick_select, "clock", fake)
    return fake


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server for the session's tests (tests/helpers/pg_databases.py says which)."""
    yield from pg_databases.server()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on that server, for this test alone."""
    yield from pg_databases.fresh_database(pg_server)


@pytest.fixture
def pg_relay(pg_url: str) -> Iterator[Relay]:
    """A relay to that database's server which the test can cut off (tests/helpers/tcp_proxy.py):
    connect through `pg_relay.address(pg_url)`."""
    relay = Relay.to(pg_url)
    yield relay
    relay.close()


@pytest.fixture
def role(pg_url: str) -> Iterator[MakeRole]:
    """Make a login role with a password, granted `grants` in the test's database: the URL to
    connect as it. Dropped after the test."""
    made: list[str] = []

    def make(grants: str) -> str:
        name, password = f"cxmap_r_{secrets.token_hex(4)}", secrets.token_hex(12)
        made.append(name)
        pg_databases.admin(pg_url, f"CREATE ROLE {name} LOGIN PASSWORD '{password}'",
                           f"GRANT {name} TO CURRENT_USER",  # so the test's role may drop what it owns
                           *(g.format(role=name) for g in grants.split(";") if g.strip()))
        return pg_databases.with_params(pg_url, user=name, password=password)

    yield make
    for name in made:
        pg_databases.admin(pg_url, f"DROP OWNED BY {name}", f"DROP ROLE {name}")
