"""The file storage on its journal: a saved change appends only what it changed, other sessions
read only what is new, bad bytes are dropped or refused as they must be, compaction survives a
kill at every step, and a database from before the journal is converted losing nothing."""

from __future__ import annotations

import json
import os
import pwd
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from filelock import FileLock

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.customers import Account, Contact
from cxmap_tui.store import Store
from cxmap_tui.store.compaction import read_history
from cxmap_tui.store.errors import NewerFormat, ReadOnly
from cxmap_tui.store.file_format import decode
from cxmap_tui.store.journal import read_in
from cxmap_tui.store.safe_files import Folder
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.factories import make_map, stored

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 23, 16, 40, 2, 113000, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _open(db: Path, **options: int) -> tuple[Store, JSONFileStorage]:
    storage = JSONFileStorage(db, clock=Clock(), **options)
    return Store(storage), storage


def _journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def _records(db: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in _journal(db).read_bytes().splitlines()]


def test_a_saved_change_appends_one_record_and_leaves_the_file_alone(db_path: Path) -> None:
    store, _ = _open(db_path)
    m = store.add(make_map())
    store.add(make_map("Another"))
    snapshot = db_path.read_bytes()
    store.change(m.id, lambda x: x.edit(scope="Changed"))
    assert db_path.read_bytes() == snapshot
    last = _records(db_path)[-1]
    assert last["by"] == {"user": pwd.getpwuid(os.getuid()).pw_name}
    assert last["at"] == "2026-11-23T16:40:05.113Z"  # the storage's clock, the third change
    changes: list[dict[str, object]] = last["changes"]  # type: ignore[assignment]
    assert [(c["table"], c["id"]) for c in changes] == [("map_summaries", m.id), ("maps", m.id)]
    summary, change = changes  # the list of maps reads the summary: it changes with the map
    assert summary["doc"]["revision"] == 2  # type: ignore[index]
    assert change["table"] == "maps" and change["id"] == m.id
    assert set(change["fields"]) >= {"scope", "revision"}
    assert change["doc"]["scope"] == "Changed"
    assert Store.open(db_path).get(m.id).scope == "Changed"


def test_another_session_reads_only_what_is_new_and_a_compaction_whole(db_path: Path) -> None:
    one, _ = _open(db_path)
    two, storage = _open(db_path, compact_records=3)
    m = one.add(make_map())
    assert two.refresh() is True and two.get(m.id).title == "Support call"
    read = storage._journal_end
    one.change(m.id, lambda x: x.edit(scope="from one"))
    assert two.refresh() is True and storage._journal_end > read and two.get(m.id).scope == "from one"
    assert two.refresh() is False
    two.change(m.id, lambda x: x.edit(persona="from two"))  # the third record: two compacts
    assert _journal(db_path).read_bytes() == b""
    assert one.refresh() is True
    got = one.get(m.id)
    assert (got.scope, got.persona) == ("from one", "from two")
    one.change(m.id, lambda x: x.edit(scope="after the compaction"))
    assert Store.open(db_path).get(m.id).scope == "after the compaction"


def test_a_torn_tail_is_dropped_with_a_note_and_cut_by_the_next_save(db_path: Path) -> None:
    store, _ = _open(db_path)
    m = store.add(make_map())
    whole = _journal(db_path).read_bytes()
    with open(_journal(db_path), "ab") as f:
        f.write(b'{"v":1,"seq":2,"follows":"cut off mid-sa')
    with FileLock(str(db_path) + ".lock"):  # someone is saving: the tail may be their record
        busy, storage = _open(db_path)
        assert busy.get(m.id).title == "Support call" and storage.journal_note == ""
    assert _journal(db_path).read_bytes() != whole  # left for whoever saves next
    again, storage = _open(db_path)
    assert again.get(m.id).title == "Support call"
    assert "dropped" in storage.journal_note and "\n" not in storage.journal_note
    assert _journal(db_path).read_bytes() == whole  # no one was saving: cut at once, so it is said once
    assert _open(db_path)[1].journal_note == ""
    with open(_journal(db_path), "ab") as f:
        f.write(b'{"v":1,"seq":2,"follows":"cut off mid-sa')
    again.change(m.id, lambda x: x.edit(scope="after the tear"))
    assert _journal(db_path).read_bytes().startswith(whole)
    assert read_in(Folder(db_path.parent), _journal(db_path).name).torn is None
    assert Store.open(db_path).get(m.id).scope == "after the tear"


