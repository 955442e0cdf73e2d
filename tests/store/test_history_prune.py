"""Pruning the history through the storage (JSONFileStorage.prune_history): under the database's
lock, atomic, at the database's mode and group, never a record the journal still holds, refused
(with nothing changed) on a read-only database, a damaged history or a file that is not the
history's own; and the journal's notes: a torn tail only when it is one, a fold put off said
truly and forgotten once a fold is done."""

from __future__ import annotations

import errno
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from cxmap_tui.store.compaction import read_history
from cxmap_tui.store.errors import LockTimeout, ReadOnly, SaveFailed, StoreError
from cxmap_tui.store.journal import journal_name
from cxmap_tui.store.lock import FolderLock
from cxmap_tui.store.safe_files import Folder
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.factories import make_map

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Clock:
    """One change a day from T0: no test depends on today's date."""

    def __init__(self) -> None:
        self.now = T0 - timedelta(days=1)

    def __call__(self) -> datetime:
        self.now += timedelta(days=1)
        return self.now


def _storage(db: Path, *, compact_records: int = 1000, lock_timeout: float = 5.0) -> tuple[Store, JSONFileStorage]:
    storage = JSONFileStorage(db, clock=Clock(), compact_records=compact_records, lock_timeout=lock_timeout)
    return Store(storage), storage


def _history_seqs(db: Path) -> list[int]:
    with Folder(db.parent) as folder:
        return [r.seq for r in read_history(folder, db.name).records]


def _journal(db: Path) -> Path:
    return db.with_name(journal_name(db.name))


def _history(db: Path) -> Path:
    return db.with_name(db.name + ".history")


def _with_history(db: Path, changes: int = 6) -> tuple[Store, JSONFileStorage, str]:
    """A database whose history holds `changes` records, one a day from T0, and whose journal is
    empty (every save folded in)."""
    store, storage = _storage(db, compact_records=1)
    m = store.add(make_map())
    for i in range(changes - 1):
        store.change(m.id, lambda x, i=i: x.edit(scope=f"version {i}"))
    assert _history_seqs(db) == list(range(1, changes + 1)) and _journal(db).read_bytes() == b""
    return store, storage, m.id


def test_prune_keeps_the_last_n_and_what_is_newer_than_a_time(db_path: Path) -> None:
    _, storage, _ = _with_history(db_path)
    got = storage.prune_history(since=T0 + timedelta(days=3), last=1)
    assert (got.kept, got.dropped, got.oldest, got.newest) == (3, 3, T0, T0 + timedelta(days=2))
    assert _history_seqs(db_path) == [4, 5, 6]
    assert got.size_before > got.size_after == _history(db_path).stat().st_size
    got = storage.prune_history(last=1)
    assert (got.kept, got.dropped) == (1, 2) and _history_seqs(db_path) == [6]
    # The data is not the history: every map is as it was.
    assert Store.open(db_path).maps()[0].scope == "version 4"


def test_a_dry_run_changes_nothing_and_says_what_would_go(db_path: Path) -> None:
    _, storage, _ = _with_history(db_path)
    before = _history(db_path).read_bytes()
    got = storage.prune_history(last=2, dry_run=True)
    assert (got.kept, got.dropped, got.size_before) == (2, 4, len(before))
    assert 0 < got.size_after < got.size_before
    assert _history(db_path).read_bytes() == before


