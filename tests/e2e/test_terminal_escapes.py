"""Nothing raw reaches a terminal: escape sequences, C1 controls, bidi controls and zero-width
characters planted in every kind of user text show as symbols in every command on a real
pseudo-terminal; to a pipe or a file each format keeps its own rules (JSON escapes and reads back
exactly, CSV keeps the text as typed)."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import shutil
import subprocess
import sys
import termios
import time
import unicodedata
from pathlib import Path

import pytest
from rich.text import Text

from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.io.csv_format import neutralise
from cxmap_tui.io.json_format import dumps
from cxmap_tui.io.text import shown as shown_in_documents
from cxmap_tui.present.display import laid_out, visible
from cxmap_tui.store import Store
from cxmap_tui.tui.widgets.safe_input import ControlPictures
from tests.helpers.escapes import (
    IGNORABLE,
    PAYLOADS,
    RAW_CATEGORIES,
    Planted,
    hostile,
    plant,
    raw_characters,
    terminal_offences,
)

ROOT = Path(__file__).resolve().parents[2]
UTF8 = {"LANG": "C.UTF-8", "TERM": "xterm-256color"}
PLAIN = {"LANG": "C", "TERM": "xterm", "NO_COLOR": "1"}


def _env(home: Path, extra: dict[str, str]) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(home),
            "XDG_DATA_HOME": str(home), "XDG_STATE_HOME": str(home), "COLUMNS": "100", **extra}


def on_pty(args: list[str], env: dict[str, str], *, answer: bytes = b"", timeout: float = 60.0) -> tuple[int, bytes]:
    """Run `cxmap ARGS` with standard input, output and error on a pseudo-terminal; return its
    exit code and every byte it wrote, exactly (the terminal does not turn "\\n" into "\\r\\n")."""
    master, slave = os.openpty()
    mode = termios.tcgetattr(slave)
    mode[1] &= ~termios.OPOST
    mode[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, mode)
    proc = subprocess.Popen([sys.executable, "-m", "cxmap_tui", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    if answer:
        os.write(master, answer)
    data = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], deadline - time.monotonic())
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # every writer has closed the terminal: the program has ended
                break
            if not chunk:
                break
            data += chunk
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return code, data


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return plant(tmp_path_factory.mktemp("planted") / "cx.json")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def _commands(p: Planted) -> dict[str, list[str]]:
    """Every command that prints user text, by a name for the test's id."""
    m, ideal = p.map_id, p.ideal_id
    contact, account = p.contact_ids[0], p.account_id
    day = ["--today", "2026-03-02"]
    found = {
        "list": ["list"], "list-json": ["list", "--json"],
        "show": ["show", m], "show-ideal": ["show", ideal],
        "analyze": ["analyze", m], "analyze-json": ["analyze", m, "--json"],
        "backlog": ["backlog", m], "backlog-matrix": ["backlog", m, "--matrix"],
        "backlog-json": ["backlog", m, "--json", "--matrix"],
        "compare": ["compare", m], "compare-json": ["compare", m, "--json"],
        "account-list": ["account", "list"], "account-list-json": ["account", "list", "--json"],
        "contact-list": ["contact", "list"], "contact-list-json": ["contact", "list", "--json"],
        "checklist-contact": ["checklist", "--contact", contact, "--map", ideal, *day],
        "checklist-account": ["checklist", "--account", account, "--map", ideal, *day],
        "checklist-json": ["checklist", "--account", account, "--map", ideal, *day, "--json"],
        "at-risk": ["at-risk"], "at-risk-json": ["at-risk", "--json"],
        "review-candidates": ["review-candidates"], "review-candidates-json": ["review-candidates", "--json"],
        "segment": ["segment", p.segment, "--map", m], "segment-json": ["segment", p.segment, "--map", m, "--json"],
    }
    for fmt in ("json", "markdown", "mermaid", "html", "csv", "csv-improvements"):
        found[f"export-{fmt}"] = ["export", m, "--format", fmt]
    return found


COMMANDS = list(_commands(Planted(Path(), "M", "I", ["T"], ["U"], "A", ["C"], "S")))

