"""Running the `cxmap` command in-process, the way a user would, and reading what it printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.cli.main import main


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], db: Path) -> None:
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
