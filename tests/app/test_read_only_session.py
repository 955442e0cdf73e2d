"""A session on a workspace this user may not change (here a server role that may only read):
the keys that would change it are not on the key bar or in the palette, and pressing one says
why at once instead of opening a form; looking, moving and exporting work as always; nothing
reaches the server."""

from __future__ import annotations

from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.store.postgres import PostgresEngine
from tests.helpers import pg_databases
from tests.helpers.pg_databases import MakeRole
from tests.helpers.tui import make_app, on_top, open_map, screen_text, settle, toasts, type_text, wait_until

READER = "GRANT USAGE ON SCHEMA cxmap TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA cxmap TO {role}"


def _log_rows(url: str) -> int:
    return int(str(pg_databases.admin(url, "SELECT count(*) FROM cxmap.log")[0][0]))


async def test_a_reader_is_offered_no_key_that_changes_and_is_told_why_at_once(
        pg_url: str, role: MakeRole, tmp_path: Path) -> None:
    owner = PostgresEngine(pg_url)
    try:
        m = ExperienceMap.new("Support call", scope="A customer calls about a late order")
        for name in ("Order page", "Hold music", "Agent answers"):
            m.add_touchpoint(name, stage="Use")
        Store(owner).add(m)
    finally:
        owner.close()
    before = _log_rows(pg_url)
    reader = PostgresEngine(role(READER))
    try:
        app = make_app(Store(reader), tmp_path / "state")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            assert "read-only" in screen_text(app).splitlines()[1]
            assert "may read this workspace but not change it" in toasts(app)
            await open_map(pilot, "Support call")
            await pilot.press("f3")
            await settle(pilot)
            bar = screen_text(app).splitlines()[-1]
            assert "Order page" in screen_text(app) and "Add" not in bar and "Edit" not in bar and "Delete" not in bar
            for key in ("a", "e", "d", "s", "shift+down"):
                await pilot.press(key)
                await settle(pilot)
                assert on_top(app) == "WorkshopScreen", f"{key} opened {on_top(app)}"
            await wait_until(pilot, lambda: "read-only for you" in toasts(app), what="the refusal")
            await pilot.press("f4")  # feelings: neither a score nor thoughts
            await settle(pilot)
            await pilot.press("1", "t")
            await settle(pilot)
            assert on_top(app) == "WorkshopScreen" and "Feel" not in screen_text(app).splitlines()[-1]
            await pilot.press("f2")  # the experience: its fields show and take no keys
            await settle(pilot)
            await type_text(pilot, "zz")
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.query_one("#f-title").value == "Support call"
            assert app.screen.query_one("#f-scope").value == "A customer calls about a late order"
            await pilot.press("ctrl+p")  # nor in the palette
            await settle(pilot)
            await type_text(pilot, "Add")
            await settle(pilot)
            assert not any(line.strip().startswith("Add") for line in screen_text(app).splitlines()[2:8])
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("x")  # exporting still works
            await wait_until(pilot, lambda: on_top(app) == "ExportDialog", what="the export dialog")
            await pilot.press("escape")
            await pilot.press("f1")
            await settle(pilot)
            await pilot.press("slash")
            await type_text(pilot, "Blank")
            await pilot.press("down", "enter")  # a template: a new map would be refused, so it says so
            await settle(pilot)
            assert on_top(app) == "WorkshopScreen"
    finally:
        reader.close()
    assert _log_rows(pg_url) == before