# Mistakes whose one line on stderr quotes user text, typed or stored.
MISTAKES = {
    "no-such-map": lambda p: ["show", hostile("Nope")],
    "no-such-segment": lambda p: ["segment", hostile("Nope"), "--map", p.map_id],
    "title-taken": lambda p: ["new", Store.open(p.db).get(p.map_id).title],
    "unknown-stage": lambda p: ["touchpoint", "add", p.map_id, "New one", "--stage", hostile("Stage?")],
    "account-has-contacts": lambda p: ["account", "delete", p.account_id],
    "contact-taken": lambda p: ["contact", "add", Store.open(p.db).customers.find_contact(p.contact_ids[0]).name,
                                "--account", p.account_id],
    "bad-choice": lambda p: ["backlog", p.map_id, "--sort", hostile("Sort")],
    "not-an-ideal": lambda p: ["compare", p.map_id, "--ideal", p.map_id],
}


def _assert_safe(data: bytes, *, ascii: bool = False) -> str:
    offences = terminal_offences(data, ascii=ascii)
    assert offences == [], (offences[:10], data[:400])
    return data.decode("utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_on_a_terminal_writes_no_raw_control_or_bidi_character(planted: Planted, home: Path,
                                                                              name: str) -> None:
    code, data = on_pty(["--db", str(planted.db), *_commands(planted)[name]], _env(home, UTF8))
    assert code == 0, data[-600:]
    text = _assert_safe(data)
    # The text is shown, its hidden characters as symbols: nothing is dropped.
    if name.endswith("json"):
        assert "\\u202e" in text and "\\u001b]0;PWNED-TITLE\\u0007" in text and "\\u009b2J" in text
    else:  # in the documents as HTML entities (<) or look-alikes (Mermaid's ‹ and ›)
        assert "U+202E" in text and "U+200B" in text
    if name in ("show", "export-csv", "checklist-account"):
        for shown in ("<U+202E>b<U+200B>", "<U+2066>", "<U+009B>2J", "\u2407", "\u2408", "\u240d", "\u241b[2J",
                      "\u241b]0;PWNED-TITLE\u2407", "\u241b]52;c;cHduZWQ="):
            assert shown in text, shown


@pytest.mark.parametrize("name", ["show", "list", "analyze", "contact-list", "checklist-account", "at-risk",
                                  "review-candidates", "segment", "export-csv", "export-markdown", "list-json"])
def test_an_ascii_terminal_gets_symbols_in_ascii_only(planted: Planted, home: Path, name: str) -> None:
    code, data = on_pty(["--db", str(planted.db), *_commands(planted)[name]], _env(home, PLAIN))
    assert code == 0, data[-600:]
    text = _assert_safe(data, ascii=True)
    assert ("\\u202e" if name.endswith("json") else "U+202E") in text


@pytest.mark.parametrize("name", list(MISTAKES))
def test_mistakes_quoting_user_text_are_one_safe_line(planted: Planted, home: Path, name: str) -> None:
    code, data = on_pty(["--db", str(planted.db), *MISTAKES[name](planted)], _env(home, UTF8))
    assert code != 0
    text = _assert_safe(data)
    assert text.startswith("cxmap: ") and text.count("\n") == 1, text


def _copy_database(source: Path, target: Path) -> None:
    """Copy a database with its journal, which belongs to it (README)."""
    shutil.copy(source, target)
    journal = source.with_name(source.name + ".journal")
    if journal.exists():
        shutil.copy(journal, target.with_name(target.name + ".journal"))


def test_a_prompt_quoting_a_title_is_safe(planted: Planted, home: Path, tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    _copy_database(planted.db, db)
    code, data = on_pty(["--db", str(db), "delete", planted.map_id], _env(home, UTF8), answer=b"n\n")
    assert code == 1
    text = _assert_safe(data)
    assert "Delete " in text and "PWNED-TITLE" in text
    assert Store.open(db).get(planted.map_id)  # still there


def test_commands_that_change_a_map_and_say_so_are_safe(planted: Planted, home: Path, tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    _copy_database(planted.db, db)
    m, ideal = planted.map_id, planted.ideal_id
    runs = [["link", m, ideal], ["match", m, planted.touchpoint_ids[1], planted.ideal_touchpoint_ids[1]],
            ["match", m, planted.touchpoint_ids[1], "--by-name"], ["link", m, "--none"],
            ["touchpoint", "add", m, hostile("Added")], ["where"]]
    for args in runs:
        code, data = on_pty(["--db", str(db), *args], _env(home, UTF8))
        assert code == 0, (args, data[-600:])
        _assert_safe(data)


def test_a_database_path_with_escapes_in_it_is_shown_safely(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / hostile("team").replace("/", "")
    folder.mkdir()
    (folder / "cx.json").write_text("{ not json")
    for args in (["where"], ["list"]):
        code, data = on_pty(["--db", str(folder / "cx.json"), *args], _env(home, UTF8))
        text = _assert_safe(data)
        assert "PWNED-TITLE" in text and (code == 0) == (args == ["where"]), text


# -- to a pipe and to a file: each format's own rules ---------------------------------------------


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    out = subprocess.run([sys.executable, "-m", "cxmap_tui", *args], capture_output=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    return out


def _stored(p: Planted) -> ExperienceMap:
    return Store.open(p.db).get(p.map_id)


def test_json_through_a_pipe_and_in_a_file_is_safe_to_print_and_reads_back_exactly(planted: Planted, home: Path,
                                                                                    tmp_path: Path) -> None:
    env = _env(home, UTF8)
    path = tmp_path / "map.json"
    piped = _run(["--db", str(planted.db), "export", planted.map_id, "-f", "json"], env).stdout
    _run(["--db", str(planted.db), "export", planted.map_id, "-o", str(path)], env)
    stored = _stored(planted).to_dict()
    stored.pop("revision", None)
    for data in (piped, path.read_bytes()):
        text = data.decode("utf-8")
        assert raw_characters(text) == []  # safe to cat: C1, bidi and zero-width are \u escapes
        assert json.loads(text)["map"] == stored
    assert piped == path.read_bytes()


@pytest.mark.parametrize("args", [["list", "--json"], ["contact", "list", "--json"], ["account", "list", "--json"]])
def test_json_for_scripts_is_safe_to_print_and_exact(planted: Planted, home: Path, args: list[str]) -> None:
    text = _run(["--db", str(planted.db), *args], _env(home, UTF8)).stdout.decode("utf-8")
    assert raw_characters(text) == []
    rows = json.loads(text)
    store = Store.open(planted.db)
    if args[0] == "list":
        assert {r["title"] for r in rows} == {m.title for m in store.maps()}
    else:
        names = {a.name for a in store.customers.accounts()} | {c.name for c in store.customers.contacts()}
        assert {r["name"] for r in rows} <= names and all(PAYLOADS["rlo"] in r["name"] for r in rows)


def test_csv_through_a_pipe_and_in_a_file_keeps_the_text_as_typed(planted: Planted, home: Path,
                                                                  tmp_path: Path) -> None:
    env = _env(home, UTF8)
    path = tmp_path / "map.csv"
    piped = _run(["--db", str(planted.db), "export", planted.map_id, "-f", "csv"], env).stdout.decode("utf-8")
    _run(["--db", str(planted.db), "export", planted.map_id, "-o", str(path)], env)
    in_file = path.read_bytes().decode("utf-8")
    assert in_file == "\ufeff" + piped
    header, *rows = list(csv.reader(io.StringIO(piped, newline="")))
    m = _stored(planted)
    for row, tp in zip(rows, m.touchpoints, strict=True):
        cells = dict(zip(header, row, strict=True))
        for column in ("stage", "name", "action", "channel", "owner", "notes", "thoughts"):
            assert cells[column] == neutralise(getattr(tp, column)), column
    improvements = _run(["--db", str(planted.db), "export", planted.map_id, "-f", "csv-improvements"], env).stdout
    header, row = list(csv.reader(io.StringIO(improvements.decode("utf-8"), newline="")))
    assert dict(zip(header, row, strict=False))["title"] == m.improvements[0].title


@pytest.mark.parametrize("fmt", ["markdown", "html", "mermaid"])
def test_documents_in_files_show_hidden_characters_as_symbols(planted: Planted, home: Path, tmp_path: Path,
                                                              fmt: str) -> None:
    path = tmp_path / "map.out"
    _run(["--db", str(planted.db), "export", planted.map_id, "-f", fmt, "-o", str(path)], _env(home, UTF8))
    text = path.read_text(encoding="utf-8")
    assert raw_characters(text) == []
    assert "U+202E" in text and "U+200B" in text and "U+2066" in text and "U+009B" in text


def test_contact_deletion_asks_safely_too(planted: Planted, home: Path, tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    _copy_database(planted.db, db)
    code, data = on_pty(["--db", str(db), "contact", "delete", planted.contact_ids[2]], _env(home, UTF8),
                        answer=b"n\n")
    assert code == 1
    assert "Delete " in _assert_safe(data)


def test_import_mistakes_quoting_the_file_are_safe(planted: Planted, home: Path, tmp_path: Path) -> None:
    touchpoints = tmp_path / "touchpoints.csv"
    touchpoints.write_text(f"name,feeling\n{hostile('Row')},{hostile('bad')}\n", encoding="utf-8")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"name,start\n{hostile('Firm')},{hostile('when')}\n", encoding="utf-8")
    runs = [["import", str(touchpoints), "--title", "New"], ["import-customers", str(accounts), "--what", "accounts"],
            ["import", str(accounts)]]
    for args in runs:
        code, data = on_pty(["--db", str(planted.db), *args], _env(home, UTF8))
        text = _assert_safe(data)
        assert code != 0 and text.startswith("cxmap: ") and text.count("\n") == 1, (args, text)


# -- the one decision: which characters, and how they show -----------------------------------------


def _every(categories: set[str]) -> str:
    return "".join(chr(o) for o in range(0x110000) if unicodedata.category(chr(o)) in categories)


def test_every_control_format_surrogate_private_use_and_separator_character_shows_as_a_symbol() -> None:
    hidden = _every(RAW_CATEGORIES) + "".join(map(chr, IGNORABLE))
    for shown in (visible(hidden), visible(hidden, one_line=False), visible(hidden, ascii=True), shown_in_documents(hidden),
                  laid_out(hidden), laid_out(hidden, ascii=True)):
        assert raw_characters(shown) == []
    assert visible(hidden, ascii=True).isascii() and laid_out(hidden, ascii=True).isascii()
    # one symbol for each: nothing is dropped, nothing new is hidden
    assert visible("a\u202eb\u200bc\u2066d\x9be\x1bf\x07g\x08h\ri\u00adj\ufeffk\U000e0041l\ue000m") == (
        "a<U+202E>b<U+200B>c<U+2066>d<U+009B>e\u241bf\u2407g\u2408h\u240di<U+00AD>j<U+FEFF>k<U+E0041>l<U+E000>m")
    assert visible("\x1b[2J\x7f", ascii=True) == "^[[2J^?"
    assert visible("\u3164\u115f\u034f\ufe00") == "<U+3164><U+115F><U+034F><U+FE00>"


def test_json_escapes_every_one_of_them_and_reads_back_exactly() -> None:
    hidden = _every(RAW_CATEGORIES - {"Cs"}) + "".join(map(chr, IGNORABLE)) + "\ud800 \udfff"
    data = {"text": hidden, "list": [hidden[::-1]]}
    for ascii in (False, True):
        text = dumps(data, ascii=ascii)
        assert raw_characters(text) == [] and json.loads(text) == data
    assert dumps("\u202e\x9b\U000e0041") == '"\\u202e\\u009b\\udb40\\udc41"'


@pytest.mark.parametrize("text", [
    "caf\u00e9 na\u00efve", "\u05e2\u05d1\u05e8\u05d9\u05ea 123", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\u4e2d\u6587 \u65e5\u672c\u8a9e", "family \U0001f468\u200d\U0001f469\u200d\U0001f467", "\u2764\ufe0f love",
    "\U0001f44d\U0001f3fd", "\U0001f3f3\ufe0f\u200d\U0001f308", "1\ufe0f\u20e3", "\U0001f1eb\U0001f1f7",
    "no\u00a0break", "\U0001f469\U0001f3fd\u200d\U0001f4bb",
])
def test_text_as_people_write_it_is_shown_as_typed(text: str) -> None:
    assert visible(text) == text and shown_in_documents(text) == text and laid_out(text) == text


@pytest.mark.parametrize(("text", "shown"), [
    ("a\u200db", "a<U+200D>b"),  # a joiner between letters hides nothing only when it joins emoji
    ("\u200d\U0001f600", "<U+200D>\U0001f600"),
    ("\ufe0fx", "<U+FE0F>x"),  # a presentation selector with nothing before it
    ("\u2764\ufe0f\ufe0f", "\u2764\ufe0f<U+FE0F>"),  # or one too many
    ("\U0001f600\u200d", "\U0001f600<U+200D>"),
])
def test_emoji_joiners_and_selectors_elsewhere_show(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_the_text_field_shows_one_symbol_for_each_character() -> None:
    value = hostile("Field")
    for ascii in (False, True):
        highlighter = ControlPictures(ascii, lambda: value)
        text = highlighter(Text(value))  # Rich has dropped BEL, backspace and CR from this Text
        assert len(text.plain) == len(value) and raw_characters(text.plain) == []
        assert text.plain.isascii() or not ascii
    assert ControlPictures(False, lambda: value)(Text(value)).plain.startswith("Field a\ufffdb\ufffdc\ufffdd\ufffd2Je\u241bf\u2407")
