"""Many users on one machine: private by default, shared only when asked, read-only when a user
may not write, and one team file used by two people at once."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import ReadOnly, Store
from cxmap_tui.tui.session import Place, Session
from tests.helpers.factories import compacting

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534  # the unprivileged user and group of Debian and most Linux systems
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user needs root")


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder other users can reach (pytest's own temporary folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="cxmap-users-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    db = Path(Store.open().location)  # the default place, in the user's data folder
    store = compacting(db)  # every save folds the journal into the file: all the files are made
    m = store.add(ExperienceMap.new("Private"))
    store.change(m.id, lambda x: x.edit(scope="second save, so a backup exists"))
    assert db.parent == tmp_path / "data" / "cxmap"
    assert _mode(db.parent) == 0o700
    for path in (db, *(db.with_name(db.name + end) for end in (".bak", ".lock", ".journal", ".history"))):
        assert _mode(path) == 0o600, path
    Session(str(db)).save(Place(m.id, 3))
    session = tmp_path / "state" / "cxmap" / "session.json"
    assert _mode(session.parent) == 0o700 and _mode(session) == 0o600


def _a_group_of_mine() -> int:
    """A group this user belongs to, other than their own if they have one."""
    if os.geteuid() == 0:
        return NOBODY
    others = [g for g in os.getgroups() if g != os.getgid()]
    return others[0] if others else os.getgid()


def test_a_shared_file_gets_its_folders_group_and_group_access_only_when_asked(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    group = _a_group_of_mine()
    os.chown(team, -1, group)
    team.chmod(0o770)
    private = Store.open(team / "mine.json")
    private.add(ExperienceMap.new("Mine"))
    assert _mode(team / "mine.json") == 0o600 and _mode(team / "mine.json.lock") == 0o600
    shared = compacting(team / "cx.json", shared=True)
    m = shared.add(ExperienceMap.new("Ours"))
    shared.change(m.id, lambda x: x.edit(scope="saved again"))
    for name in ("cx.json", "cx.json.lock", "cx.json.bak", "cx.json.journal", "cx.json.history"):
        path = team / name
        assert _mode(path) == 0o660, name
        assert path.stat().st_gid == group, name
    # A later session without --shared keeps the file shared: the mode is the file's own.
    again = Store.open(team / "cx.json")
    again.change(m.id, lambda x: x.edit(scope="third"))
    assert _mode(team / "cx.json") == 0o660 and (team / "cx.json").stat().st_gid == group


def test_shared_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "srv" / "team"
    out = subprocess.run([sys.executable, "-m", "cxmap_tui", "--shared", "--db", str(folder / "cx.json"), "new", "X"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert _mode(folder / "cx.json") == 0o660
    assert _mode(folder) & 0o2070 == 0o2070  # a folder it made is the group's, and hands its group down


def _cxmap_as_nobody(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME="/tmp", XDG_STATE_HOME="/tmp/cxmap-test-nobody")
    return subprocess.run([sys.executable, "-m", "tests.helpers.as_nobody", "cli", *args, "--db", str(db)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@as_root
def test_a_user_who_may_not_write_gets_read_only_not_a_crash(open_tmp: Path) -> None:
    db = open_tmp / "cx.json"
    store = Store.open(db)
    store.add(ExperienceMap.new("Team map"))
    db.chmod(0o644)
    db.with_name("cx.json.journal").chmod(0o644)  # the journal belongs to the database (README)
    before = db.read_bytes()
    listed = _cxmap_as_nobody("list", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    assert [m["title"] for m in json.loads(listed.stdout)] == ["Team map"]
    changed = _cxmap_as_nobody("new", "Mine", db=db)
    assert changed.returncode == 1
    assert changed.stderr.count("\n") == 1 and "read-only for you" in changed.stderr and str(db) in changed.stderr
    assert "Traceback" not in changed.stderr
    assert db.read_bytes() == before


@as_root
def test_a_user_who_may_not_write_cannot_prune_the_history(open_tmp: Path) -> None:
    db = open_tmp / "cx.json"
    store = compacting(db)  # every save folded: the history holds the records
    m = store.add(ExperienceMap.new("Team map"))
    store.change(m.id, lambda x: x.edit(scope="Changed"))
    for name in ("cx.json", "cx.json.journal", "cx.json.history"):
        (open_tmp / name).chmod(0o644)
    before = {p.name: p.read_bytes() for p in open_tmp.iterdir()}
    pruned = _cxmap_as_nobody("history", "prune", "--keep", "0", "--yes", db=db)
    assert pruned.returncode == 1 and pruned.stderr.count("\n") == 1, pruned.stderr
    assert pruned.stderr.startswith(f"cxmap: did not prune cx.json.history: {db} is read-only: you may not write")
    assert {p.name: p.read_bytes() for p in open_tmp.iterdir()} == before
    looked = _cxmap_as_nobody("history", "prune", "--keep", "0", "--dry-run", db=db)
    assert looked.returncode == 0 and looked.stdout.startswith("Would remove 2 of 2 changes"), looked.stderr


def test_read_only_is_reported_by_the_store_before_any_lock(tmp_path: Path) -> None:
    """The refusal itself, without switching users: a folder nobody may write in (root excepted)."""
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere; the test above covers this as another user")
    folder = tmp_path / "ro"
    folder.mkdir()
    Store.open(folder / "cx.json").add(ExperienceMap.new("A"))
    folder.chmod(0o555)
    try:
        store = Store.open(folder / "cx.json")
        assert "you may not write in its folder" in store.read_only
        with pytest.raises(ReadOnly, match="read-only for you"):
            store.add(ExperienceMap.new("B"))
    finally:
        folder.chmod(0o755)


@as_root
def test_two_users_on_one_shared_file_lose_nothing(open_tmp: Path) -> None:
    team = open_tmp / "team"
    team.mkdir()
    os.chown(team, -1, NOBODY)
    team.chmod(0o2770)  # the team's folder: its group is the team
    db = team / "cx.json"
    store = Store.open(db, shared=True)
    m = store.add(ExperienceMap.new("Workshop"))
    writers = [
        subprocess.Popen([sys.executable, "-m", "tests.helpers.writer", str(db), m.id, "root", "40"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        subprocess.Popen([sys.executable, "-m", "tests.helpers.as_nobody", "writer", str(db), m.id, "nobody", "40"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
        assert out.count("saved ") == 40
    names = {t.name for t in Store.open(db).get(m.id).touchpoints}
    assert names == {f"{who}-{i}" for who in ("root", "nobody") for i in range(40)}
    assert (team / "cx.json.lock").stat().st_gid == NOBODY and _mode(team / "cx.json.lock") == 0o660


@as_root
def test_a_database_the_user_may_not_reach_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    out = _cxmap_as_nobody("list", db=tmp_path / "cx.json")  # pytest's folders are private to root
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "cannot open" in out.stderr and "Permission denied" in out.stderr and "Traceback" not in out.stderr
