"""The customers screen's review view and its resolve key, driven by keys at 80x24 on a fixed day:
who is asked and who not now (and why), resolving a problem with a note in a small dialog, what
that changes on screen and in the database, and undoing it."""

from __future__ import annotations

import os
import pwd
import re
from datetime import date
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.store import Store
from cxmap_tui.tui.screens.customers import CustomersScreen
from tests.helpers.tui import make_app, on_top, screen_text, settle, type_text

DAY = date(2026, 3, 1)  # the screen's today: the resolve dialog's date starts on it
USER = pwd.getpwuid(os.getuid()).pw_name


def build(path: Path) -> tuple[Store, dict[str, str]]:
    """Acme: Ann (+2), Bo (-2 at Invoice, later +1). Globex: Gil (0), Nia (never met). Dee alone (-1)."""
    store = Store.open(path)
    m = ExperienceMap.new("Billing", experience="custom")
    for name in ("Invoice", "Reminder"):
        m.add_touchpoint(name)
    m = store.add(m)
    invoice, reminder = (tp.id for tp in m.touchpoints)
    acme, globex = Account.new("Acme Vets", "2026-01-01"), Account.new("Globex", "2026-01-01")
    people = {name: Contact.new(name, "2026-01-01", account=acc.id if acc else "")
              for name, acc in (("Ann Lee", acme), ("Bo Ek", acme), ("Gil", globex), ("Nia", globex), ("Dee", None))}
    store.customers.add_many(accounts=[acme, globex], contacts=list(people.values()), interactions=[
        Interaction.new(people["Ann Lee"].id, m.id, invoice, "2026-02-01", 2),
        Interaction.new(people["Bo Ek"].id, m.id, invoice, "2026-02-03", -2, "Wrong VAT number"),
        Interaction.new(people["Bo Ek"].id, m.id, reminder, "2026-02-05", 1),
        Interaction.new(people["Gil"].id, m.id, invoice, "2026-02-04", 0),
        Interaction.new(people["Dee"].id, m.id, invoice, "2026-02-04", -1),
    ])
    return store, {"map": m.id, "invoice": invoice, **{name: c.id for name, c in people.items()}}


def _row(text: str, start: str) -> str:
    rows = [line for line in text.splitlines() if line.strip().startswith(start)]
    assert rows, f"no line starts with {start!r} in:\n{text}"
    return rows[0]


def _ask(text: str, name: str) -> str:
    """What the review view's "Ask?" column says for that contact."""
    return re.split(r"\s{2,}", _row(text, name).strip())[-1]


async def _open(app, pilot) -> None:
    await settle(pilot)
    await app.push_screen(CustomersScreen(None, today=lambda: DAY))
    await settle(pilot)


