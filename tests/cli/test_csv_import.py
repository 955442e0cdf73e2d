"""Touchpoints from CSV: round trips with the export, spreadsheet habits, and every kind of bad
input named by row and field with nothing imported."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cxmap_tui.domain.errors import ValidationError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.io import csv_format
from cxmap_tui.io.csv_import import map_from_csv
from cxmap_tui.store import Store
from tests.helpers.cli import Cli
from tests.helpers.fixed_map import fixed_map
from tests.helpers.hostile import hostile_map

FIELDS = ("name", "action", "stage", "channel", "owner", "notes", "feeling", "thoughts")


def _fields(m: ExperienceMap) -> list[tuple[object, ...]]:
    return [tuple(getattr(tp, f) for f in FIELDS) for tp in m.touchpoints]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    return Cli(capsys, db_path)


@pytest.mark.parametrize("make", [fixed_map, hostile_map])
def test_export_then_import_gives_the_same_touchpoints(make: Callable[[], ExperienceMap]) -> None:
    original = make()
    copy = map_from_csv(csv_format.touchpoints(original), "t.csv", title="Copy", stages=original.stages)
    assert _fields(copy) == _fields(original)  # line breaks, formulas, quotes and ESC bytes included
    assert not {tp.id for tp in copy.touchpoints} & {tp.id for tp in original.touchpoints}


def test_a_spreadsheet_file_with_bom_semicolons_crlf_and_any_case() -> None:
    text = (
        "\ufeffName;FEELING;Stage;Thoughts\r\n"
        "Ad;++;awareness;Nice\r\n"
        "Form;--;;\"Too long;\r\nway too long\"\r\n"
        "Call;satisfied;Use;\r\n"
        "Mail;;;\r\n"
        ";;;\r\n"
        "Visit; -1 ;Use;\r\n"
    )
    m = map_from_csv(text, "s.csv", title="S")
    assert [(tp.name, tp.feeling, tp.stage) for tp in m.touchpoints] == [
        ("Ad", 2, "Awareness"), ("Form", -2, ""), ("Call", 1, "Use"), ("Mail", None, ""), ("Visit", -1, "Use"),
    ]
    assert m.touchpoints[1].thoughts == "Too long;\r\nway too long"


def test_only_a_name_column_is_needed() -> None:
    m = map_from_csv("name\nFirst\nSecond\n", "n.csv", title="N", stages=["One"])
    assert [tp.name for tp in m.touchpoints] == ["First", "Second"]
    assert m.stages == ["One"] and all(tp.feeling is None and tp.stage == "" for tp in m.touchpoints)


BAD = [
    ("action\nx\n", "row 1: there is no 'name' column"),
    ("name,colour\nA,red\n", "row 1: unknown column 'colour'"),
    ("name,Name\nA,B\n", "row 1: the column 'name' appears twice"),
    ("name,feeling\nA,1\nB,meh\n", "row 3, feeling: 'meh' is not a feeling"),
    ("name,feeling\nA,3\n", "row 2, feeling: feeling +3 is out of range"),
    ("name,stage\nA,Use\nB,Lunch\n", "row 3, stage: unknown stage 'Lunch'"),
    ("name,action\nA,x\n  ,y\n", "row 3, name: a touchpoint needs a name"),
    ("name\nA\nB\na\n", "row 4, name: row 2 is also called 'a'"),
    ("name,action\nA,x\nB\n", "row 3: 1 cell, but the header has 2 columns"),
    ("name,action\nA,x,y\n", "row 2: 3 cells, but the header has 2 columns"),
    ('name,thoughts\nA,"never closed\n', "row 2: cannot read it as CSV"),
    ("name,\nA,x\n", "row 2, column 2: a value under a header with no name"),
    ('name,feeling,thoughts\nA,1,"two\nlines"\nB,meh,x\n', "row 3, feeling"),  # rows, not lines
    ("", "is empty"),
    ("name\n", "has a header but no touchpoints"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_input_names_the_row_and_field(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        map_from_csv(text, "bad.csv", title="Bad")
    assert message in str(e.value) and str(e.value).startswith("bad.csv")


# -- through the command line ---------------------------------------------------------------------


def test_cli_round_trip_through_a_file(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    original = fixed_map()
    Store.open(db_path).add(original)
    exported = tmp_path / "tp.csv"
    cli.ok("export", original.id, "--format", "csv", "-o", str(exported))
    assert exported.read_bytes().startswith(b"\xef\xbb\xbfposition,stage,name")
    new_id = cli.ok("import", str(exported), "--title", "Copy", "--stages", ",".join(original.stages),
                    "--scenario", "store", "--persona", "Returning buyer", "--kind", "ideal")
    copy = Store.open(db_path).get(new_id)
    assert _fields(copy) == _fields(original)
    assert (copy.title, copy.experience, copy.persona, copy.kind) == ("Copy", "store", "Returning buyer", "ideal")
    assert copy.stages == original.stages


def test_cli_into_appends_to_a_map(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    map_id = cli.ok("new", "Support call")
    cli.ok("touchpoint", "add", map_id, "Phone menu", "--stage", "Use")
    (tmp_path / "more.csv").write_text("name,stage,feeling\nHold music,use,-2\nAgent,Use,+\n")
    assert cli.ok("import", str(tmp_path / "more.csv"), "--into", "Support call") == map_id
    m = Store.open(db_path).get(map_id)
    assert [(tp.name, tp.stage, tp.feeling) for tp in m.touchpoints] == [
        ("Phone menu", "Use", None), ("Hold music", "Use", -2), ("Agent", "Use", 1)]


def test_cli_reads_csv_from_standard_input(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "\ufeffname,thoughts\r\nA,\"x\r\ny\"\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    map_id = cli.ok("import", "-", "--format", "csv", "--title", "From a pipe")
    [tp] = Store.open(db_path).get(map_id).touchpoints
    assert (tp.name, tp.thoughts) == ("A", "x\r\ny")


@pytest.mark.parametrize(("text", "message"), [b for b in BAD if b[0]])
@pytest.mark.parametrize("into", [False, True])
def test_cli_bad_csv_is_one_line_and_changes_nothing(
    cli: Cli, db_path: Path, tmp_path: Path, text: str, message: str, into: bool
) -> None:
    cli.ok("new", "Existing")
    cli.ok("touchpoint", "add", "Existing", "Z")
    before = db_path.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    code, out, err = cli("import", str(bad), *(["--into", "Existing"] if into else ["--title", "New"]))
    assert code == 1 and out == ""
    assert err.startswith((f"cxmap: {bad} row ", f"cxmap: {bad}: ")) and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert db_path.read_bytes() == before


def test_cli_into_is_all_or_nothing(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    cli.ok("new", "Existing")
    cli.ok("touchpoint", "add", "Existing", "Hold music")
    before = db_path.read_bytes()
    (tmp_path / "x.csv").write_text("name\nNew one\nAnother\nhold MUSIC\n")
    code, _, err = cli("import", str(tmp_path / "x.csv"), "--into", "Existing")
    assert code == 1
    assert "row 4, name: the map already has a touchpoint called 'hold MUSIC'" in err
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv"], "needs --title for the new map, or --into MAP"),
        (["--format", "csv", "--into", "Existing", "--title", "T"], "--title is for a new map"),
        (["--format", "json", "--stages", "A,B"], "--stages is for CSV imports"),
        (["--format", "csv", "--title", "T", "--kind", "dream"], "unknown kind 'dream'"),
        (["--format", "csv", "--title", "Existing"], "already a map called 'Existing'"),
        (["--format", "csv", "--title", "T", "--stages", "A,,B"], "a stage name cannot be empty"),
    ],
)
def test_cli_import_option_mistakes(cli: Cli, db_path: Path, tmp_path: Path, args: list[str], message: str) -> None:
    cli.ok("new", "Existing")
    before = db_path.read_bytes()
    f = tmp_path / "ok.txt"
    f.write_text("name\nA\n")
    code, _, err = cli("import", str(f), *args)
    assert code in (1, 2) and message in err and err.count("\n") == 1
    assert db_path.read_bytes() == before


def test_cli_csv_that_is_not_utf8(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes("name\nCaf\u00e9\n".encode("latin-1"))
    code, _, err = cli("import", str(f), "--title", "T")
    assert code == 1 and err == f"cxmap: {f}: not UTF-8 text (in a spreadsheet, save it as 'CSV UTF-8')\n"
