"""`cxmap history prune` through the real entry point: what it says, what it asks, what it
refuses in one line; `history` as a group that leaves room for `cxmap history MAP`; and the
journal's notes said once on stderr."""

from __future__ import annotations

import gc
import io
import json
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest

from cxmap_tui.cli.history import HistoryGroup, size
from cxmap_tui.store import Store
from cxmap_tui.store.compaction import read_history
from cxmap_tui.store.safe_files import Folder
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.cli import Cli, record_app_starts
from tests.helpers.factories import make_map

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # noon: the same day in every time zone the test sets


@pytest.fixture(autouse=True)
def _in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates are the user's: the tests live in one time zone, whatever the machine's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    return Cli(capsys, db_path)


class _Days:
    def __init__(self) -> None:
        self.now = T0 - timedelta(days=1)

    def __call__(self) -> datetime:
        self.now += timedelta(days=1)
        return self.now


def _history_of(db: Path, changes: int = 6) -> str:
    """`changes` records in the history, one a day from 2026-11-23; the journal empty."""
    store = Store(JSONFileStorage(db, clock=_Days(), compact_records=1))
    m = store.add(make_map())
    for i in range(changes - 1):
        store.change(m.id, lambda x, i=i: x.edit(scope=f"version {i}"))
    return m.id


def _seqs(db: Path) -> list[int]:
    with Folder(db.parent) as folder:
        return [r.seq for r in read_history(folder, db.name).records]


def _history(db: Path) -> Path:
    return db.with_name(db.name + ".history")


class _Keyboard(io.StringIO):
    """Standard input that is a terminal, with the answers typed on it."""

    def isatty(self) -> bool:
        return True


def test_prune_says_what_it_removed_in_one_line(cli: Cli, db_path: Path) -> None:
    _history_of(db_path)
    before = _history(db_path).stat().st_size
    code, out, err = cli("history", "prune", "--before", "2026-11-26", "--yes")
    assert (code, err) == (0, "")
    after = _history(db_path).stat().st_size
    assert out == (f"Removed 3 of 6 changes from cx.json.history (made 2026-11-23 to 2026-11-25); 3 remain; "
                   f"{size(before)} -> {size(after)}.\n")
    assert _seqs(db_path) == [4, 5, 6]
    # --keep alone: all but the last N; with --before, the last N stay whatever their date.
    assert cli.ok("history", "prune", "--keep", "2", "-y").startswith("Removed 1 of 3 changes")
    assert cli.ok("history", "prune", "--before", "2027-01-01", "--keep", "1", "-y").startswith(
        "Removed 1 of 2 changes from cx.json.history (made 2026-11-27); 1 remain;")
    assert _seqs(db_path) == [6]
    assert [m.scope for m in Store.open(db_path).maps()] == ["version 4"]  # the data stays


def test_a_dry_run_says_what_would_go_and_removes_nothing(cli: Cli, db_path: Path) -> None:
    _history_of(db_path)
    before = _history(db_path).read_bytes()
    out = cli.ok("history", "prune", "--keep", "2", "--dry-run")
    assert out.startswith("Would remove 4 of 6 changes from cx.json.history (made 2026-11-23 to 2026-11-26); "
                          "2 would remain; ")
    assert _history(db_path).read_bytes() == before


