"""Typing is never lost: a change the database cannot take just now (a full disk, a lock held too
long, the file moved away) stays on screen as not saved and is saved once the database takes it
again, by itself or on ctrl+s. The full disk is real: a file-size limit below the database's size
makes every save fail the way a full disk does (root is subject to it too)."""

from __future__ import annotations

import json
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.tui import (
    make_app,
    on_top,
    open_at_step,
    open_map,
    screen_text,
    settle,
    step_shown,
    toasts,
    type_text,
    wait_until,
)

SIZE = (80, 24)


def _map(store: Store) -> ExperienceMap:
    m = ExperienceMap.new("Support call", scope="A customer calls about a late order")
    for name in ("Order page", "Hold music", "Agent answers"):
        m.add_touchpoint(name, stage="Use")
    return store.add(m)


class FullDisk:
    """No file may grow beyond half the database's size until `free()`."""

    def __init__(self, db: Path) -> None:
        self.limit = len(db.read_bytes()) // 2
        self.old = resource.getrlimit(resource.RLIMIT_FSIZE)
        self.full = False

    def fill(self) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limit, self.old[1]))
        self.full = True

    def free(self) -> None:
        if self.full:
            resource.setrlimit(resource.RLIMIT_FSIZE, self.old)
            self.full = False


@contextmanager
def full_disk(db: Path) -> Iterator[FullDisk]:
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    disk = FullDisk(db)
    disk.fill()
    try:
        yield disk
    finally:
        disk.free()
        signal.signal(signal.SIGXFSZ, old_handler)


def _state(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app).splitlines()[1]


def _message(app) -> str:  # type: ignore[no-untyped-def]
    """The open dialog's message line, in one line however it is wrapped."""
    return " ".join(str(app.screen.query_one("#message").render()).split())


