"""The domain, the store and the CLI stand without Textual; only cxmap_tui.tui imports it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cxmap_tui"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_tui_package_imports_textual() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if "textual" in _imports(p) and PACKAGE / "tui" not in p.parents
    ]
    assert offenders == []


def test_domain_and_store_import_nothing_from_the_ui_or_tinydb_leaks() -> None:
    for p in (PACKAGE / "domain").rglob("*.py"):
        assert not _imports(p) & {"textual", "rich", "tinydb", "click"}, p
    for p in PACKAGE.rglob("*.py"):
        if PACKAGE / "store" in p.parents:
            continue
        assert "tinydb" not in _imports(p), f"{p} talks to TinyDB; only the store may"


def test_everything_but_the_app_imports_with_textual_missing() -> None:
    script = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked in this test")
sys.meta_path.insert(0, Block())
import pkgutil, cxmap_tui
for mod in pkgutil.walk_packages(cxmap_tui.__path__, "cxmap_tui."):
    if mod.name.startswith("cxmap_tui.tui") or mod.name == "cxmap_tui.__main__":
        continue
    importlib = __import__("importlib")
    importlib.import_module(mod.name)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr
