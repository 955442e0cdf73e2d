"""Every dialog's line of hints, at 80 and at 60 columns: when it wraps, it goes on to the next
line between two hints, never inside one, and no line starts or ends with the '|' between them
(the stage editor's second line read "| Esc/^g cancel")."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.store import Store
from cxmap_tui.tui.widgets.hints import Hints
from tests.helpers.tui import make_app, open_map, screen_text, settle

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_maps" / "service-broken-delivery.json"

DIALOGS = {
    "stages": ["f3", "s"],
    "add-stage": ["f3", "s", "a"],
    "rename-stage": ["f3", "s", "r"],
    "export": ["f3", "x"],
    "import": ["f3", "i"],
    "new-map": ["f1", "end", "ctrl+u", "down", "down", "enter"],
    "touchpoint-form": ["f3", "e"],
    "improvement-form": ["f5", "e"],
    "backlog-filter": ["f5", "f"],
}


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80", "60"])
@pytest.mark.parametrize("dialog", sorted(DIALOGS))
async def test_a_dialogs_hints_wrap_between_hints(tmp_path: Path, dialog: str, size: tuple[int, int]) -> None:
    store = Store.open(tmp_path / "cx.json")
    store.add(map_from_json(SAMPLE.read_text(), SAMPLE.name))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press(*DIALOGS[dialog])
        await settle(pilot)
        shown = [w for w in app.screen.query(".hints") if w.display and w.size.height]
        assert shown, f"{dialog}: no hints\n" + screen_text(app)
        for widget in shown:
            widget.scroll_visible(animate=False)  # a form taller than a small screen scrolls
            await settle(pilot)
            lines = screen_text(app).splitlines()
            region = widget.region
            rows = [row[region.x:region.right].strip() for row in lines[region.y:region.bottom]]
            rows = [row for row in rows if row]
            for row in rows:
                assert not row.startswith("|") and not row.endswith("|"), rows
            if isinstance(widget, Hints):
                for hint in widget.hints:
                    assert any(hint in row for row in rows), (hint, rows)
        assert any(isinstance(w, Hints) for w in shown), f"{dialog}: its hints are not a Hints line"
