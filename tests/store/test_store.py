"""The store on a memory storage and on a real file: what it keeps, and what it refuses."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from filelock import FileLock

from cxmap_tui.domain import ExperienceMap, NotFound, ValidationError
from cxmap_tui.store import LockTimeout, NewerFormat, Store, StoreError, UnreadableFile
from tests.helpers.factories import compacting, make_map, stored


def test_add_get_and_summaries(store: Store) -> None:
    m = store.add(make_map("Support call", touchpoints=3))
    got = store.get(m.id)
    assert [t.name for t in got.touchpoints] == ["Step 1", "Step 2", "Step 3"]
    assert got.revision == 1
    [summary] = store.summaries()
    assert (summary.id, summary.title, summary.touchpoints, summary.rated) == (m.id, "Support call", 3, 0)


def test_change_is_applied_to_the_stored_map_and_bumps_the_revision(store: Store) -> None:
    m = store.add(make_map())
    tp_id = m.touchpoints[0].id
    store.change(m.id, lambda x: x.set_feeling(tp_id, -1, "Slow"))
    got = store.get(m.id)
    assert (got.touchpoints[0].feeling, got.touchpoints[0].thoughts) == (-1, "Slow")
    assert got.revision == 2
    assert store.summaries()[0].rated == 1


def test_a_failed_change_saves_nothing(store: Store) -> None:
    m = store.add(make_map())

    def half_then_fail(x: ExperienceMap) -> None:
        x.add_touchpoint("Added first")
        x.add_touchpoint("Step 1")  # duplicate name: refused

    with pytest.raises(ValidationError):
        store.change(m.id, half_then_fail)
    got = store.get(m.id)
    assert [t.name for t in got.touchpoints] == ["Step 1", "Step 2", "Step 3"]
    assert got.revision == 1


def test_map_titles_are_unique(store: Store) -> None:
    a = store.add(make_map("Web shop"))
    b = store.add(make_map("Store visit"))
    with pytest.raises(ValidationError, match="already a map called 'web shop'"):
        store.add(make_map("web shop"))
    with pytest.raises(ValidationError, match="already a map called 'Web shop'"):
        store.change(b.id, lambda x: x.edit(title="Web shop"))
    store.change(a.id, lambda x: x.edit(title="WEB SHOP"))  # its own title in another case
    assert store.get(a.id).title == "WEB SHOP"


def test_find_by_id_prefix_and_title(store: Store) -> None:
    a = store.add(make_map("Onboarding call"))
    store.add(make_map("Onboarding e-mail"))
    assert store.find(a.id).id == a.id
    assert store.find(a.id[:5]).id == a.id
    assert store.find("onboarding CALL").id == a.id
    with pytest.raises(NotFound, match="matches several maps"):
        store.find("Onboarding")
    with pytest.raises(NotFound, match="no map matches"):
        store.find("Renewal")


def test_delete_and_undo(store: Store) -> None:
    m = store.add(make_map())
    removed = store.delete(m.id)
    assert store.summaries() == []
    with pytest.raises(NotFound):
        store.change(m.id, lambda x: x.edit(scope="gone"))
    back = store.add(removed)
    assert back.id == m.id and len(back.touchpoints) == 3


def test_add_many_is_all_or_nothing(store: Store) -> None:
    store.add(make_map("Taken"))
    with pytest.raises(ValidationError):
        store.add_many([make_map("New one"), make_map("Taken")])
    assert [s.title for s in store.summaries()] == ["Taken"]
    store.add_many([make_map(f"Map {i}") for i in range(5)])
    assert len(store.summaries()) == 6


def test_text_is_stored_unchanged(store: Store) -> None:
    hostile = "[bold]x[/] \\n \x1b[2J <td> =cmd|' /C calc'!A0 \u202eevil \U0001f600\nsecond line"
    m = store.add(make_map())
    store.change(m.id, lambda x: x.edit_touchpoint(x.touchpoints[0].id, thoughts=hostile, notes=hostile))
    got = store.get(m.id).touchpoints[0]
    assert got.thoughts == hostile and got.notes == hostile


# -- the file ---------------------------------------------------------------------------------------


def test_new_file_is_private_and_its_folders_are_made(db_path: Path) -> None:
    assert not db_path.parent.exists()
    Store.open(db_path)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    doc = json.loads(db_path.read_text())
    assert doc["cxmap"]["format"] == 3  # a database with a journal and map summaries: older cxmaps refuse it


def test_db_path_from_option_env_and_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cxmap_tui.paths import resolve_db_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_db_path() == tmp_path / "xdg" / "cxmap" / "cxmap.json"
    monkeypatch.setenv("CXMAP_DB", str(tmp_path / "env.json"))
    assert resolve_db_path() == tmp_path / "env.json"
    assert resolve_db_path(tmp_path / "flag.json") == tmp_path / "flag.json"


@pytest.mark.parametrize(("given", "server"), [
    ("postgresql://ann@db/cxmap", True), ("postgres://db", True), ("POSTGRESQL://", True),
    ("postgresql://?service=team", True), ("service=team", True), ("host=db dbname=cxmap", True),
    (" dbname = cxmap", True), ("cx.json", False), ("/srv/team/host=1.json", False), ("hosts=1", False),
    ("users.json", False), ("./service=team", False), ("postgresql.json", False),
])
def test_a_server_is_named_by_libpq_and_never_taken_for_a_file(given: str, server: bool, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cxmap_tui.paths import resolve_db

    assert isinstance(resolve_db(given), str) is server
    monkeypatch.setenv("CXMAP_DB", given)
    assert isinstance(resolve_db(), str) is server
    assert resolve_db(tmp_path / "flag.json") == tmp_path / "flag.json"  # --db wins over $CXMAP_DB


def test_backup_holds_the_previous_version(db_path: Path) -> None:
    """The backup is kept whenever the file is replaced, which a compaction does."""
    store = compacting(db_path)
    m = store.add(make_map())
    before = db_path.read_bytes()
    store.change(m.id, lambda x: x.edit(scope="Changed"))
    backup = db_path.with_name("cx.json.bak")
    assert backup.read_bytes() == before
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    leftovers = [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_save_cut_off_after_keeping_the_backup_leaves_no_temporary_file(db_path: Path) -> None:
    """A writer killed between keeping the backup and replacing the file leaves the backup as a
    second name of the database; the next save must not leave its own backup link behind."""
    store = compacting(db_path)
    m = store.add(make_map())
    backup = db_path.with_name("cx.json.bak")
    backup.unlink()
    os.link(db_path, backup)  # what the cut-off save left
    before = db_path.read_bytes()
    compacting(db_path).change(m.id, lambda x: x.edit(scope="Changed"))
    assert backup.read_bytes() == before
    assert [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_each_change_is_on_disk_at_once(db_path: Path) -> None:
    store = Store.open(db_path)
    m = store.add(make_map())
    store.change(m.id, lambda x: x.set_feeling(x.touchpoints[2].id, 2))
    on_disk = stored(db_path)
    assert on_disk["maps"][m.id]["touchpoints"][2]["feeling"] == 2


def test_two_stores_on_one_file_never_overwrite_each_other(db_path: Path) -> None:
    one = Store.open(db_path)
    two = Store.open(db_path)
    m = one.add(make_map(touchpoints=2))
    # Each store edits from what it last saw; neither may undo the other's edit.
    one.change(m.id, lambda x: x.set_feeling(x.touchpoints[0].id, -2))
    two.change(m.id, lambda x: x.set_feeling(x.touchpoints[1].id, 2))
    one.change(m.id, lambda x: x.add_touchpoint("From one"))
    two.change(m.id, lambda x: x.add_touchpoint("From two"))
    for s in (one, two):
        got = s.get(m.id)
        assert [t.feeling for t in got.touchpoints[:2]] == [-2, 2]
        assert [t.name for t in got.touchpoints[2:]] == ["From one", "From two"]
    assert two.get(m.id).revision == 5


def test_refresh_reports_changes_from_elsewhere(db_path: Path) -> None:
    one = Store.open(db_path)
    two = Store.open(db_path)
    assert one.refresh() is False
    two.add(make_map())
    assert one.refresh() is True
    assert one.refresh() is False
    assert [s.title for s in one.summaries()] == ["Support call"]


def test_a_file_edited_by_hand_is_reread(db_path: Path) -> None:
    store = compacting(db_path)  # the map is in the file itself, not only in the journal
    m = store.add(make_map())
    doc = json.loads(db_path.read_text())
    doc["maps"][m.id]["title"] = "Edited by hand"
    db_path.write_text(json.dumps(doc))
    assert store.get(m.id).title == "Edited by hand"


def test_lock_held_too_long_is_reported_and_nothing_is_saved(db_path: Path) -> None:
    store = Store.open(db_path, lock_timeout=0.2)
    m = store.add(make_map())
    before = db_path.read_bytes()
    with FileLock(str(db_path) + ".lock"), pytest.raises(LockTimeout, match="locked by another cxmap"):
        store.change(m.id, lambda x: x.edit(scope="never saved"))
    assert db_path.read_bytes() == before
    store.change(m.id, lambda x: x.edit(scope="saved later"))
    assert store.get(m.id).scope == "saved later"


def test_a_removed_file_is_reported_not_silently_recreated(db_path: Path) -> None:
    store = Store.open(db_path)
    m = store.add(make_map())
    db_path.unlink()
    with pytest.raises(StoreError, match="has been removed or moved"):
        store.change(m.id, lambda x: x.edit(scope="x"))
    assert not db_path.exists()


BAD_FILES = {
    "garbage": b"this is not json at all",
    "truncated": None,  # filled in from a real database below
    "empty": b"",
    "not-cxmap": b'{"_default": {"1": {"a": 1}}}',
    "binary": b"\xff\xfe\x00garbage",
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_unreadable_file_is_refused_and_left_byte_for_byte(db_path: Path, kind: str) -> None:
    store = Store.open(db_path)
    store.add(make_map(touchpoints=20))
    raw = BAD_FILES[kind]
    if raw is None:
        raw = db_path.read_bytes()[:-57]
    db_path.write_bytes(raw)
    with pytest.raises(UnreadableFile) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert str(db_path) in message and "\n" not in message
    assert "left as it is" in message
    assert db_path.read_bytes() == raw
    # A session that had it open refuses to write too.
    with pytest.raises(UnreadableFile):
        store.add(make_map("Another"))
    assert db_path.read_bytes() == raw


def test_newer_format_is_refused_and_left_byte_for_byte(db_path: Path) -> None:
    Store.open(db_path).add(make_map())
    doc = json.loads(db_path.read_text())
    doc["cxmap"]["format"] = 99
    raw = json.dumps(doc).encode()
    db_path.write_bytes(raw)
    with pytest.raises(NewerFormat, match=r"newer cxmap.*format 99.*upgrade"):
        Store.open(db_path)
    assert db_path.read_bytes() == raw


def test_unreadable_message_points_at_the_backup(db_path: Path) -> None:
    store = compacting(db_path)
    m = store.add(make_map())
    store.change(m.id, lambda x: x.edit(scope="second version"))
    db_path.write_text("{oops")
    with pytest.raises(UnreadableFile, match=r"restore the last good copy \(.*cx\.json\.bak\)"):
        Store.open(db_path)
    # The backup itself is a good database.
    restored = db_path.with_name("restored.json")
    restored.write_bytes(db_path.with_name("cx.json.bak").read_bytes())
    assert Store.open(restored).get(m.id).title == "Support call"


def test_stale_temporary_files_are_cleaned_up_by_the_next_session_that_saves(db_path: Path) -> None:
    Store.open(db_path).add(make_map())
    stale = db_path.with_name(".cx.json.abc123.tmp")
    stale.write_bytes(b"half a save")
    store = Store.open(db_path)
    assert stale.exists()  # reading does not take the lock, so it leaves them be
    store.add(make_map("Another"))
    assert not stale.exists()


def test_a_write_that_fails_leaves_the_file_as_it_was(db_path: Path, tmp_path: Path) -> None:
    """A real failed write (the file-size limit stands in for a full disk) in a child process."""
    import subprocess
    import sys

    store = Store.open(db_path)
    m = store.add(make_map(touchpoints=5))
    before = db_path.read_bytes()
    script = f"""
import resource, signal, sys
from cxmap_tui.store import Store, SaveFailed
store = Store.open({str(db_path)!r})
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) // 2}, resource.RLIM_INFINITY))
try:
    store.change({m.id!r}, lambda x: x.edit(scope="x" * 100))
except SaveFailed as e:
    print("SAVEFAILED", e)
    try:
        store.get({m.id!r})
    except Exception as e2:
        print("READ FAILED", e2)
    else:
        print("READ OK", store.get({m.id!r}).scope)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "SAVEFAILED could not save to" in out.stdout, out.stderr
    assert "the change was not saved" in out.stdout
    assert "READ OK A customer calls about a late order" in out.stdout
    assert db_path.read_bytes() == before
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert os.stat(db_path).st_size == len(before)