def test_it_asks_first_and_a_no_changes_nothing(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _history_of(db_path)
    before = _history(db_path).read_bytes()
    code, out, err = cli("history", "prune", "--keep", "1")  # no terminal: it does not guess
    assert (code, out) == (2, "")
    assert err.startswith("cxmap: remove 5 of the 6 changes in cx.json.history (made 2026-11-23 to 2026-11-27)? "
                          "1 would remain; add --yes to confirm without a terminal")
    assert err.count("\n") == 1
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\n"))
    code, out, err = cli("history", "prune", "--keep", "1")
    assert code == 1 and "Remove 5 of the 6 changes in cx.json.history" in out and err == "cxmap: cancelled\n"
    assert _history(db_path).read_bytes() == before
    monkeypatch.setattr(sys, "stdin", _Keyboard("y\n"))
    code, out, _ = cli("history", "prune", "--keep", "1")
    assert code == 0 and "Removed 5 of 6 changes" in out and _seqs(db_path) == [6]


def test_nothing_to_remove_asks_nothing(cli: Cli, db_path: Path) -> None:
    cli.ok("new", "Support call")
    assert cli.ok("history", "prune", "--keep", "0") == (
        "Nothing to remove: cx.json.history holds no changes yet (the changes saved since the journal was last "
        "folded into the database wait in the journal, which is never pruned).")
    _history_of(db_path.with_name("other.json"))
    other = Cli(cli.capsys, db_path.with_name("other.json"))
    said = other.ok("history", "prune", "--before", "2026-01-01")
    assert said.startswith("Nothing to remove: the 6 changes in other.json.history all stay (")


def test_json_for_scripts(cli: Cli, db_path: Path) -> None:
    _history_of(db_path)
    got = json.loads(cli.ok("history", "prune", "--keep", "4", "--yes", "--json"))
    assert got == {"history": str(_history(db_path)), "dry_run": False, "removed": 2, "remain": 4,
                   "bytes_before": got["bytes_before"], "bytes_after": _history(db_path).stat().st_size,
                   "removed_from": "2026-11-23T12:00:00+00:00", "removed_to": "2026-11-24T12:00:00+00:00",
                   "notes": []}
    assert got["bytes_before"] > got["bytes_after"]


@pytest.mark.parametrize(("args", "said"), [
    ([], "cxmap: say which changes to remove: --before DATE, --keep N, or both (see: cxmap history prune --help)\n"),
    (["--before", "last week"], ("cxmap: Invalid value for '--before': give a date, YYYY-MM-DD, or a time, "
                                 "YYYY-MM-DDTHH:MM (not 'last week') (see: cxmap history prune --help)\n")),
    (["--keep", "-1"], None),
])
def test_mistakes_are_one_line(cli: Cli, db_path: Path, args: list[str], said: str | None) -> None:
    _history_of(db_path)
    before = _history(db_path).read_bytes()
    code, out, err = cli("history", "prune", *args, "--yes")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert said is None or err == said
    assert _history(db_path).read_bytes() == before


def test_a_read_only_database_and_a_hostile_history_are_refused_in_one_line(cli: Cli, db_path: Path,
                                                                            tmp_path: Path) -> None:
    map_id = _history_of(db_path)
    history = _history(db_path)
    secret = tmp_path / "secret"
    secret.write_bytes(history.read_bytes())
    history.unlink()
    history.symlink_to(secret)
    code, out, err = cli("history", "prune", "--keep", "0", "--yes")
    assert (code, out) == (1, "")
    assert err.startswith(f"cxmap: did not prune {history}: it is a symbolic link") and err.count("\n") == 1
    assert history.is_symlink() and len(secret.read_bytes().splitlines()) == 6
    history.unlink()
    secret.chmod(0o600)
    secret.rename(history)
    # Damage in the middle of the journal: the database is read-only, and says how to go on.
    store = Store(JSONFileStorage(db_path))
    store.change(map_id, lambda x: x.edit(scope="second"))
    store.change(map_id, lambda x: x.edit(scope="third"))
    journal = db_path.with_name("cx.json.journal")
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0].replace(b"second", b"SECOND") + lines[1])
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    code, out, err = cli("history", "prune", "--keep", "0", "--yes")
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"cxmap: did not prune cx.json.history: {db_path} is read-only: its journal ")
    assert "damaged in the middle" in err and "truncate -s" in err
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir()} == before
    assert cli.ok("history", "prune", "--keep", "0", "--dry-run").startswith("Would remove 6 of 6 changes")


def test_the_history_group_alone_shows_its_help(cli: Cli) -> None:
    code, out, err = cli("history", db=False)
    assert code == 2 and out == ""
    assert err.startswith("Usage: cxmap history [OPTIONS] COMMAND [ARGS]...\n") and "prune" in err


def test_the_group_leaves_room_for_history_map() -> None:
    """A later `cxmap history MAP` is a default command of the same group: a first word that
    names no subcommand goes to it, with what follows; `prune` and --help stay the group's."""
    seen: list[tuple[str, ...]] = []
    group = HistoryGroup("history")

    @group.command("prune")
    @click.option("--keep", type=int)
    def prune(keep: int | None) -> None:
        seen.append(("prune", str(keep)))

    @group.command("show", hidden=True)
    @click.argument("map_ref")
    @click.option("--db")
    def show(map_ref: str, db: str | None) -> None:
        seen.append(("show", map_ref, str(db)))

    group.default_command = "show"
    group.main(["Support call", "--db", "x.json"], standalone_mode=False)
    group.main(["prune", "--keep", "3"], standalone_mode=False)
    group.main(["show", "prune"], standalone_mode=False)  # a map called "prune", by naming the command
    assert seen == [("show", "Support call", "x.json"), ("prune", "3"), ("show", "prune", "None")]
    with pytest.raises(click.exceptions.NoSuchOption):
        group.main(["--nonsense"], standalone_mode=False)


# -- the journal's notes on stderr ------------------------------------------------------------------


def test_a_torn_journal_tail_is_said_once_in_one_line(cli: Cli, db_path: Path) -> None:
    cli.ok("new", "Support call")
    with open(db_path.with_name("cx.json.journal"), "ab") as f:
        f.write(b'{"v":1,"seq":2,"follows":"cut off mid-sa')
    code, out, err = cli("list")
    assert code == 0 and "Support call" in out
    assert err.startswith("cxmap: a change whose save was cut off (cxmap stopped while writing it) is left out of "
                          "cx.json.journal: it was never saved, and everything saved before it is here (")
    assert err.count("\n") == 1
    assert cli("list")[2] == ""  # cut off by the command that found it, no one saving then: said once


def test_the_app_says_it_itself(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Started from the command line, the app shows the note (tests/app/test_journal_notes.py);
    the command does not repeat it on stderr after the app has ended."""
    cli.ok("new", "Support call")
    with open(db_path.with_name("cx.json.journal"), "ab") as f:
        f.write(b'{"v":1,"seq":2,"follows":"cut off mid-sa')
    started = record_app_starts(monkeypatch)
    try:
        code, _, err = cli("--db", str(db_path), db=False)
    finally:
        gc.enable()
    assert (code, err, len(started)) == (0, "", 1)
