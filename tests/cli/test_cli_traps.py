"""Traps a new user met on the command line, each walked into through the real entry point: a
report on a mistyped --db that made an empty database, `-o out.txt` that wrote JSON, a name one
letter off, an option that set less than its name said, and "1 touchpoints". (Starting the app
on a map and step, `cxmap open`, is in test_cli_open.)"""

from __future__ import annotations

import gc
import io
import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from cxmap_tui.cli.group import cli as cxmap_group
from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.errors import NotFound
from cxmap_tui.domain.words import counted
from cxmap_tui.store import Store
from cxmap_tui.store.errors import NoDatabase
from tests.helpers.cli import Cli, record_app_starts
from tests.helpers.factories import file_bytes

ROOT = Path(__file__).resolve().parents[2]
FORMATS_LINE = "(json, markdown, mermaid, html, csv, csv-improvements)"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The app is never started here; a command that would start it is recorded."""
    try:
        yield record_app_starts(monkeypatch)
    finally:
        gc.enable()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path, started: list[dict[str, Any]]) -> Cli:
    return Cli(capsys, db_path)


@pytest.fixture
def missing(capsys: pytest.CaptureFixture[str], tmp_path: Path, started: list[dict[str, Any]]) -> Cli:
    """The CLI on a --db whose folders do not exist either, as when it is mistyped."""
    return Cli(capsys, tmp_path / "nonexistent" / "dir" / "x.json")


def _filled(cli: Cli) -> dict[str, str]:
    ids = {"map": cli.ok("new", "Support call", "--scenario", "service", "--scope", "A late order")}
    cli.ok("touchpoint", "add", "Support call", "Hold music", "--stage", "Use")
    cli.ok("touchpoint", "add", "Support call", "Agent answers", "--stage", "Use")
    cli.ok("feel", "Support call", "Hold music", "-2")
    ids["ideal"] = cli.ok("new", "Support call (ideal)", "--scenario", "service", "--kind", "ideal")
    cli.ok("touchpoint", "add", ids["ideal"], "Hold music", "--stage", "Use", "--feeling", "1")
    cli.ok("link", ids["map"], ids["ideal"])
    cli.ok("account", "add", "Acme Vets", "--start", "2026-01-01", "--segment", "Vets")
    cli.ok("contact", "add", "Ann Lee", "--account", "Acme Vets", "--start", "2026-01-02")
    cli.ok("record", "Ann Lee", ids["map"], "Hold music", "--date", "2026-02-01", "--feeling", "-2")
    return ids


# -- 1. a command that only reads never makes a database ------------------------------------------

# Every command that only reads, with arguments that work on the database `_filled` makes.
READING: dict[str, list[str]] = {
    "list": [],
    "show": ["Support call"],
    "export": ["Support call", "--format", "markdown"],
    "analyze": ["Support call"],
    "backlog": ["Support call"],
    "compare": ["Support call"],
    "open": ["Support call"],
    "account list": [],
    "contact list": [],
    "contact show": ["Ann Lee"],
    "checklist": ["--contact", "Ann Lee", "--map", "Support call (ideal)", "--today", "2026-02-05"],
    "at-risk": [],
    "review-candidates": [],
    "references": [],
    "segment": ["Vets", "--map", "Support call"],
    "history show": ["Support call"],
}
NO_DATABASE = {"where", "templates"}  # they never open one
CHANGING = {
    "new", "import", "import-customers", "delete", "feel", "improve", "link", "match", "record", "resolve",
    "touchpoint add", "touchpoint edit", "touchpoint move", "touchpoint remove",
    "account add", "account edit", "account delete", "contact add", "contact edit", "contact delete",
    "history prune",
    "copy",  # makes its target; its source is only read (never made: tests/cli/test_copy.py)
}


def _command_names(group: click.Group, ctx: click.Context, prefix: str = "") -> Iterator[str]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _command_names(command, ctx, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def test_every_command_is_either_reading_or_changing() -> None:
    """A new command has to say which it is: one that reads must not make a database."""
    names = set(_command_names(cxmap_group, click.Context(cxmap_group)))
    assert names == set(READING) | NO_DATABASE | CHANGING
    assert not set(READING) & CHANGING


@pytest.mark.parametrize("command", list(READING))
def test_a_command_that_reads_makes_no_database_where_there_is_none(missing: Cli, tmp_path: Path,
                                                                      started: list[dict[str, Any]],
                                                                      command: str) -> None:
    code, out, err = missing(*command.split(), *READING[command])
    assert (code, out) == (1, "")
    assert err == f"cxmap: no database at {missing.db}; cxmap new creates one\n"
    assert not (tmp_path / "nonexistent").exists()
    assert started == []


@pytest.mark.parametrize("command", ["list", "show", "at-risk", "contact show"])
def test_nor_in_a_folder_that_is_there(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       started: list[dict[str, Any]], command: str) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    code, _, err = Cli(capsys, folder / "cx.json")(*command.split(), *READING[command])
    assert code == 1 and err == f"cxmap: no database at {folder / 'cx.json'}; cxmap new creates one\n"
    assert list(folder.iterdir()) == []  # no file, no lock


@pytest.mark.parametrize("command", list(READING))
def test_and_on_a_database_it_only_reads(cli: Cli, command: str) -> None:
    _filled(cli)
    before = file_bytes(cli.db)
    code, _, err = cli(*command.split(), *READING[command])
    assert code == 0, err
    assert file_bytes(cli.db) == before


def test_commands_that_change_and_the_app_still_make_it(missing: Cli, capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path, started: list[dict[str, Any]]) -> None:
    missing.ok("new", "Support call")
    assert [m.title for m in Store.open(missing.db).maps()] == ["Support call"]
    other = Cli(capsys, tmp_path / "elsewhere" / "cx.json")
    other.ok("account", "add", "Acme Vets", "--start", "2026-01-01")
    assert other.db.is_file()
    app_db = tmp_path / "for-the-app" / "cx.json"
    code, _, err = Cli(capsys, app_db)("--db", str(app_db), db=False)  # `cxmap` alone starts the app
    assert code == 0, err
    assert app_db.is_file() and [call["location"] for call in started] == [str(app_db)]


NEEDS_WHAT_IS_THERE: dict[str, list[str]] = {
    "feel": ["Support call", "Hold music", "-2"],
    "improve": ["Support call", "Call-back"],
    "delete": ["Support call", "--yes"],
    "link": ["Support call", "Ideal"],
    "match": ["Support call", "Hold music", "Waiting"],
    "record": ["Ann Lee", "Support call", "Hold music"],
    "resolve": ["Ann Lee"],
    "touchpoint edit": ["Support call", "Hold music", "--action", "Waits"],
    "touchpoint move": ["Support call", "Hold music", "1"],
    "touchpoint remove": ["Support call", "Hold music"],
    "touchpoint add": ["Support call", "Hold music"],
    "account edit": ["Acme", "--segment", "SMB"],
    "account delete": ["Acme"],
    "contact edit": ["Ann Lee", "--segment", "SMB"],
    "contact delete": ["Ann Lee", "--yes"],
    "history prune": ["--keep", "0", "--yes"],
}


@pytest.mark.parametrize("command", list(NEEDS_WHAT_IS_THERE))
def test_a_change_to_something_that_must_be_there_makes_no_empty_database(missing: Cli, tmp_path: Path,
                                                                          command: str) -> None:
    """It can never succeed on a missing database: it says so rather than leave an empty one."""
    code, out, err = missing(*command.split(), *NEEDS_WHAT_IS_THERE[command])
    assert (code, out) == (1, "")
    assert err == f"cxmap: no database at {missing.db}; cxmap new creates one\n"
    assert not (tmp_path / "nonexistent").exists()


def test_the_store_opened_not_to_create_makes_nothing(tmp_path: Path) -> None:
    with pytest.raises(NoDatabase, match="no database at "):
        Store.open(tmp_path / "a" / "cx.json", create=False)
    assert list(tmp_path.iterdir()) == []
    Store.open(tmp_path / "cx.json").add(ExperienceMap.new("Support call"))
    assert [m.title for m in Store.open(tmp_path / "cx.json", create=False).maps()] == ["Support call"]


def test_where_says_whether_the_file_is_there(missing: Cli, tmp_path: Path) -> None:
    code, out, err = missing("where")
    assert (code, out) == (0, f"{missing.db}\n")  # the path alone on standard output, for scripts
    assert err == "cxmap: no database there yet; cxmap new creates one\n"
    assert not (tmp_path / "nonexistent").exists()
    missing.ok("new", "Support call")
    code, out, err = missing("where")
    assert (code, out, err) == (0, f"{missing.db}\n", "cxmap: the file exists\n")


# -- 2. the export's format: from the file's extension, or asked for, never guessed ------------------


@pytest.mark.parametrize("name", ["out.txt", "out", "out.jsonl", "out.csv-improvements"])
def test_an_extension_that_names_no_format_is_refused(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      name: str) -> None:
    _filled(cli)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("export", "Support call", "-o", name)
    assert code == 2 and out == ""
    assert err.startswith(f"cxmap: cannot tell the format from '{name}'; give --format {FORMATS_LINE}")
    assert err.count("\n") == 1
    assert not (tmp_path / name).exists()
    assert cli.ok("export", "Support call", "--format", "json", "-o", name) == ""  # asked for: written
    assert json.loads((tmp_path / name).read_text())["map"]["title"] == "Support call"


@pytest.mark.parametrize(("alias", "name"), [("md", "markdown"), ("mmd", "mermaid"), ("htm", "html"), ("MD", "markdown"),
                                         ("Markdown", "markdown")])
def test_format_aliases(cli: Cli, tmp_path: Path, alias: str, name: str) -> None:
    _filled(cli)
    assert cli.ok("export", "Support call", "--format", alias) == cli.ok("export", "Support call", "--format", name)
    cli.ok("export", "Support call", "--format", alias, "-o", str(tmp_path / "a.out"))
    cli.ok("export", "Support call", "-o", str(tmp_path / f"b.{alias}"))
    cli.ok("export", "Support call", "--format", name, "-o", str(tmp_path / "c.out"))
    assert file_bytes(tmp_path / "a.out") == file_bytes(tmp_path / f"b.{alias}") == file_bytes(tmp_path / "c.out")


def test_the_help_names_the_aliases(cli: Cli) -> None:
    code, out, _ = cli("export", "--help", db=False)
    assert code == 0
    text = " ".join(out.split())
    assert "also md, mmd, htm" in text and ".md or .markdown" in text and "needs --format" in text


# -- 3. did you mean -------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["show", "Suport call"], "no map matches 'Suport call'; did you mean 'Support call' or 'Support call (ideal)'?"),
    (["feel", "Support call", "Hold musik", "+1"], "no touchpoint matches 'Hold musik'; did you mean 'Hold music'?"),
    (["contact", "add", "Bo Ek", "--account", "Acme Vtes"], "no account matches 'Acme Vtes'; did you mean 'Acme Vets'?"),
    (["record", "Anne Lee", "Support call", "Hold music"], "no contact matches 'Anne Lee'; did you mean 'Ann Lee'?"),
    (["improve", "Support call", "Call back", "-t", "hold muzic"],
     "no touchpoint matches 'hold muzic'; did you mean 'Hold music'?"),
])
def test_a_name_one_letter_off_gets_the_name_it_was_meant_to_be(cli: Cli, args: list[str], message: str) -> None:
    _filled(cli)
    before = file_bytes(cli.db)
    code, out, err = cli(*args)
    assert (code, out, err) == (1, "", f"cxmap: {message}\n")
    assert file_bytes(cli.db) == before


def test_at_most_three_the_closest_first_and_none_when_nothing_is_close(cli: Cli) -> None:
    for title in ("Support call", "Support calls", "Support call 2", "Support call 3", "Web shop"):
        cli.ok("new", title)
    code, _, err = cli("show", "Suport cal")
    assert code == 1
    assert err == "cxmap: no map matches 'Suport cal'; did you mean 'Support call', 'Support calls' or 'Support call 2'?\n"
    code, _, err = cli("show", "Nope")
    assert (code, err) == (1, "cxmap: no map matches 'Nope'\n")


def test_improvements_too() -> None:
    m = ExperienceMap.new("Support call")
    m.add_improvement("Call-back option")
    with pytest.raises(NotFound, match=r"^no improvement matches 'Callback opton'; did you mean 'Call-back option'\?$"):
        m.improvement("Callback opton")


# -- 4. options that say what they set ---------------------------------------------------------------


def _improvement(cli: Cli) -> tuple[int, int, int]:
    [imp] = Store.open(cli.db).find("Support call").improvements
    return imp.customer_value, imp.business_value, imp.effort


def test_improve_sets_the_customer_and_the_business_value_by_name(cli: Cli) -> None:
    _filled(cli)
    cli.ok("improve", "Support call", "Call back", "--customer-value", "5", "--business-value", "4", "--effort", "2")
    assert _improvement(cli) == (5, 4, 2)
    _code, out, _ = cli("improve", "--help", db=False)
    assert "--customer-value" in out and "--business-value" in out and "--value " not in out


def test_the_old_value_option_still_works_and_says_what_it_set(cli: Cli) -> None:
    _filled(cli)
    code, out, err = cli("improve", "Support call", "Call back", "--value", "5")
    assert code == 0 and len(out.strip()) == 8
    assert err == ("cxmap: --value sets the value to the customer only, and is now called --customer-value "
                   "(the business value is --business-value)\n")
    assert _improvement(cli) == (5, 3, 3)
    code, _, err = cli("improve", "Support call", "Other", "--value", "5", "--customer-value", "4")
    assert code == 2 and "give only --customer-value" in err and err.count("\n") == 1
    assert len(Store.open(cli.db).find("Support call").improvements) == 1


def test_the_readme_examples_do_what_they_say(cli: Cli) -> None:
    """The README's lines that build "Support call", run as they are written."""
    block = (ROOT / "README.md").read_text().split("## The command line", 1)[1].split("```sh\n", 1)[1].split("```")[0]
    wanted = ("cxmap new \"Support call\"", "cxmap touchpoint add ", "cxmap feel ", "cxmap improve ")
    lines = [line.split("#")[0].strip() for line in block.splitlines() if line.startswith(wanted)]
    assert len(lines) == 4, lines
    for line in lines:
        cli.ok(*shlex.split(line)[1:])
    assert _improvement(cli) == (5, 4, 2)  # --customer-value 5 --business-value 4 --effort 2


