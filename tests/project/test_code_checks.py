"""The code checks the project holds itself to, run with the suite (and so by CI): ruff with the
rule set in pyproject.toml, mypy --strict on cxmap_tui, and the layer contracts of import-linter.
Each is also shown to fail on a finding, so that a check that quietly checks nothing is noticed."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(command: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    out = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "cxmap_tui", "tests", "bench"])
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_reports_a_finding_under_the_projects_rules(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom typing import Any\n\n\ndef f(a, b):\n    return zip(a, b)\n\n\n"
                   "def g(x: Any) -> None:\n    print(x)\n")
    out = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad)])
    assert out.returncode == 1, out.stdout + out.stderr
    for rule in ("F401", "B905", "ANN401", "T201"):
        assert rule in out.stdout, (rule, out.stdout)


def test_the_package_has_no_any_and_reaches_no_app_service_past_the_type_checker() -> None:
    """`Any` stops type checking wherever it goes: JSON has its own types (domain/json_types.py).
    And the app's services are reached through cxmap(widget), typed, never by silencing mypy on
    `self.app.x` or `self.screen.x`."""
    found = []
    for path in sorted((ROOT / "cxmap_tui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            named = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                     else None)
            imported = isinstance(node, ast.ImportFrom) and any(alias.name == "Any" for alias in node.names)
            if named == "Any" or imported:
                found.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}: Any")
        for number, line in enumerate(text.splitlines(), start=1):
            if "type: ignore" in line and re.search(r"\b(app|screen)\.\w", line.split("#", 1)[0]):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)


def test_mypy_strict_finds_nothing() -> None:
    out = _run([sys.executable, "-m", "mypy"])  # files and strictness from pyproject.toml
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_is_strict(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f(x):\n    return x\n")  # no annotations: only an error when strict
    out = _run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                "--cache-dir", str(tmp_path / "cache"), str(bad)], cwd=tmp_path)
    assert out.returncode == 1 and "no-untyped-def" in out.stdout, out.stdout + out.stderr


def test_the_layer_contracts_are_kept() -> None:
    out = _run([str(BIN / "lint-imports"), "--no-cache"])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout and "8 kept" in out.stdout, out.stdout


def test_a_broken_layer_contract_is_reported(tmp_path: Path) -> None:
    # The project's own domain contract, on a copy of the package whose domain imports the app.
    copy = tmp_path / "cxmap_tui"
    subprocess.run(["cp", "-r", str(ROOT / "cxmap_tui"), str(copy)], check=True)
    (copy / "domain" / "leak.py").write_text("from ..tui import app\n")
    config = tmp_path / ".importlinter"
    config.write_text("[importlinter]\nroot_package = cxmap_tui\n\n[importlinter:contract:domain]\n"
                      "name = domain\ntype = forbidden\nsource_modules = cxmap_tui.domain\n"
                      "forbidden_modules = cxmap_tui.tui\n")
    out = _run([str(BIN / "lint-imports"), "--no-cache", "--config", str(config)], cwd=tmp_path)
    assert out.returncode == 1 and "cxmap_tui.domain.leak -> cxmap_tui.tui" in out.stdout, out.stdout + out.stderr
