"""The workshop when things go wrong, when others work on the same file, and with hostile text."""

from __future__ import annotations

import asyncio
import resource
import signal
from pathlib import Path

import pytest
from filelock import FileLock
from textual.widgets import Static

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from tests.helpers.tui import (
    make_app,
    on_top,
    open_at_step,
    read_widget,
    screen_text,
    settle,
    toasts,
    type_text,
    typed_new_touchpoint,
    wait_until,
)

SIZE = (80, 24)


def _map(store: Store, title: str = "Support call") -> ExperienceMap:
    m = ExperienceMap.new(title, scope="A customer calls about a late order")
    for name in ("Order page", "Hold music", "Agent answers"):
        m.add_touchpoint(name, stage="Use")
    return store.add(m)


async def test_lock_held_too_long_keeps_the_typed_text_and_the_app_running(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db, lock_timeout=0.3)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await typed_new_touchpoint(pilot, "Support call", "Call-back offer")
        with FileLock(str(db) + ".lock"):  # another cxmap holds the file
            await pilot.press("enter")
            # The save waits for the lock on a thread: wait for its answer, not for a quiet screen.
            # The reason names the file, so where it wraps depends on the path: read it as a paragraph.
            await wait_until(pilot, lambda: "locked by another cxmap" in read_widget(app, "#message"),
                             what="the lock error")
            assert read_widget(app, "#message").startswith("Not saved: ")
            assert on_top(app) == "TouchpointForm"  # the form is still open...
            assert app.screen.query_one("#name").value == "Call-back offer"  # ...with what was typed
            # The map line under the form says so too (a long path makes the form tall enough
            # to cover it, so read the line itself).
            workshop = app.screen_stack[-2]
            assert str(workshop.query_one("#save-state", Static).render()) == "NOT saved"
        await pilot.press("enter")  # the lock is free again: saving now works
        await wait_until(pilot, lambda: on_top(app) == "WorkshopScreen", what="the form closed")
        assert "Call-back offer" in [t.name for t in store.get(m.id).touchpoints]


