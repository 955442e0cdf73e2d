"""The customer commands, run the way a user runs them, and CSV import of customers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxmap_tui.store import Store
from tests.helpers.cli import Cli
from tests.helpers.factories import file_bytes


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("COLUMNS", "80")
    return Cli(capsys, db_path)


def _maps(cli: Cli, db_path: Path) -> None:
    """An ideal map with due days, and a current-state map."""
    cli.ok("new", "First year", "--kind", "ideal")
    cli.ok("touchpoint", "add", "First year", "Welcome", "--due-day", "0")
    cli.ok("touchpoint", "add", "First year", "30-day check-in", "--due-day", "30", "--clock", "account")
    cli.ok("touchpoint", "add", "First year", "Setup review")
    cli.ok("touchpoint", "edit", "First year", "Setup review", "--due-day", "30")
    cli.ok("new", "Billing")
    for name in ("Invoice", "Reminder"):
        cli.ok("touchpoint", "add", "Billing", name)
    cli.ok("feel", "Billing", "Invoice", "+1")


def _people(cli: Cli) -> dict[str, str]:
    ids = {
        "acme": cli.ok("account", "add", "Acme Vets", "--start", "2026-01-01", "--segment", "Vets"),
        "globex": cli.ok("account", "add", "Globex", "--start", "2026-02-01"),
    }
    ids["ann"] = cli.ok("contact", "add", "Ann Lee", "--account", "acme", "--start", "2026-01-16")
    ids["bo"] = cli.ok("contact", "add", "Bo Ek", "--account", ids["acme"], "--start", "2026-01-01")
    ids["gil"] = cli.ok("contact", "add", "Gil", "--account", "Globex", "--start", "2026-02-01", "--segment", "Vets")
    ids["dee"] = cli.ok("contact", "add", "Dee", "--start", "2026-01-10")
    return ids


def _filled(cli: Cli, db_path: Path) -> dict[str, str]:
    _maps(cli, db_path)
    ids = _people(cli)
    cli.ok("record", "Ann", "Billing", "Invoice", "--date", "2026-02-01", "--feeling", "++")
    cli.ok("record", "Bo", "Billing", "Invoice", "--date", "2026-02-03", "--feeling", "-2",
           "--note", "Wrong VAT number")
    cli.ok("record", "Gil", "Billing", "Invoice", "--date", "2026-02-10", "--feeling", "satisfied")
    cli.ok("record", "Dee", "Billing", "Reminder", "--date", "2026-02-10", "--feeling", "+2")
    cli.ok("record", "Bo", "First year", "30-day check-in", "--date", "2026-01-30")
    return ids


def test_due_days_and_clocks_from_the_command_line(cli: Cli, db_path: Path) -> None:
    _maps(cli, db_path)
    m = Store.open(db_path).find("First year")
    assert [(t.due_day, t.clock) for t in m.touchpoints] == [(0, "contact"), (30, "account"), (30, "contact")]
    cli.ok("touchpoint", "edit", "First year", "Welcome", "--due-day", "none", "--clock", "account")
    assert Store.open(db_path).find("First year").touchpoints[0].due_day is None
    code, _, err = cli("touchpoint", "edit", "First year", "Welcome", "--due-day", "-3")
    assert (code, err) == (1, "cxmap: a due day is a whole number of days from 0 up, not -3\n")
    code, _, err = cli("touchpoint", "edit", "First year", "Welcome", "--clock", "company")
    assert (code, err) == (1, "cxmap: unknown clock 'company': use one of contact, account\n")


def test_accounts_and_contacts(cli: Cli, db_path: Path) -> None:
    ids = _people(cli)
    accounts = json.loads(cli.ok("account", "list", "--json"))
    assert accounts == [
        {"id": ids["acme"], "name": "Acme Vets", "start": "2026-01-01", "segment": "Vets", "contacts": 2},
        {"id": ids["globex"], "name": "Globex", "start": "2026-02-01", "segment": "", "contacts": 1},
    ]
    contacts = json.loads(cli.ok("contact", "list", "--account", "Acme", "--json"))
    assert [(c["name"], c["account_name"], c["segment"], c["in_segment"]) for c in contacts] == [
        ("Ann Lee", "Acme Vets", "", "Vets"), ("Bo Ek", "Acme Vets", "", "Vets"),
    ]
    table = cli.ok("contact", "list")
    assert "Dee" in table and "(no account)" in table and ids["gil"] in table
    assert all(len(line) <= 80 for line in table.splitlines())


def test_dates_default_to_today(cli: Cli) -> None:
    from datetime import date

    before = date.today()
    cli.ok("account", "add", "Acme")
    cli.ok("contact", "add", "Ann", "--account", "Acme")
    after = date.today()  # a run across midnight may see either day
    [account] = json.loads(cli.ok("account", "list", "--json"))
    [person] = json.loads(cli.ok("contact", "list", "--json"))
    assert account["start"] in (before.isoformat(), after.isoformat())
    assert person["start"] in (before.isoformat(), after.isoformat())


def test_edit_and_delete(cli: Cli, db_path: Path) -> None:
    ids = _filled(cli, db_path)
    cli.ok("account", "edit", "Globex", "--name", "Globex Corp", "--segment", "Dental")
    cli.ok("contact", "edit", "Gil", "--no-account", "--segment", "")
    cli.ok("account", "delete", "globex corp")
    code, _, err = cli("account", "delete", "Acme")
    assert code == 1
    assert err == "cxmap: 'Acme Vets' still has 2 contacts: move them to another account or delete them first\n"
    code, _, err = cli("contact", "delete", "Bo")
    assert code == 2 and "add --yes to confirm" in err
    cli.ok("contact", "delete", "Bo", "--yes")
    store = Store.open(db_path)
    assert [a.name for a in store.customers.accounts()] == ["Acme Vets"]
    assert ids["bo"] not in {i.contact for i in store.customers.interactions()}
    assert store.customers.get_contact(ids["gil"]).account == ""


def test_record_saves_at_once_and_takes_names_prefixes_and_ids(cli: Cli, db_path: Path) -> None:
    ids = _filled(cli, db_path)
    store = Store.open(db_path)
    billing = store.find("Billing")
    made = cli.ok("record", ids["gil"][:5], billing.id, billing.touchpoints[1].id, "--date", "2026-03-01",
                  "--feeling", "-1", "--note", "[b]late[/b]")
    [got] = [i for i in Store.open(db_path).customers.interactions() if i.id == made]
    assert (got.contact, got.map, got.touchpoint, got.date, got.feeling, got.note) == (
        ids["gil"], billing.id, billing.touchpoints[1].id, "2026-03-01", -1, "[b]late[/b]")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["record", "Nobody", "Billing", "Invoice"], "cxmap: no contact matches 'Nobody'\n"),
        (["record", "Ann", "Billing", "Refund"], "cxmap: no touchpoint matches 'Refund'\n"),
        (["record", "Ann", "Billing", "Invoice", "--feeling", "+3"],
         "cxmap: feeling +3 is out of range: use -2 (very dissatisfied) to +2 (very satisfied)\n"),
        (["record", "Ann", "Billing", "Invoice", "--date", "1/2/2026"],
         "cxmap: --date '1/2/2026' is not a date: write it as YYYY-MM-DD, for example 2026-03-01\n"),
        (["contact", "add", "Eve", "--account", "Initech"], "cxmap: no account matches 'Initech'\n"),
        (["account", "add", "  "], "cxmap: an account's name cannot be empty\n"),
        (["account", "add", "acme vets"], "cxmap: there is already an account called 'Acme Vets'\n"),
        (["checklist", "--map", "First year"],
         "cxmap: give either --contact or --account (see: cxmap checklist --help)\n"),
        (["checklist", "--contact", "Ann", "--map", "Billing"],
         "cxmap: 'Billing' is a current-state map; a checklist follows an ideal map (kind ideal)\n"),
        (["segment", "Dental", "--map", "Billing"],
         "cxmap: no contact is in segment 'Dental'; the segments are: Vets (3)\n"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(cli: Cli, db_path: Path, args: list[str], message: str) -> None:
    _filled(cli, db_path)
    before = file_bytes(db_path)
    code, out, err = cli(*args)
    assert (code != 0, out, err) == (True, "", message)
    assert file_bytes(db_path) == before


def test_checklist(cli: Cli, db_path: Path) -> None:
    ids = _filled(cli, db_path)
    data = json.loads(cli.ok("checklist", "--contact", "Ann", "--map", "First year", "--today", "2026-01-31",
                             "--json"))
    assert (data["today"], data["grace"], data["contact"]["id"], data["account"]["name"]) == (
        "2026-01-31", 7, ids["ann"], "Acme Vets")
    rows = [(i["touchpoint"]["name"], i["clock"], i["state"], i["due"]) for i in data["items"]]
    # Ann joined Jan 16: her welcome (day 0) window ended Jan 23. The account's 30-day check-in
    # was done by Bo on Jan 30. Her own day 30 is Feb 15.
    assert rows == [
        ("Welcome", "contact", "overdue", "2026-01-16"),
        ("30-day check-in", "account", "done", "2026-01-31"),
        ("Setup review", "contact", "ahead", "2026-02-15"),
    ]
    assert data["items"][1]["done"]["contact"] == {"id": ids["bo"], "name": "Bo Ek"}
    assert data["counts"] == {"overdue": 1, "due": 0, "ahead": 1, "any time": 0, "done": 1}

    table = cli.ok("checklist", "--account", "Acme", "--map", "first", "--today", "2026-01-31", "--grace", "30")
    assert "checklist for Acme Vets and its contacts, on 2026-01-31" in table
    assert "(account)" in table and "2026-01-30 by Bo Ek" in table
    assert all(len(line) <= 80 for line in table.splitlines())


def test_at_risk_and_review_candidates(cli: Cli, db_path: Path) -> None:
    ids = _filled(cli, db_path)
    [risk] = json.loads(cli.ok("at-risk", "--json"))
    assert (risk["account"]["name"], risk["contact"]["name"], risk["feeling"], risk["label"], risk["date"],
            risk["open_problems"]) == ("Acme Vets", "Bo Ek", -2, "Invoice", "2026-02-03", 1)
    table = cli.ok("at-risk")
    assert "1 at risk, worst first" in table and "Bo Ek" in table and "-2" in table

    found = json.loads(cli.ok("review-candidates", "--json"))
    # Nothing is open at Globex, nor for Dee: both are asked, by account (none last), not by feeling.
    assert [c["contact"]["name"] for c in found["candidates"]] == ["Gil", "Dee"]
    assert all("feeling" not in c for c in found["candidates"])
    assert {x["contact"]["id"]: x["reason"] for x in found["left_out"]} == {
        ids["ann"]: "open problem at Acme Vets: Bo Ek at Invoice (-2) on 2026-02-03",
        ids["bo"]: "their own open problem: Invoice (-2) on 2026-02-03",
    }
    table = cli.ok("review-candidates")
    assert table.index("Ask for a review (2)") < table.index("Not now (2)")
    assert "open problem at Acme Vets" in table
    assert all(len(line) <= 80 for line in table.splitlines())


def test_nothing_at_risk_and_nobody_to_ask(cli: Cli) -> None:
    Store.open(cli.db)  # an empty database (the reports never make one)
    assert cli.ok("at-risk") == "No account is at risk: no problem is open."
    assert json.loads(cli.ok("at-risk", "--json")) == []
    assert cli.ok("review-candidates") == "Nobody to ask for a review now."


def test_segment_curve(cli: Cli, db_path: Path) -> None:
    _filled(cli, db_path)
    data = json.loads(cli.ok("segment", "vets", "--map", "Billing", "--json"))
    # Vets: Ann and Bo (by their account) and Gil (his own). At Invoice: +2, -2, +1.
    assert (data["segment"], data["contacts"], data["removed"]) == ("Vets", 3, 0)
    assert data["touchpoints"][0] == {"id": data["touchpoints"][0]["id"], "name": "Invoice", "map_feeling": 1,
                                      "contacts": 3, "average": 0.33, "worst": -2}
    assert data["touchpoints"][1]["contacts"] == 0
    table = cli.ok("segment", "Vets", "--map", "Billing")
    assert "Segment Vets on Billing: 3 contacts" in table and "+0.3" in table


def test_user_text_is_shown_literally(cli: Cli, db_path: Path) -> None:
    _maps(cli, db_path)
    cli.ok("account", "add", "[red]Acme[/red] \x1b[2J", "--start", "2026-01-01")
    cli.ok("contact", "add", "[b]Bo[/b]", "--account", "[red]Acme", "--start", "2026-01-01")
    cli.ok("record", "[b]Bo", "Billing", "Invoice", "--date", "2026-02-01", "--feeling", "-2")
    out = cli.ok("at-risk")
    assert "[red]Acme[/red] \u241b[2J" in out and "[b]Bo[/b]" in out and "\x1b" not in out


# -- CSV import -------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_importing_accounts_contacts_and_interactions(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    _maps(cli, db_path)
    accounts = _write(tmp_path, "accounts.csv",
                      "Name,Start,Segment\r\nAcme Vets,2026-01-01,Vets\r\nGlobex,2026-02-01,\r\n")
    assert cli.ok("import-customers", accounts, "--what", "accounts") == "imported 2 accounts"
    acme = Store.open(db_path).customers.find_account("Acme Vets").id
    # A spreadsheet saved with ";" and a byte order mark; the account by name or by id.
    contacts = _write(tmp_path, "contacts.csv",
                      "\ufeffname;account;start;segment\nAnn Lee;acme vets;2026-01-16;\n"
                      f"Bo Ek;{acme};2026-01-01;Billing people\nDee;;2026-01-10;\n\n")
    assert cli.ok("import-customers", contacts, "--what", "contacts") == "imported 3 contacts"
    interactions = _write(tmp_path, "interactions.csv",
                          "contact,map,touchpoint,date,feeling,note\n"
                          "Ann Lee,Billing,Invoice,2026-02-01,++,\"Clear, and on time\"\n"
                          "bo ek,billing,invoice,2026-02-03,very dissatisfied,Wrong VAT\n"
                          "Dee,First year,Welcome,2026-01-10,,\n")
    assert cli.ok("import-customers", interactions, "--what", "interactions") == "imported 3 interactions"
    store = Store.open(db_path)
    people = {c.name: c for c in store.customers.contacts()}
    assert (people["Ann Lee"].account, people["Bo Ek"].account, people["Dee"].account) == (acme, acme, "")
    assert people["Bo Ek"].segment == "Billing people"
    got = [(store.customers.get_contact(i.contact).name, i.date, i.feeling, i.note)
           for i in store.customers.interactions()]
    assert got == [("Ann Lee", "2026-02-01", 2, "Clear, and on time"), ("Bo Ek", "2026-02-03", -2, "Wrong VAT"),
                   ("Dee", "2026-01-10", None, "")]
    assert [i.seq for i in store.customers.interactions()] == [1, 2, 3]


CONTACTS_OK = "name,account,start\nAnn Lee,Acme Vets,2026-01-16\n"
INTERACTIONS_OK = "contact,map,touchpoint,date,feeling\nAnn Lee,Billing,Invoice,2026-02-01,+1\n"


@pytest.mark.parametrize(
    ("what", "text", "message"),
    [
        ("contacts", "name,account\nAnn Lee,Acme Vets\n",
         "row 1: there is no 'start' column; contacts need name, start"),
        ("contacts", "name,account,start,email\nAnn Lee,Acme Vets,2026-01-16,a@b\n",
         "row 1: unknown column 'email'; the columns of contacts are name*, start*, account, segment (* required)"),
        ("contacts", CONTACTS_OK + "Bo Ek,Acme Vets,2026-02-30\n",
         "row 3, start: the start date '2026-02-30' is not a date: write it as YYYY-MM-DD, for example 2026-03-01"),
        ("contacts", CONTACTS_OK + "Bo Ek,Initech,2026-01-01\n",
         "row 3, account: no account has the id or name 'Initech'"),
        ("contacts", CONTACTS_OK + "Bo Ek,Acme Vets,\n", "row 3, start: empty, but contacts need one"),
        ("contacts", CONTACTS_OK + "ann lee,Acme Vets,2026-01-01\n",
         "row 3, name: row 2 is also 'ann lee' at Acme Vets"),
        ("contacts", CONTACTS_OK + "Bo Ek,Acme Vets\n", "row 3: 2 cells, but the header has 3 columns"),
        ("interactions", "contact,map,touchpoint,feeling\nAnn Lee,Billing,Invoice,+1\n",
         "row 1: there is no 'date' column; interactions need contact, map, touchpoint, date"),
        ("interactions", INTERACTIONS_OK + "Nobody,Billing,Invoice,2026-02-01,0\n",
         "row 3, contact: no contact has the id or name 'Nobody'"),
        ("interactions", INTERACTIONS_OK + "Ann Lee,Billing,Refund,2026-02-01,0\n",
         "row 3, touchpoint: no touchpoint has the id or name 'Refund'"),
        ("interactions", INTERACTIONS_OK + "Ann Lee,Payroll,Invoice,2026-02-01,0\n",
         "row 3, map: no map has the id or name 'Payroll'"),
        ("interactions", INTERACTIONS_OK + "Ann Lee,Billing,Invoice,2026-02-01,+3\n",
         "row 3, feeling: feeling +3 is out of range: use -2 (very dissatisfied) to +2 (very satisfied)"),
        ("interactions", INTERACTIONS_OK + "Ann Lee,Billing,Invoice,2026-02-01,great\n",
         "row 3, feeling: 'great' is not a feeling"),
        ("interactions", INTERACTIONS_OK + "\nAnn Lee,Billing,Invoice,01.02.2026,0\n",
         "row 4, date: the date '01.02.2026' is not a date"),
    ],
)
def test_import_mistakes_name_the_row_and_field_and_change_nothing(
    cli: Cli, db_path: Path, tmp_path: Path, what: str, text: str, message: str
) -> None:
    _maps(cli, db_path)
    cli.ok("account", "add", "Acme Vets", "--start", "2026-01-01")
    if what == "interactions":
        cli.ok("contact", "add", "Ann Lee", "--account", "Acme Vets", "--start", "2026-01-16")
    path = _write(tmp_path, "in.csv", text)
    files = [db_path.with_name(db_path.name + end) for end in ("", ".bak", ".journal")]
    before = [file_bytes(f) if f.exists() else None for f in files]
    code, out, err = cli("import-customers", path, "--what", what)
    assert code == 1 and out == ""
    assert err.startswith(f"cxmap: {path} {message}") and err.count("\n") == 1
    assert [file_bytes(f) if f.exists() else None for f in files] == before


def test_a_name_two_contacts_share_must_be_given_as_an_id(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    _maps(cli, db_path)
    cli.ok("account", "add", "Acme", "--start", "2026-01-01")
    cli.ok("account", "add", "Globex", "--start", "2026-01-01")
    one = cli.ok("contact", "add", "Ann Lee", "--account", "Acme", "--start", "2026-01-01")
    cli.ok("contact", "add", "Ann Lee", "--account", "Globex", "--start", "2026-01-01")
    path = _write(tmp_path, "in.csv", "contact,map,touchpoint,date\nAnn Lee,Billing,Invoice,2026-02-01\n")
    code, _, err = cli("import-customers", path, "--what", "interactions")
    assert code == 1 and "row 2, contact: 'Ann Lee' is the name of 2 contacts (" in err and "use the id" in err
    path = _write(tmp_path, "in.csv", f"contact,map,touchpoint,date\n{one},Billing,Invoice,2026-02-01\n")
    assert cli.ok("import-customers", path, "--what", "interactions") == "imported 1 interaction"
