"""Problems, resolutions, the accounts at risk, when to ask for reviews and whom for references,
on one hand-built workspace whose answers are worked out by hand below, before and after
problems are resolved.

The workspace (map "Service": Call, Visit, Invoice, Survey), in recording order:

    North  Ada   1  Call     2026-03-01  +2
           Ben   2  Invoice  2026-03-02  -2  problem P1 ("Charged twice")
           Cat   3  Visit    2026-03-03   0
           Ben   4  Call     2026-03-05  +1  (fine, but P1 stays open)
    South  Dan   5  Survey   2026-03-02  -1  problem P2
           Eli   6  Visit    2026-03-04  +1
           Dan   7  Invoice  2026-03-02  -1  problem P3 (same day as P2, recorded later)
    West   Fay      (never met)
           Gus   8  Call     2026-03-06   0
    alone  Hugo  9  Visit    2026-03-01  -2  problem P4
           Ivy  10  Call     2026-03-02  +2
           Hugo 11  Survey   2026-03-08  +2  (fine, but P4 stays open)
           Jon      (never met)
"""

from __future__ import annotations

import pytest

from cxmap_tui.domain.accounts import (
    NO_INTERACTION,
    OPEN_PROBLEM,
    TouchpointNames,
    at_risk,
    problems_of,
    references,
    review_candidates,
)
from cxmap_tui.domain.customers import Account, Contact, CustomerBook, Interaction
from cxmap_tui.domain.errors import NotFound, ValidationError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.domain.problems import Resolution, plan_resolutions


class Workspace:
    def __init__(self) -> None:
        self.map = ExperienceMap.new("Service")
        for name in ("Call", "Visit", "Invoice", "Survey"):
            self.map.add_touchpoint(name)
        self.accounts = [Account(a.lower(), a, "2026-01-01") for a in ("North", "South", "West")]
        people = {"Ada": "north", "Ben": "north", "Cat": "north", "Dan": "south", "Eli": "south", "Fay": "west",
                  "Gus": "west", "Hugo": "", "Ivy": "", "Jon": ""}
        self.contacts = [Contact(name.lower(), name, account=acc, start="2026-01-01") for name, acc in people.items()]
        self.interactions: list[Interaction] = []
        self.resolutions: list[Resolution] = []
        for who, where, day, feeling in [
            ("ada", "Call", "2026-03-01", 2), ("ben", "Invoice", "2026-03-02", -2), ("cat", "Visit", "2026-03-03", 0),
            ("ben", "Call", "2026-03-05", 1), ("dan", "Survey", "2026-03-02", -1), ("eli", "Visit", "2026-03-04", 1),
            ("dan", "Invoice", "2026-03-02", -1), ("gus", "Call", "2026-03-06", 0), ("hugo", "Visit", "2026-03-01", -2),
            ("ivy", "Call", "2026-03-02", 2), ("hugo", "Survey", "2026-03-08", 2),
        ]:
            self.meet(who, where, day, feeling)

    def meet(self, who: str, where: str, day: str, feeling: int | None) -> Interaction:
        i = Interaction.new(who, self.map.id, self.map.touchpoint(where).id, day, feeling)
        i.id, i.seq = f"i{len(self.interactions) + 1}", len(self.interactions) + 1
        self.interactions.append(i)
        return i

    def resolve(self, interaction_id: str, day: str, note: str = "") -> None:
        i = next(x for x in self.interactions if x.id == interaction_id)
        self.resolutions.append(Resolution(i.id, i.contact, day, note, "jo"))

    def book(self) -> CustomerBook:
        return CustomerBook(self.accounts, self.contacts, self.interactions, self.resolutions)

    def names(self) -> TouchpointNames:
        return TouchpointNames([self.map])


def risk_list(w: Workspace) -> list[tuple[str | None, str, str, int]]:
    """(account or None, the worst problem, its interaction, how many are open), in order."""
    return [(r.account.name if r.account else None, r.worst.describe(), r.worst.interaction.id, len(r.problems))
            for r in at_risk(w.book(), w.names())]


def asked(w: Workspace) -> list[str]:
    return [c.contact.name for c in review_candidates(w.book(), w.names()).candidates]


def not_now(w: Workspace) -> list[tuple[str, str, str]]:
    return [(x.contact.name, x.why, x.reason) for x in review_candidates(w.book(), w.names()).left_out]


def referees(w: Workspace) -> list[str]:
    return [r.contact.name for r in references(w.book(), w.names())]