async def test_step_4_a_feeling_and_thoughts_typed_on_a_full_disk_are_kept_and_saved_later(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        before = db.read_bytes()
        with full_disk(db) as disk:
            await pilot.press("2")
            await type_text(pilot, "Too long on hold")
            await pilot.press("enter")
            await settle(pilot)
            assert "Not saved yet" in toasts(app) and "What you typed is kept" in toasts(app)
            assert "2 NOT saved" in _state(app)
            assert db.read_bytes() == before
            # What was typed is on screen as typed, not reverted: the face on the row, the thoughts.
            await pilot.press("up")
            await settle(pilot)
            assert app.screen.query_one("#thoughts").value == "Too long on hold"
            assert "dissatisfied" in screen_text(app)
            assert "^s" in screen_text(app).splitlines()[-1]  # the key bar offers saving now
            disk.free()
            # Tried again by itself (no key pressed): both changes reach the file, in order.
            await wait_until(pilot, lambda: "saved" in _state(app) and "NOT" not in _state(app),
                             what="the held changes to be saved")
    saved = Store.open(db).get(m.id).touchpoints[0]
    assert (saved.feeling, saved.thoughts) == (-1, "Too long on hold")


async def test_step_4_thoughts_typed_while_a_compaction_meets_a_full_disk_are_saved_and_folded_later(
        tmp_path: Path) -> None:
    """The journal has room, the database file does not: each change is appended and saved (so
    nothing is held), the fold into the file is put off, and done by a save once there is room."""
    db = tmp_path / "cx.json"
    store = Store(JSONFileStorage(db, compact_records=2))  # every second save folds the journal in
    m = _map(store)
    big = ExperienceMap.new("Archive")
    for i in range(40):
        big.add_touchpoint(f"Old step {i}", stage="Use", thoughts="o" * 1000)
    store.add(big)  # folded: the file (and its history) far larger than a change
    journal = db.with_name(db.name + ".journal")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        before = db.read_bytes()
        with full_disk(db) as disk:
            await pilot.press("2")
            await type_text(pilot, "Too long on hold")
            await pilot.press("enter")  # the second save: its fold fails on the full disk
            await settle(pilot)
            assert "saved" in _state(app) and "NOT" not in _state(app)
            assert "Not saved yet" not in toasts(app)
            # Said once, truly: the change was saved; only the fold is put off.
            said = "The change was saved, in cx.json.journal; the journal could not be folded into the database yet ("
            assert said in toasts(app)
            assert "not saved" not in toasts(app).lower() and toasts(app).count("could not be folded") == 1
            assert db.read_bytes() == before and journal.stat().st_size > 0  # in the journal, not folded
            saved = Store.open(db).get(m.id).touchpoints[0]
            assert (saved.feeling, saved.thoughts) == (-1, "Too long on hold")
            disk.free()
            await pilot.press("4", "escape")  # on the next row: the save folds all of it in
            await wait_until(pilot, lambda: journal.stat().st_size == 0, what="the journal to be folded in")
            await settle(pilot)
            assert store.storage.journal_note == ""  # type: ignore[attr-defined]
            assert toasts(app).count("could not be folded") <= 1  # not said again (it may have timed out)
    tps = json.loads(db.read_text())["maps"][m.id]["touchpoints"]  # in the file itself
    assert [(t["feeling"], t["thoughts"]) for t in tps[:2]] == [(-1, "Too long on hold"), (1, "")]


async def test_step_2_fields_typed_on_a_full_disk_are_saved_on_ctrl_s(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("tab", "tab")  # title, experience, scope
        with full_disk(db) as disk:
            await pilot.press("ctrl+u")
            await type_text(pilot, "A parent calls about a lost parcel")
            await pilot.press("enter")  # saves the scope, on to the persona
            await type_text(pilot, "Busy parent")
            await pilot.press("enter")
            await settle(pilot)
            assert "NOT saved" in _state(app)
            assert app.screen.query_one("#f-scope").value == "A parent calls about a lost parcel"
            assert app.screen.query_one("#f-persona").value == "Busy parent"
            assert Store.open(db).get(m.id).persona == ""
            disk.free()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: Store.open(db).get(m.id).persona == "Busy parent",
                             what="ctrl+s to save the held fields")
            await settle(pilot)
            assert "NOT" not in _state(app)
    saved = Store.open(db).get(m.id)
    assert (saved.scope, saved.persona) == ("A parent calls about a lost parcel", "Busy parent")


async def test_a_dialog_on_a_full_disk_keeps_its_text_and_saves_on_ctrl_s(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f3", "a")
        await settle(pilot)
        await type_text(pilot, "Call-back offer")
        with full_disk(db) as disk:
            await pilot.press("enter")
            await settle(pilot)
            assert on_top(app) == "TouchpointForm" and "Enter or ctrl+s tries again" in _message(app)
            assert toasts(app) == ""  # the dialog says it; no toast on top of it
            assert app.screen.query_one("#name").value == "Call-back offer"
            disk.free()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: on_top(app) == "WorkshopScreen", what="the dialog to close")
    assert "Call-back offer" in [t.name for t in Store.open(db).get(m.id).touchpoints]


async def test_a_change_held_behind_a_lock_is_saved_once_the_lock_is_free(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db, lock_timeout=0.3)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        with FileLock(str(db) + ".lock"):  # another cxmap holds the file
            await pilot.press("5", "escape")
            await wait_until(pilot, lambda: "NOT saved" in _state(app), what="the change to be held")
            assert "locked by another cxmap" in toasts(app)
        await wait_until(pilot, lambda: Store.open(db).get(m.id).touchpoints[0].feeling == 2,
                         what="the held feeling to be saved")


async def test_a_change_held_while_the_file_is_moved_away_is_saved_when_it_is_back(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        moved = db.rename(tmp_path / "moved.json")
        await pilot.press("4", "escape")
        await settle(pilot)
        assert "NOT saved" in _state(app) and "removed or moved" in toasts(app)
        moved.rename(db)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Store.open(db).get(m.id).touchpoints[0].feeling == 1,
                         what="the held feeling to be saved")


async def test_quitting_with_changes_not_saved_asks_first(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        with full_disk(db) as disk:
            await pilot.press("1", "escape")
            await settle(pilot)
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert "1 change is not saved yet" in " ".join(screen_text(app).split())
            await pilot.press("n")  # stay
            await settle(pilot)
            assert app.is_running and step_shown(app) == 4
            disk.free()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: Store.open(db).get(m.id).touchpoints[0].feeling == -2,
                             what="the held feeling to be saved")
        await pilot.press("ctrl+q")  # nothing is waiting now: quits at once
        await wait_until(pilot, lambda: not app.is_running, what="the app to quit")


async def test_undo_while_changes_are_held_waits_its_turn(tmp_path: Path) -> None:
    """An undo cannot overtake a change made before it: it is refused with the reason while that
    change waits, and still there to undo once it is saved."""
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f4", "4", "escape")  # saved: +1 on the first touchpoint
        await settle(pilot)
        with full_disk(db) as disk:
            await pilot.press("down", "5", "escape")  # held: +2 on the second
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert "still waiting to be saved" in toasts(app)
            disk.free()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: Store.open(db).get(m.id).touchpoints[1].feeling == 2,
                             what="the held feeling to be saved")
        await pilot.press("u")  # undoes the last change saved: the second touchpoint's feeling
        await wait_until(pilot, lambda: Store.open(db).get(m.id).touchpoints[1].feeling is None,
                         what="the undo")
        assert Store.open(db).get(m.id).touchpoints[0].feeling == 1


async def test_a_customer_dialog_on_a_full_disk_keeps_its_text_and_saves_on_ctrl_s(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await type_text(pilot, "Globex")
        with full_disk(db) as disk:
            await pilot.press("enter")
            await settle(pilot)
            assert on_top(app) == "AccountDialog" and "Enter or ctrl+s tries again" in _message(app)
            assert app.screen.query_one("#name").value == "Globex"
            assert toasts(app) == ""
            disk.free()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: on_top(app) == "CustomersScreen", what="the dialog to close")
    assert [a.name for a in Store.open(db).customers.book().accounts.values()] == ["Globex"]
