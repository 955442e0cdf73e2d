"""The journal engine under faults (issue 15): writers killed at random moments of their saves and
compactions, many writers at once with compactions among them, and a full disk (a real file-size
limit) during an append and during a compaction. Every writer is a child forked from this
process (tests/helpers/forked.py), so hundreds of them stay fast."""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import SaveFailed, Store
from cxmap_tui.store import storage as storage_module
from cxmap_tui.store.compaction import prune_history, read_history
from cxmap_tui.store.journal import journal_name, read_in
from cxmap_tui.store.safe_files import Folder
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.factories import make_map
from tests.helpers.forked import Child, Link

# -- what a child did ----------------------------------------------------------------------------

STEPS = ("history", "snapshot", "journal")  # compaction.COMPACTION_STEPS


class Marks:
    """In a child: says when a compaction starts and when each of its steps is done, so the test
    knows where a kill landed, and knows itself which part of the work is under way: "save" (a
    save, or the session around it) or the compaction step not yet done. (The child is a copy of
    this process: what it patches is its own.)"""

    def __init__(self, storage: JSONFileStorage, link: Link) -> None:
        self.phase = "save"
        real = storage_module.compact

        def compact(*args: object, **kw: object) -> object:
            link.say("compaction")
            self.phase = STEPS[0]
            try:
                return real(*args, **kw)
            finally:
                self.phase = "save"

        def after(step: str) -> None:
            link.say(f"step {step}")
            self.phase = STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else "save"

        storage_module.compact = compact
        storage.after_compaction_step = after


def _where(lines: list[str]) -> str:
    """Where a child was when it died, by the last compaction mark it said (as `Marks.phase`)."""
    marks = [line for line in lines if line == "compaction" or line.startswith("step ")]
    last = marks[-1] if marks else f"step {STEPS[-1]}"
    if last == "compaction":
        return STEPS[0]
    step = last.removeprefix("step ")
    return STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else "save"


def _said(lines: list[str], what: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in lines if line.startswith(what + " ")]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.endswith(".lock")}


def _history_and_journal_seqs(db: Path) -> list[int]:
    """Every record's number: the history's, then those of the journal applied on top of it."""
    with Folder(db.parent) as folder:
        history = [r.seq for r in read_history(folder, db.name).records]
        journal = [r.seq for r in read_in(folder, journal_name(db.name)).records]
    last = history[-1] if history else 0
    return history + [s for s in journal if s > last]


# -- 1. killed at random moments ------------------------------------------------------------------

ROUNDS = 200
COMPACT_RECORDS = 3  # a compaction every third save: most of a writer's disk work is compacting
CHANGES_A_FILE = ("write", "fsync", "ftruncate", "replace", "rename", "link", "unlink", "fchmod", "fchown")


@dataclass(frozen=True)
class Kill:
    """Where a child kills itself: at the `k`th step that changes a file (`only` those of one
    kind, if given) made while `phase` is under way, a write there done in `part` first."""

    phase: str
    k: int
    part: float
    only: str = ""


def _kill_at(kill: Kill, marks: Marks, link: Link) -> None:
    """In a child: SIGKILL itself at `kill`. A step that changes a file is a write, fsync,
    truncate, rename, link, unlink, mode change or a file made. What SIGKILL can leave on disk is
    exactly this: the steps before some point done, one write perhaps in part; so these kills,
    seeded, reach every point a kill at a random time can, and reproducibly."""
    left = kill.k

    def wrap(name: str, real: Callable[..., object]) -> Callable[..., object]:
        def step(*args: object, **kw: object) -> object:
            nonlocal left
            if name == "open" and not int(args[1] if len(args) > 1 else kw.get("flags", 0)) & os.O_CREAT:
                return real(*args, **kw)  # opening to read or append changes nothing
            if marks.phase == kill.phase and kill.only in ("", name):
                if left == 0:
                    if name == "write":
                        data = bytes(args[1])
                        real(args[0], data[: int(len(data) * kill.part)])
                    link.say(f"killed at {name}")
                    os.kill(os.getpid(), signal.SIGKILL)
                left -= 1
            return real(*args, **kw)

        return step

    for name in (*CHANGES_A_FILE, "open"):
        setattr(os, name, wrap(name, getattr(os, name)))


