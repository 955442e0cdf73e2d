"""The scriptable CLI: each command, its errors, and export/import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from tests.helpers.cli import Cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    return Cli(capsys, db_path)


def _fill(cli: Cli) -> str:
    map_id = cli.ok("new", "Support call", "--scenario", "service", "--persona", "Busy parent",
                    "--scope", "A customer calls about a late order")
    cli.ok("touchpoint", "add", "Support call", "Phone menu", "--stage", "Use", "--channel", "Phone",
           "--action", "Presses 3 for orders")
    cli.ok("touchpoint", "add", map_id, "Hold music", "--stage", "use", "--action", "Waits")
    cli.ok("touchpoint", "add", map_id, "Agent answers", "--stage", "Use", "--owner", "Support desk")
    cli.ok("touchpoint", "add", map_id, "Web form", "--at", "1", "--stage", "Consideration")
    cli.ok("feel", map_id, "hold", "-2", "--thought", "Twenty minutes of [b]jazz[/b]?")
    cli.ok("feel", map_id, "Agent answers", "+1")
    cli.ok("improve", map_id, "Call-back option", "-t", "Hold music", "-t", "phone menu",
           "--customer-value", "5", "--effort", "2", "--status", "planned", "--owner", "Telephony")
    return map_id


def test_a_map_built_from_the_command_line(cli: Cli, db_path: Path) -> None:
    map_id = _fill(cli)
    m = Store.open(db_path).get(map_id)
    assert (m.title, m.experience, m.persona, m.kind) == ("Support call", "service", "Busy parent", "current")
    assert [t.name for t in m.touchpoints] == ["Web form", "Phone menu", "Hold music", "Agent answers"]
    assert [t.stage for t in m.touchpoints] == ["Consideration", "Use", "Use", "Use"]
    assert [t.feeling for t in m.touchpoints] == [None, None, -2, 1]
    assert m.touchpoints[2].thoughts == "Twenty minutes of [b]jazz[/b]?"
    [imp] = m.improvements
    assert imp.touchpoints == [m.touchpoints[2].id, m.touchpoints[1].id]
    assert (imp.customer_value, imp.effort, imp.status, imp.owner) == (5, 2, "planned", "Telephony")


def test_new_prints_the_id_and_list_shows_it(cli: Cli) -> None:
    map_id = _fill(cli)
    rows = json.loads(cli.ok("list", "--json"))
    assert rows == [{
        "id": map_id, "title": "Support call", "kind": "current", "experience": "service",
        "touchpoints": 4, "rated": 2, "improvements": 1, "updated": rows[0]["updated"],
    }]
    table = cli.ok("list")
    assert map_id in table and "Support call" in table and "current" in table



def test_list_gives_each_map_one_line_in_columns_that_fit(cli: Cli, db_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """However many maps and however long their titles, one line a map in 80 columns: a long
    title is cut (the shorter headers leave it more room), a short list keeps whole headers."""
    monkeypatch.setenv("COLUMNS", "80")
    store = Store.open(db_path)
    from cxmap_tui.domain import ExperienceMap

    store.add(ExperienceMap.new("Short"))
    table = cli.ok("list").splitlines()
    assert table[0].split() == ["ID", "Title", "Kind", "Touchpoints", "Rated", "Improvements", "Changed"]
    long = "A customer calls about a late order and is passed between three departments"
    store.add_many(ExperienceMap.new(f"{long} ({i})") for i in range(30))
    table = cli.ok("list").splitlines()
    assert table[0].split() == ["ID", "Title", "Kind", "Tps", "Rated", "Impr", "Changed"], table[0]
    assert len(table) == 2 + 31 and all(len(line) <= 80 for line in table), table
    ids = {s.id for s in store.summaries()}
    assert {line.split()[0] for line in table[2:]} == ids  # each map, once, its id first
    cut = [line for line in table[2:] if "A customer calls" in line]
    assert len(cut) == 30 and all("\u2026" in line and "departments" not in line for line in cut), cut[:2]
    assert all(line.split()[-4:-1] == ["0", "0", "0"] for line in cut)  # the numbers still in their columns

def test_show_prints_touchpoints_feelings_and_backlog_literally(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping inside cells
    map_id = _fill(cli)
    out = cli.ok("show", map_id)
    assert out.index("Web form") < out.index("Phone menu") < out.index("Hold music")
    assert "Twenty minutes of [b]jazz[/b]?" in out  # not parsed as markup
    assert "\N{POUTING FACE}" in out and "Presses 3 for orders" in out
    assert "Improvement backlog" in out and "Call-back option" in out and "planned" in out
    assert [line for line in out.splitlines() if line != line.rstrip()] == []  # not padded to the width


def test_touchpoint_edit_move_remove(cli: Cli, db_path: Path) -> None:
    map_id = _fill(cli)
    cli.ok("touchpoint", "edit", map_id, "Web form", "--name", "Contact form", "--channel", "Web")
    cli.ok("touchpoint", "move", map_id, "Contact form", "4")
    cli.ok("touchpoint", "remove", map_id, "Phone menu")
    m = Store.open(db_path).get(map_id)
    assert [t.name for t in m.touchpoints] == ["Hold music", "Agent answers", "Contact form"]
    assert m.improvements[0].touchpoints == [m.touchpoints[0].id]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feel", "Support call", "Hold music", "3"], "feeling +3 is out of range"),
        (["feel", "Support call", "Hold music", "meh"], "'meh' is not a feeling"),
        (["feel", "Nope", "Hold music", "1"], "no map matches 'Nope'"),
        (["feel", "Support call", "Nope", "1"], "no touchpoint matches 'Nope'"),
        (["touchpoint", "add", "Support call", "Lunch", "--stage", "Lunch"], "unknown stage 'Lunch'"),
        (["touchpoint", "add", "Support call", "hold music"], "already has a touchpoint called 'hold music'"),
        (["touchpoint", "add", "Support call", "  "], "name cannot be empty"),
        (["new", ""], "title cannot be empty"),
        (["new", "support CALL"], "already a map called 'support CALL'"),
        (["new", "X", "--kind", "dream"], "unknown kind 'dream'"),
        (["improve", "Support call", "Y", "--effort", "9"], "9 is not in the range 1<=x<=5"),
        (["touchpoint", "edit", "Support call", "Hold music"], "nothing to change"),
        (["export", "Support call", "--format", "pdf"], "'pdf' is not one of 'json', 'markdown'"),
        (["import", "/nonexistent/file.json"], "/nonexistent/file.json: no such file"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_user_mistakes_are_one_line_and_a_nonzero_exit(cli: Cli, args: list[str], message: str) -> None:
    _fill(cli)
    code, _out, err = cli(*args)
    assert code != 0
    assert message in err
    assert err.startswith("cxmap: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_ambiguous_title_asks_for_the_id(cli: Cli) -> None:
    cli.ok("new", "Onboarding call")
    cli.ok("new", "Onboarding e-mail")
    code, _, err = cli("show", "Onboarding")
    assert code == 1 and "matches several maps" in err and "use the id" in err


def test_export_import_export_gives_the_same_map(cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    map_id = _fill(cli)
    # An old map: the round trip must keep its times, not stamp the import's.
    store = Store.open(cli.db)
    old = store.get(map_id)
    old.created = old.updated = "2020-01-02T03:04:05Z"
    store.delete(map_id)
    store.add(old)
    first = tmp_path / "first.json"
    cli.ok("export", map_id, "--format", "json", "-o", str(first))
    doc = json.loads(first.read_text())
    assert doc["format"] == "cxmap-map" and doc["version"] == 1

    other = Cli(capsys, tmp_path / "empty" / "cx.json")
    new_id = other.ok("import", str(first))
    assert new_id == map_id  # ids are kept when they are free
    second = other.ok("export", new_id)
    assert second + "\n" == first.read_text()


def test_import_into_a_database_that_has_the_map(cli: Cli, tmp_path: Path) -> None:
    map_id = _fill(cli)
    exported = tmp_path / "x.json"
    cli.ok("export", map_id, "-o", str(exported))
    code, _, err = cli("import", str(exported))
    assert code == 1 and "already a map called 'Support call'" in err
    copy_id = cli.ok("import", str(exported), "--title", "Support call (copy)")
    assert copy_id != map_id
    rows = json.loads(cli.ok("list", "--json"))
    assert sorted(r["title"] for r in rows) == ["Support call", "Support call (copy)"]


def test_import_rejects_bad_files_and_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("new", "Existing")
    bad = tmp_path / "bad.json"
    cases = {
        "{not json": "not valid JSON",
        '{"format": "other"}': "not a cxmap map export",
        '{"format": "cxmap-map", "version": 7, "map": {}}': "exported by a newer cxmap",
        '{"format": "cxmap-map", "version": 1, "map": {"title": "T", "touchpoints": [{"name": "a", "stage": "Mars", "id": "1"}]}}':
            "unknown stage 'Mars'",
    }
    for text, message in cases.items():
        bad.write_text(text)
        code, _, err = cli("import", str(bad))
        assert code == 1 and message in err, err
    assert [r["title"] for r in json.loads(cli.ok("list", "--json"))] == ["Existing"]


def test_unreadable_database_gives_one_line_and_is_left_alone(cli: Cli, db_path: Path) -> None:
    _fill(cli)
    raw = db_path.read_bytes()[:-40]
    db_path.write_bytes(raw)
    for args in (["list"], ["show", "Support call"], ["new", "Another"]):
        code, _, err = cli(*args)
        assert code == 1
        assert err.count("\n") == 1 and str(db_path) in err and "not valid JSON" in err
    assert db_path.read_bytes() == raw


def test_db_from_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_db = tmp_path / "env" / "cx.json"
    monkeypatch.setenv("CXMAP_DB", str(env_db))
    cli = Cli(capsys, env_db)
    code, out, _ = cli("new", "From env", db=False)
    assert code == 0
    assert [m.title for m in Store.open(env_db).maps()] == ["From env"]
    code, out, _ = cli("where", db=False)
    assert out.strip() == str(env_db)


def _run(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cxmap_tui", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, **kw)  # type: ignore[call-overload]


def test_real_process_exit_codes_and_no_traceback(db_path: Path) -> None:
    ok = _run("--db", str(db_path), "new", "Real")
    assert ok.returncode == 0 and len(ok.stdout.strip()) == 8
    bad = _run("--db", str(db_path), "feel", "Real", "x", "1")
    assert bad.returncode == 1 and bad.stderr == "cxmap: no touchpoint matches 'x'\n"
    db_path.write_text("[1, 2")
    broken = _run("--db", str(db_path))  # starting the app on a broken file
    assert broken.returncode == 1 and "not valid JSON" in broken.stderr and "Traceback" not in broken.stderr
    assert db_path.read_text() == "[1, 2"


def test_commands_other_than_the_app_do_not_import_textual(db_path: Path) -> None:
    script = (
        "import sys\n"
        "from cxmap_tui.cli.main import main\n"
        f"for args in (['new', 'A'], ['list'], ['list', '--json'], ['show', 'A'], ['export', 'A']):\n"
        f"    try:\n"
        f"        main(args + ['--db', {str(db_path)!r}])\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr


def test_templates_are_listed_and_start_new_maps(cli: Cli, db_path: Path) -> None:
    rows = json.loads(cli.ok("templates", "--json"))
    names = {r["name"] for r in rows}
    assert {"service-broken-delivery", "insurance-claim-ideal", "insurance-claim-current"} <= names
    assert len(rows) >= 7 and all(r["touchpoints"] >= 8 for r in rows)
    assert "service-broken-delivery" in cli.ok("templates")
    plain = cli.ok("new", "Our desk", "--template", "service-broken-delivery")
    kept = cli.ok("new", "Our desk, as rated", "--template", "Broken chair", "--keep-feelings", "--kind", "ideal")
    store = Store.open(db_path)
    template = next(r for r in rows if r["name"] == "service-broken-delivery")
    a, b = store.get(plain), store.get(kept)
    assert len(a.touchpoints) == len(b.touchpoints) == template["touchpoints"]
    assert all(tp.feeling is None and not tp.thoughts for tp in a.touchpoints)
    assert all(tp.feeling is not None for tp in b.touchpoints) and b.kind == "ideal"
    assert a.template == b.template == "service-broken-delivery"
    code, _, err = cli("new", "X", "--template", "no-such-thing")
    assert code == 1 and "no template matches 'no-such-thing'" in err and "service-broken-delivery" in err


def test_ascii_reaches_what_a_command_prints_and_the_error_it_ends_with(cli: Cli,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """--ascii travels in click's context object: on a terminal (a UTF-8 one, faked) a command's
    output is plain ASCII with it, and so is the error reported once the command has ended; the
    next command without it prints as typed (nothing is left behind from one run to the next)."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    for name in ("LC_ALL", "LC_CTYPE", "CXMAP_ASCII"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("cxmap_tui.cli.group.is_terminal", lambda stream: True)
    cli.ok("new", "Caf\u00e9 visit")
    assert "Cafe visit" in cli.ok("--ascii", "list") and "Caf\u00e9" not in cli.ok("--ascii", "list")
    assert "Caf\u00e9 visit" in cli.ok("list")
    assert cli("--ascii", "show", "Cr\u00e8me") == (1, "", "cxmap: no map matches 'Creme'\n")
    assert cli("show", "Cr\u00e8me") == (1, "", "cxmap: no map matches 'Cr\u00e8me'\n")
