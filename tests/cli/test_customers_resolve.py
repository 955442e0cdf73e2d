"""Resolving problems from the command line (refused in one line when it cannot be), a contact's
history, and the commands that follow from open problems (at-risk, review-candidates,
references), in text and JSON, run as a user runs them. (The store's side of resolutions is in
test_customers_resolve_store.py.)"""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from tests.helpers.cli import Cli
from tests.store.test_customers_resolve_store import workspace


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("COLUMNS", "80")
    return Cli(capsys, db_path)


def test_resolve_says_what_it_resolved_in_one_line_each(cli: Cli, db_path: Path) -> None:
    ids = workspace(Store.open(db_path))
    code, _, err = cli("resolve", "Bo", "--date", "2026-02-01")
    assert code == 1 and err.count("\n") == 1
    assert err == ("cxmap: a problem cannot be resolved before it happened: 'Bo Ek' at 'Invoice' (-2) on 2026-02-03,"
                   " the resolution is dated 2026-02-01; nothing was resolved\n")
    user = pwd.getpwuid(os.getuid()).pw_name
    said = cli.ok("resolve", "Bo", "--note", "Credit note sent", "--date", "2026-02-10")
    assert said == f"resolved {ids['bad']}: Bo Ek at Invoice (-2) on 2026-02-03; on 2026-02-10 by {user}"
    code, _, err = cli("resolve", "Bo Ek")
    assert (code, err) == (1, "cxmap: nothing to resolve: 'Bo Ek' has no open problem\n")


def test_resolve_one_interaction_by_its_id_prefix(cli: Cli, db_path: Path) -> None:
    store = Store.open(db_path)
    ids = workspace(store)
    m = store.get(ids["map"])
    second = store.customers.record(ids["dee"], m.id, m.touchpoints[1].id, "2026-02-06", -2)
    said = cli.ok("resolve", "Dee", "--interaction", second.id[:6], "--date", "2026-02-07")
    assert said.startswith(f"resolved {second.id}: Dee at Reminder (-2) on 2026-02-06; on 2026-02-07 by ")
    code, _, err = cli("resolve", "Dee", "--interaction", second.id, "--date", "2026-02-08")
    assert code == 1 and "was already resolved on 2026-02-07" in err
    risk = json.loads(cli.ok("at-risk", "--json"))[1]  # after Acme's -2
    assert (risk["account"], risk["contact"]["name"], risk["label"], risk["open_problems"]) == (
        None, "Dee", "Invoice", 1)  # her first problem is still open


def test_at_risk_lists_accounts_and_lone_contacts_worst_first(cli: Cli, db_path: Path) -> None:
    ids = workspace(Store.open(db_path))
    rows = json.loads(cli.ok("at-risk", "--json"))
    assert [(r["account"]["name"] if r["account"] else None, r["contact"]["name"], r["feeling"], r["date"])
            for r in rows] == [("Acme Vets", "Bo Ek", -2, "2026-02-03"), (None, "Dee", -1, "2026-02-04")]
    assert rows[0]["problems"] == [{
        "interaction": ids["bad"], "contact": {"id": ids["bo"], "name": "Bo Ek"}, "feeling": -2,
        "date": "2026-02-03", "note": "Wrong VAT number", "map": {"id": ids["map"], "title": "Billing"},
        "touchpoint": {"id": rows[0]["touchpoint"]["id"], "name": "Invoice"}, "removed": False, "label": "Invoice",
        "open": True, "resolution": None,
    }]
    table = cli.ok("at-risk")
    assert "2 at risk, worst first" in table
    lines = table.splitlines()
    acme = next(n for n, line in enumerate(lines) if line.startswith("Acme Vets"))
    alone = next(n for n, line in enumerate(lines) if line.startswith("(no account)"))
    assert acme < alone and "Bo Ek" in lines[acme] and "Dee" in lines[alone]
    assert all(len(line) <= 80 for line in lines)