# -- 5. counts in words ------------------------------------------------------------------------------


def test_counted() -> None:
    assert [counted(n, "touchpoint") for n in (0, 1, 2)] == ["0 touchpoints", "1 touchpoint", "2 touchpoints"]
    assert counted(1, "company", "companies") == "1 company" and counted(3, "company", "companies") == "3 companies"


def test_one_of_each_is_said_in_the_singular(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    cli.ok("new", "Support call", "--scenario", "service")
    cli.ok("touchpoint", "add", "Support call", "Hold music", "--stage", "Use")
    cli.ok("feel", "Support call", "Hold music", "-2")
    cli.ok("improve", "Support call", "Call back", "-t", "Hold music")
    text = cli.ok("analyze", "Support call")
    assert "1 touchpoint, 1 rated, 1 improvement\n" in text
    assert "over 1 rated touchpoint " in text + " "
    assert "touchpoints," not in text and "improvements" not in text
    ideal = cli.ok("new", "Support call (ideal)", "--scenario", "service", "--kind", "ideal")
    cli.ok("touchpoint", "add", ideal, "Hold music", "--stage", "Use", "--feeling", "1")
    assert "\n1 pair (1 rated in both), " in cli.ok("compare", "Support call", "--ideal", ideal)


class _Keyboard(io.StringIO):
    """Standard input that is a terminal, with the answers typed on it."""

    def isatty(self) -> bool:
        return True


def test_the_questions_count_right(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("new", "Support call")
    cli.ok("touchpoint", "add", "Support call", "Hold music")
    cli.ok("account", "add", "Acme Vets", "--start", "2026-01-01")
    cli.ok("contact", "add", "Ann Lee", "--account", "Acme Vets", "--start", "2026-01-02")
    cli.ok("record", "Ann Lee", "Support call", "Hold music", "--date", "2026-02-01")
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\nn\n"))
    code, out, _ = cli("delete", "Support call")
    assert code == 1 and "Delete 'Support call' (1 touchpoint)?" in out
    code, out, _ = cli("contact", "delete", "Ann Lee")
    assert code == 1 and "Delete 'Ann Lee' and 1 recorded interaction?" in out
    assert [m.title for m in Store.open(cli.db).maps()] == ["Support call"]


def test_a_csv_row_against_a_header_of_one_column(cli: Cli, tmp_path: Path) -> None:
    table = tmp_path / "touchpoints.csv"
    table.write_text("name\nHold music,Waits\n")
    code, _, err = cli("import", str(table), "--title", "Web shop")
    assert code == 1 and err.endswith("row 2: 2 cells, but the header has 1 column\n"), err
    people = tmp_path / "accounts.csv"
    people.write_text("name,start\nAcme Vets\n")
    code, _, err = cli("import-customers", str(people), "--what", "accounts")
    assert code == 1 and err.endswith("row 2: 1 cell, but the header has 2 columns\n"), err


def test_no_command_list_cuts_a_description_short(cli: Cli) -> None:
    from cxmap_tui.cli.group import load_commands

    load_commands()
    groups = [[], *([name] for name, command in cxmap_group.commands.items() if isinstance(command, click.Group))]
    assert {"account", "contact", "touchpoint", "history"} <= {words[0] for words in groups if words}
    for words in groups:
        code, out, _ = cli(*words, "--help", db=False)
        listed = out.split("Commands:", 1)[1]
        assert code == 0 and listed.strip() and "..." not in listed, (words, listed)