def test_before_anything_is_resolved() -> None:
    w = Workspace()
    # Worst first: the lowest feeling, then the oldest. Hugo's -2 (03-01) is older than Ben's
    # (03-02); South's two -1s are on the same day, and P2 was recorded first.
    assert risk_list(w) == [
        (None, "Hugo at Visit (-2) on 2026-03-01", "i9", 1),
        ("North", "Ben at Invoice (-2) on 2026-03-02", "i2", 1),
        ("South", "Dan at Survey (-1) on 2026-03-02", "i5", 2),
    ]
    # Only West has nothing open: Gus is asked although he felt neutral. Ivy, alone and with
    # nothing open, is asked too. Fay and Jon were never met.
    assert asked(w) == ["Gus", "Ivy"]
    assert not_now(w) == [
        ("Ada", OPEN_PROBLEM, "open problem at North: Ben at Invoice (-2) on 2026-03-02"),
        ("Ben", OPEN_PROBLEM, "their own open problem: Invoice (-2) on 2026-03-02"),
        ("Cat", OPEN_PROBLEM, "open problem at North: Ben at Invoice (-2) on 2026-03-02"),
        ("Dan", OPEN_PROBLEM, "their own open problem: Survey (-1) on 2026-03-02 (and 1 more open at the account)"),
        ("Eli", OPEN_PROBLEM,
         "open problem at South: Dan at Survey (-1) on 2026-03-02 (and 1 more open at the account)"),
        ("Fay", NO_INTERACTION, "no interaction recorded yet"),
        ("Hugo", OPEN_PROBLEM, "their own open problem: Visit (-2) on 2026-03-01"),
        ("Jon", NO_INTERACTION, "no interaction recorded yet"),
    ]
    # References: +1 or higher, nothing open at the account (or of their own). Ada (+2) and Ben
    # (+1 lately) are at North, which has P1 open; Hugo's latest is +2 but P4 is his and open.
    assert referees(w) == ["Ivy"]


def test_after_resolving_bens_problem_and_one_of_dans() -> None:
    w = Workspace()
    w.resolve("i2", "2026-03-10", "Refunded")  # P1
    w.resolve("i5", "2026-03-02")  # P2, on the day it happened
    assert risk_list(w) == [
        (None, "Hugo at Visit (-2) on 2026-03-01", "i9", 1),
        ("South", "Dan at Invoice (-1) on 2026-03-02", "i7", 1),
    ]
    # North is clear: everyone there who was met is asked, Ben (once at -2) and Cat (0) included.
    assert asked(w) == ["Ada", "Ben", "Cat", "Gus", "Ivy"]
    assert not_now(w) == [
        ("Dan", OPEN_PROBLEM, "their own open problem: Invoice (-1) on 2026-03-02"),
        ("Eli", OPEN_PROBLEM, "open problem at South: Dan at Invoice (-1) on 2026-03-02"),
        ("Fay", NO_INTERACTION, "no interaction recorded yet"),
        ("Hugo", OPEN_PROBLEM, "their own open problem: Visit (-2) on 2026-03-01"),
        ("Jon", NO_INTERACTION, "no interaction recorded yet"),
    ]
    assert referees(w) == ["Ada", "Ben", "Ivy"]
    # The history keeps both, open or not.
    bens = problems_of(w.book(), w.names(), "ben")
    assert [(p.interaction.id, p.is_open, p.resolution.note if p.resolution else None) for p in bens] == [
        ("i2", False, "Refunded")]


def test_feeling_better_later_does_not_close_a_problem() -> None:
    w = Workspace()
    w.meet("ben", "Survey", "2026-03-20", 2)  # a second fine interaction after P1, and the latest
    assert [(p.interaction.id, p.is_open) for p in problems_of(w.book(), w.names(), "ben")] == [("i2", True)]
    assert asked(w) == ["Gus", "Ivy"]  # North still waits
    w.resolve("i2", "2026-03-21")
    assert asked(w) == ["Ada", "Ben", "Cat", "Gus", "Ivy"]