async def test_after_a_refused_change_is_dropped_the_line_says_saved_again(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The form that was refused is closed without saving: what is shown is what is stored, so
    the line's NOT saved gives way to saved (after a moment, not for ever)."""
    from cxmap_tui.tui.screens import workshop

    monkeypatch.setattr(workshop, "REFUSED_SHOWN", 0.2)
    db = tmp_path / "cx.json"
    store = Store.open(db, lock_timeout=0.3)
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await typed_new_touchpoint(pilot, "Support call", "Call-back offer")
        with FileLock(str(db) + ".lock"):
            await pilot.press("enter")
            await wait_until(pilot, lambda: "locked by another cxmap" in read_widget(app, "#message"),
                             what="the lock error")
        await pilot.press("escape", "escape")  # the form given up: nothing of it is waiting to be saved
        await wait_until(pilot, lambda: on_top(app) == "WorkshopScreen", what="the form closed")
        await wait_until(pilot, lambda: str(app.screen.query_one("#save-state", Static).render()) == "saved",
                         what="the line to say saved again")
    assert "Call-back offer" not in [t.name for t in Store.open(db).get(store.summaries()[0].id).touchpoints]


async def test_removed_file_is_reported_and_nothing_is_lost_from_the_form(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await typed_new_touchpoint(pilot, "Support call", "Survey e-mail")
        moved = db.rename(tmp_path / "moved.json")
        await pilot.press("enter")
        await settle(pilot)
        assert "removed or moved" in read_widget(app, "#message")
        assert app.screen.query_one("#name").value == "Survey e-mail"
        moved.rename(db)
        await pilot.press("enter")
        await settle(pilot)
        assert "Survey e-mail" in [t.name for t in Store.open(db).maps()[0].touchpoints]


async def test_a_failed_write_is_reported_and_the_file_keeps_its_last_saved_state(tmp_path: Path) -> None:
    """A real failed write: a file-size limit below the database's size makes the save fail the
    way a full disk does (root is subject to it too)."""
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        before = db.read_bytes()
        old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) // 2, old_limit[1]))
        try:
            await pilot.press("1")
            await settle(pilot)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
            signal.signal(signal.SIGXFSZ, old_handler)
        screen = screen_text(app)
        assert "Not saved" in screen and "could not save" in toasts(app)
        assert "NOT saved" in screen.splitlines()[1]
        assert db.read_bytes() == before
        assert store.get(m.id).touchpoints[0].feeling is None
        # The app goes on; the next change is saved after the one kept waiting, in order.
        await pilot.press("escape", "2")
        await wait_until(pilot, lambda: Store.open(db).get(m.id).touchpoints[0].feeling == -1,
                         what="the kept change and the next one to be saved")


async def test_changes_from_another_session_show_up_without_disturbing_typing(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = _map(store)
    other = Store.open(db)  # a colleague's cxmap on the same file
    app = make_app(store, tmp_path / "state", poll_seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await open_at_step(pilot, "Support call", "f4")
        await pilot.press("t")
        await type_text(pilot, "Half a thou")
        other.change(m.id, lambda x: x.add_touchpoint("Survey e-mail", stage="Use"))
        other.change(m.id, lambda x: x.set_feeling(x.touchpoints[2].id, 2))
        # By polling, within about two seconds on an idle machine; a busy one may take longer.
        await wait_until(pilot, lambda: "Survey e-mail" in screen_text(app), what="the other session's change")
        screen = screen_text(app)
        assert "Survey e-mail" in screen
        assert app.screen.query_one("#thoughts").value == "Half a thou"
        assert app.screen.focused.id == "thoughts"
        await type_text(pilot, "ght")
        await pilot.press("enter")
        await settle(pilot)
    saved = Store.open(db).get(m.id)
    assert saved.touchpoints[0].thoughts == "Half a thought"
    assert saved.touchpoints[2].feeling == 2
    assert [t.name for t in saved.touchpoints][-1] == "Survey e-mail"


HOSTILE_TITLE = "[bold red]Loud[/] map \\ [link=x]"
HOSTILE_NAME = "[b]Touch[/b] \x1b[31mred\x1b[0m"
HOSTILE_THOUGHT = "<script>x</script> [i]not italic[/i] \\n back\\slash"
HOSTILE_IMP = "[reverse]Fix[/reverse] \x1b]0;title\x07"


async def test_markup_and_escape_codes_are_shown_literally_in_every_pane_and_stored_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = ExperienceMap.new(HOSTILE_TITLE, scope="[dim]scope[/dim]", persona="@persona [x]")
    tp = m.add_touchpoint(HOSTILE_NAME, action="[u]acts[/u]", stage="Use", thoughts=HOSTILE_THOUGHT, feeling=-2)
    m.add_improvement(HOSTILE_IMP, touchpoints=[tp.id], owner="[owner]")
    m = store.add(m)
    shown_name = "[b]Touch[/b] \u241b[31mred\u241b[0m"
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Loud")
        await settle(pilot)
        step1 = screen_text(app)
        assert "[bold red]Loud[/] map \\ [link=x]" in step1
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        step2 = screen_text(app)
        assert HOSTILE_TITLE in step2 and "[dim]scope[/dim]" in step2 and "@persona [x]" in step2
        await pilot.press("f3")
        await settle(pilot)
        step3 = screen_text(app)
        assert shown_name in step3 and "[u]acts[/u]" in step3
        await pilot.press("f4")
        await settle(pilot)
        step4 = screen_text(app)
        assert shown_name in step4 and HOSTILE_THOUGHT in step4
        await pilot.press("f5")
        await settle(pilot)
        step5 = screen_text(app)
        assert "[reverse]Fix[/reverse] \u241b]0;title\u2407" in step5 and "[owner]" in step5
        await pilot.press("v")
        await settle(pilot)
        overview = screen_text(app)
        # The overview wraps long cells, so look for the pieces.
        for piece in ("<script>x</script>", "[i]not italic[/i]", "\\n", "back\\slash", "[b]Touch[/b]", "\u241b[31mred"):
            assert piece in overview, piece
        for screen in (step1, step2, step3, step4, step5, overview):
            assert "\x1b" not in screen and "\x07" not in screen
        # Edit the touchpoint without changing it, and another field: the hostile text survives.
        await pilot.press("escape", "f3", "e")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, " more")
        await pilot.press("enter")
        await settle(pilot)
    saved = Store.open(db).get(m.id)
    assert saved.title == HOSTILE_TITLE
    assert saved.touchpoints[0].name == HOSTILE_NAME
    assert saved.touchpoints[0].thoughts == HOSTILE_THOUGHT
    assert saved.touchpoints[0].action == "[u]acts[/u] more"
    assert saved.improvements[0].title == HOSTILE_IMP


def test_async_helpers_are_real() -> None:
    assert asyncio.iscoroutinefunction(settle)
