"""The PostgreSQL engine when things are not as they should be: a role that may only read, a
wrong password or no server, a schema that is not ours or is newer, a connection lost between
or in the middle of saves, hostile documents, and psycopg not installed. Every refusal is one
line, and no password is ever in one."""

from __future__ import annotations

import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

from cxmap_tui.store import Store
from cxmap_tui.store.errors import NewerFormat, ReadOnly, SaveFailed, StoreError, Unavailable, UnreadableFile
from cxmap_tui.store.postgres import PostgresEngine
from cxmap_tui.store.postgres import schema as sql
from cxmap_tui.store.postgres.server import shown
from tests.helpers import pg_databases
from tests.helpers.factories import make_map
from tests.helpers.pg_databases import MakeRole

ROOT = Path(__file__).resolve().parents[2]
@pytest.fixture
def opened(pg_url: str) -> Iterator[list[PostgresEngine]]:
    engines: list[PostgresEngine] = []
    yield engines
    for engine in engines:
        engine.close()


def _one_line(error: BaseException, *hidden: str) -> str:
    text = str(error)
    assert "\n" not in text and text, text
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__), \
        "a psycopg traceback would show"
    for secret in hidden:
        assert secret not in text, text
    return text


def test_a_role_that_may_only_read_gets_a_read_only_session_with_the_reason(pg_url: str, role: MakeRole, opened: list[PostgresEngine]) -> None:
    owner = PostgresEngine(pg_url)
    opened.append(owner)
    store = Store(owner)
    m = store.add(make_map())
    reader = PostgresEngine(role("GRANT USAGE ON SCHEMA cxmap TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA cxmap TO {role}"))
    opened.append(reader)
    assert owner.read_only == ""
    assert "may read this workspace but not change it" in reader.read_only and "cxmap_r_" in reader.read_only
    seen = Store(reader)
    assert seen.get(m.id).title == m.title and seen.read_only == reader.read_only
    with pytest.raises(ReadOnly, match="read-only for you"):
        seen.change(m.id, lambda x: x.edit(scope="not allowed"))
    assert store.get(m.id).scope != "not allowed"


def test_a_role_that_may_not_make_the_schema_is_told_so(pg_url: str, role: MakeRole) -> None:
    url = role("")  # a role of its own may connect (as PUBLIC may), not make schemas
    with pytest.raises(StoreError) as caught:
        PostgresEngine(url)
    assert "may not make one" in _one_line(caught.value)
    assert pg_databases.admin(pg_url, "SELECT to_regnamespace('cxmap')") == [(None,)]


def test_the_address_is_shown_without_its_password(pg_url: str, opened: list[PostgresEngine]) -> None:
    assert shown("postgresql://ann:s3cret@db.example:5433/team?sslmode=require",
                 {"user": "ann", "password": "s3cret", "host": "db.example", "port": "5433", "dbname": "team",
                  "sslmode": "require"}) == "postgresql://ann@db.example:5433/team?sslmode=require"
    assert "s3cret" not in shown("host=db user=ann password=s3cret dbname=team",
                                 {"host": "db", "user": "ann", "password": "s3cret", "dbname": "team"})
    params = conninfo_to_dict(pg_url)
    password = str(params["password"])
    pairs = PostgresEngine(pg_url)
    opened.append(pairs)
    assert password not in pairs.location and f"dbname={params['dbname']}" in pairs.location
    where = f"{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"
    url = PostgresEngine(f"postgresql://{params['user']}:{password}@{where.split('@')[1]}")
    opened.append(url)
    assert url.location == f"postgresql://{where}" and Store(url).location == url.location


def test_a_wrong_password_or_no_server_is_one_line_without_the_password(pg_url: str) -> None:
    wrong = "not-the-password-" + secrets.token_hex(4)
    with pytest.raises(Unavailable) as caught:
        PostgresEngine(pg_databases.with_params(pg_url, password=wrong))
    assert "password authentication failed" in _one_line(caught.value, wrong)
    with pytest.raises(StoreError) as caught:
        PostgresEngine(f"postgresql://ann:{wrong}@127.0.0.1:1/none")  # nothing listens on port 1
    assert "postgresql://ann@127.0.0.1:1/none" in _one_line(caught.value, wrong)
    with pytest.raises(StoreError) as caught:
        PostgresEngine(f"host=x {wrong} dbname=y")  # a password pasted where a name=value pair goes
    _one_line(caught.value, wrong)


