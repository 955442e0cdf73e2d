"""Accounts, contacts and interactions: the checklist, the account roll-up, the review timing and
a segment's curve, on small workspaces whose answers are worked out by hand in the comments.
(Problems, resolutions and references have their own tests in test_customers_reviews.py.)"""

from __future__ import annotations

from datetime import date

import pytest

from cxmap_tui.domain.accounts import (
    NO_INTERACTION,
    OPEN_PROBLEM,
    TouchpointNames,
    account_experiences,
    at_risk,
    latest_rated,
    review_candidates,
)
from cxmap_tui.domain.checklist import (
    AHEAD,
    ANY_TIME,
    DONE,
    DUE,
    OVERDUE,
    account_checklist,
    contact_checklist,
    moment_state,
)
from cxmap_tui.domain.customers import Account, Contact, CustomerBook, Interaction, parse_date
from cxmap_tui.domain.errors import ValidationError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.domain.segments import segment_curve


def ideal_map() -> ExperienceMap:
    m = ExperienceMap.new("First year", kind="ideal")
    m.add_touchpoint("Welcome", due_day=0)  # contact clock by default
    m.add_touchpoint("Kick-off", due_day=3, clock="account")
    m.add_touchpoint("30-day check-in", due_day=30, clock="account")
    m.add_touchpoint("Setup review", due_day=30, clock="contact")
    m.add_touchpoint("Newsletter")  # no due day
    return m


def tp(m: ExperienceMap, name: str) -> str:
    return m.touchpoint(name).id


class Recorder:
    """Interactions numbered in the order they are made, as the store numbers them."""

    def __init__(self) -> None:
        self.made: list[Interaction] = []

    def __call__(self, who: Contact, m: ExperienceMap, name: str, when: str, feeling: int | None = None) -> Interaction:
        i = Interaction.new(who.id, m.id, tp(m, name), when, feeling)
        i.seq = len(self.made) + 1
        self.made.append(i)
        return i


# -- the checklist ----------------------------------------------------------------------------------

ACME = Account("acme", "Acme Vets", "2026-01-01")
ANN = Contact("ann", "Ann", account="acme", start="2026-01-16")  # joined 15 days after the account
BO = Contact("bo", "Bo", account="acme", start="2026-01-01")
DEE = Contact("dee", "Dee", start="2026-01-10")  # no account


def states(found: object) -> dict[str, str]:
    return {item.touchpoint.name: item.state for item in found.items}  # type: ignore[attr-defined]


def test_a_contact_who_joined_after_the_account_is_due_by_the_accounts_age() -> None:
    m = ideal_map()
    book = CustomerBook([ACME], [ANN, BO], [])
    # On 2026-01-31 the account is 30 days old (day 0 = Jan 1), Ann only 15 (day 0 = Jan 16).
    found = contact_checklist(book, m, "ann", date(2026, 1, 31))
    items = {item.touchpoint.name: item for item in found.items}
    check_in = items["30-day check-in"]
    assert (check_in.state, check_in.clock_start, check_in.due) == (DUE, date(2026, 1, 1), date(2026, 1, 31))
    setup = items["Setup review"]  # contact clock: Jan 16 + 30 = Feb 15
    assert (setup.state, setup.clock_start, setup.due) == (AHEAD, date(2026, 1, 16), date(2026, 2, 15))
    # Welcome: due on Ann's day 0 (Jan 16), window to Jan 23: overdue on Jan 31.
    # Kick-off: account day 3 = Jan 4, window to Jan 11: overdue.
    assert states(found) == {
        "Welcome": OVERDUE, "Kick-off": OVERDUE, "30-day check-in": DUE, "Setup review": AHEAD,
        "Newsletter": ANY_TIME,
    }


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2026-01-30", AHEAD),  # the day before the due day
        ("2026-01-31", DUE),  # the due day: account day 30
        ("2026-02-07", DUE),  # the last day of the 7-day grace window
        ("2026-02-08", OVERDUE),  # the day after
    ],
)
def test_the_window_edges(today: str, state: str) -> None:
    m = ideal_map()
    book = CustomerBook([ACME], [ANN, BO], [])
    found = contact_checklist(book, m, "ann", parse_date(today, "today"))
    assert states(found)["30-day check-in"] == state


