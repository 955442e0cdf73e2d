"""The README's two commands stay true: CI runs exactly the test command the README gives."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    head = text.split("---", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", head, re.S)]


def test_readme_opens_with_an_install_and_start_and_an_install_and_test_command() -> None:
    start, test = _readme_commands()
    assert "pip install" in start and start.endswith("cxmap")
    assert "pip install" in test and "pytest" in test


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    _, test = _readme_commands()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in ci_lines