def test_review_candidates_before_and_after_a_resolve(cli: Cli, db_path: Path) -> None:
    ids = workspace(Store.open(db_path))
    found = json.loads(cli.ok("review-candidates", "--json"))
    assert found["candidates"] == []
    assert [(x["contact"]["name"], x["why"], x["problem"]["interaction"], x["open_problems"])
            for x in found["left_out"]] == [("Ann Lee", "open problem", ids["bad"], 1),
                                            ("Bo Ek", "open problem", ids["bad"], 1),
                                            ("Dee", "open problem", found["left_out"][2]["problem"]["interaction"], 1)]
    assert "Nobody to ask for a review now." in cli.ok("review-candidates")

    cli.ok("resolve", "Bo", "--date", "2026-02-10")
    found = json.loads(cli.ok("review-candidates", "--json"))
    assert [(c["contact"]["name"], c["last_interaction"]["label"], c["last_interaction"]["date"])
            for c in found["candidates"]] == [("Ann Lee", "Invoice", "2026-02-01"), ("Bo Ek", "Reminder", "2026-02-05")]
    assert [(x["contact"]["name"], x["reason"]) for x in found["left_out"]] == [
        ("Dee", "their own open problem: Invoice (-1) on 2026-02-04")]
    table = cli.ok("review-candidates")
    assert "Ask for a review (2)" in table and "Not now (1)" in table and "review gating" in table
    assert all(len(line) <= 80 for line in table.splitlines())


def test_references_are_labelled_not_for_public_reviews(cli: Cli, db_path: Path) -> None:
    workspace(Store.open(db_path))
    found = json.loads(cli.ok("references", "--json"))
    assert "not for public reviews" in found["use"] and found["references"] == []
    cli.ok("resolve", "Bo", "--date", "2026-02-10")
    found = json.loads(cli.ok("references", "--json"))
    # Ann (+2) and Bo (+1 lately) now that nothing is open at Acme; Dee is -1 and has a problem open.
    assert [(r["contact"]["name"], r["feeling"], r["label"]) for r in found["references"]] == [
        ("Ann Lee", 2, "Invoice"), ("Bo Ek", 1, "Reminder")]
    table = cli.ok("references")
    assert table.splitlines()[0] == "References and case studies (2): NOT for public reviews"
    assert "cxmap review-candidates" in table and "Ann Lee" in table


def test_a_contacts_history_shows_each_problem_open_or_resolved(cli: Cli, db_path: Path) -> None:
    ids = workspace(Store.open(db_path))
    shown = cli.ok("contact", "show", "Bo")
    assert "Bo Ek at Acme Vets, since 2026-01-01: 2 interactions, 1 open problem" in shown
    assert "OPEN" in next(line for line in shown.splitlines() if line.startswith("2026-02-03"))
    cli.ok("resolve", "Bo", "--date", "2026-02-10", "--note", "Credit note sent")
    data = json.loads(cli.ok("contact", "show", "Bo", "--json"))
    assert [(i["date"], i["label"], i["feeling"], i["problem"]) for i in data["interactions"]] == [
        ("2026-02-03", "Invoice", -2, {"open": False, "resolution": {
            "date": "2026-02-10", "note": "Credit note sent", "by": pwd.getpwuid(os.getuid()).pw_name}}),
        ("2026-02-05", "Reminder", 1, None),
    ]
    assert data["contact"]["id"] == ids["bo"] and data["contact"]["account_name"] == "Acme Vets"
    shown = cli.ok("contact", "show", "Bo")
    assert "0 open problems" in shown and "resolved 2026-02-10" in shown and "Credit note sent" in shown


def test_a_hostile_note_is_stored_as_typed_and_shown_harmless(cli: Cli, db_path: Path) -> None:
    ids = workspace(Store.open(db_path))
    cli.ok("resolve", "Bo", "--date", "2026-02-10", "--note", "[b]done[/b] \x1b]8;;x\x07")
    assert Store.open(db_path).customers.resolutions()[0].note == "[b]done[/b] \x1b]8;;x\x07"
    shown = cli.ok("contact", "show", ids["bo"])
    assert "[b]done[/b]" in shown and "\x1b" not in shown and "\x07" not in shown