def test_a_grace_window_of_zero_days_and_of_three() -> None:
    start = date(2026, 1, 1)
    assert moment_state(30, start, None, date(2026, 1, 31), 0)[0] == DUE
    assert moment_state(30, start, None, date(2026, 2, 1), 0)[0] == OVERDUE
    assert moment_state(30, start, None, date(2026, 2, 3), 3) == (DUE, date(2026, 1, 31), date(2026, 2, 3))
    assert moment_state(30, start, None, date(2026, 2, 4), 3)[0] == OVERDUE
    assert moment_state(None, start, None, date(2030, 1, 1))[0] == ANY_TIME


def test_what_counts_as_done() -> None:
    m = ideal_map()
    other = ExperienceMap.new("Support call")
    other.add_touchpoint("Welcome")
    rec = Recorder()
    rec(BO, m, "30-day check-in", "2026-01-29")  # a colleague had the account's check-in
    rec(BO, m, "Setup review", "2026-01-20")  # a colleague's own setup review: not Ann's
    rec(ANN, m, "Welcome", "2026-02-20")  # after "today": not yet
    rec(ANN, other, "Welcome", "2026-01-16")  # the same name on another map: not this moment
    rec(ANN, m, "Newsletter", "2026-01-17")
    book = CustomerBook([ACME], [ANN, BO], rec.made)
    found = contact_checklist(book, m, "ann", date(2026, 1, 31))
    items = {item.touchpoint.name: item for item in found.items}
    assert states(found) == {
        "Welcome": OVERDUE, "Kick-off": OVERDUE, "30-day check-in": DONE, "Setup review": AHEAD,
        "Newsletter": DONE,
    }
    assert items["30-day check-in"].done is rec.made[0]
    assert items["30-day check-in"].done_by == BO
    assert found.count(OVERDUE) == 2 and found.count(DONE) == 2


def test_done_is_the_earliest_interaction_up_to_today() -> None:
    m = ideal_map()
    rec = Recorder()
    rec(BO, m, "Kick-off", "2026-01-05")
    rec(ANN, m, "Kick-off", "2026-01-03")  # recorded later, happened earlier
    book = CustomerBook([ACME], [ANN, BO], rec.made)
    found = account_checklist(book, m, "acme", date(2026, 1, 31))
    kick_off = next(item for item in found.items if item.touchpoint.name == "Kick-off")
    assert kick_off.done is rec.made[1] and kick_off.done_by == ANN


def test_a_contact_without_an_account_runs_every_clock_from_their_own_start() -> None:
    m = ideal_map()
    book = CustomerBook([ACME], [ANN, BO, DEE], [])
    # Dee started Jan 10: the 30-day check-in is due Feb 9, whatever the clock.
    found = contact_checklist(book, m, "dee", date(2026, 2, 9))
    items = {item.touchpoint.name: item for item in found.items}
    assert found.account is None
    assert (items["30-day check-in"].state, items["30-day check-in"].due) == (DUE, date(2026, 2, 9))
    assert (items["Setup review"].state, items["Setup review"].due) == (DUE, date(2026, 2, 9))


def test_an_accounts_checklist_has_one_line_per_account_moment_and_per_contact_moment() -> None:
    m = ideal_map()
    rec = Recorder()
    rec(ANN, m, "Welcome", "2026-01-16")
    book = CustomerBook([ACME], [BO, ANN], rec.made)
    found = account_checklist(book, m, "acme", date(2026, 1, 31))
    rows = [(item.touchpoint.name, item.contact.name if item.contact else None, item.state) for item in found.items]
    assert rows == [
        ("Welcome", "Ann", DONE),
        ("Welcome", "Bo", OVERDUE),  # Bo's day 0 was Jan 1
        ("Kick-off", None, OVERDUE),
        ("30-day check-in", None, DUE),
        ("Setup review", "Ann", AHEAD),  # Feb 15
        ("Setup review", "Bo", DUE),  # Bo's day 30 is Jan 31
        ("Newsletter", "Ann", ANY_TIME),
        ("Newsletter", "Bo", ANY_TIME),
    ]
    assert found.contact is None and found.account == ACME


def test_a_checklist_needs_an_ideal_map() -> None:
    current = ExperienceMap.new("Support call", kind="current")
    with pytest.raises(ValidationError, match="current-state map; a checklist follows an ideal map"):
        contact_checklist(CustomerBook([ACME], [ANN]), current, "ann", date(2026, 1, 1))


