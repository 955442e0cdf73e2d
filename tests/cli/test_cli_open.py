"""`cxmap open MAP [--step N]`: the app started on that map at that step, for a facilitator
preparing a session or a script; a wrong map or step is one line, and no app."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.tui.session import Place
from tests.helpers.cli import Cli, record_app_starts
from tests.helpers.tmux import TMUX, Terminal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    try:
        yield record_app_starts(monkeypatch)
    finally:
        gc.enable()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path, started: list[dict[str, Any]]) -> Cli:
    return Cli(capsys, db_path)


def _filled(cli: Cli) -> dict[str, str]:
    """A current-state map with a touchpoint not yet rated, and an ideal map with no scope."""
    ids = {"map": cli.ok("new", "Support call", "--scenario", "service", "--scope", "A late order")}
    cli.ok("touchpoint", "add", "Support call", "Hold music", "--stage", "Use", "--feeling", "-2")
    cli.ok("touchpoint", "add", "Support call", "Agent answers", "--stage", "Use")
    ids["ideal"] = cli.ok("new", "Support call (ideal)", "--scenario", "service", "--kind", "ideal")
    return ids


def test_open_starts_the_app_on_that_map_and_step(cli: Cli, started: list[dict[str, Any]]) -> None:
    ids = _filled(cli)
    assert cli.ok("open", "Support call", "--step", "4") == ""
    assert started == [{"location": str(cli.db), "place": Place(ids["map"], 4), "ascii_mode": None}]
    cli.ok("--ascii", "open", "support CALL")  # any case, as everywhere; without --step, the first step not done
    assert started[-1]["place"] == Place(ids["map"], 4)  # one touchpoint is not rated
    assert started[-1]["ascii_mode"] is True
    cli.ok("open", ids["ideal"])
    assert started[-1]["place"] == Place(ids["ideal"], 2)  # it has no scope yet


@pytest.mark.parametrize(("args", "code", "message"), [
    (["Suport call", "--step", "4"], 1, ("cxmap: no map matches 'Suport call'; did you mean 'Support call' or "
                                         "'Support call (ideal)'?\n")),
    (["Support call", "--step", "6"], 2, "cxmap: Invalid value for '--step': 6 is not in the range 1<=x<=5."),
    (["Support call", "--step", "four"], 2, "cxmap: Invalid value for '--step': 'four' is not a valid integer"),
])
def test_a_wrong_map_or_step_is_one_line_and_no_app(cli: Cli, started: list[dict[str, Any]], args: list[str],
                                                    code: int, message: str) -> None:
    _filled(cli)
    got, out, err = cli("open", *args)
    assert (got, out) == (code, "")
    assert err.startswith(message) and err.count("\n") == 1, err
    assert started == []


def test_the_place_reaches_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """run_app hands the place to the app it makes: its first screen asks the session for it."""
    from cxmap_tui.tui import app as app_module
    from cxmap_tui.tui.run import run_app

    asked: list[Place] = []
    monkeypatch.setattr(app_module.CxmapApp, "run", lambda self: asked.append(self.session.load()))
    store = Store.open(tmp_path / "cx.json")
    run_app(store, place=Place("abcd1234", 4))
    run_app(store)  # otherwise, where the user left off: nowhere yet
    assert asked == [Place("abcd1234", 4), Place()]


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_open_in_a_real_terminal_shows_that_step_of_that_map(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    for title in ("Another map", "Support call"):
        m = ExperienceMap.new(title, scope="A customer calls about a late order")
        m.add_touchpoint("Hold music", stage="Use")
        store.add(m)
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHONPATH": str(ROOT), "LANG": "C", "TERM": "xterm-256color"}
    t = Terminal([sys.executable, "-m", "cxmap_tui", "--db", str(db), "open", "Support call", "--step", "4"], env=env)
    try:
        screen = t.wait_for("Thoughts, in the customer's words")
        assert ">4 Feelings" in screen and "Support call" in screen and "Another map" not in screen
        t.keys("C-q")
        t.wait_until_gone("Thoughts, in the customer's words")
    finally:
        t.close()