def test_the_history_is_replaced_atomically_with_the_databases_mode_and_group(db_path: Path) -> None:
    _with_history(db_path)
    db_path.chmod(0o640)
    _history(db_path).chmod(0o600)
    again = JSONFileStorage(db_path)  # the mode is the database's as read
    old_inode = _history(db_path).stat().st_ino
    again.prune_history(last=2)
    history = _history(db_path).stat()
    assert history.st_ino != old_inode  # a new file renamed over the old one, not the old one cut
    assert stat.S_IMODE(history.st_mode) == 0o640 and history.st_gid == db_path.stat().st_gid
    assert not [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_prune_that_fails_leaves_the_history_as_it_was(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, storage, _ = _with_history(db_path)
    before = _history(db_path).read_bytes()

    def full(*args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(SaveFailed, match="No space left on device; it was left as it is"):
        storage.prune_history(last=0)
    monkeypatch.undo()
    assert _history(db_path).read_bytes() == before
    assert not [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_prune_takes_the_lock(db_path: Path) -> None:
    """No save or compaction of another session comes between: while one holds the lock, the
    prune waits, and gives up in one line if it is held too long, the history as it was."""
    _with_history(db_path)
    _, storage = _storage(db_path, lock_timeout=0.2)
    before = _history(db_path).read_bytes()
    with Folder(db_path.parent) as folder:
        lock = FolderLock(folder, db_path.name + ".lock")
        lock.acquire(5, mode=0o600, gid=None)
        try:
            with pytest.raises(LockTimeout, match="locked by another cxmap"):
                storage.prune_history(last=0)
        finally:
            lock.release()
    assert _history(db_path).read_bytes() == before
    storage.prune_history(last=0)
    assert _history_seqs(db_path) == []


def test_records_still_in_the_journal_stay(db_path: Path) -> None:
    """A compaction cut off after its history step leaves records both in the history and, not
    yet folded, in the journal: pruning keeps them, so that they are in the history once folded."""
    store, storage, map_id = _with_history(db_path, changes=3)
    storage.compact_records = 3

    def stop(step: str) -> None:
        if step == "history":
            raise OSError(errno.EIO, "stopped after the history step")

    storage.after_compaction_step = stop
    for i in range(3):
        store.change(map_id, lambda x, i=i: x.edit(persona=f"in the journal {i}"))
    assert "could not be folded" in storage.journal_note
    assert _history_seqs(db_path) == [1, 2, 3, 4, 5, 6]  # 4-6 are in the journal too
    got = storage.prune_history(last=0)
    assert (got.kept, got.dropped) == (3, 3) and _history_seqs(db_path) == [4, 5, 6]
    storage.after_compaction_step = None
    store.change(map_id, lambda x: x.edit(persona="folded"))
    assert _journal(db_path).read_bytes() == b"" and _history_seqs(db_path) == [4, 5, 6, 7]
    journal_before = _journal(db_path).read_bytes()
    storage.prune_history(last=0)
    assert _journal(db_path).read_bytes() == journal_before  # the journal is never touched


def test_a_read_only_database_is_refused(db_path: Path) -> None:
    store, storage, map_id = _with_history(db_path)
    storage.compact_records = 100
    store.change(map_id, lambda x: x.edit(scope="second"))
    store.change(map_id, lambda x: x.edit(scope="third"))
    lines = _journal(db_path).read_bytes().splitlines(keepends=True)
    _journal(db_path).write_bytes(lines[0].replace(b"second", b"SECOND") + lines[1])  # damaged in the middle
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    damaged = JSONFileStorage(db_path)
    with pytest.raises(ReadOnly, match="damaged in the middle"):
        damaged.prune_history(last=0)
    assert damaged.prune_history(last=0, dry_run=True).dropped == 6  # a dry run only reads
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir()} == before


def test_a_history_damaged_in_the_middle_is_refused(db_path: Path) -> None:
    _, storage, _ = _with_history(db_path)
    lines = _history(db_path).read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"version", b"VERSION")
    _history(db_path).write_bytes(b"".join(lines))
    before = _history(db_path).read_bytes()
    with pytest.raises(StoreError, match=r"damaged in the middle.*it was left as it is"):
        storage.prune_history(last=0)
    assert _history(db_path).read_bytes() == before


def test_a_torn_history_tail_is_dropped_and_said(db_path: Path) -> None:
    _, storage, _ = _with_history(db_path)
    with open(_history(db_path), "ab") as f:
        f.write(b'{"v":1,"seq":7,"cut of')
    got = storage.prune_history(last=10)
    assert (got.kept, got.dropped) == (6, 0) and "unfinished last line" in got.notes[0]
    assert _history_seqs(db_path) == [1, 2, 3, 4, 5, 6]
    assert storage.prune_history(last=10).notes == ()


@pytest.mark.parametrize("kind", ["symlink", "hard link", "fifo", "wider"])
def test_a_history_that_is_not_its_own_plain_file_is_refused(db_path: Path, tmp_path: Path, kind: str) -> None:
    _, storage, _ = _with_history(db_path)
    history = _history(db_path)
    secret = tmp_path / "secret"
    secret.write_bytes(history.read_bytes())  # records that parse, somewhere else
    if kind == "symlink":
        history.unlink()
        history.symlink_to(secret)
    elif kind == "hard link":
        history.unlink()
        os.link(secret, history)
    elif kind == "fifo":
        history.unlink()
        os.mkfifo(history)
    else:
        history.chmod(0o644)  # readable by all, the database by its owner only
    look = os.lstat(history)
    with pytest.raises(StoreError) as caught:
        storage.prune_history(last=0)
    said = str(caught.value)
    assert said.startswith(f"did not prune {history}: ") and said.endswith("it was left as it is")
    assert {"symlink": "symbolic link", "hard link": "2 names", "fifo": "not a regular file",
            "wider": "allows more than the database"}[kind] in said
    assert "\n" not in said
    now = os.lstat(history)
    assert (now.st_ino, now.st_mode) == (look.st_ino, look.st_mode)
    assert secret.read_bytes() and len(secret.read_bytes().splitlines()) == 6


# -- the journal's notes ---------------------------------------------------------------------------


def _tear(db: Path) -> None:
    with open(_journal(db), "ab") as f:
        f.write(b'{"v":1,"seq":99,"follows":"cut off mid-sa')


def test_a_torn_tail_is_said_in_words_and_only_when_it_is_one(db_path: Path) -> None:
    store, _ = _storage(db_path)
    m = store.add(make_map())
    _, reader = _storage(db_path)
    with Folder(db_path.parent) as folder:
        lock = FolderLock(folder, db_path.name + ".lock")
        lock.acquire(5, mode=0o600, gid=None)  # another session is saving
        try:
            _tear(db_path)
            assert reader.refresh() is False and reader.journal_note == ""  # it may be that save
            _, late = _storage(db_path)
            assert late.journal_note == ""  # opening while someone saves: the same
        finally:
            lock.release()
    reader.refresh()  # still there with nobody saving: a save cut off
    note = reader.journal_note
    assert note.startswith("a change whose save was cut off (cxmap stopped while writing it) is left out of "
                           "cx.json.journal: it was never saved, and everything saved before it is here")
    assert "bytes from byte" in note and "\n" not in note
    opened, storage = _storage(db_path)  # cut off by the reader that found it: nothing more to say
    assert storage.journal_note == "" and opened.get(m.id).title == "Support call"


def _record_line(db: Path, map_id: str) -> bytes:
    """The line a save of a new scope appends to `db`'s journal (made on a copy of it)."""
    copy = db.with_name("copy.json")
    copy.write_bytes(db.read_bytes())
    _journal(copy).write_bytes(_journal(db).read_bytes())
    store, _ = _storage(copy)
    before = len(_journal(copy).read_bytes())
    store.change(map_id, lambda x: x.edit(scope="written in two halves"))
    return _journal(copy).read_bytes()[before:]


def test_a_save_caught_half_written_is_no_torn_tail(db_path: Path) -> None:
    store, _ = _storage(db_path)
    m = store.add(make_map())
    _, reader = _storage(db_path)
    journal = _journal(db_path)
    whole, record = journal.read_bytes(), _record_line(db_path, m.id)
    with Folder(db_path.parent) as folder:
        lock = FolderLock(folder, db_path.name + ".lock")
        lock.acquire(5, mode=0o600, gid=None)  # another session's save: read half written, then done
        try:
            journal.write_bytes(whole + record[:40])
            assert reader.refresh() is False and reader.journal_note == ""
            journal.write_bytes(whole + record)
        finally:
            lock.release()
    assert reader.refresh() is True and reader.journal_note == ""
    assert Store(reader).get(m.id).scope == "written in two halves"


def _full(*args: object, **kw: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_fold_put_off_says_the_change_was_saved_and_is_forgotten_once_done(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, storage = _storage(db_path, compact_records=2)
    m = store.add(make_map())
    monkeypatch.setattr(os, "replace", _full)
    store.change(m.id, lambda x: x.edit(scope="saved, not folded"))
    monkeypatch.undo()
    note = storage.journal_note
    assert note == ("the change was saved, in cx.json.journal; the journal could not be folded into the "
                    f"database yet ({db_path}: No space left on device): nothing was lost, and a later save tries "
                    "again")
    store.change(m.id, lambda x: x.edit(scope="folded"))
    assert _journal(db_path).read_bytes() == b"" and storage.journal_note == ""


def test_a_torn_tail_note_outlives_a_fold(db_path: Path) -> None:
    """Only the note of a fold put off goes when a fold is done; a torn tail's is still news."""
    store, _ = _storage(db_path)
    m = store.add(make_map())
    _tear(db_path)
    store2, storage = _storage(db_path, compact_records=2)
    store2.change(m.id, lambda x: x.edit(scope="folded"))
    assert _journal(db_path).read_bytes() == b"" and "was cut off" in storage.journal_note


@pytest.mark.parametrize("step", ["history", "snapshot", "journal"])
def test_a_fold_put_off_at_any_step_never_says_the_change_was_not_saved(
        db_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    store, storage = _storage(db_path, compact_records=2)
    m = store.add(make_map())
    if step == "history":
        os.mkfifo(_history(db_path))  # the history cannot be appended to

    def after(done: str) -> None:
        if (step, done) in {("snapshot", "history"), ("journal", "snapshot")}:
            monkeypatch.setattr(os, "replace", _full)

    storage.after_compaction_step = after
    store.change(m.id, lambda x: x.edit(scope="saved"))
    monkeypatch.undo()
    note = storage.journal_note
    where = f"{_history(db_path)}: it is not a regular file" if step == "history" else \
        f"{db_path}: No space left on device"
    assert note.startswith(f"the change was saved, in cx.json.journal; the journal could not be folded into the "
                           f"database yet ({where}): nothing was lost")
    assert "not saved" not in note and "nothing was changed" not in note
    assert Store.open(db_path).get(m.id).scope == "saved"