# -- latest feelings, the roll-up, the review guard ---------------------------------------------------


def journey() -> ExperienceMap:
    m = ExperienceMap.new("Onboarding")
    for name in ("Kick-off", "Invoice", "Training", "Survey"):
        m.add_touchpoint(name)
    return m


def test_latest_is_by_date_then_by_recording_order_and_skips_unrated() -> None:
    m = journey()
    rec = Recorder()
    rec(BO, m, "Kick-off", "2026-02-01", 2)
    rec(BO, m, "Invoice", "2026-02-10", -2)
    rec(BO, m, "Training", "2026-02-05", 1)  # recorded after, but happened before the invoice
    book = CustomerBook([ACME], [BO], rec.made)
    assert latest_rated(book)["bo"] is rec.made[1]

    rec(BO, m, "Survey", "2026-03-01", 1)
    rec(BO, m, "Training", "2026-03-01", -1)  # same day, recorded later: this one is the latest
    rec(BO, m, "Kick-off", "2026-03-05", None)  # no feeling: does not hide the -1
    book = CustomerBook([ACME], [BO], rec.made)
    assert latest_rated(book)["bo"] is rec.made[4]


def test_without_recording_numbers_the_order_given_breaks_a_tie() -> None:
    m = journey()
    first = Interaction.new("bo", m.id, tp(m, "Survey"), "2026-03-01", 2)
    second = Interaction.new("bo", m.id, tp(m, "Invoice"), "2026-03-01", -2)
    assert first.seq == second.seq == 0  # made by hand, never stored
    assert latest_rated(CustomerBook([ACME], [BO], [first, second]))["bo"] is second
    assert latest_rated(CustomerBook([ACME], [BO], [second, first]))["bo"] is first


def roll_up_workspace() -> tuple[CustomerBook, TouchpointNames, ExperienceMap]:
    m = journey()
    accounts = [
        Account("acme", "Acme Vets", "2026-01-01"),
        Account("glob", "Globex", "2026-01-01"),
        Account("init", "Initech", "2026-01-01"),
        Account("umb", "Umbrella", "2026-01-01"),
        Account("quiet", "Quiet Ltd", "2026-01-01"),
    ]
    contacts = [
        Contact("ann", "Ann", account="acme", start="2026-01-01"),
        Contact("bo", "Bo", account="acme", start="2026-01-01"),
        Contact("cy", "Cy", account="acme", start="2026-01-01"),
        Contact("gil", "Gil", account="glob", start="2026-01-01"),
        Contact("hal", "Hal", account="glob", start="2026-01-01"),
        Contact("ida", "Ida", account="init", start="2026-01-01"),
        Contact("ivo", "Ivo", account="init", start="2026-01-01"),
        Contact("uma", "Uma", account="umb", start="2026-01-01"),
        Contact("ulf", "Ulf", account="umb", start="2026-01-01"),
        Contact("dee", "Dee", start="2026-01-01"),
        Contact("eve", "Eve", start="2026-01-01"),
        Contact("nia", "Nia", account="quiet", start="2026-01-01"),
    ]
    c = {x.id: x for x in contacts}
    rec = Recorder()
    # Acme: Ann and Cy are happy, Bo is having a terrible time: the account is at -2.
    rec(c["ann"], m, "Training", "2026-02-01", 2)
    rec(c["bo"], m, "Kick-off", "2026-01-05", 1)
    rec(c["bo"], m, "Invoice", "2026-02-03", -2)
    rec(c["cy"], m, "Survey", "2026-02-04", 1)
    # Globex: Gil is happy; Hal was met but never rated. Nobody is unhappy.
    rec(c["gil"], m, "Training", "2026-02-01", 1)
    rec(c["hal"], m, "Kick-off", "2026-02-01", None)
    # Initech: Ida -1 (it puts the account at risk); Ivo neutral.
    rec(c["ida"], m, "Survey", "2026-02-02", -1)
    rec(c["ivo"], m, "Survey", "2026-02-02", 0)
    # Umbrella: both at -2; Ulf's is the more recent, so Ulf names the account.
    rec(c["uma"], m, "Invoice", "2026-02-01", -2)
    rec(c["ulf"], m, "Invoice", "2026-02-06", -2)
    # On their own: Dee happy, Eve unhappy; neither affects the other.
    rec(c["dee"], m, "Training", "2026-02-01", 2)
    rec(c["eve"], m, "Training", "2026-02-01", -1)
    # Quiet Ltd: nothing recorded.
    book = CustomerBook(accounts, contacts, rec.made)
    return book, TouchpointNames([m]), m


def test_an_account_is_as_good_as_its_worst_contact() -> None:
    book, names, _ = roll_up_workspace()
    found = {e.account.name: e for e in account_experiences(book, names)}
    acme = found["Acme Vets"]
    assert acme.feeling == -2 and acme.worst is not None
    assert (acme.worst.contact.name, acme.worst.moment.touchpoint) == ("Bo", "Invoice")
    assert (acme.contacts, acme.rated) == (3, 3)
    assert found["Globex"].feeling == 1 and found["Globex"].rated == 1
    assert found["Initech"].feeling == -1
    assert found["Umbrella"].worst is not None and found["Umbrella"].worst.contact.name == "Ulf"
    assert found["Quiet Ltd"].feeling is None and found["Quiet Ltd"].worst is None


def test_at_risk_is_worst_first_then_the_oldest_and_lone_contacts_count() -> None:
    book, names, _ = roll_up_workspace()
    found = at_risk(book, names)
    # Every problem is still open (nothing was resolved). Umbrella's worst is Uma's -2 of 02-01,
    # older than Bo's -2 of 02-03 at Acme; then the -1s: Eve (on her own) of 02-01, Ida of 02-02.
    assert [(r.name, r.worst.describe()) for r in found] == [
        ("Umbrella", "Uma at Invoice (-2) on 2026-02-01"), ("Acme Vets", "Bo at Invoice (-2) on 2026-02-03"),
        ("Eve", "Eve at Training (-1) on 2026-02-01"), ("Initech", "Ida at Survey (-1) on 2026-02-02"),
    ]
    assert [(r.account is None, len(r.problems), r.troubled, r.contacts) for r in found] == [
        (False, 2, 2, 2), (False, 1, 1, 3), (True, 1, 1, 1), (False, 1, 1, 2)]


def test_nobody_is_asked_while_a_problem_is_open_at_their_account_and_everyone_else_is() -> None:
    book, names, _ = roll_up_workspace()
    found = review_candidates(book, names)
    # Globex has nothing open: Gil (+1) and Hal (met, never rated) are both asked; Dee (no account,
    # nothing of her own open) too. By account, those without one last; never by feeling.
    assert [c.contact.name for c in found.candidates] == ["Gil", "Hal", "Dee"]
    reasons = {x.contact.name: (x.why, x.reason) for x in found.left_out}
    assert reasons == {
        "Ann": (OPEN_PROBLEM, "open problem at Acme Vets: Bo at Invoice (-2) on 2026-02-03"),
        "Bo": (OPEN_PROBLEM, "their own open problem: Invoice (-2) on 2026-02-03"),
        "Cy": (OPEN_PROBLEM, "open problem at Acme Vets: Bo at Invoice (-2) on 2026-02-03"),
        "Ida": (OPEN_PROBLEM, "their own open problem: Survey (-1) on 2026-02-02"),
        "Ivo": (OPEN_PROBLEM, "open problem at Initech: Ida at Survey (-1) on 2026-02-02"),
        "Uma": (OPEN_PROBLEM, "their own open problem: Invoice (-2) on 2026-02-01 (and 1 more open at the account)"),
        "Ulf": (OPEN_PROBLEM, "their own open problem: Invoice (-2) on 2026-02-06 (and 1 more open at the account)"),
        "Eve": (OPEN_PROBLEM, "their own open problem: Training (-1) on 2026-02-01"),
        "Nia": (NO_INTERACTION, "no interaction recorded yet"),
    }
    # Everyone is accounted for, once.
    assert len(found.candidates) + len(found.left_out) == len(book.contacts)


def test_problems_at_touchpoints_since_removed_still_count_and_are_named_so() -> None:
    book, _, m = roll_up_workspace()
    m.remove_touchpoint(m.touchpoint("Invoice").id)
    acme = next(r for r in at_risk(book, TouchpointNames([m])) if r.name == "Acme Vets")
    assert acme.worst.describe() == "Bo at a touchpoint since removed from 'Onboarding' (-2) on 2026-02-03"
    gone = at_risk(book, TouchpointNames([]))  # the whole map deleted
    assert gone[0].worst.moment.label() == "a map since deleted"


# -- a segment's curve ------------------------------------------------------------------------------


def test_a_segments_curve_uses_each_contacts_latest_feeling_per_touchpoint() -> None:
    m = journey()
    m.set_feeling(m.touchpoint("Invoice").id, 1)  # what the map itself says
    accounts = [Account("v1", "Vet One", "2026-01-01", segment="Vets"),
                Account("d1", "Dent One", "2026-01-01", segment="Dental")]
    contacts = [
        Contact("a", "A", account="v1", start="2026-01-01"),  # Vets, by the account
        Contact("b", "B", account="v1", start="2026-01-01"),
        Contact("c", "C", account="d1", segment="vets", start="2026-01-01"),  # own segment wins
        Contact("d", "D", account="d1", start="2026-01-01"),  # Dental: not in the curve
        Contact("e", "E", start="2026-01-01"),  # no segment at all
    ]
    by_id = {x.id: x for x in contacts}
    rec = Recorder()
    rec(by_id["a"], m, "Invoice", "2026-02-01", -2)
    rec(by_id["a"], m, "Invoice", "2026-02-09", 1)  # A's latest at Invoice: +1
    rec(by_id["b"], m, "Invoice", "2026-02-02", -1)
    rec(by_id["c"], m, "Invoice", "2026-02-03", 2)
    rec(by_id["c"], m, "Invoice", "2026-02-04", None)  # unrated: C still counts with +2
    rec(by_id["d"], m, "Invoice", "2026-02-03", -2)
    rec(by_id["e"], m, "Invoice", "2026-02-03", -2)
    rec(by_id["b"], m, "Training", "2026-02-05", 0)
    gone = rec(by_id["b"], m, "Survey", "2026-02-06", -2)
    m.remove_touchpoint(gone.touchpoint)
    book = CustomerBook(accounts, contacts, rec.made)

    curve = segment_curve(book, m, "VETS")
    assert (curve.segment, curve.members, curve.removed) == ("Vets", 3, 1)
    points = {p.touchpoint.name: p for p in curve.points}
    assert list(points) == ["Kick-off", "Invoice", "Training"]
    invoice = points["Invoice"]  # +1, -1, +2
    assert (invoice.contacts, invoice.average, invoice.worst, invoice.map_feeling) == (3, pytest.approx(2 / 3), -1, 1)
    assert (points["Training"].contacts, points["Training"].average, points["Training"].worst) == (1, 0, 0)
    assert (points["Kick-off"].contacts, points["Kick-off"].average, points["Kick-off"].worst) == (0, None, None)
    assert book.segments() == {"Dental": 1, "Vets": 3}


# -- the objects themselves -------------------------------------------------------------------------


def test_validation_messages() -> None:
    with pytest.raises(ValidationError, match="an account's name cannot be empty"):
        Account.new("  ", "2026-01-01")
    with pytest.raises(ValidationError, match=r"'2026-02-30' is not a date: write it as YYYY-MM-DD"):
        Account.new("Acme", "2026-02-30")
    with pytest.raises(ValidationError, match="is not a date"):
        Contact.new("Ann", "01/02/2026")
    with pytest.raises(ValidationError, match="is not a date"):
        Contact.new("Ann", "20260102")  # Python would read this one; people mean too many things by it
    with pytest.raises(ValidationError, match="feeling: feeling \\+3 is out of range"):
        Interaction.new("c", "m", "t", "2026-01-01", 3)
    with pytest.raises(ValidationError, match="unknown account 'nope'"):
        Contact.new("Ann", "2026-01-01", account="nope").validate({"acme"})
    with pytest.raises(ValidationError, match="a contact has no field 'email'"):
        Contact.new("Ann", "2026-01-01").edit(email="x")


def test_round_trip_through_dicts() -> None:
    a = Account.new("Acme", date(2026, 1, 2), " Vets ")
    c = Contact.new("Ann", "2026-01-16", account=a.id)
    i = Interaction.new(c.id, "m1", "t1", "2026-02-01", -1, "Invoice\nwrong")
    assert (a.start, a.segment) == ("2026-01-02", "Vets")
    assert Account.from_dict(a.to_dict()) == a
    assert Contact.from_dict(c.to_dict()) == c
    assert Interaction.from_dict(i.to_dict()) == i
    with pytest.raises(ValidationError, match="feeling"):
        Interaction.from_dict({**i.to_dict(), "feeling": 7})