def test_damage_in_the_middle_opens_read_only_saying_what_to_do(db_path: Path) -> None:
    store, _ = _open(db_path)
    m = store.add(make_map())
    store.change(m.id, lambda x: x.edit(scope="second"))
    store.change(m.id, lambda x: x.edit(scope="third"))
    lines = _journal(db_path).read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b"second", b"SECOND")  # its checksum no longer matches
    _journal(db_path).write_bytes(b"".join(lines))
    files = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    damaged = Store.open(db_path)
    assert damaged.get(m.id).scope == "A customer calls about a late order"  # as saved before the damage
    reason = damaged.read_only
    assert "damaged in the middle" in reason and "truncate -s" in reason and "\n" not in reason
    assert reason.startswith(f"its journal {db_path.name}.journal is damaged in the middle: ")  # said once
    with pytest.raises(ReadOnly) as caught:
        damaged.change(m.id, lambda x: x.edit(scope="never"))
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir()} == files
    # Through the command line: one line, no traceback, nothing written.
    out = subprocess.run([sys.executable, "-m", "cxmap_tui", "--db", str(db_path), "new", "X"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "damaged in the middle" in out.stderr
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir()} == files


def test_compaction_folds_the_journal_keeps_the_history_and_the_backup(db_path: Path) -> None:
    store, _ = _open(db_path, compact_records=4)
    m = store.add(make_map())
    for n in range(3):
        before = db_path.read_bytes()
        store.change(m.id, lambda x, n=n: x.edit(scope=f"version {n}"))
    assert db_path.with_name("cx.json.bak").read_bytes() == before  # the file as it was before the fold
    assert _journal(db_path).read_bytes() == b""
    history = read_history(Folder(db_path.parent), db_path.name)
    assert [r.seq for r in history.records] == [1, 2, 3, 4]
    assert stored(db_path)["maps"][m.id]["scope"] == "version 2"
    assert json.loads(db_path.read_text())["maps"][m.id]["scope"] == "version 2"  # in the file itself


def test_the_journal_is_compacted_once_it_is_as_large_as_the_file(db_path: Path) -> None:
    store, storage = _open(db_path, compact_bytes=0)
    m = store.add(make_map(touchpoints=1))
    store.add(make_map("Big", touchpoints=40))  # the journal outgrows the file: folded
    assert _journal(db_path).read_bytes() == b""
    store.change(m.id, lambda x: x.edit(scope="small"))  # far smaller than the file: appended
    assert len(_records(db_path)) == 1 and storage._journal_records == 1


_CHILD = """
import os, sys
from cxmap_tui.store import Store
from cxmap_tui.store.storage import JSONFileStorage
db, map_id, prefix, count, stop = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
storage = JSONFileStorage(db, compact_records=3, lock_timeout=60)
if stop:
    def after(step):
        if step == stop:
            os._exit(0)  # dead, no clean-up
    storage.after_compaction_step = after
store = Store(storage)
print("ready", flush=True)
for i in range(count):
    name = f"{prefix}-{i}"
    store.change(map_id, lambda m, name=name: m.add_touchpoint(name, stage="Use", thoughts="x" * 2000))
    print("saved", name, flush=True)
"""


def _child(db: Path, map_id: str, prefix: str, count: int, stop: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(db), map_id, prefix, str(count), stop], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check(db: Path, map_id: str, reported: list[str]) -> None:
    got = {t.name for t in Store.open(db).get(map_id).touchpoints}
    assert not [r for r in reported if r not in got]
    folder = Folder(db.parent)
    seqs = [r.seq for r in read_history(folder, db.name).records]
    assert seqs == sorted(set(seqs))  # every record kept once


@pytest.mark.parametrize("stop", ["history", "snapshot", "journal"])
def test_a_process_killed_after_each_step_of_a_compaction_loses_nothing(db_path: Path, stop: str) -> None:
    m = Store.open(db_path).add(ExperienceMap.new("Workshop"))
    proc = _child(db_path, m.id, "k", 10, stop)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    reported = [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("saved ")]
    assert len(reported) == 1  # the map's making was record 1: the child's second save is the third, which compacts
    _check(db_path, m.id, reported)
    store = Store.open(db_path)
    store.change(m.id, lambda x: x.add_touchpoint("after", stage="Use"))
    names = [t.name for t in Store.open(db_path).get(m.id).touchpoints]
    assert names[:1] == reported and names[-1] == "after"
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_writers_killed_at_random_moments_of_saves_and_compactions_lose_nothing(db_path: Path) -> None:
    m = Store.open(db_path).add(ExperienceMap.new("Workshop"))
    rng = random.Random(99)
    reported: list[str] = []
    for round_ in range(12):
        proc = _child(db_path, m.id, f"r{round_}", 10_000)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.1))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        reported += [line.split(" ", 1)[1] for line in (first + out).splitlines() if line.startswith("saved ")]
        _check(db_path, m.id, reported)
    assert len(reported) >= 12


