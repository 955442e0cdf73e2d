"""Running the `cxmap` command in-process, the way a user would, and reading what it printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cxmap_tui.cli.main import main
from cxmap_tui.store import Store
from cxmap_tui.tui.session import Place


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], db: Path | str) -> None:
        self.capsys = capsys
        self.db = db

    def __call__(self, *args: str, db: bool = True) -> tuple[int, str, str]:
        argv = [*args, "--db", str(self.db)] if db else list(args)
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        captured = self.capsys.readouterr()
        return int(exit_.value.code or 0), captured.out, captured.err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out.strip()


def record_app_starts(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Starting the app, faked: each call of run_app is recorded (the database's location, the
    place to start at, the ASCII flag) instead. Starting the app holds garbage collection off;
    the caller turns it back on (gc.enable) when done."""
    calls: list[dict[str, Any]] = []

    def run_app(store: Store, *, ascii_mode: bool | None = None, place: Place | None = None) -> None:
        calls.append({"location": store.location, "place": place, "ascii_mode": ascii_mode})

    monkeypatch.setattr("cxmap_tui.tui.run.run_app", run_app)
    return calls
