"""The analysis commands: analyze, backlog, link, match and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxmap_tui.domain.model import Improvement
from cxmap_tui.present.analysis_view import matrix_lines
from cxmap_tui.store import Store
from tests.helpers.cli import Cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_maps"
CURRENT, IDEAL = "46c1a5ae", "a4291ce4"  # the ids in the sample files


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("COLUMNS", "80")
    return Cli(capsys, db_path)


@pytest.fixture
def claims(cli: Cli) -> Cli:
    """The linked insurance pair, imported."""
    assert cli.ok("import", str(SAMPLES / "insurance-claim-ideal.json")) == IDEAL
    assert cli.ok("import", str(SAMPLES / "insurance-claim-current.json")) == CURRENT
    return cli


def _support(cli: Cli) -> str:
    """A: 0, B: +2, C: -1 (falls 3, no improvement), D: -2 (an improvement), E: not rated."""
    map_id = cli.ok("new", "Support call", "--scenario", "service")
    for name, score in (("Phone menu", "0"), ("Friendly [b]voice[/b]", "+2"), ("Hold music", "-1"),
                        ("Transfer", "-2"), ("Survey", "none")):
        cli.ok("touchpoint", "add", map_id, name, "--stage", "Use")
        cli.ok("feel", map_id, name, score)
    cli.ok("improve", map_id, "Warm transfer", "-t", "Transfer", "--customer-value", "5", "--business-value", "2",
           "--effort", "2", "--owner", "Desk")
    cli.ok("improve", map_id, "Drop the music", "-t", "Hold music", "--status", "dropped")
    return map_id


def _lines(text: str) -> list[str]:
    return text.splitlines()


# -- analyze -------------------------------------------------------------------------------------


def test_analyze_prints_friction_flags_highlights_stages_and_the_moments(cli: Cli) -> None:
    map_id = _support(cli)
    out = cli.ok("analyze", map_id)
    assert max(len(line) for line in _lines(out)) <= 80
    assert "Friction points: 2, 1 FLAGGED (no improvement)" in out
    # worst first: Transfer (-2), then Hold music (-1)
    assert out.index("Transfer") < out.index("Hold music") < out.index("Highlights")
    friction = out[out.index("Friction points"):out.index("Highlights")]
    hold = friction[friction.index("Hold music"):]
    assert "dissatisfied; drops 3 from 'Friendly [b]voice[/b]'" in hold  # markup shown as typed
    assert "FLAGGED: no improvement addresses it" in hold  # the dropped improvement does not count
    assert "addressed by: Warm transfer" in friction[:friction.index("Hold music")]
    assert "Friendly [b]voice[/b]" in out[out.index("Highlights"):out.index("Not yet rated")]
    assert "Survey" in out[out.index("Not yet rated"):out.index("Stages")]
    assert "4. Transfer (-2)" in out[out.index("Stages"):]  # Use's lowest point
    moments = out[out.index("What customers remember"):]
    assert "Worst point  4. Transfer (-2)" in moments and "End          4. Transfer (-2)" in moments
    assert "Remembered   -2.00" in moments and "Average      -0.25 over 4 rated touchpoints" in moments


def test_analyze_json(cli: Cli, db_path: Path) -> None:
    map_id = _support(cli)
    m = Store.open(db_path).get(map_id)
    ids = {tp.name: tp.id for tp in m.touchpoints}
    warm = m.improvement("Warm transfer").id
    data = json.loads(cli.ok("analyze", map_id, "--json"))

    def tp(position: int, name: str, feeling: int | None) -> dict[str, object]:
        return {"position": position, "id": ids[name], "name": name, "stage": "Use", "feeling": feeling}

    transfer = tp(4, "Transfer", -2)
    assert data == {
        "map": {"id": map_id, "title": "Support call"},
        "friction": [
            {**transfer, "reasons": ["very dissatisfied"], "drop": 1,
             "addressed_by": [{"id": warm, "title": "Warm transfer"}], "flagged": False},
            {**tp(3, "Hold music", -1), "reasons": ["dissatisfied", "drops 3 from 'Friendly [b]voice[/b]'"],
             "drop": 3, "addressed_by": [], "flagged": True},
        ],
        "highlights": [tp(2, "Friendly [b]voice[/b]", 2)],
        "unrated": [tp(5, "Survey", None)],
        "stages": [{"stage": s, "touchpoints": 0, "rated": 0, "average": None, "worst": None}
                   if s != "Use" else {"stage": "Use", "touchpoints": 5, "rated": 4, "average": -0.25,
                                       "worst": transfer}
                   for s in m.stages],
        "worst": transfer,
        "end": transfer,
        "remembered": -2.0,
        "average": -0.25,
    }


def test_analyze_an_empty_map_and_unknown_maps(cli: Cli) -> None:
    cli.ok("new", "Blank")
    out = cli.ok("analyze", "Blank")
    assert "Friction points: 0" in out and "Worst point  none rated" in out
    data = json.loads(cli.ok("analyze", "Blank", "--json"))
    assert (data["friction"], data["worst"], data["remembered"], data["average"]) == ([], None, None, None)
    code, _, err = cli("analyze", "Nope")
    assert code == 1 and err == "cxmap: no map matches 'Nope'\n"


# -- backlog -------------------------------------------------------------------------------------


def test_backlog_lists_by_priority_with_quadrants_then_unaddressed_friction(cli: Cli) -> None:
    map_id = _support(cli)
    out = cli.ok("backlog", map_id)
    assert max(len(line) for line in _lines(out)) <= 80
    assert "Improvement backlog: 2 improvements, by priority" in out
    # Warm transfer: value (5 + 2) / 2 = 3.5, effort 2: priority 35, a quick win
    assert "priority 35, quick win, idea, value 3.5 (5/2), effort 2" in out
    # Drop the music: value 3, effort 3: priority 20, a fill-in
    assert "priority 20, fill-in, dropped, value 3.0 (3/3), effort 3" in out
    assert out.index("1.  Warm transfer") < out.index("2.  Drop the music") < out.index("Friction with no improvement: 1")
    tail = out[out.index("Friction with no improvement"):]
    assert "Hold music" in tail and "FLAGGED" in tail and "Transfer" not in tail.replace("Hold music", "")


def _titles(cli: Cli, *args: str) -> list[str]:
    return [i["title"] for i in json.loads(cli.ok("backlog", CURRENT, "--json", *args))["improvements"]]


def test_backlog_filters_and_sorts(claims: Cli) -> None:
    by_priority = ["Pay emergency invoices with the claim", "Explain the settlement line by line",
                   "One named handler per claim", "Claim form in the app", "Night cover in the repair network"]
    assert _titles(claims) == by_priority  # 40, 35, 30, then 20 and 20 by title
    assert _titles(claims, "--sort", "title") == sorted(by_priority)
    assert _titles(claims, "--sort", "value") == [  # 9, 8, 8, 8 (effort 2, then 4 by title), 7
        "One named handler per claim", "Pay emergency invoices with the claim", "Claim form in the app",
        "Night cover in the repair network", "Explain the settlement line by line"]
    assert _titles(claims, "--status", "planned") == ["One named handler per claim",
                                                     "Night cover in the repair network"]
    assert _titles(claims, "--status", "planned", "--status", "in progress") == [
        "Pay emergency invoices with the claim", "One named handler per claim", "Claim form in the app",
        "Night cover in the repair network"]
    assert _titles(claims, "--owner", "claims FINANCE") == ["Pay emergency invoices with the claim"]
    assert _titles(claims, "--touchpoint", "Finding a plumber myself") == [
        "Pay emergency invoices with the claim", "Night cover in the repair network"]
    assert _titles(claims, "--status", "idea", "-t", "Finding a plumber myself") == []
    out = claims.ok("backlog", CURRENT, "--status", "idea", "-t", "Finding a plumber myself")
    assert "0 of 5 improvements" in out and "No improvements match." in out


def test_backlog_json(claims: Cli) -> None:
    data = json.loads(claims.ok("backlog", CURRENT, "--json", "--owner", "claims finance"))
    assert data["map"] == {"id": CURRENT, "title": "Home insurance claim (today)"} and data["sort"] == "priority"
    assert data["improvements"] == [{
        "number": 1, "id": "f219d7bc", "title": "Pay emergency invoices with the claim", "status": "in-progress",
        "owner": "Claims finance", "customer_value": 5, "business_value": 3, "effort": 2, "value": 4.0,
        "priority": 40, "quadrant": "quick win",
        "touchpoints": [{"id": "81f96c77", "name": "Chasing a refund by e-mail"},
                        {"id": "53c3968b", "name": "Finding a plumber myself"}],
    }]
    assert data["unaddressed"] == [] and "matrix" not in data


def _cell_text(lines: list[str], row: int, effort: int) -> str:
    """What the matrix shows in one cell, read by the columns of its header line."""
    header = next(line for line in lines if line.startswith("effort"))
    start = header.index(str(effort))
    line = next(line for line in lines if line.startswith(f"value {row}"))
    return line[start:start + 10].strip()


def test_backlog_matrix(claims: Cli) -> None:
    out = claims.ok("backlog", CURRENT, "--matrix")
    lines = _lines(out)
    assert max(len(line) for line in lines) <= 80
    # numbered by priority: 1 Pay (value 4.0, effort 2), 2 Explain (3.5 -> row 4, effort 2),
    # 3 One named handler (4.5 -> row 5, effort 3), 4 Claim form (4.0, effort 4), 5 Night cover (4.0, effort 4)
    assert _cell_text(lines, 4, 2) == "1 2"
    assert _cell_text(lines, 5, 3) == "3"
    assert _cell_text(lines, 4, 4) == "4 5"
    assert _cell_text(lines, 3, 1) == "\u00b7"
    labels = "".join(lines)
    assert labels.index("quick win") < labels.index("big bet") < labels.index("fill-in") < labels.index("money pit")
    legend = out[out.index("Improvement"):]
    assert legend.index("Pay emergency invoices") < legend.index("Explain the settlement")
    data = json.loads(claims.ok("backlog", CURRENT, "--matrix", "--json"))
    assert data["matrix"] == [{"value": 5, "effort": 3, "improvements": [3]},
                              {"value": 4, "effort": 2, "improvements": [1, 2]},
                              {"value": 4, "effort": 4, "improvements": [4, 5]}]


def test_matrix_ascii_fallback_and_crowded_cells() -> None:
    crowded = [Improvement(f"i{n}", customer_value=1, business_value=1, effort=5) for n in range(12)]
    lines = matrix_lines(crowded, ascii=True)
    assert all(line.isascii() for line in lines)
    assert all(len(line) <= 80 for line in lines)
    row = [line for line in lines if line.startswith("value 1")]
    # twelve numbers in one cell wrap onto more lines, all inside the money pit's last column
    cells = [line[-13:-1].strip() for line in lines if line.startswith(("value 1", "          |"))]
    assert " ".join(cells).split() == [str(n) for n in range(1, 13)] and len(row) == 1
    assert any(line.startswith("          +- fill-in ") and "+- money pit " in line for line in lines)


def test_backlog_matrix_in_a_plain_locale_is_ascii(db_path: Path) -> None:
    Store.open(db_path).add(_sample("insurance-claim-current.json"))
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "80"}
    out = subprocess.run([sys.executable, "-m", "cxmap_tui", "--db", str(db_path), "backlog", CURRENT, "--matrix"],
                         cwd=ROOT, capture_output=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("ascii")  # fails on any byte outside ASCII
    assert "+- quick win " in text and "value 4   | .           1 2" in text


def _sample(name: str):  # type: ignore[no-untyped-def]
    from cxmap_tui.io.json_format import map_from_json

    return map_from_json((SAMPLES / name).read_text(encoding="utf-8"), name)


def test_backlog_mistakes(claims: Cli) -> None:
    for args, message in (
        (["--status", "shipped"], "unknown status 'shipped'"),
        (["--touchpoint", "Nope"], "no touchpoint matches 'Nope'"),
        (["--sort", "colour"], "'colour' is not one of 'priority', 'value', 'effort', 'status', 'title'"),
    ):
        code, _, err = claims("backlog", CURRENT, *args)
        assert code != 0 and message in err and err.count("\n") == 1, err


# -- link and match ------------------------------------------------------------------------------


def test_link_and_unlink(claims: Cli, db_path: Path) -> None:
    assert claims.ok("link", CURRENT, "--none") == (
        "Home insurance claim (today) is no longer compared with an ideal map")
    assert Store.open(db_path).get(CURRENT).ideal == ""
    assert claims.ok("link", "Home insurance claim (today)", "Home insurance claim (ideal)") == (
        "Home insurance claim (today) is compared with Home insurance claim (ideal)")
    assert Store.open(db_path).get(CURRENT).ideal == IDEAL


def test_link_mistakes(claims: Cli, db_path: Path) -> None:
    claims.ok("new", "Bike shop (ideal)", "--scenario", "store", "--kind", "ideal")
    claims.ok("new", "Another current", "--scenario", "service")
    for args, message, code in (
        (["link", CURRENT, "Another current"], "'Another current' is a current-state map, not an ideal one", 1),
        (["link", CURRENT, "Bike shop"], "'Bike shop (ideal)' covers another experience (store, not service)", 1),
        (["link", CURRENT, "Nope"], "no map matches 'Nope'", 1),
        (["link", "Nope", IDEAL], "no map matches 'Nope'", 1),
        (["link", IDEAL, IDEAL], "only a current-state map is compared with an ideal map", 1),
        (["link", CURRENT], "give IDEAL, or --none to unlink", 2),
        (["link", CURRENT, IDEAL, "--none"], "give IDEAL, or --none to unlink", 2),
    ):
        result, out, err = claims(*args)
        assert result == code and message in err and err.startswith("cxmap: ") and err.count("\n") == 1, err
        assert out == ""
    assert Store.open(db_path).get(CURRENT).ideal == IDEAL  # unchanged


def test_match_pairs_unpairs_and_goes_back_to_names(claims: Cli, db_path: Path) -> None:
    out = claims.ok("match", CURRENT, "Finding a plumber myself", "Emergency plumber")
    assert out == "Finding a plumber myself pairs with Emergency plumber in the ideal"
    # taking an ideal touchpoint that another one had by name says so
    out = claims.ok("match", CURRENT, "Paper claim form", "Claim confirmation")
    assert _lines(out) == ["Paper claim form pairs with Claim confirmation in the ideal",
                           "Claim confirmation no longer pairs with it by name"]
    assert claims.ok("match", CURRENT, "Payment received", "--none") == "Payment received has no counterpart in the ideal"
    stored = Store.open(db_path).get(CURRENT)
    ideal = Store.open(db_path).get(IDEAL)
    assert stored.matches == {
        stored.touchpoint("Finding a plumber myself").id: ideal.touchpoint("Emergency plumber").id,
        stored.touchpoint("Paper claim form").id: ideal.touchpoint("Claim confirmation").id,
        stored.touchpoint("Payment received").id: "",
    }
    data = json.loads(claims.ok("compare", CURRENT, "--json"))
    pairs = {p["current"]["name"]: (p["ideal"]["name"], p["by"]) for p in data["pairs"]}
    assert pairs["Finding a plumber myself"] == ("Emergency plumber", "link")
    assert pairs["Paper claim form"] == ("Claim confirmation", "link")
    assert "Payment received" not in pairs and "Claim confirmation" not in pairs
    assert {"Payment received", "Claim confirmation"} <= {t["name"] for t in data["extra"]}

    assert claims.ok("match", CURRENT, "Payment received", "--by-name") == "Payment received pairs by name"
    data = json.loads(claims.ok("compare", CURRENT, "--json"))
    assert ("Payment received", "name") in {(p["current"]["name"], p["by"]) for p in data["pairs"]}


def test_match_mistakes(claims: Cli, db_path: Path) -> None:
    claims.ok("match", CURRENT, "Finding a plumber myself", "Emergency plumber")
    before = Store.open(db_path).get(CURRENT).matches
    for args, message, code in (
        (["Emergency line", "Emergency plumber"], "that ideal touchpoint is already paired with another touchpoint", 1),
        (["Emergency line", "Nope"], "no touchpoint matches 'Nope'", 1),
        (["Nope", "Emergency plumber"], "no touchpoint matches 'Nope'", 1),
        (["Emergency line"], "give IDEAL_TOUCHPOINT, --none or --by-name", 2),
        (["Emergency line", "Emergency line", "--none"], "give IDEAL_TOUCHPOINT, --none or --by-name", 2),
    ):
        result, _out, err = claims("match", CURRENT, *args)
        assert result == code and message in err and err.count("\n") == 1, err
    assert Store.open(db_path).get(CURRENT).matches == before
    claims.ok("link", CURRENT, "--none")
    code, _, err = claims("match", CURRENT, "Emergency line", "Emergency line")
    assert code == 1 and err == (
        "cxmap: 'Home insurance claim (today)' is not linked to an ideal map; link one first: cxmap link MAP IDEAL\n")


# -- compare -------------------------------------------------------------------------------------


def test_compare_text(claims: Cli) -> None:
    out = claims.ok("compare", CURRENT)
    assert max(len(line) for line in _lines(out)) <= 80
    assert out.startswith("Home insurance claim (today) against Home insurance claim (ideal)")
    assert "7 pairs (7 rated in both), 6 missing today, 4 extra today; mean gap -1.14" in out
    both = out[out.index("Touchpoints in both"):out.index("Missing today")]
    assert [line.split()[1:3] for line in _lines(both) if line.strip()[:1].isdigit()][:2] == [
        ["Emergency", "line"], ["Claim", "confirmation"]]
    assert "-2   name" in both
    missing = out[out.index("Missing today"):out.index("Extra today")]
    assert "Emergency plumber" in missing and "Closing call" in missing and "Finding" not in missing
    extra = out[out.index("Extra today"):out.index("Furthest below")]
    assert "Finding a plumber myself" in extra and "Chasing a refund by e-mail" in extra


def test_compare_json(claims: Cli) -> None:
    data = json.loads(claims.ok("compare", CURRENT, "--json"))
    assert data["current"] == {"id": CURRENT, "title": "Home insurance claim (today)"}
    assert data["ideal"] == {"id": IDEAL, "title": "Home insurance claim (ideal)"}
    assert [(p["current"]["name"], p["ideal"]["position"], p["by"], p["gap"]) for p in data["pairs"]] == [
        ("Emergency line", 1, "name", -2), ("Claim confirmation", 4, "name", -2), ("Drying equipment", 6, "name", 0),
        ("Loss adjuster visit", 7, "name", 0), ("Settlement decision", 9, "name", -2),
        ("Repairs completed", 11, "name", -1), ("Payment received", 12, "name", -1)]
    assert [t["position"] for t in data["missing"]] == [2, 3, 5, 8, 10, 13]
    assert [t["position"] for t in data["extra"]] == [2, 3, 6, 10]
    assert (data["rated_pairs"], data["mean_gap"]) == (7, -1.14)
    assert [p["current"]["name"] for p in data["biggest_gaps"]] == [
        "Emergency line", "Claim confirmation", "Settlement decision"]


def test_compare_with_another_ideal_and_mistakes(claims: Cli) -> None:
    claims.ok("link", CURRENT, "--none")
    code, _, err = claims("compare", CURRENT)
    assert code == 1 and "is not linked to an ideal map; give --ideal IDEAL" in err
    data = json.loads(claims.ok("compare", CURRENT, "--ideal", "Home insurance claim (ideal)", "--json"))
    assert data["ideal"]["id"] == IDEAL and len(data["pairs"]) == 7
    code, _, err = claims("compare", CURRENT, "--ideal", CURRENT)
    assert code == 1 and err == "cxmap: 'Home insurance claim (today)' is a current-state map, not an ideal one\n"
    code, _, err = claims("compare", CURRENT, "--ideal", "Nope")
    assert code == 1 and err == "cxmap: no map matches 'Nope'\n"


def test_a_deleted_ideal_is_reported_in_one_line(claims: Cli) -> None:
    claims.ok("delete", IDEAL, "--yes")
    for args in (["compare", CURRENT], ["match", CURRENT, "Emergency line", "Emergency line"]):
        code, _, err = claims(*args)
        assert code == 1 and "is linked to is no longer in the database" in err and err.count("\n") == 1


def test_the_analysis_commands_do_not_import_textual(db_path: Path) -> None:
    script = (
        "import sys\n"
        "from cxmap_tui.cli.main import main\n"
        f"for args in (['import', {str(SAMPLES / 'insurance-claim-ideal.json')!r}],\n"
        f"             ['import', {str(SAMPLES / 'insurance-claim-current.json')!r}],\n"
        f"             ['analyze', {CURRENT!r}], ['backlog', {CURRENT!r}, '--matrix'], ['compare', {CURRENT!r}]):\n"
        "    try:\n"
        f"        main(args + ['--db', {str(db_path)!r}])\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr


def test_user_text_cannot_reach_the_terminal_as_control_codes(cli: Cli, db_path: Path) -> None:
    from tests.helpers.hostile import hostile_map

    m = Store.open(db_path).add(hostile_map())
    for args in (["analyze", m.id], ["backlog", m.id], ["backlog", m.id, "--matrix"]):
        out = cli.ok(*args)
        assert not [c for c in out if ord(c) < 0x20 and c != "\n"], args
        assert max(len(line) for line in _lines(out)) <= 80
    out = cli.ok("analyze", m.id)
    assert "<script>alert(1)</script>" in out and "[link](https://example.com)" in out  # shown as typed