async def test_the_review_view_and_resolving_a_problem_by_keys(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.view == "reviews"
        text = screen_text(app)
        # Only Globex has nothing open: Gil is asked although he felt neutral; Nia was never met.
        assert {name: _ask(text, name) for name in ("Gil", "Ann Lee", "Bo Ek", "Nia", "Dee")} == {
            "Gil": "ask (last met 2026-02-04)",
            "Ann Lee": "not now: -2 Bo Ek at Invoice",
            "Bo Ek": "not now: -2 their own at Invoice",
            "Nia": "not now: no interaction yet",
            "Dee": "not now: -1 their own at Invoice",
        }
        assert "1 to ask, 4 not now" in text
        assert "R Resolve" in text.splitlines()[-1]  # on the key bar

        await pilot.press("?")
        await settle(pilot)
        text = screen_text(app)
        assert "R   Resolve the highlighted contact's open problems" in text
        await pilot.press("end")  # the keys come first; what the views are for, below them
        await settle(pilot)
        assert "review gating" in screen_text(app)
        await pilot.press("?")
        await settle(pilot)

        await pilot.press("down", "down")  # Gil, Ann, Bo
        await settle(pilot)
        text = screen_text(app)
        assert "Not now: their own problem is open (R resolves it)" in text
        assert "OPEN problem" in text and "Wrong VAT number" in text

        await pilot.press("R")
        await settle(pilot)
        assert on_top(app) == "ResolveDialog" and app.screen.contact.id == ids["Bo Ek"]
        text = screen_text(app)
        assert "Invoice on 2026-02-03: Wrong VAT number" in text
        assert "Resolved on      2026-03-01" in text
        await type_text(pilot, "Credit note sent")  # the note has the focus
        await pilot.press("enter")
        await settle(pilot)

        assert on_top(app) == "CustomersScreen"  # closed once stored
        text = screen_text(app)
        # Nothing is open at Acme now: Ann and Bo (who had the -2) are asked.
        assert [_ask(text, name) for name in ("Ann Lee", "Bo Ek")] == [
            "ask (last met 2026-02-01)", "ask (last met 2026-02-05)"]
        assert "3 to ask, 2 not now" in text
        assert f"resolved 2026-03-01 by {USER}: Credit note sent" in text  # Bo's history, below
        [kept] = store.customers.resolutions()
        assert (kept.contact, kept.date, kept.note, kept.by) == (ids["Bo Ek"], "2026-03-01", "Credit note sent", USER)

        await pilot.press("u")
        await settle(pilot)
        text = screen_text(app)
        assert store.customers.resolutions() == []
        assert _ask(text, "Ann Lee") == "not now: -2 Bo Ek at Invoice"
        assert "1 to ask, 4 not now" in text


async def test_a_resolution_dated_before_the_problem_keeps_the_dialog_open(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("w", "down", "down", "R")
        await settle(pilot)
        await type_text(pilot, "Called")
        await pilot.press("shift+tab", "ctrl+u")
        await type_text(pilot, "2026-02-01")
        await pilot.press("enter")
        await settle(pilot)
        assert on_top(app) == "ResolveDialog" and app.screen.contact.id == ids["Bo Ek"]  # still open,
        assert "a problem cannot be resolved before it happened" in screen_text(app)  # with the reason
    assert store.customers.resolutions() == []


async def test_the_risk_view_resolves_an_accounts_problems_contact_by_contact(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    store.customers.record(ids["Ann Lee"], ids["map"], ids["invoice"], "2026-02-20", -1, "Late again")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.view == "risk"
        text = screen_text(app)
        # Worst first: Acme (-2, Bo's), then the lone Dee (-1); Acme has two problems open.
        assert re.split(r"\s{2,}", _row(text, "Acme Vets").strip())[1:] == [
            "\N{POUTING FACE} -2", "Bo Ek at Invoice", "2026-02-03", "2"]
        assert "(no account)" in _row(text, "(no account)") and "Dee at Invoice" in text
        assert "2 open problems here" in text

        await pilot.press("R")  # on Acme: two contacts have a problem open there, so which one?
        await settle(pilot)
        assert on_top(app) == "ChooseDialog" and app.screen.title_text == "Resolve whose open problems?"
        assert "Ann Lee  (1 open)" in screen_text(app)
        await pilot.press("down", "enter")  # the order is worst first: Bo, then Ann
        await settle(pilot)
        assert on_top(app) == "ResolveDialog" and app.screen.contact.id == ids["Ann Lee"]
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert re.split(r"\s{2,}", _row(text, "Acme Vets").strip())[-1] == "1"  # only Bo's left
    [kept] = store.customers.resolutions()
    assert (kept.contact, kept.date, kept.note) == (ids["Ann Lee"], "2026-03-01", "")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_why_not_now_names_the_unhappy_colleague_where_when_and_how_they_felt(
        tmp_path: Path, size: tuple[int, int]) -> None:
    """Long names: a colleague's problem keeps Ann from being asked. Her row names the colleague
    (at 80 columns); the lines below it give who, how they felt, when and where, each whole."""
    store = Store.open(tmp_path / "cx.json")
    m = ExperienceMap.new("Billing", experience="custom")
    letter = m.add_touchpoint("Second reminder letter about the overdue payment")
    m = store.add(m)
    clinics = Account.new("Northwind Veterinary Clinics", "2026-01-01")
    ann = Contact.new("Ann Lee", "2026-01-01", account=clinics.id)
    bart = Contact.new("Bartholomew Okafor-Lindqvist", "2026-01-01", account=clinics.id)
    store.customers.add_many(accounts=[clinics], contacts=[ann, bart], interactions=[
        Interaction.new(ann.id, m.id, letter.id, "2026-02-01", 2),
        Interaction.new(bart.id, m.id, letter.id, "2026-02-03", -2, "Paid twice already"),
    ])
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        if size[0] >= 80:
            assert "not now: -2 Bartholomew Okafor-Lindqvist" in _row(text, "Ann Lee")
        lines = [line.strip() for line in text.splitlines()]
        for fact in ("Not now: open problem at Northwind Veterinary Clinics",
                     "Bartholomew Okafor-Lindqvist felt -2 on 2026-02-03",
                     "at Second reminder letter about the overdue payment"):
            assert any(line.startswith(fact) for line in lines), (fact, text)  # (the scroll bar may follow)
        await pilot.press("down")  # Bartholomew himself: his history, below, has it
        await settle(pilot)
        text = screen_text(app)
        assert "Not now: their own problem is open (R resolves it)" in text
        assert "History: 1 interaction, 1 open problem (R resolves)" in text