def test_a_newer_schema_or_one_not_ours_is_refused_and_left_as_it_is(pg_url: str, opened: list[PostgresEngine]) -> None:
    opened.append(PostgresEngine(pg_url))
    pg_databases.admin(pg_url, "UPDATE cxmap.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(NewerFormat, match="newer cxmap"):
        PostgresEngine(pg_url)
    pg_databases.admin(pg_url, "DROP SCHEMA cxmap CASCADE", "CREATE SCHEMA cxmap", "CREATE TABLE cxmap.mine (n int)")
    with pytest.raises(UnreadableFile, match="not a cxmap workspace"):
        PostgresEngine(pg_url)
    assert pg_databases.admin(pg_url, "SELECT to_regclass('cxmap.docs'), to_regclass('cxmap.mine')::text") == [
        (None, "cxmap.mine")]


def test_sessions_opening_a_new_workspace_at_once_make_its_schema_once(pg_url: str, opened: list[PostgresEngine]) -> None:
    failures: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(PostgresEngine(pg_url))
        except BaseException as e:  # reported in the test's thread
            failures.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == [] and len(opened) == 4
    assert pg_databases.admin(pg_url, "SELECT value FROM cxmap.meta") == [(str(sql.SCHEMA_VERSION),)]


def _cut_off(pg_url: str, engine: PostgresEngine) -> None:
    """End the engine's connection from the server's side, and wait until it is gone."""
    pid = engine.server.db.info.backend_pid
    assert pg_databases.admin(pg_url, f"SELECT pg_terminate_backend({pid}, 10000)") == [(True,)]


def test_a_connection_lost_between_saves_is_made_again(pg_url: str, opened: list[PostgresEngine]) -> None:
    mine, theirs = PostgresEngine(pg_url), PostgresEngine(pg_url)
    opened += [mine, theirs]
    with mine.transaction():
        mine.change("notes", put={"a": {"n": 1}})
    theirs.refresh()
    _cut_off(pg_url, theirs)
    with mine.transaction():
        mine.change("notes", put={"b": {"n": 2}})
    with pytest.raises(Unavailable) as caught:
        theirs.refresh()
    _one_line(caught.value)
    assert theirs.refresh() is True and dict(theirs.tables("notes")[0]) == {"a": {"n": 1}, "b": {"n": 2}}
    with theirs.transaction():
        theirs.change("notes", put={"c": {"n": 3}})
    mine.refresh()
    assert sorted(mine.tables("notes")[0]) == ["a", "b", "c"]


def test_a_connection_lost_in_the_middle_of_a_save_saves_nothing_and_then_once(pg_url: str, opened: list[PostgresEngine]) -> None:
    engine = PostgresEngine(pg_url)
    opened.append(engine)
    store = Store(engine)
    m = store.add(make_map())

    def cut_at_save(statement: str) -> None:
        if "INSERT INTO cxmap.log" in statement:
            engine.server.watch = None
            _cut_off(pg_url, engine)

    engine.server.watch = cut_at_save
    with pytest.raises(SaveFailed) as caught:
        store.change(m.id, lambda x: x.edit(scope="cut off"))
    _one_line(caught.value)
    assert pg_databases.admin(pg_url, "SELECT count(*), max(seq) FROM cxmap.log") == [(1, 1)]
    assert store.get(m.id).scope != "cut off"
    store.change(m.id, lambda x: x.edit(scope="saved"))
    assert pg_databases.admin(pg_url, "SELECT count(*), max(seq) FROM cxmap.log") == [(2, 2)]
    assert Store(PostgresEngine(pg_url)).get(m.id).scope == "saved"


def test_hostile_documents_are_refused_in_one_line_and_the_session_carries_on(pg_url: str, opened: list[PostgresEngine]) -> None:
    engine = PostgresEngine(pg_url)
    opened.append(engine)
    deep: dict[str, object] = {}
    for _ in range(200):
        deep = {"in": deep}
    for doc, said in (({"title": "a\x00b"}, "U+0000"), (deep, "nested too deeply"),
                      ({"n": float("nan")}, "not finite"), ({"t": "\ud800"}, "not valid Unicode")):
        with pytest.raises(StoreError) as caught, engine.transaction():
            engine.change("notes", put={"bad": doc})  # type: ignore[dict-item]
        assert said in _one_line(caught.value)
    with engine.transaction():
        engine.change("notes", put={"ok": {"title": "a\\u0000b, typed"}})
    assert dict(PostgresEngine(pg_url).tables("notes")[0]) == {"ok": {"title": "a\\u0000b, typed"}}


def test_a_damaged_log_row_is_one_line(pg_url: str, opened: list[PostgresEngine]) -> None:
    mine, theirs = PostgresEngine(pg_url), PostgresEngine(pg_url)
    opened += [mine, theirs]
    pg_databases.admin(pg_url, """INSERT INTO cxmap.log VALUES (1, now(), 'x', NULL, '[{"table": 1}]')""")
    with pytest.raises(UnreadableFile, match="log row 1") as caught:
        theirs.refresh()
    _one_line(caught.value)


def test_a_log_row_whose_document_is_gone_is_one_line(pg_url: str, opened: list[PostgresEngine]) -> None:
    mine, theirs = PostgresEngine(pg_url), PostgresEngine(pg_url)
    opened += [mine, theirs]
    with mine.transaction():
        mine.change("notes", put={"a": {"n": 1}})
    pg_databases.admin(pg_url, "DELETE FROM cxmap.versions")  # a version lost by hand
    with pytest.raises(UnreadableFile, match="log row 1 saved a document that is not there") as caught:
        theirs.refresh()
    _one_line(caught.value)


def test_cxmap_imports_without_psycopg_and_the_engine_says_what_to_install() -> None:
    script = """
import sys, importlib, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "psycopg" or name.startswith("psycopg."):
            raise ImportError("psycopg is blocked in this test")
sys.meta_path.insert(0, Block())
from pathlib import Path
for path in sorted(Path("cxmap_tui").rglob("*.py")):
    name = ".".join(path.with_suffix("").parts).removesuffix(".__init__")
    if not name.startswith("cxmap_tui.store.postgres") and name != "cxmap_tui.__main__":
        importlib.import_module(name)
from cxmap_tui.store.errors import StoreError
try:
    import cxmap_tui.store.postgres
except StoreError as e:
    print(e)
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == ("a workspace on a PostgreSQL server needs psycopg: pip install 'cxmap[postgres]'"), \
        out.stderr
