"""A hostile member of a shared folder, and hostile database files.

In a team folder (group-writable, so every member may rename, replace and plant names in it) no
symlink or file someone else puts there may make cxmap read, copy, chmod, chown or write anything
but the database and its own companions. The attacks are made by another process, of another user
where the machine allows. A database file, however hostile, is one line and is left byte for byte."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.table import Document, Table

from cxmap_tui.store import Store, StoreError, UnreadableFile
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.attacker import plant
from tests.helpers.cli import Cli
from tests.helpers.factories import compacting, make_map

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534  # the unprivileged user and group of Debian and most Linux systems
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user needs root")


def _make_team(parent: Path, gid: int) -> Path:
    """A team folder: group read/write, handing its group down to what is made in it."""
    folder = parent / "team"
    folder.mkdir()
    os.chown(folder, -1, gid)
    folder.chmod(0o2770)
    return folder


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """In a group of this user's that is not the group of the files they make elsewhere."""
    if os.geteuid() == 0:
        return _make_team(tmp_path, NOBODY)
    others = [g for g in os.getgroups() if g != os.getgid()]
    if not others:
        pytest.skip("needs a second group to tell the team's group from the user's own")
    return _make_team(tmp_path, others[0])


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder other users can reach (pytest's own temporary folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="cxmap-attack-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _look(path: Path) -> tuple[int, int, int, int, bytes | str]:
    """Everything about a file an attack could change: mode, owner, group, links and content."""
    st = path.lstat()
    return st.st_mode, st.st_uid, st.st_gid, st.st_nlink, os.readlink(path) if path.is_symlink() else path.read_bytes()


def _folder(folder: Path) -> dict[str, tuple[int, int, int, int, bytes | str]]:
    return {p.name: _look(p) for p in folder.iterdir()}


def _private_database(folder: Path, title: str) -> Path:
    folder.mkdir(mode=0o700)
    db = folder / "cxmap.json"
    store = Store.open(db)
    m = store.add(make_map(title))
    store.change(m.id, lambda x: x.edit(scope="saved twice, so it has a backup"))
    return db


def _attacker(*args: str | Path, as_nobody: bool = False) -> subprocess.Popen[str]:
    """A process of this user, or of `nobody`, doing what tests/helpers/attacker.py says."""
    who = ["--as-nobody"] if as_nobody else []
    return subprocess.Popen([sys.executable, "-m", "tests.helpers.attacker", *who, *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _saves_while_the_lock_is_swapped(store: Store, map_id: str, lock: Path, target: Path, *, as_nobody: bool) -> None:
    stop = target.with_name("stop-swapping")
    swapper = _attacker("swap", lock, target, stop, as_nobody=as_nobody)
    assert swapper.stdout is not None and swapper.stdout.readline() == "swapping\n"
    saved = 0
    refusals: list[str] = []
    try:
        # Until enough saves got through the attack (each one a chance for the old code to follow
        # the link), or many tries: most are refused while the name is a link, which is fine.
        for i in range(50_000):
            try:
                store.change(map_id, lambda x, i=i: x.edit(scope=f"save {i}"))
            except StoreError as e:  # refusing is fine; touching the target is not
                refusals.append(str(e))
            else:
                saved += 1
                if saved == 300:
                    break
    finally:
        stop.touch()
        out, err = swapper.communicate(timeout=60)
    assert swapper.returncode == 0, err
    assert int(out.split()[-1]) > 0, "the attack ran during the saves"
    assert not [r for r in refusals if "\n" in r], "each refusal is one line"


# -- the lock ---------------------------------------------------------------------------------------


def test_a_lock_swapped_for_a_symlink_during_saves_never_touches_the_target(team: Path, tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("a colleague's private notes\n")
    target.chmod(0o640)
    assert target.stat().st_gid != team.stat().st_gid
    before = _look(target)
    store = Store.open(team / "cx.json", shared=True, lock_timeout=0.5)
    m = store.add(make_map())
    _saves_while_the_lock_is_swapped(store, m.id, team / "cx.json.lock", target, as_nobody=False)
    assert _look(target) == before


def test_an_existing_lock_is_never_widened(team: Path) -> None:
    """Someone renames one of my private files to the lock's name: it is locked as it is, not
    handed to the team's group."""
    mine = team / "cx.json.lock"
    mine.write_text("my private file, renamed here by someone else\n")
    os.chown(mine, -1, os.getgid())
    mine.chmod(0o640)
    before = _look(mine)
    store = Store.open(team / "cx.json", shared=True)
    store.change(store.add(make_map()).id, lambda x: x.edit(scope="saved again"))
    assert _look(mine) == before


# -- the database -----------------------------------------------------------------------------------


def _no_hard_links(monkeypatch: pytest.MonkeyPatch, code: int = errno.EPERM) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", refuse)


@pytest.mark.parametrize("links", ["allowed", "refused"])
def test_a_database_replaced_by_a_symlink_to_a_private_one_is_refused(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: str
) -> None:
    private = _private_database(tmp_path / "mine", "My private map")
    store = Store.open(team / "cx.json", shared=True)
    m = store.add(make_map("Team map"))
    store.change(m.id, lambda x: x.edit(scope="saved twice"))
    if links == "refused":  # as protected hard links refuse a link to another user's file
        _no_hard_links(monkeypatch)
    plant(str(private), str(team / "cx.json"))
    team_before, private_before = _folder(team), _folder(private.parent)
    with pytest.raises(StoreError) as caught:
        store.change(m.id, lambda x: x.edit(scope="never saved"))
    message = str(caught.value)
    assert "\n" not in message and str(team / "cx.json") in message and "symbolic link" in message
    assert _folder(team) == team_before and _folder(private.parent) == private_before
    with pytest.raises(StoreError, match="symbolic link"):
        Store.open(team / "cx.json")


@pytest.mark.parametrize("swap", ["symlink", "owner"])
def test_a_database_swapped_in_the_middle_of_a_save_is_refused(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """After the save read the file under the lock, as a race would, the name is given a symlink
    to a private database, or the file is given to another owner (which only root can do)."""
    if swap == "owner" and os.geteuid() != 0:
        pytest.skip("only root may give a file away")
    private = _private_database(tmp_path / "mine", "My private map")
    private_before = _folder(private.parent)
    db = team / "cx.json"
    store = compacting(db, shared=True)  # every save replaces the file
    m = store.add(make_map("Team map"))
    real_fsync = os.fsync

    def fsync_then_swap(fd: int) -> None:
        real_fsync(fd)
        if swap == "owner":
            os.chown(db, NOBODY, -1, follow_symlinks=False)
        elif not db.is_symlink():
            plant(str(private), str(db))

    # The save itself is one record appended to the journal; the swap comes as the compaction
    # that follows it fsyncs the history. The compaction is refused, the change kept.
    storage = store.storage
    assert isinstance(storage, JSONFileStorage)
    storage.after_compaction_step = lambda step: monkeypatch.setattr(os, "fsync", fsync_then_swap)
    store.change(m.id, lambda x: x.edit(scope="kept in the journal"))
    monkeypatch.undo()
    assert "while cxmap was saving" in storage.journal_note and "\n" not in storage.journal_note
    assert _folder(private.parent) == private_before
    for p in team.iterdir():
        assert p.is_symlink() or b"My private map" not in p.read_bytes()


@pytest.mark.parametrize("code", [errno.EPERM, errno.EXDEV])
@pytest.mark.parametrize("mode", [0o600, 0o660, 0o640])
def test_without_hard_links_the_backup_has_the_databases_mode_and_group(
    team: Path, monkeypatch: pytest.MonkeyPatch, mode: int, code: int
) -> None:
    db = team / "cx.json"
    m = Store.open(db, shared=mode == 0o660).add(make_map())
    db.chmod(mode)
    _no_hard_links(monkeypatch, code)
    store = compacting(db, shared=True)  # asking for a shared file does not widen an existing one
    previous = db.read_bytes()
    store.change(m.id, lambda x: x.edit(scope="Changed"))
    backup = db.with_name("cx.json.bak")
    assert backup.read_bytes() == previous
    assert stat.S_IMODE(backup.stat().st_mode) == mode == stat.S_IMODE(db.stat().st_mode)
    assert backup.stat().st_gid == db.stat().st_gid


def test_your_own_symlink_is_followed_once_and_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "data" / "cx.json"
    m = Store.open(real).add(make_map())
    links = tmp_path / "links"
    links.mkdir(mode=0o700)
    os.symlink(real, links / "cx.json")
    store = compacting(links / "cx.json")
    assert store.location == str(real)
    store.change(m.id, lambda x: x.edit(scope="through my link"))
    assert (links / "cx.json").is_symlink() and os.listdir(links) == ["cx.json"]
    assert Store.open(real).get(m.id).scope == "through my link"
    assert (tmp_path / "data" / "cx.json.bak").exists() and (tmp_path / "data" / "cx.json.lock").exists()


def test_a_symlink_in_a_folder_others_may_write_in_is_refused(team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private = _private_database(tmp_path / "mine", "My private map")
    before = _folder(private.parent)
    os.symlink(private, team / "cx.json")
    code, out, err = Cli(capsys, team / "cx.json")("list")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "symbolic link" in err and str(team) in err and "Traceback" not in err
    assert _folder(private.parent) == before


# -- two real users ---------------------------------------------------------------------------------

@as_root
def test_another_user_swapping_the_lock_for_a_symlink_gets_nothing(open_tmp: Path) -> None:
    team = _make_team(open_tmp, NOBODY)
    secret = open_tmp / "secret.txt"
    secret.write_text("root's private notes\n")
    secret.chmod(0o640)
    before = _look(secret)
    store = Store.open(team / "cx.json", shared=True, lock_timeout=0.5)
    m = store.add(make_map())
    _saves_while_the_lock_is_swapped(store, m.id, team / "cx.json.lock", secret, as_nobody=True)
    assert _look(secret) == before
    reader = _attacker("read", secret, as_nobody=True)
    assert "DENIED" in reader.communicate(timeout=60)[0]


@as_root
def test_another_user_pointing_the_team_database_at_a_private_one_gets_nothing(open_tmp: Path) -> None:
    home = open_tmp / "home"
    home.mkdir(mode=0o755)
    private = _private_database(home / "cxmap", "Root's private map")
    private_before = _folder(private.parent)
    team = _make_team(open_tmp, NOBODY)
    db = team / "cx.json"
    store = Store.open(db, shared=True)
    m = store.add(make_map("Team map"))
    store.change(m.id, lambda x: x.edit(scope="saved twice"))
    planter = _attacker("plant", private, db, as_nobody=True)
    assert planter.communicate(timeout=60)[1] == "" and db.is_symlink()
    with pytest.raises(StoreError, match="symbolic link"):
        store.change(m.id, lambda x: x.edit(scope="never saved"))
    cli = subprocess.run([sys.executable, "-m", "cxmap_tui", "--db", str(db), "new", "Another"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert cli.returncode == 1 and cli.stderr.count("\n") == 1 and "symbolic link" in cli.stderr
    assert _folder(private.parent) == private_before
    names = [str(p) for p in team.iterdir() if not p.is_symlink()]
    read = _attacker("read", *names, as_nobody=True).communicate(timeout=60)[0]
    assert "Root's private map" not in read and "Team map" in read


# -- hostile database files -------------------------------------------------------------------------

_HEAD = '{"cxmap":{"format":1,"generation":"00","written_by":"cxmap 0.1.0"},'
HOSTILE = {
    "nested 200,000 deep": _HEAD + '"junk":{"a":{"x":' + "[" * 200_000 + "]" * 200_000 + "}}}",
    "nested 500 deep": _HEAD + '"junk":{"a":{"x":' + "[" * 500 + "]" * 500 + "}}}",
    "a 5,000-digit integer": _HEAD + '"junk":{"a":{"x":' + "9" * 5000 + "}}}",
    "a lone surrogate": _HEAD + '"maps":{"a":{"title":"\\ud800"}}}',
    "a lone surrogate in a name": _HEAD + '"maps":{"\\udfff":{"title":"T"}}}',
    "NaN": _HEAD + '"junk":{"a":{"x":NaN}}}',
    "Infinity": _HEAD + '"junk":{"a":{"x":-Infinity}}}',
    "a number too big for a float": _HEAD + '"junk":{"a":{"x":1e999}}}',
    "invalid UTF-8": (_HEAD + '"maps":{"a":{"title":"').encode() + b"\xc3\x28" + b'"}}}',
    "UTF-16": (_HEAD + '"maps":{}}').encode("utf-16"),
}


def _raw(kind: str) -> bytes:
    raw = HOSTILE[kind]
    return raw if isinstance(raw, bytes) else raw.encode("utf-8")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_database_file_is_one_line_and_left_byte_for_byte(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cx.json"
    session = Store.open(db)  # a session that had the file open before it turned hostile
    session.add(make_map())
    raw = _raw(kind)
    db.write_bytes(raw)
    before = _folder(tmp_path)
    with pytest.raises(UnreadableFile):
        session.add(make_map("Another"))
    code, out, err = Cli(capsys, db)("list")
    assert code == 1 and out == "" and err.count("\n") == 1, err[-300:]
    assert str(db) in err and "left as it is" in err and "Traceback" not in err
    with pytest.raises(UnreadableFile):
        Store.open(db)
    assert _folder(tmp_path) == before


# -- latent bugs ------------------------------------------------------------------------------------


class _StrIdTable(Table):
    document_id_class = str  # type: ignore[assignment]


class _RawDatabase(TinyDB):
    """TinyDB on the store's own storage, keyed by string ids as the store's tables are."""

    table_class = _StrIdTable


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_table_named_cxmap_cannot_overwrite_the_header(where: str, tmp_path: Path) -> None:
    store = Store.in_memory() if where == "memory" else Store.open(tmp_path / "cx.json")
    m = store.add(make_map())
    raw = _RawDatabase(storage=lambda: store.storage)
    with pytest.raises(StoreError, match="reserved"), store.storage.transaction():  # type: ignore[attr-defined]
        raw.table("cxmap").insert({"format": 99})
    assert store.get(m.id).title == "Support call"
    if where == "file":
        assert Store.open(tmp_path / "cx.json").get(m.id).title == "Support call"


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_write_outside_a_transaction_leaves_no_phantom_document(where: str, tmp_path: Path) -> None:
    store = Store.in_memory() if where == "memory" else Store.open(tmp_path / "cx.json")
    store.add(make_map("Saved"))
    raw = _RawDatabase(storage=lambda: store.storage)
    with pytest.raises(RuntimeError, match="only inside a transaction"):
        raw.table("maps").insert(Document({"title": "Phantom"}, doc_id="phantom"))
    assert [s.title for s in store.summaries()] == ["Saved"]
    store.add(make_map("Saved too"))  # nor is it saved with the next change
    assert [s.title for s in store.summaries()] == ["Saved", "Saved too"]
    if where == "file":
        assert isinstance(store.storage, JSONFileStorage)
        assert b"Phantom" not in (tmp_path / "cx.json").read_bytes()


@pytest.mark.parametrize("value", ["\ud800", float("nan"), float("inf")])
def test_data_the_file_could_not_hold_is_refused_not_written(value: object, tmp_path: Path) -> None:
    """cxmap never writes a file it would refuse to read back."""
    db = tmp_path / "cx.json"
    store = Store.open(db)
    store.add(make_map())
    before = db.read_bytes()
    raw = _RawDatabase(storage=lambda: store.storage)
    with pytest.raises(StoreError) as caught, store.storage.transaction():  # type: ignore[attr-defined]
        raw.table("junk").insert(Document({"x": value}, doc_id="a"))
    assert "\n" not in str(caught.value) and "cannot save" in str(caught.value)
    assert db.read_bytes() == before
    assert [s.title for s in store.summaries()] == ["Support call"]