def _version_1(db: Path) -> bytes:
    """A database as a cxmap from before the journal wrote it: format 1, everything in the file."""
    store = Store.open(db.with_name("maker.json"), shared=False)
    m = store.add(make_map())
    store.add(make_map("Second", touchpoints=5))
    acme = store.customers.add_account(Account.new("Acme Vets", "2026-01-01", "Vets"))
    ann = store.customers.add_contact(Contact.new("Ann Lee", "2026-01-16", account=acme.id))
    store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", -2, "Wrong VAT")
    tables = {name: dict(docs) for name, docs in stored(db.with_name("maker.json")).items()}
    del tables["map_summaries"]  # kept since format 3
    raw = json.dumps({"cxmap": {"format": 1, "generation": "0123456789abcdef", "written_by": "cxmap 0.9"},
                      **tables}, ensure_ascii=False, separators=(",", ":")).encode()
    db.write_bytes(raw)
    db.chmod(0o600)
    return raw


def _customers(store: Store) -> tuple[object, ...]:
    c = store.customers
    return c.accounts(), c.contacts(), c.interactions(), c.resolutions()


def test_a_version_1_file_opens_and_is_converted_on_its_first_save_losing_nothing(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    v1 = _version_1(db_path)
    store = Store.open(db_path)
    maps, book = store.maps(), _customers(store)
    assert db_path.read_bytes() == v1  # opening changes nothing
    first = store.maps()[0]
    store.change(first.id, lambda x: x.edit(scope="after the conversion"))
    assert db_path.with_name("cx.json.bak").read_bytes() == v1  # the backup is the version-1 file
    assert json.loads(db_path.read_text())["cxmap"]["format"] == 3
    assert set(stored(db_path)["map_summaries"]) == {m.id for m in maps}  # the conversion's change made them all
    again = Store.open(db_path)
    assert _customers(again) == book
    after = again.maps()
    assert [x.id for x in after] == [x.id for x in maps]
    assert after[0].scope == "after the conversion"
    assert [x.to_dict() for x in after[1:]] == [x.to_dict() for x in maps[1:]]
    assert {k: v for k, v in after[0].to_dict().items() if k not in ("scope", "revision", "updated")} == \
        {k: v for k, v in maps[0].to_dict().items() if k not in ("scope", "revision", "updated")}


def test_an_older_cxmap_refuses_a_converted_file_and_leaves_it_alone(db_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(db_path).add(make_map())
    raw = db_path.read_bytes()
    from cxmap_tui.store import file_format

    monkeypatch.setattr(file_format, "FORMAT_VERSION", 1)  # what a cxmap from before the journal reads
    with pytest.raises(NewerFormat, match=r"newer cxmap \(file format 3, this cxmap reads up to 1\); upgrade"):
        decode(raw, str(db_path))


def test_a_compaction_that_fails_keeps_the_change_and_tries_again(db_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store, storage = _open(db_path, compact_records=2)
    m = store.add(make_map())
    real_replace = os.replace

    def full(*args: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    store.change(m.id, lambda x: x.edit(scope="saved, not folded"))
    monkeypatch.setattr(os, "replace", real_replace)
    assert "could not be folded" in storage.journal_note and "nothing was lost" in storage.journal_note
    assert Store.open(db_path).get(m.id).scope == "saved, not folded"
    store.change(m.id, lambda x: x.edit(scope="folded"))
    assert _journal(db_path).read_bytes() == b""
    assert json.loads(db_path.read_text())["maps"][m.id]["scope"] == "folded"