def test_a_new_problem_after_a_resolution_puts_the_account_on_hold_again() -> None:
    w = Workspace()
    w.resolve("i2", "2026-03-10")
    w.meet("cat", "Visit", "2026-03-12", -1)  # i12
    assert risk_list(w) == [
        (None, "Hugo at Visit (-2) on 2026-03-01", "i9", 1),
        ("South", "Dan at Survey (-1) on 2026-03-02", "i5", 2),
        ("North", "Cat at Visit (-1) on 2026-03-12", "i12", 1),  # as low as South's, but newer
    ]
    assert asked(w) == ["Gus", "Ivy"]
    assert ("Ben", OPEN_PROBLEM, "open problem at North: Cat at Visit (-1) on 2026-03-12") in not_now(w)


def test_a_contact_whose_account_is_gone_is_judged_alone() -> None:
    w = Workspace()
    w.contacts.append(Contact("kim", "Kim", account="gone", start="2026-01-01"))
    w.meet("kim", "Call", "2026-03-03", -1)
    assert (None, "Kim at Call (-1) on 2026-03-03", "i12", 1) in risk_list(w)
    assert ("Kim", OPEN_PROBLEM, "their own open problem: Call (-1) on 2026-03-03") in not_now(w)


# -- what a resolution may be --------------------------------------------------------------------------


def history(w: Workspace, who: str) -> list[Interaction]:
    return [i for i in w.interactions if i.contact == who]


def test_a_contacts_open_problems_are_resolved_together_on_or_after_the_day() -> None:
    w = Workspace()
    made = plan_resolutions(history(w, "dan"), {}, "2026-03-02", " called back ", " jo ", name="Dan")
    assert [(r.interaction, r.contact, r.date, r.note, r.by) for r in made] == [
        ("i5", "dan", "2026-03-02", " called back ", "jo"), ("i7", "dan", "2026-03-02", " called back ", "jo")]
    just_one = plan_resolutions(history(w, "dan"), {}, "2026-03-09", "", "jo", only=["i7"])
    assert [r.interaction for r in just_one] == ["i7"]


@pytest.mark.parametrize(("who", "when", "only", "resolved", "message"), [
    ("ben", "2026-03-01", None, {}, ("a problem cannot be resolved before it happened: 'Ben' at 'Invoice' (-2) on "
                                     "2026-03-02, the resolution is dated 2026-03-01; nothing was resolved")),
    ("ben", "2026-03-10", None, {"i2": Resolution("i2", "ben", "2026-03-03", "", "al")},
     "nothing to resolve: 'Ben' has no open problem"),
    ("ben", "2026-03-10", ["i2"], {"i2": Resolution("i2", "ben", "2026-03-03", "", "al")},
     "'Ben' at 'Invoice' (-2) on 2026-03-02 was already resolved on 2026-03-03 by 'al'"),
    ("ben", "2026-03-10", ["i4"], {}, "'Ben' at 'Call' (+1) on 2026-03-05 is not a problem"),
    ("ada", "2026-03-10", None, {}, "nothing to resolve: 'Ada' has no open problem"),
    ("ben", "10/03/2026", None, {}, "is not a date: write it as YYYY-MM-DD"),
])
def test_what_cannot_be_resolved_is_refused_in_one_line(who: str, when: str, only: list[str] | None,
                                                        resolved: dict[str, Resolution], message: str) -> None:
    w = Workspace()
    names = {i.id: w.names().moment(i).label() for i in w.interactions}
    with pytest.raises(ValidationError) as refused:
        plan_resolutions(history(w, who), resolved, when, "", "jo", only=only, where=names, name=who.title())
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_a_problem_dated_after_the_resolution_refuses_the_whole_resolution() -> None:
    w = Workspace()
    w.meet("dan", "Call", "2026-03-20", -2)  # i12, after the date given below
    with pytest.raises(ValidationError, match="dated 2026-03-10; nothing was resolved"):
        plan_resolutions(history(w, "dan"), {}, "2026-03-10", "", "jo")


def test_someone_elses_interaction_is_not_found() -> None:
    w = Workspace()
    with pytest.raises(NotFound, match="'Dan' has no interaction 'i2'"):
        plan_resolutions(history(w, "dan"), {}, "2026-03-10", "", "jo", only=["i2"], name="Dan")


def test_a_resolution_round_trips_through_its_stored_form() -> None:
    r = Resolution("i2", "ben", "2026-03-10", "Refunded\nin full", "jo")
    assert r.to_dict() == {"contact": "ben", "date": "2026-03-10", "note": "Refunded\nin full", "by": "jo"}
    assert Resolution.from_dict("i2", r.to_dict()) == r
    with pytest.raises(ValidationError, match="is not a date"):
        Resolution.from_dict("i2", {**r.to_dict(), "date": "soon"})
