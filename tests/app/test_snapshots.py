"""What people see, step by step, at 80x24 and 120x40. Review the report before updating:
pytest tests/app/test_snapshots.py --snapshot-update"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.store import Store
from tests.helpers.tui import make_app, open_map, settle

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_maps" / "service-broken-delivery.json"


def _app(tmp_path: Path, *, ascii_mode: bool = False):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "cx.json")
    store.add(map_from_json(SAMPLE.read_text(), SAMPLE.name))
    return make_app(store, tmp_path / "state", ascii_mode=ascii_mode)


def _go(step_keys: list[str]):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await open_map(pilot, "Broken chair")
        await pilot.press(*step_keys)
        await settle(pilot)

    return run_before


STEPS = {
    "1-template": ["f1"],
    "2-experience": ["f2"],
    "3-touchpoints": ["f3", "down", "down"],
    "4-feelings": ["f4", "down", "down", "down"],
    "5-improvements": ["f5"],
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step(snap_compare, tmp_path: Path, step: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(tmp_path), run_before=_go(STEPS[step]), terminal_size=size)


DIALOGS = {
    "touchpoint-form": ["f3", "down", "e"],
    "improvement-form": ["f5", "e"],
    "help": ["f4", "question_mark"],
    "overview": ["v"],
    "new-map": ["f1", "ctrl+u", "up", "up", "enter"],
    "remove-stage": ["f3", "s", "down", "d"],
}


@pytest.mark.parametrize("dialog", sorted(DIALOGS))
def test_dialogs(snap_compare, tmp_path: Path, dialog: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(tmp_path), run_before=_go(DIALOGS[dialog]), terminal_size=(80, 24))
