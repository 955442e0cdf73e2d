"""Starting the app does only what the first screen needs (the speed itself is in bench/)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from tests.helpers.tui import make_app, settle, step_shown

ROOT = Path(__file__).resolve().parents[2]


def test_starting_the_app_imports_none_of_the_subcommands(tmp_path: Path) -> None:
    """`cxmap` with no subcommand parses its options and starts the app without importing the
    modules of the subcommands; asking for one (or for the help) imports them."""
    script = f"""
import sys
import cxmap_tui.tui.run as run
started = []
run.run_app = lambda store, ascii_mode=None, place=None: started.append(store)
from cxmap_tui.cli.main import main
try:
    main(["--db", {str(tmp_path / "cx.json")!r}])
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.startswith("cxmap_tui.cli.") and m.split(".")[-1] in
                ("maps", "edit", "exchange", "analysis", "customers"))
print(len(started), loaded)
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "1 []", out.stderr
    help_out = subprocess.run([sys.executable, "-m", "cxmap_tui", "--help"], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    for command in ("list", "export", "analyze", "account", "feel"):
        assert f"  {command} " in help_out.stdout


async def test_garbage_collection_is_back_on_once_the_first_screen_is_up(tmp_path: Path) -> None:
    """`cxmap` holds garbage collection off while it starts; the app turns it back on, having set
    what is alive by then aside from later collections."""
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert step_shown(app) == 1
            assert gc.isenabled()
            assert gc.get_freeze_count() > 1000
    finally:
        gc.enable()
        gc.unfreeze()


async def test_an_app_started_with_collection_on_leaves_it_alone(tmp_path: Path) -> None:
    """Started otherwise than by `cxmap` (here, as the tests start it), nothing is set aside:
    an app made and thrown away is collected."""
    assert gc.get_freeze_count() == 0
    app = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert step_shown(app) == 1
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize(("size", "ascii_mode", "maps"), [
    ((80, 24), False, 50), ((60, 20), False, 50), ((120, 40), False, 50), ((200, 50), False, 3),
    ((80, 24), True, 50), ((80, 24), False, 0),
])
async def test_the_first_screen_fills_its_list_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    size: tuple[int, int], ascii_mode: bool, maps: int) -> None:
    """The map list is cut to its width: filled before layout in the width it will have (the
    preview beside it on a wide terminal, its scroll bar's room kept), it is not filled again
    once laid out, which at thousands of maps is a second pass over all of them."""
    from cxmap_tui.domain import ExperienceMap
    from cxmap_tui.tui.steps.template import TemplatePane

    store = Store.open(tmp_path / "cx.json")
    store.add_many(ExperienceMap.new(f"Map {i}: a support call about a late order") for i in range(maps))
    fills: list[int] = []
    fill = TemplatePane._fill

    def counted(pane: TemplatePane, *, keep_highlight: bool = True) -> None:
        fills.append(pane.query_one("#choices").scrollable_content_region.width)
        fill(pane, keep_highlight=keep_highlight)

    monkeypatch.setattr(TemplatePane, "_fill", counted)
    app = make_app(store, tmp_path / "state", ascii_mode=ascii_mode)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert step_shown(app) == 1
        assert len(fills) == 1, fills
        await pilot.resize_terminal(size[0] - 10, size[1])  # a real change of width does fill it again
        await settle(pilot)
        assert len(fills) == 2, fills
