"""The command line on a workspace on a PostgreSQL server (`--db postgresql://...`, $CXMAP_DB):
the same commands give the same answers as on a file, `where` names the server without its
password, reading makes nothing, and a server that cannot be reached is one line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from cxmap_tui.io.formats import FORMATS
from tests.helpers import pg_databases
from tests.helpers.cli import Cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_maps"


def url_of(conninfo: str, **changed: str) -> str:
    """The libpq key=value address `conninfo` as a postgresql:// URL (what a user types)."""
    from psycopg.conninfo import conninfo_to_dict

    p = {k: str(v) for k, v in conninfo_to_dict(conninfo).items()} | changed
    login = quote(p.pop("user", ""), safe="") + (":" + quote(p.pop("password"), safe="") if "password" in p else "")
    where = f"{p.pop('host', '')}:{p.pop('port', '')}".rstrip(":")
    rest = "&".join(f"{k}={quote(v, safe='')}" for k, v in p.items() if k != "dbname")
    return f"postgresql://{login}@{where}/{quote(p.get('dbname', ''), safe='')}" + (f"?{rest}" if rest else "")


@pytest.fixture
def server(pg_url: str) -> str:
    return url_of(pg_url)


def _script(cli: Cli) -> dict[str, str]:
    """A workspace built by commands, and what the reading commands then say of it."""
    delivery = cli.ok("import", str(SAMPLES / "service-broken-delivery.json"))
    cli.ok("import", str(SAMPLES / "insurance-claim-current.json"))
    cli.ok("import", str(SAMPLES / "insurance-claim-ideal.json"))
    call = cli.ok("new", "Support call", "--scenario", "service", "--persona", "Busy parent")
    cli.ok("touchpoint", "add", call, "Phone menu", "--stage", "Use", "--action", "Presses 3 for orders")
    cli.ok("touchpoint", "add", call, "Hold music", "--stage", "Use", "--action", "Waits")
    cli.ok("touchpoint", "add", call, "Web form", "--at", "1", "--stage", "Consideration")
    cli.ok("feel", call, "Hold music", "-2", "--thought", "Twenty minutes of [b]jazz[/b]?")
    cli.ok("feel", call, "Phone menu", "+1")
    cli.ok("improve", call, "Call-back option", "-t", "Hold music", "--customer-value", "5", "--effort", "2")
    cli.ok("touchpoint", "move", call, "Web form", "3")
    cli.ok("account", "add", "Northwind", "--segment", "Retail")
    cli.ok("contact", "add", "Ann Lee", "--account", "Northwind")
    cli.ok("record", "Ann Lee", call, "Hold music", "--feeling", "-2", "--note", "waited 20 minutes")
    said = {"list": cli.ok("list", "--json"), "show": cli.ok("show", call), "analyze": cli.ok("analyze", call),
            "backlog": cli.ok("backlog", call), "at-risk": cli.ok("at-risk", "--json"),
            "delivery": cli.ok("show", delivery)}
    for fmt in FORMATS:
        for ref in (call, delivery):
            said[f"{fmt} {ref == call}"] = cli.ok("export", ref, "--format", fmt)
    return said


def _same_ids_and_times(said: dict[str, str]) -> dict[str, str]:
    """Ids in order of first appearance, and moments, the same from one run to the next."""
    ids: dict[str, str] = {}
    whole = "\n\0\n".join(f"{k}\n{v}" for k, v in said.items())
    whole = re.sub(r"\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?", "WHEN", whole)
    whole = re.sub(r"\b[0-9a-f]{8}\b", lambda m: ids.setdefault(m.group(0), f"ID{len(ids)}"), whole)
    return dict(part.split("\n", 1) for part in whole.split("\n\0\n"))  # type: ignore[misc]


def test_the_same_commands_say_the_same_on_a_file_and_on_a_server(capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path, server: str) -> None:
    on_file = _same_ids_and_times(_script(Cli(capsys, tmp_path / "cx.json")))
    on_server = _same_ids_and_times(_script(Cli(capsys, server)))
    assert on_server.keys() == on_file.keys()
    for what in on_file:
        assert on_server[what] == on_file[what], what
    assert len(json.loads(on_server["list"])) == 4


def test_cxmap_db_names_the_server_too(capsys: pytest.CaptureFixture[str], server: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cli = Cli(capsys, server)
    map_id = cli.ok("new", "Support call")
    monkeypatch.setenv("CXMAP_DB", server)
    code, out, err = cli("list", "--json", db=False)
    assert code == 0 and [r["id"] for r in json.loads(out)] == [map_id], err


def test_libpq_key_value_pairs_name_the_server_too(capsys: pytest.CaptureFixture[str], pg_url: str,
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cli = Cli(capsys, pg_url)  # "user=... password=... dbname=... host=... port=..."
    map_id = cli.ok("new", "Support call")
    assert [r["id"] for r in json.loads(cli.ok("list", "--json"))] == [map_id]
    assert list(tmp_path.iterdir()) == []  # no file made by that name
    code, out, err = cli("where")
    assert code == 0 and "password" not in out and err == "cxmap: a cxmap workspace on a PostgreSQL server, 1 map\n"


def test_where_names_the_server_without_its_password(capsys: pytest.CaptureFixture[str], pg_url: str,
                                                     server: str) -> None:
    from psycopg.conninfo import conninfo_to_dict

    password = str(conninfo_to_dict(pg_url)["password"])
    cli = Cli(capsys, server)
    code, out, err = cli("where")
    assert code == 0 and out.startswith("postgresql://") and "@" in out
    assert err == "cxmap: a PostgreSQL server with no cxmap workspace yet; cxmap new makes one\n"
    assert not _has_schema(pg_url)  # asking made nothing
    cli.ok("new", "Support call")
    code, out2, err = cli("where")
    assert code == 0 and out2 == out and err == "cxmap: a cxmap workspace on a PostgreSQL server, 1 map\n"
    assert password not in out + err + out2


def _has_schema(conninfo: str) -> bool:
    return bool(pg_databases.admin(conninfo, "SELECT 1 FROM pg_namespace WHERE nspname = 'cxmap'"))


def test_reading_commands_make_no_workspace_and_say_so(capsys: pytest.CaptureFixture[str], pg_url: str,
                                                      server: str) -> None:
    cli = Cli(capsys, server)
    for args in (["list"], ["show", "x"], ["feel", "x", "y", "1"], ["export", "x", "-f", "json"]):
        code, out, err = cli(*args)
        assert (code, out) == (1, ""), args
        assert re.fullmatch(r"cxmap: there is no cxmap workspace in postgresql://\S+ yet; cxmap new makes one\n",
                            err), err
    assert not _has_schema(pg_url)


@pytest.mark.parametrize("fault", ["wrong password", "no server", "no such database"])
def test_a_server_that_cannot_be_used_is_one_line_without_the_password(capsys: pytest.CaptureFixture[str],
                                                                       pg_url: str, fault: str) -> None:
    from psycopg.conninfo import conninfo_to_dict

    password = str(conninfo_to_dict(pg_url)["password"])
    changed = {"wrong password": {"password": "not-the-password-42"}, "no server": {"port": "1"},
               "no such database": {"dbname": "cxmap_nowhere"}}[fault]
    address = url_of(pg_url, **changed)
    cli = Cli(capsys, address)
    for args in (["list"], ["new", "Support call"], ["where"]):
        code, out, err = cli(*args)
        assert err.count("\n") == 1 and err.startswith("cxmap: "), (args, err)
        assert "Traceback" not in err and "not-the-password-42" not in out + err and password not in out + err
        assert "password" not in err.lower() or fault == "wrong password"
        assert code == 1  # `where` too: a script can tell the server cannot be used


def test_history_prune_on_the_server_keeps_the_newest_and_what_is_asked(capsys: pytest.CaptureFixture[str],
                                                                        pg_url: str, server: str) -> None:
    cli = Cli(capsys, server)
    map_id = cli.ok("new", "Support call")  # log row 1
    for name in ("Phone menu", "Hold music", "Agent answers", "Callback"):  # rows 2 to 5
        cli.ok("touchpoint", "add", map_id, name)
    # Rows 1 and 2 made long ago: only they are before the date.
    pg_databases.admin(pg_url, "UPDATE cxmap.log SET at = '2020-01-01 12:00+00' WHERE seq <= 2")

    said = json.loads(cli.ok("history", "prune", "--before", "2021-01-01", "--dry-run", "--json"))
    assert (said["dry_run"], said["removed"], said["remain"]) == (True, 2, 3)
    assert said["removed_from"].startswith("2020-01-01") and said["history"].startswith("postgresql://")
    assert _seqs(pg_url) == [1, 2, 3, 4, 5]

    line = cli.ok("history", "prune", "--keep", "4", "--before", "2021-01-01", "--yes")
    assert line.startswith("Removed 1 of 5 changes from the history on postgresql://") and "4 remain" in line
    assert _seqs(pg_url) == [2, 3, 4, 5]  # row 2 is among the newest 4

    cli.ok("history", "prune", "--keep", "0", "--yes")
    assert _seqs(pg_url) == [5]  # the newest stays whatever is asked
    line = cli.ok("history", "prune", "--keep", "0", "--yes")
    assert line.startswith("Nothing to remove: the 1 change in the history on postgresql://")
    # The workspace is as it was, and the next change carries on from the newest row.
    cli.ok("touchpoint", "add", map_id, "Survey")
    assert _seqs(pg_url) == [5, 6]
    shown = cli.ok("show", map_id)
    assert all(name in shown for name in ("Phone menu", "Hold music", "Agent answers", "Callback", "Survey"))


def _seqs(conninfo: str) -> list[int]:
    return [int(str(r[0])) for r in pg_databases.admin(conninfo, "SELECT seq FROM cxmap.log ORDER BY seq")]


def test_a_statement_timeout_is_one_line_and_saves_nothing(capsys: pytest.CaptureFixture[str], pg_url: str,
                                                           server: str) -> None:
    import psycopg

    from cxmap_tui.store.postgres import schema

    cli = Cli(capsys, server)
    map_id = cli.ok("new", "Support call")
    impatient = Cli(capsys, url_of(pg_url, options="-c statement_timeout=300"))
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute(f"SELECT pg_advisory_lock({schema.LOCK_KEY})")  # another writer holds the workspace
        code, out, err = impatient("touchpoint", "add", map_id, "Hold music")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "statement timeout" in err
    assert err.startswith("cxmap: could not save to postgresql://") and err.rstrip().endswith("the change was not saved")
    assert "Hold music" not in cli.ok("show", map_id)
    impatient.ok("touchpoint", "add", map_id, "Hold music")  # the lock free again: saved
    assert "Hold music" in cli.ok("show", map_id)


def test_tls_options_pass_through_to_the_server(capsys: pytest.CaptureFixture[str], pg_url: str) -> None:
    # The test server speaks no TLS: asking for it is refused by libpq itself, which shows the
    # option reached it; one line, without the password.
    from psycopg.conninfo import conninfo_to_dict

    password = str(conninfo_to_dict(pg_url)["password"])
    code, out, err = Cli(capsys, url_of(pg_url, sslmode="require"))("list")
    assert code == 1 and err.count("\n") == 1 and "SSL" in err and password not in out + err
    assert Cli(capsys, url_of(pg_url, sslmode="disable"))("list")[2].endswith("cxmap new makes one\n")


def test_libpq_environment_fills_in_what_the_address_leaves_out(capsys: pytest.CaptureFixture[str], pg_url: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from psycopg.conninfo import conninfo_to_dict

    p = conninfo_to_dict(pg_url)
    for key, env in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD"),
                     ("dbname", "PGDATABASE")):
        monkeypatch.setenv(env, str(p[key]))
    cli = Cli(capsys, "postgresql://")
    map_id = cli.ok("new", "Support call")
    assert [r["id"] for r in json.loads(cli.ok("list", "--json"))] == [map_id]
    code, out, err = cli("where")
    assert code == 0
    assert out == "postgresql:///\n" and err == "cxmap: a cxmap workspace on a PostgreSQL server, 1 map\n"
