"""`cxmap history MAP`: a map's changes by two people, on the file and on the server, told in
words, in the order they were made, each with who made it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxmap_tui.store import customer_checks
from tests.helpers.cli import Cli

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d  ")


@pytest.fixture(params=["file", "server"])
def cli(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    if request.param == "file":
        return Cli(capsys, tmp_path / "cx.json")
    return Cli(capsys, request.getfixturevalue("pg_url"))


def _as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setattr(customer_checks, "os_user", lambda: user)


def test_two_peoples_edits_are_told_in_order_with_their_names(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "ann")
    cli.ok("new", "Support call")
    for name in ("Web form", "Hold music", "Callback", "Invoice"):
        cli.ok("touchpoint", "add", "Support call", name)
    _as(monkeypatch, "bo")
    cli.ok("feel", "Support call", "Invoice", "-1")
    cli.ok("feel", "Support call", "Invoice", "+1", "--thought", "Clear, at last")
    _as(monkeypatch, "ann")
    cli.ok("touchpoint", "move", "Support call", "Callback", "2")  # Web form, Callback, Hold music, Invoice
    cli.ok("improve", "Support call", "Call-back option", "-t", "Hold music")
    _as(monkeypatch, "bo")
    cli.ok("touchpoint", "edit", "Support call", "Web form", "--name", "Contact form", "--channel", "Web")
    cli.ok("touchpoint", "remove", "Support call", "Invoice")

    lines = cli.ok("history", "Support call").splitlines()
    assert all(STAMP.match(line) or line.startswith(" " * 18) for line in lines), lines
    told = [line[18:] for line in lines]
    assert told == [
        "ann  made the map 'Support call'",
        "ann  added 'Web form'",
        "ann  added 'Hold music'",
        "ann  added 'Callback'",
        "ann  added 'Invoice'",
        "bo   feeling at 'Invoice' none -> -1",
        "bo   feeling at 'Invoice' -1 -> +1",
        "     thoughts at 'Invoice' (none) -> 'Clear, at last'",
        "ann  moved 'Callback' before 'Hold music'",
        "ann  added the improvement 'Call-back option'",
        "bo   renamed 'Web form' to 'Contact form'",
        "     changed the channel of 'Contact form' (none) -> 'Web'",
        "bo   removed 'Invoice'",
    ]
    as_json = json.loads(cli.ok("history", "Support call", "--json"))
    assert [(e["user"], e["changes"]) for e in as_json[5:7]] == [
        ("bo", ["feeling at 'Invoice' none -> -1"]),
        ("bo", ["feeling at 'Invoice' -1 -> +1", "thoughts at 'Invoice' (none) -> 'Clear, at last'"])]
    assert [e["seq"] for e in as_json] == sorted(e["seq"] for e in as_json)
    assert cli.ok("history", "show", "Support call", "--since", "2000-01-01") == "\n".join(lines)
    assert cli.ok("history", "Support call", "--since", "9999-12-31") == (
        "No changes to 'Support call' in the history since 9999-12-31.")


def test_text_in_the_history_is_shown_as_typed_and_never_obeyed(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("new", "Support call")
    cli.ok("touchpoint", "add", "Support call", "[b]Hold[/b] music")
    told = cli.ok("history", "Support call")
    assert told.endswith("added '[b]Hold[/b] music'")  # not markup (and a terminal gets symbols: cli.out)
    code, _, err = cli("history", "No such map")
    assert code != 0 and err.count("\n") == 1 and "no map matches" in err
