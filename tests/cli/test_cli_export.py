"""`cxmap export` in every format: standard output, files, the BOM rule, and mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cxmap_tui.io.formats import FORMATS, export_file, export_map
from cxmap_tui.store import Store
from tests.helpers.cli import Cli
from tests.helpers.fixed_map import fixed_map

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    Store.open(db_path).add(fixed_map())
    return Cli(capsys, db_path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_standard_output_is_the_export_without_a_bom(cli: Cli, fmt: str) -> None:
    code, out, err = cli("export", "Ordering a lamp", "--format", fmt)
    assert code == 0 and err == ""
    stored = Store.open(cli.db).get(fixed_map().id)
    assert out == export_map(stored, fmt) and not out.startswith("\ufeff")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_file_gets_the_export_with_a_bom_for_csv(cli: Cli, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{FORMATS[fmt].extension}"
    assert cli.ok("export", "Ordering a lamp", "-f", fmt, "-o", str(path)) == ""
    stored = Store.open(cli.db).get(fixed_map().id)
    assert path.read_bytes() == export_file(stored, fmt)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == fmt.startswith("csv")


@pytest.mark.parametrize(
    ("name", "fmt"), [("m.md", "markdown"), ("m.markdown", "markdown"), ("m.MMD", "mermaid"), ("m.mermaid", "mermaid"),
                  ("m.htm", "html"), ("m.html", "html"), ("m.csv", "csv"), ("m.json", "json")]
)
def test_without_format_the_file_extension_decides(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    cli.ok("export", "Ordering a lamp", "-o", str(tmp_path / name))
    assert (tmp_path / name).read_bytes() == export_file(Store.open(cli.db).get(fixed_map().id), fmt)


def test_export_mistakes_are_one_line(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("export", "Ordering a lamp", "-f", "html", "-o", str(tmp_path / "missing" / "x.html"))
    assert code == 1 and err.startswith("cxmap: cannot write ") and err.count("\n") == 1
    code, _, err = cli("export", "Nope", "-f", "csv")
    assert code == 1 and err == "cxmap: no map matches 'Nope'\n"


def test_help_lists_every_format(cli: Cli) -> None:
    code, out, _ = cli("export", "--help", db=False)
    assert code == 0
    for f in FORMATS.values():
        assert f.name in out and f.description in out


def test_a_real_process_writes_utf8_csv_with_crlf_whatever_the_locale(db_path: Path) -> None:
    Store.open(db_path).add(fixed_map())
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    out = subprocess.run([sys.executable, "-m", "cxmap_tui", "--db", str(db_path), "export", "Ordering", "-f",
                          "markdown"], cwd=ROOT, capture_output=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode("utf-8") == export_map(fixed_map(), "markdown")
    out = subprocess.run([sys.executable, "-m", "cxmap_tui", "--db", str(db_path), "export", "Ordering", "-f", "csv"],
                         cwd=ROOT, capture_output=True, timeout=60, env=env)
    assert out.stdout.startswith(b"position,stage,name,") and out.stdout.count(b"\r\n") >= 12


def test_export_and_csv_import_do_not_import_textual(db_path: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("name\nA\n")
    runs = [["export", "A", "-f", f] for f in FORMATS] + [["import", str(csv_file), "--title", "B"]]
    script = (
        "import sys\n"
        "from cxmap_tui.cli.main import main\n"
        f"for args in [['new', 'A']] + {runs!r}:\n"
        "    try:\n"
        f"        main(args + ['--db', {str(db_path)!r}])\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, (args, e.code)\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr
