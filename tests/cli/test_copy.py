"""`cxmap copy SOURCE TARGET`: a whole workspace (maps, customers, the history of changes) from a
file to a PostgreSQL server and back; every export the same before and after, the history the
same record for record; a target that is not empty refused in one line, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxmap_tui.io.formats import FORMATS
from cxmap_tui.store import Store
from cxmap_tui.store.storage import JSONFileStorage
from tests.cli.test_server_workspace import url_of
from tests.helpers import pg_databases
from tests.helpers.cli import Cli

ROOT = Path(__file__).resolve().parents[2]


def _workspace(cli: Cli) -> list[str]:
    """Maps and customers made by commands, with a history of edits; the maps' ids."""
    ids = [cli.ok("import", str(ROOT / "sample_maps" / name))
           for name in ("service-broken-delivery.json", "insurance-claim-current.json")]
    call = cli.ok("new", "Support call", "--persona", "Busy parent")
    for name in ("Phone menu", "Hold music", "Agent answers"):
        cli.ok("touchpoint", "add", call, name, "--stage", "Use")
    cli.ok("feel", call, "Hold music", "-2", "--thought", "Jazz again? ‮evil‬ \x1b[31m")
    cli.ok("improve", call, "Call-back option", "-t", "Hold music")
    cli.ok("account", "add", "Northwind", "--segment", "Retail")
    cli.ok("contact", "add", "Ann Lee", "--account", "Northwind")
    cli.ok("record", "Ann Lee", call, "Hold music", "--feeling", "-2", "--note", "waited")
    return [*ids, call]


def _said(cli: Cli, ids: list[str]) -> dict[str, str]:
    said = {f"{fmt} {map_id}": cli.ok("export", map_id, "--format", fmt) for map_id in ids for fmt in FORMATS}
    for what in (("list", "--json"), ("account", "list", "--json"), ("contact", "list", "--json"),
                 ("contact", "show", "Ann Lee"), ("at-risk", "--json")):
        said[" ".join(what)] = cli.ok(*what)
    return said


def _copy(cli: Cli, *args: str) -> str:
    code, out, err = cli("copy", *args, db=False)
    assert code == 0, err
    return out.strip()


def _history(db: Path) -> list[tuple[object, ...]]:
    return [(r.seq, r.at, r.by, [(c.table, c.id, c.doc, c.fields) for c in r.changes])
            for r in JSONFileStorage(db).whole().records]


def test_a_file_copied_to_a_server_and_back_is_the_same_workspace(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, pg_url: str) -> None:
    server = url_of(pg_url)
    first, back = tmp_path / "first.json", tmp_path / "back.json"
    ids = _workspace(Cli(capsys, first))
    before = _said(Cli(capsys, first), ids)
    history = _history(first)
    assert len(history) == 11

    line = _copy(Cli(capsys, first), str(first), server)
    assert line == (f"Copied 3 maps, 1 account, 1 contact, 1 interaction and 11 recorded changes from {first} to "
                    f"{Store.open(server).location}.")
    on_server = _said(Cli(capsys, server), ids)
    said = json.loads(_copy(Cli(capsys, server), server, str(back), "--json"))
    assert (said["maps"], said["accounts"], said["contacts"], said["interactions"], said["changes"]) == (3, 1, 1, 1, 11)
    after = _said(Cli(capsys, back), ids)
    for what in before:
        assert on_server[what] == before[what], what
        assert after[what] == before[what], what
    assert _history(back) == history  # every change: its number, when, by whom, what it did
    rows = pg_databases.admin(pg_url, "SELECT seq, os_user FROM cxmap.log ORDER BY seq")
    assert [int(str(seq)) for seq, _ in rows] == [h[0] for h in history]

    # Each copy goes on numbering its changes after the last one it took in.
    Cli(capsys, server).ok("touchpoint", "add", ids[-1], "Survey")
    Cli(capsys, back).ok("touchpoint", "add", ids[-1], "Survey")
    assert pg_databases.admin(pg_url, "SELECT max(seq) FROM cxmap.log") == [(12,)]
    assert _history(back)[-1][0] == 12


def test_a_target_that_is_not_empty_is_refused_and_nothing_changes(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path, pg_url: str) -> None:
    server = url_of(pg_url)
    source, taken = tmp_path / "source.json", tmp_path / "taken.json"
    _workspace(Cli(capsys, source))
    Cli(capsys, taken).ok("new", "Already here")
    Cli(capsys, server).ok("new", "Already here too")
    kept = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    log = pg_databases.admin(pg_url, "SELECT seq, changes::text FROM cxmap.log ORDER BY seq")
    held = "2 stored items (maps, their summaries, customers) and 1 recorded change"
    for target in (str(taken), server):
        code, out, err = Cli(capsys, source)("copy", str(source), target, db=False)
        assert (code, out) == (1, "")
        assert err.endswith(f"is not empty (it holds {held}); cxmap copy copies only into an empty workspace, "
                            "so nothing was copied\n") and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == kept
    assert pg_databases.admin(pg_url, "SELECT seq, changes::text FROM cxmap.log ORDER BY seq") == log


def test_copy_mistakes_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_url: str) -> None:
    cli = Cli(capsys, tmp_path / "x.json")
    code, _, err = cli("copy", str(tmp_path / "missing.json"), str(tmp_path / "new.json"), db=False)
    assert code == 1 and err == f"cxmap: no database at {tmp_path / 'missing.json'}; cxmap new creates one\n"
    assert not (tmp_path / "new.json").exists()
    cli.ok("new", "Support call")
    code, _, err = cli("copy", str(tmp_path / "x.json"), str(tmp_path / "x.json"), db=False)
    assert code == 1 and err.startswith("cxmap: ") and "both the source and the target" in err
    code, _, err = cli("copy", url_of(pg_url), str(tmp_path / "new.json"), db=False)
    assert code == 1 and "no cxmap workspace" in err and err.count("\n") == 1
    assert not (tmp_path / "new.json").exists()