def _save_until_killed(link: Link, db: Path, round_: int, map_ids: list[str], seed: int, kill: Kill | None) -> None:
    """A child saving changes until it is killed: touchpoints added to the maps at random, and now
    and then a new map. It says each name before it saves it and once the save has returned."""
    storage = JSONFileStorage(db, compact_records=COMPACT_RECORDS, lock_timeout=60)
    marks = Marks(storage, link)
    if kill is not None:
        _kill_at(kill, marks, link)
    store = Store(storage)
    rng = random.Random(seed)
    link.say("ready")
    for i in range(60):
        name = f"r{round_}-{i}"
        link.say(f"trying {name}")
        if i % 5 == 4:
            store.add(ExperienceMap.new(name))
        else:
            store.change(rng.choice(map_ids), lambda m, name=name: m.add_touchpoint(
                name, stage="Use", thoughts="x" * rng.randrange(20, 600)))
        link.say(f"saved {name}")


def _names(store: Store) -> set[str]:
    return {x for m in store.maps() for x in (m.title, *(t.name for t in m.touchpoints))}


# Among how many steps that change a file a kill in each part is chosen: three saves (each takes
# the lock, writes, fsyncs); the history step writes and fsyncs; the snapshot step makes the file,
# sets its mode twice, fsyncs, links and renames the backup, renames the file, fsyncs the folder;
# the journal step makes it, sets its mode, fsyncs, renames, fsyncs the folder. A kill numbered
# past the steps a part has this time lands in the same part of a later save or compaction.
STEPS_IN = {"save": 9, "history": 2, "snapshot": 7, "journal": 5}


def test_200_kills_at_random_moments_of_saves_and_compactions_lose_nothing_saved(db_path: Path) -> None:
    store = Store(JSONFileStorage(db_path, compact_records=COMPACT_RECORDS))
    map_ids = [store.add(make_map(f"Map {n}", touchpoints=2)).id for n in range(8)]
    first = _names(store)
    rng = random.Random(15)
    # Half the kills at a step of one part of the work chosen at random (as many in a save as in
    # each step of a compaction; half of those in a save in the middle of its write), half sent by
    # this process at a random time once the child has said a random number of lines.
    kinds = ["save", "save-write", *STEPS, "time", "time", "time", "time", "time"] * (ROUNDS // 10)
    rng.shuffle(kinds)
    reported: set[str] = set()
    tried: set[str] = set()
    landed = dict.fromkeys(("save", *STEPS), 0)
    torn = 0
    for round_, kind in enumerate(kinds):
        seed = rng.randrange(1 << 30)
        if kind == "time":
            child = Child(lambda link, r=round_, s=seed: _save_until_killed(link, db_path, r, map_ids, s, None))
            try:
                lines = rng.randrange(2, 12)
                child.wait_for(lambda got, n=lines: len(got) >= n, f"{lines} lines")
                time.sleep(rng.uniform(0, 0.004))  # a random moment, not a wait for a state
            finally:
                child.kill()
        else:
            phase = kind.removesuffix("-write")
            kill = Kill(phase, rng.randrange(3 if kind == "save-write" else STEPS_IN[phase]),
                        rng.uniform(0.01, 0.99), "write" if kind == "save-write" else "")
            child = Child(lambda link, r=round_, s=seed, k=kill: _save_until_killed(link, db_path, r, map_ids, s, k))
        child.end()
        assert child.killed() and not child.errors(), f"round {round_} ({kind}): {child.errors() or child.lines[-3:]}"
        where = _where(child.lines)
        assert kind == "time" or where == kind.removesuffix("-write"), f"round {round_}: {kind} died in {where}"
        landed[where] += 1
        reported |= set(_said(child.lines, "saved"))
        tried |= set(_said(child.lines, "trying"))

        # The database always opens, holds every change reported saved, and nothing never tried.
        with Folder(db_path.parent) as folder:
            journal = read_in(folder, journal_name(db_path.name))
        assert journal.damaged is None, f"round {round_} ({kind}): a kill made damage: {journal.damaged}"
        assert kind != "save-write" or journal.torn is not None, f"round {round_}: a write cut off left no torn tail"
        opened = Store.open(db_path)
        assert opened.read_only == ""
        names = _names(opened)
        assert not reported - names, f"round {round_} ({kind}, in {where}): lost {reported - names}"
        assert not names - first - tried, f"round {round_}: changes nobody made {names - first - tried}"
        # A torn journal tail is dropped with a note, never fatal (the next child saves after it).
        note = opened.storage.journal_note
        if journal.torn is not None:
            torn += 1
            assert note.startswith("a change whose save was cut off") and \
                f"{journal.torn.length:,} bytes from byte {journal.torn.offset:,} dropped" in note, f"round {round_}"
        else:
            assert note == "", f"round {round_}"

    assert min(landed.values()) >= ROUNDS // 10, landed  # each step of a compaction, and the saves, hit often
    assert torn >= ROUNDS // 20, f"only {torn} torn journal tails"
    # Work goes on: a session that compacts at once folds it all, every record kept once.
    after = Store(JSONFileStorage(db_path, compact_records=1))
    after.change(map_ids[0], lambda m: m.edit(scope="after 200 kills"))
    assert not reported - _names(Store.open(db_path))
    assert read_in(Folder(db_path.parent), journal_name(db_path.name)).records == ()
    history = read_history(Folder(db_path.parent), db_path.name)
    assert history.damaged is None and history.torn is None
    seqs = [r.seq for r in history.records]
    assert seqs == list(range(1, json.loads(db_path.read_text())["cxmap"]["journal_seq"] + 1))
    assert not [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    backup = db_path.with_name("copy.json")
    backup.write_bytes(db_path.with_name(db_path.name + ".bak").read_bytes())
    Store.open(backup)  # the backup is a whole database too


# -- 2. writers at once ---------------------------------------------------------------------------

SAVES = 15
WAIT_LOCK = 120.0


def _writer(db: Path, n: int, shared: str, own: str, compacts: bool) -> Callable[[Link], None]:
    def run(link: Link) -> None:
        storage = JSONFileStorage(db, compact_records=2 if compacts else 1000, lock_timeout=WAIT_LOCK)
        folded: list[str] = []
        storage.after_compaction_step = folded.append
        store = Store(storage)
        mine: list[str] = []
        for i in range(SAVES):
            name = f"w{n}-{i}"
            store.change(shared, lambda m, name=name: m.add_touchpoint(name, stage="Use", thoughts="t" * 300))
            store.change(own, lambda m, i=i: m.edit(scope=f"scope {i}"))
            mine.append(name)
            seen = [t.name for t in store.get(shared).touchpoints if t.name.startswith(f"w{n}-")]
            assert seen == mine, f"writer {n} does not see its own saves: {seen}"
            link.say(f"saved {name}")
        link.say(f"compactions {folded.count('journal')}")

    return run


@pytest.mark.parametrize(("writers", "compacting"), [(5, "one"), (10, "one"), (5, "each"), (10, "each")])
def test_writers_at_once_with_compactions_among_them_lose_nothing(db_path: Path, writers: int,
                                                                  compacting: str) -> None:
    store = Store.open(db_path)
    shared = store.add(ExperienceMap.new("Workshop"))
    own = [store.add(ExperienceMap.new(f"Writer {n}")) for n in range(writers)]
    children = [Child(_writer(db_path, n, shared.id, own[n].id, compacting == "each" or n == 0))
                for n in range(writers)]
    # Meanwhile another session reads what they save: it never sees a saved change go away.
    reader = Store.open(db_path)
    seen: set[str] = set()
    polls = 0
    while [c for c in children if c.running()]:
        reader.refresh()
        now = {t.name for t in reader.get(shared.id).touchpoints}
        assert seen <= now, f"poll {polls}: a reading session saw {sorted(seen - now)} go away"
        seen, polls = now, polls + 1
    for c in children:
        c.end()
    for n, c in enumerate(children):
        assert not c.errors(), c.errors()
        assert _said(c.lines, "saved") == [f"w{n}-{i}" for i in range(SAVES)]
        if compacting == "each" or n == 0:
            assert int(_said(c.lines, "compactions")[0]) >= 1, f"writer {n} never compacted"
    got = Store.open(db_path)
    names = [t.name for t in got.get(shared.id).touchpoints]
    assert sorted(names) == sorted(f"w{n}-{i}" for n in range(writers) for i in range(SAVES))
    assert got.get(shared.id).revision == 1 + writers * SAVES
    for m in own:
        assert (got.get(m.id).revision, got.get(m.id).scope) == (1 + SAVES, f"scope {SAVES - 1}")
    # Every save is one record, numbered once, none lost in a compaction.
    assert _history_and_journal_seqs(db_path) == list(range(1, 1 + 1 + writers + 2 * writers * SAVES))


def test_a_read_that_another_sessions_compaction_overtakes_never_goes_back(db_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """What the reader above could meet by chance, made certain: another session compacts after
    this one has opened the database file and before it reads the journal. The journal it then
    reads belongs to the new file, not to the one it opened, and must not make it show the file
    it opened as if nothing had been saved since."""
    writer = Store(JSONFileStorage(db_path, compact_records=3))
    m = writer.add(ExperienceMap.new("Workshop"))
    storage = JSONFileStorage(db_path)
    reader = Store(storage)
    for name in ("a", "b", "c"):  # b's save compacts; c is in the journal
        writer.change(m.id, lambda x, name=name: x.add_touchpoint(name, stage="Use"))
    assert [t.name for t in reader.get(m.id).touchpoints] == ["a", "b", "c"]
    real = storage._read_journal
    overtaken: list[int] = []

    def compaction_meanwhile(offset: int) -> object:
        if not overtaken:
            overtaken.append(offset)
            for name in ("d", "e"):  # e's save compacts
                writer.change(m.id, lambda x, name=name: x.add_touchpoint(name, stage="Use"))
        return real(offset)

    monkeypatch.setattr(storage, "_read_journal", compaction_meanwhile)
    assert [t.name for t in reader.get(m.id).touchpoints] == ["a", "b", "c", "d", "e"]
    assert overtaken


# -- 3. a full disk -------------------------------------------------------------------------------


@contextmanager
def _full_disk(limit: int) -> Iterator[None]:
    """In a child: no file may grow past `limit` bytes, as on a full disk (a write past it fails
    with EFBIG; one across it writes in part first). Root is held to it too."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)


def _journal_bytes(db: Path) -> bytes:
    path = db.with_name(journal_name(db.name))
    return path.read_bytes() if path.exists() else b""


@pytest.mark.parametrize("room", [0, 100], ids=["no room", "room for part of the record"])
def test_a_full_disk_during_an_append_saves_nothing_and_the_change_is_saved_once_there_is_room(
        db_path: Path, room: int) -> None:
    store = Store.open(db_path)
    m = store.add(make_map())
    store.change(m.id, lambda x: x.edit(persona="Saved before"))
    before = _files(db_path.parent)
    limit = len(_journal_bytes(db_path)) + room

    def child(link: Link) -> None:
        mine = Store.open(db_path)
        with _full_disk(limit):
            try:
                mine.change(m.id, lambda x: x.edit(scope="Typed on a full disk"))
            except SaveFailed as e:
                link.say(f"failed {e}")
            link.say(f"holds {mine.get(m.id).scope}")
            link.hear()
        mine.change(m.id, lambda x: x.edit(scope="Typed on a full disk"))  # the same change, again
        link.say("saved")

    writer = Child(child)
    writer.wait_for(lambda lines: any(x.startswith("holds ") for x in lines), "the save on the full disk")
    [failed] = _said(writer.lines, "failed")
    assert "the change was not saved" in failed and "File too large" in failed
    assert _said(writer.lines, "holds") == ["A customer calls about a late order"]
    assert _files(db_path.parent) == before  # every file as it was: nothing torn, nothing left
    opened = Store.open(db_path)
    assert opened.get(m.id).scope == "A customer calls about a late order"
    assert opened.get(m.id).persona == "Saved before"
    assert opened.storage.journal_note == ""
    writer.send("room again")
    writer.end()
    assert writer.lines[-1] == "saved", writer.lines
    assert Store.open(db_path).get(m.id).scope == "Typed on a full disk"
    assert _journal_bytes(db_path).startswith(before[journal_name(db_path.name)])


@pytest.mark.parametrize("step", ["history", "snapshot"])
def test_a_full_disk_during_a_compaction_keeps_the_change_saved_and_folds_it_once_there_is_room(
        db_path: Path, step: str) -> None:
    """storage.py `_compact`: the change is saved before the compaction begins; a compaction that
    fails is put off to a later save, said in journal_note, the data as it was."""
    store = Store(JSONFileStorage(db_path, compact_records=1))
    m = store.add(make_map())
    big = make_map("Big", touchpoints=0)
    for i in range(60):
        big.add_touchpoint(f"Step {i}", stage="Use", thoughts="b" * 1000)
    store.add(big)  # folded: the file and its history are large, the journal empty
    if step == "snapshot":  # the history pruned: it has room, the snapshot has not
        with Folder(db_path.parent) as folder:
            prune_history(folder, db_path.name, last=0, mode=0o600, gid=None)
    small = Store.open(db_path)
    small.change(m.id, lambda x: x.edit(persona="In the journal"))
    small.change(m.id, lambda x: x.add_touchpoint("Added in the journal", stage="Use"))
    before = _files(db_path.parent)
    limit = len(before[journal_name(db_path.name)]) + 8192  # room for the appends, not the file
    assert len(before[db_path.name]) > 4 * limit

    def child(link: Link) -> None:
        storage = JSONFileStorage(db_path, compact_records=3)  # this save is the journal's third
        steps: list[str] = []
        storage.after_compaction_step = steps.append
        mine = Store(storage)
        with _full_disk(limit):
            mine.change(m.id, lambda x: x.edit(scope="Saved, not folded"))
            link.say(f"steps {','.join(steps) or '-'}")
            link.say(f"note {storage.journal_note}")
            link.say(f"holds {mine.get(m.id).scope}")
            link.hear()
        mine.change(m.id, lambda x: x.edit(scope="Folded"))
        link.say(f"steps {','.join(steps)}")

    writer = Child(child)
    writer.wait_for(lambda lines: any(x.startswith("holds ") for x in lines), "the save on the full disk")
    assert _said(writer.lines, "steps") == ["history" if step == "snapshot" else "-"]  # it failed at `step`
    [note] = _said(writer.lines, "note")
    assert "could not be folded into the database yet" in note and "nothing was lost" in note
    assert _said(writer.lines, "holds") == ["Saved, not folded"]
    now = _files(db_path.parent)
    assert now[db_path.name] == before[db_path.name] and now[db_path.name + ".bak"] == before[db_path.name + ".bak"]
    journal = now.pop(journal_name(db_path.name))
    assert journal.startswith(before.pop(journal_name(db_path.name)))
    [*_, last] = read_in(Folder(db_path.parent), journal_name(db_path.name)).records
    [change] = [c for c in last.changes if c.table == "maps"]  # beside it, the map's summary
    assert change.doc is not None and change.doc["scope"] == "Saved, not folded"
    history = db_path.name + ".history"
    if step == "history":
        assert now == before  # the history as it was, nothing torn, no temporary file
    else:
        assert [r.seq for r in read_history(Folder(db_path.parent), db_path.name).records] == [3, 4, 5]
        assert {k: v for k, v in now.items() if k != history} == {k: v for k, v in before.items() if k != history}
    opened = Store.open(db_path)
    assert (opened.get(m.id).scope, opened.get(m.id).persona) == ("Saved, not folded", "In the journal")
    writer.send("room again")
    writer.end()
    assert writer.lines[-1].startswith("steps ") and writer.lines[-1].endswith("history,snapshot,journal")
    assert _journal_bytes(db_path) == b""
    assert json.loads(db_path.read_text())["maps"][m.id]["scope"] == "Folded"  # in the file itself
    assert Store.open(db_path).get(m.id).persona == "In the journal"
    seqs = [r.seq for r in read_history(Folder(db_path.parent), db_path.name).records]
    assert seqs == (list(range(1, 7)) if step == "history" else [3, 4, 5, 6])  # each once
