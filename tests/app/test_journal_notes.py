"""What the database's journal has to say reaches the user once: a save cut off by a crash (a
torn journal tail, dropped), at start or when another session's read finds one; a fold into the
database put off by a full disk is in test_typing_kept."""

from __future__ import annotations

from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, open_map, screen_text, settle, toasts, type_text, wait_until

SIZE = (80, 24)
SAID = ("A change whose save was cut off (cxmap stopped while writing it) is left out of cx.json.journal: it was "
        "never saved, and everything saved before it is here")


def _workspace(db: Path) -> None:
    store = Store.open(db)
    for title in ("Support call", "Web shop"):
        m = ExperienceMap.new(title, scope="A customer calls about a late order")
        for name in ("Order page", "Hold music", "Agent answers"):
            m.add_touchpoint(name, stage="Use")
        store.add(m)


def _tear(db: Path) -> None:
    """What a save killed half way leaves: the start of a record, no end."""
    with open(db.with_name(db.name + ".journal"), "ab") as f:
        f.write(b'{"v":1,"seq":3,"follows":"0123456789abcdef","at":"2026-11-23T16:40:02.113Z","by":{"us')


def _count_reads(store: Store) -> list[bool]:
    """Each read of the app's polling for other sessions' changes, as it happens."""
    reads: list[bool] = []
    real = store.refresh

    def counted() -> bool:
        changed = real()
        reads.append(changed)
        return changed

    store.refresh = counted  # type: ignore[method-assign]
    return reads


def _times_said(app) -> int:  # type: ignore[no-untyped-def]
    return toasts(app).count("whose save was cut off")


async def test_a_save_cut_off_before_start_is_said_once_and_everything_saved_opens(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    _workspace(db)
    _tear(db)
    store = Store.open(db)
    app = make_app(store, tmp_path / "state")  # no polling: what is said, is said at start
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert SAID in toasts(app) and _times_said(app) == 1
        assert "Support call" in screen_text(app) and "Web shop" in screen_text(app)
        await open_map(pilot, "Web shop")
        await pilot.press("f3")
        await settle(pilot)
        assert "Agent answers" in screen_text(app)
        # A save, which finds the tail again and cuts it, does not say it again.
        await pilot.press("a")
        await type_text(pilot, "Callback")
        await pilot.press("enter")
        journal = db.with_name("cx.json.journal")
        await wait_until(pilot, lambda: b"Callback" in journal.read_bytes(), what="the save")
        await settle(pilot)
        assert _times_said(app) == 1
    assert "Callback" in [tp.name for tp in Store.open(db).find("Web shop").touchpoints]


async def test_a_save_cut_off_found_by_a_later_read_is_said(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    _workspace(db)
    store = Store.open(db)
    app = make_app(store, tmp_path / "state", poll_seconds=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert _times_said(app) == 0
        _tear(db)  # another session killed in the middle of its save
        await wait_until(pilot, lambda: SAID in toasts(app), what="the torn tail to be said")
        reads = _count_reads(store)
        await wait_until(pilot, lambda: len(reads) >= 3, what="three more reads, each finding the tail")
        await settle(pilot)
        assert _times_said(app) == 1
        assert "Support call" in screen_text(app)
