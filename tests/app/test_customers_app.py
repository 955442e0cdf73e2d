"""The customers screen (F6), driven by keys at 80x24: record what happened to a contact and see
the account's experience, the accounts at risk and the review guard follow; the checklist of the
ideal map for whoever is highlighted; adding accounts and contacts; a segment's curve."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.store import Store
from tests.helpers.tui import (
    TODAY,
    make_app,
    on_top,
    open_map,
    read_widget,
    screen_text,
    settle,
    toasts,
    type_text,
    wait_until,
)


def _ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def build(path: Path) -> tuple[Store, dict[str, str]]:
    """Acme (40 days old): Ann, there from the start and happy; Bob, who joined 15 days ago and has
    no feeling yet. Sam has no account. The ideal map has account-clock and contact-clock moments."""
    store = Store.open(path)
    ideal = ExperienceMap.new("Onboarding (ideal)", kind="ideal", experience="product")
    kick = ideal.add_touchpoint("Kick-off call", stage="Onboarding", due_day=0, clock="account")
    ideal.add_touchpoint("30-day check-in", stage="Check-in", due_day=30, clock="account")
    train = ideal.add_touchpoint("Training session", stage="Onboarding", due_day=7, clock="contact")
    ideal.add_touchpoint("Renewal talk", stage="Renewal", due_day=330, clock="account")
    ideal = store.add(ideal)
    acme = Account.new("Acme Tools", _ago(40), segment="SMB")
    ann = Contact.new("Ann Admin", _ago(40), account=acme.id)
    bob = Contact.new("Bob Finance", _ago(15), account=acme.id)
    sam = Contact.new("Sam Solo", _ago(3), segment="Freelance")
    store.customers.add_many(accounts=[acme], contacts=[ann, bob, sam], interactions=[
        Interaction.new(ann.id, ideal.id, kick.id, _ago(39), 2, "Great start"),
        Interaction.new(ann.id, ideal.id, train.id, _ago(30), 1),
    ])
    return store, {"ideal": ideal.id, "acme": acme.id, "ann": ann.id, "bob": bob.id, "sam": sam.id,
                   "kick": kick.id}


def _cells(text: str, start: str) -> list[str]:
    """The cells of that line: text separated by two spaces or more."""
    return re.split(r"\s{2,}", _row(text, start).strip())


def _row(text: str, start: str) -> str:
    """The screen line whose text (after the left padding) starts with `start`."""
    rows = [line for line in text.splitlines() if line.strip().startswith(start)]
    assert rows, f"no line starts with {start!r} in:\n{text}"
    return rows[0]


async def _customers(pilot, title: str = "Onboarding") -> None:
    await settle(pilot)
    await open_map(pilot, title)
    await pilot.press("f6")
    await settle(pilot)


async def test_recording_a_feeling_by_keys_rolls_the_account_up_to_its_worst_contact(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot)
        assert app.screen.view == "people"  # type: ignore[attr-defined]
        text = screen_text(app)
        assert "1 account, 3 contacts, 2 recorded interactions" in text
        # before: Acme is as happy as Ann (+1, her latest); Bob has nothing yet
        assert _cells(text, "Acme Tools")[1:3] == ["\N{SMILING FACE WITH SMILING EYES} +1", "Ann Admin: Training\u2026"]
        assert _cells(text, "Bob Finance")[1:3] == ["\N{MIDDLE DOT}\N{MIDDLE DOT}", "-"]

        await pilot.press("w")
        await settle(pilot)
        assert "ask (last met " in _row(screen_text(app), "Ann Admin")

        await pilot.press("l")
        await settle(pilot)
        assert (app.screen.view, app.screen.current_key()) == ("people", f"con:{ids['ann']}")  # still on Ann
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.current_key() == f"con:{ids['bob']}"
        assert "Bob Finance:" in screen_text(app)  # his checklist is below
        await pilot.press("n")
        await settle(pilot)
        assert on_top(app) == "RecordDialog" and app.screen.contact.id == ids["bob"]
        await pilot.press("space", "down", "enter")  # the touchpoint list: the first, Kick-off call
        await pilot.press("tab", "tab", "1", "tab")  # date as it is (today); feeling key 1 = -2
        await type_text(pilot, "Nobody told me the login")
        await pilot.press("enter")
        await settle(pilot)

        assert on_top(app) == "CustomersScreen"  # the dialog closed once it was stored
        text = screen_text(app)
        assert "3 recorded interactions" in text
        assert _cells(text, "Bob Finance")[1:3] == ["\N{POUTING FACE} -2", "Kick-off call"]
        # the account is its worst contact now
        assert _cells(text, "Acme Tools")[1:3] == ["\N{POUTING FACE} -2", "Bob Finance: Kick-o\u2026"]
        assert _cells(text, "Ann Admin")[1] == "\N{SMILING FACE WITH SMILING EYES} +1"  # Ann herself is still happy

        await pilot.press("r")
        await settle(pilot)
        assert app.screen.view == "risk"  # type: ignore[attr-defined]
        text = screen_text(app)
        assert _cells(text, "Acme Tools")[1:] == ["\N{POUTING FACE} -2", "Bob Finance at Kick-off call",
                                                  TODAY.isoformat(), "1"]

        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        ann = _row(text, "Ann Admin")
        assert "not now: -2 Bob Finance" in ann and "ask (" not in ann  # Bob's problem is open at her account
        assert "0 to ask" in text

    recorded = [i for i in store.customers.book().interactions if i.contact == ids["bob"]]
    assert len(recorded) == 1
    assert (recorded[0].touchpoint, recorded[0].feeling, recorded[0].note, recorded[0].date) == (
        ids["kick"], -2, "Nobody told me the login", TODAY.isoformat())


async def test_the_checklist_runs_on_the_accounts_clock_and_the_contacts(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot)
        assert app.screen.current_key() == f"acc:{ids['acme']}"  # Acme is highlighted first
        text = screen_text(app)
        assert "Acme Tools: 2 overdue, 1 ahead, 2 done" in text
        assert f"overdue   30-day check-in (due {(_ago(40) + timedelta(days=30)).isoformat()})" in text
        # Bob joined 15 days ago: his training (7 days, his clock) is overdue; Ann's is done
        assert f"overdue   Training session - Bob Finance (due {(_ago(15) + timedelta(days=7)).isoformat()})" in text
        assert "done      Training session - Ann Admin" in text

        await pilot.press("down", "down", "down")  # Sam: no account, joined 3 days ago
        await settle(pilot)
        assert app.screen.current_key() == f"con:{ids['sam']}"
        text = screen_text(app)
        # with no account, account-clock moments run from his own start
        assert f"(due {(_ago(3) + timedelta(days=7)).isoformat()})" in _row(text, "ahead     Training session")
        assert "Sam Solo: 1 due, 3 ahead" in text
        assert f"due       Kick-off call (due {_ago(3).isoformat()})" in text  # day 0 of his own clock


async def test_accounts_and_contacts_are_added_by_keys_and_kept_as_typed(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot)
        await pilot.press("A")
        await settle(pilot)
        await type_text(pilot, "[b]Zeta[/b] & Co")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Enterprise")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "[b]Zeta[/b] & Co" in text  # shown as typed, not as markup
        assert "2 accounts" in text

        await pilot.press("home")  # "[" sorts before the letters: Zeta's is the first row
        await settle(pilot)
        [zeta_id] = [a.id for a in store.customers.book().accounts.values() if a.name == "[b]Zeta[/b] & Co"]
        assert app.screen.current_key() == f"acc:{zeta_id}"
        assert "[b]Zeta[/b] & Co: " in screen_text(app), screen_text(app)  # its checklist is below
        await pilot.press("C")
        await settle(pilot)
        await type_text(pilot, "Zoe Buyer")
        await pilot.press("enter")
        await settle(pilot)
        assert "Zoe Buyer" in _row(screen_text(app), "Zoe Buyer")

    book = store.customers.book()
    zeta = next(a for a in book.accounts.values() if a.name == "[b]Zeta[/b] & Co")
    assert zeta.segment == "Enterprise" and zeta.start == TODAY.isoformat()
    zoe = next(c for c in book.contacts.values() if c.name == "Zoe Buyer")
    assert zoe.account == zeta.id  # added to the account that was highlighted
    assert book.segment_of(zoe) == "Enterprise"


async def test_a_bad_date_keeps_the_dialog_open_with_the_reason(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot)
        await pilot.press("A")
        await type_text(pilot, "Omega")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "31/12/2026")
        await pilot.press("enter")
        await settle(pilot)
        assert on_top(app) == "AccountDialog"  # still open,
        assert "YYYY-MM-DD" in read_widget(app, "#message")  # saying what it wants
    assert all(a.name != "Omega" for a in store.customers.book().accounts.values())


async def test_record_needs_a_contact_highlighted(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _customers(pilot)
        await pilot.press("n")  # Acme, an account, is highlighted
        await settle(pilot)
        assert "Highlight a contact" in toasts(app)
        assert on_top(app) == "CustomersScreen"


async def test_a_segments_curve_beside_the_maps(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot)
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "Freelance  (1 contact)" in text and "SMB  (2 contacts)" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Segment 'SMB' (2 contacts) on 'Onboarding (ideal)'" in text
        kick = _row(text, "Kick-off call")
        assert kick.split()[2:5] == ["1", "+2.00", "+2"]  # Ann's +2 is the only one
        assert _row(text, "30-day check-in").split()[2:4] == ["0", "-"]
        assert "+2 " in text and "-2 " in text  # the curve's axis is on screen


async def test_no_customers_yet_says_how_to_start(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    store.add(ExperienceMap.new("Checkout", experience="website"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, "Checkout")
        text = screen_text(app)
        assert "No customers yet" in text and "A adds an account" in text
        await pilot.press("A")
        await type_text(pilot, "Globex")
        await pilot.press("enter")
        await settle(pilot)
        assert "Globex" in screen_text(app) and "No customers yet" not in screen_text(app)
        await pilot.press("q")
        await settle(pilot)
        assert on_top(app) == "WorkshopScreen"


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (130, 40)])
async def test_every_view_fits(tmp_path: Path, size: tuple[int, int]) -> None:
    store, _ = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await _customers(pilot)
        for key, marker in (("l", "Segment"), ("r", "Open"), ("w", "Ask?")):
            await pilot.press(key)
            await settle(pilot)
            text = screen_text(app)
            first = {"l": "Customer" if size[0] < 80 else "Account / contact", "r": "Account  ", "w": "Contact  "}
            header = _row(text, first[key])
            assert marker in header, text  # the last column is not cut off, at any width
            assert text.splitlines()[-1].startswith("q Back")  # the way out, even when narrow


@pytest.mark.parametrize("keys", [[], ["down", "down"], ["r"], ["w"], ["s", "down", "enter"], ["down", "n"],
                                  ["r", "R"], ["?"]],
                         ids=["list", "checklist", "risk", "reviews", "segment", "record", "resolve", "help"])
async def test_a_plain_terminal_gets_only_ascii(tmp_path: Path, keys: list[str]) -> None:
    store, ids = build(tmp_path / "cx.json")
    hostile = Contact.new("Caf\u00e9 \u2615 \x1b[31mred", _ago(2), account=ids["acme"])
    store.customers.add_many(contacts=[hostile], interactions=[
        Interaction.new(hostile.id, ids["ideal"], ids["kick"], _ago(1), -1, "\u00e9t\u00e9 \u2026")])
    app = make_app(store, tmp_path / "state", ascii_mode=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _customers(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        text = screen_text(app)
    assert sorted({ch for ch in text if not ch.isascii() or (ch < " " and ch != "\n")}) == [], text
    if keys in ([], ["r"], ["r", "R"]):
        assert "Cafe ? ^[[31mred" in text  # the name is there, transcoded, its escape shown, not obeyed
    if keys == ["r", "R"]:
        assert "Resolve Cafe ? ^[[31mred's open problem" in text and "ete ..." in text


async def test_an_ideal_maps_touchpoint_takes_its_due_day_and_clock_in_the_form(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Onboarding")
        await pilot.press("f3", "down", "down", "e")  # the Training session (day 7, contact's clock)
        await settle(pilot)
        assert on_top(app) == "TouchpointForm"
        assert (app.screen.query_one("#due_day").value, app.screen.query_one("#clock").value) == ("7", "contact")
        text = screen_text(app)
        assert "Due on day       7" in text and "from the contact's start" in text
        await pilot.press(*["tab"] * 6, "ctrl+u")
        await type_text(pilot, "soon")
        await pilot.press("enter")
        await settle(pilot)
        assert "the due day is a number of days from 0 up, not 'soon'" in screen_text(app)
        await pilot.press("ctrl+u", "1", "0", "tab", "space", "down", "enter")  # day 10, the account's clock
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert on_top(app) == "WorkshopScreen"
    tp = next(t for t in store.get(ids["ideal"]).touchpoints if t.name == "Training session")
    assert (tp.due_day, tp.clock) == (10, "account")


async def test_the_highlighted_customer_stays_in_sight_when_the_view_changes(tmp_path: Path) -> None:
    """Forty contacts, the last one highlighted far down the list: in the review view, where the
    list is shorter and the line below it longer, that contact's row is still on screen."""
    store = Store.open(tmp_path / "cx.json")
    m = store.add(ExperienceMap.new("Support", experience="service"))
    m = store.change_and_get(m.id, lambda x: x.add_touchpoint("Call"))[1]
    acme = Account.new("Acme", _ago(100))
    people = [Contact.new(f"Person {n:02}", _ago(90), account=acme.id) for n in range(40)]
    store.customers.add_many(accounts=[acme], contacts=people, interactions=[
        Interaction.new(p.id, m.id, m.touchpoints[0].id, _ago(5), 1) for p in people])
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert "Person 39" in screen_text(app)
        for view in ("w", "l", "w"):
            await pilot.press(view)
            await settle(pilot)
            assert re.search(r"^ *Person 39 ", screen_text(app), re.M), (view, screen_text(app))


def _with_billing(store: Store) -> ExperienceMap:
    """A current-state map beside the ideal one (which was stored first)."""
    billing = ExperienceMap.new("Billing", experience="custom")
    billing.add_touchpoint("Invoice")
    billing.add_touchpoint("Reminder")
    return store.add(billing)


async def test_the_record_dialog_starts_on_the_open_map_at_the_touchpoint(tmp_path: Path) -> None:
    store, ids = build(tmp_path / "cx.json")
    billing = _with_billing(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, "Billing")
        # Typed straight on, as one would: the touchpoint list opens, the first one is taken.
        await pilot.press("down", "down", "n", "space", "down", "enter", "tab", "enter")  # Bob; date today
        await settle(pilot)
        assert on_top(app) == "CustomersScreen"
    [made] = [i for i in store.customers.book().interactions if i.contact == ids["bob"]]
    assert (made.map, made.touchpoint) == (billing.id, billing.touchpoints[0].id)


async def test_on_a_map_with_no_touchpoint_the_record_dialog_starts_on_the_map(tmp_path: Path) -> None:
    store, _ = build(tmp_path / "cx.json")
    empty = store.add(ExperienceMap.new("Empty so far", experience="custom"))
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, "Empty so far")
        await pilot.press("down", "n")
        await settle(pilot)
        assert on_top(app) == "RecordDialog" and app.screen.query_one("#map").value == empty.id
        assert _cells(screen_text(app), "\u2502 Map")[1] == "Empty so far"
        assert app.screen.focused.id == "map"  # nothing to choose below it: another map, then


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_with_no_map_open_the_record_dialog_starts_on_the_map_last_used_there(tmp_path: Path,
                                                                                   size: tuple[int, int]) -> None:
    store, ids = build(tmp_path / "cx.json")
    _with_billing(store)
    support = ExperienceMap.new("Support", experience="service")
    support.add_touchpoint("Call")
    support = store.add(support)  # the last map by title
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f6")  # from step 1, no map open
        await settle(pilot)
        await pilot.press("down", "down", "n")  # Bob
        await settle(pilot)
        await pilot.press("shift+tab", "space", "end", "enter")  # the map: Support
        await pilot.press("tab", "space", "down", "enter", "tab", "enter")  # its Call, today
        await settle(pilot)
        assert on_top(app) == "CustomersScreen"
        await pilot.press("down", "n")  # Sam, who has no history
        await settle(pilot)
        assert on_top(app) == "RecordDialog" and app.screen.contact.id == ids["sam"]
        assert app.screen.query_one("#map").value == support.id
        text = screen_text(app)
        assert "Record what happened to Sam Solo" in text
        assert _cells(text, "\u2502 Map")[1] == "Support"
        assert app.screen.focused.id == "touchpoint"
        await pilot.press("escape", "ctrl+q")
    again = make_app(Store.open(tmp_path / "cx.json"), tmp_path / "state")
    async with again.run_test(size=size) as pilot:  # the next run remembers it too
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("end", "n")
        await settle(pilot)
        assert on_top(again) == "RecordDialog" and again.screen.query_one("#map").value == support.id
    assert [i.map for i in store.customers.book().interactions if i.contact == ids["bob"]] == [support.id]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_key_is_on_the_key_bar_or_behind_the_question_mark_on_it(tmp_path: Path,
                                                                            size: tuple[int, int]) -> None:
    from cxmap_tui.tui.screens.customer_keys import BINDINGS

    store, _ = build(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await _customers(pilot)
        for view in ("l", "r", "w"):
            await pilot.press(view)
            await settle(pilot)
            bar = screen_text(app).splitlines()[-1]
            assert bar.startswith("q Back n Record") and re.search(r" \? (More|Help)$", bar), bar
            assert len(bar) <= size[0]
        await pilot.press("question_mark")
        await settle(pilot)
        lines = [m.group(1).rstrip() for m in re.finditer(r"\u2502 (.*?)\u2502", screen_text(app))]
        for binding in BINDINGS:  # each key with what it does, all in sight at once
            shown = f"{app.get_key_display(binding):<4}{binding.tooltip}"
            assert any(line.startswith(shown) for line in lines), (shown, "\n".join(lines))  # (a scroll bar may follow)
        await pilot.press("question_mark", "s")  # a key the bar has no room for at 60 columns still works
        await settle(pilot)
        assert on_top(app) == "ChooseDialog"
        assert app.screen.title_text == "Which segment's curve, on the open map?"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.resize_terminal(130, 30)  # with room for all of them, the bar follows the resize
        await wait_until(pilot, lambda: screen_text(app).splitlines()[-1].endswith("^q Quit ? Help"),
                         what="every key on the bar")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_contact_or_account_just_added_is_highlighted_in_sight(tmp_path: Path, size: tuple[int, int]) -> None:
    """Forty contacts at Acme: one added there sorts to the bottom of the list, far out of sight;
    it is the one highlighted, on screen. So is an account added from the review view."""
    store = Store.open(tmp_path / "cx.json")
    acme = Account.new("Acme", _ago(100))
    store.customers.add_many(accounts=[acme], contacts=[Contact.new(f"Person {n:02}", _ago(90), account=acme.id)
                                                        for n in range(40)])
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("C")  # Acme is highlighted: the contact goes there
        await settle(pilot)
        await type_text(pilot, "Zoe Late")
        await pilot.press("enter")
        await settle(pilot)
        zoe = next(c for c in store.customers.book().contacts.values() if c.name == "Zoe Late")
        assert app.screen.current_key() == f"con:{zoe.id}"
        assert re.search(r"^ +Zoe Late ", screen_text(app), re.M), screen_text(app)

        await pilot.press("w", "A")
        await settle(pilot)
        await type_text(pilot, "Zenith Labs")
        await pilot.press("enter")
        await settle(pilot)
        zenith = next(a for a in store.customers.book().accounts.values() if a.name == "Zenith Labs")
        text = screen_text(app)
        assert app.screen.current_key() == f"acc:{zenith.id}"
        assert app.screen.view == "people"  # type: ignore[attr-defined]  # the review view has no accounts: the list shows it
        assert re.search(r"^ Zenith Labs ", text, re.M), text
