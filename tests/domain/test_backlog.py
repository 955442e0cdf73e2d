"""The backlog: value, priority, the opportunity matrix's quadrants and cells, and filters."""

from __future__ import annotations

import pytest

from cxmap_tui.domain.backlog import QUADRANTS, filter_backlog, matrix, priority, quadrant, value
from cxmap_tui.domain.errors import ValidationError
from cxmap_tui.domain.model import ExperienceMap, Improvement


def imp(customer: int, business: int, effort: int, title: str = "x") -> Improvement:
    return Improvement(title, customer_value=customer, business_value=business, effort=effort)


@pytest.mark.parametrize(
    ("customer", "business", "effort", "expected_value", "expected_priority"),
    [
        (5, 5, 1, 5.0, 100),  # the top of the scale
        (1, 1, 5, 1.0, 4),  # the bottom
        (4, 3, 2, 3.5, 35),  # 3.5 / 2 x 20
        (5, 4, 3, 4.5, 30),  # 4.5 / 3 x 20
        (3, 3, 3, 3.0, 20),
        (2, 1, 3, 1.5, 10),
        (5, 4, 4, 4.5, 23),  # 22.5 rounds half up
    ],
)
def test_value_and_priority_follow_the_documented_formula(
    customer: int, business: int, effort: int, expected_value: float, expected_priority: int
) -> None:
    i = imp(customer, business, effort)
    assert value(i) == expected_value
    assert priority(i) == expected_priority


@pytest.mark.parametrize(
    ("customer", "business", "effort", "expected"),
    [
        (4, 3, 3, "quick win"),  # value exactly 3.5 is high; effort 3 is low
        (3, 4, 4, "big bet"),  # value exactly 3.5, effort exactly 4 is high
        (3, 3, 3, "fill-in"),  # value 3.0 is low
        (3, 3, 4, "money pit"),
        (5, 5, 1, "quick win"),
        (5, 5, 5, "big bet"),
        (1, 1, 1, "fill-in"),
        (1, 1, 5, "money pit"),
        (2, 5, 3, "quick win"),  # 3.5 either way round
    ],
)
def test_quadrants_and_their_boundaries(customer: int, business: int, effort: int, expected: str) -> None:
    assert quadrant(imp(customer, business, effort)) == expected


def test_the_quadrants_in_order() -> None:
    assert QUADRANTS == ("quick win", "big bet", "fill-in", "money pit")


def test_matrix_cells() -> None:
    a = imp(4, 3, 2, "a")  # value 3.5 rounds up to row 4
    b = imp(3, 2, 2, "b")  # value 2.5 rounds up to row 3
    c = imp(1, 2, 5, "c")  # value 1.5 rounds up to row 2
    d = imp(5, 5, 4, "d")  # row 5
    e = imp(4, 4, 2, "e")  # row 4, with a
    f = imp(1, 1, 1, "f")  # row 1
    cells = matrix([a, b, c, d, e, f])
    assert list(cells) == [(row, effort) for row in (5, 4, 3, 2, 1) for effort in (1, 2, 3, 4, 5)]
    filled = {key: [i.title for i in imps] for key, imps in cells.items() if imps}
    assert filled == {(4, 2): ["a", "e"], (3, 2): ["b"], (2, 5): ["c"], (5, 4): ["d"], (1, 1): ["f"]}
    # the quadrant lines fall between cells: rows 4-5 are high value, efforts 4-5 high effort
    for (row, effort), imps in cells.items():
        for i in imps:
            assert quadrant(i) == {(True, False): "quick win", (True, True): "big bet",
                                   (False, False): "fill-in", (False, True): "money pit"}[(row >= 4, effort >= 4)]


def test_an_empty_matrix_still_has_every_cell() -> None:
    cells = matrix([])
    assert len(cells) == 25 and not any(cells.values())


@pytest.fixture
def backlog_map() -> ExperienceMap:
    m = ExperienceMap.new("Backlog")
    for name in ("Hold", "Menu", "Form"):
        m.add_touchpoint(name)
    m.add_improvement("Call-back", touchpoints=["Hold"], status="planned", owner="Telephony")
    m.add_improvement("Shorter menu", touchpoints=["Menu", "Hold"], status="in-progress", owner="telephony ")
    m.add_improvement("Web form", touchpoints=["Form"], status="idea", owner="Web team")
    m.add_improvement("Music", touchpoints=["Hold"], status="dropped")
    return m


def _titles(imps: list[Improvement]) -> list[str]:
    return [i.title for i in imps]


def test_filters(backlog_map: ExperienceMap) -> None:
    m = backlog_map
    hold = m.touchpoint("Hold").id
    assert _titles(filter_backlog(m)) == ["Call-back", "Shorter menu", "Web form", "Music"]
    assert _titles(filter_backlog(m, statuses=[])) == _titles(filter_backlog(m))  # empty: no filter
    assert _titles(filter_backlog(m, statuses=["planned", "in progress"])) == ["Call-back", "Shorter menu"]
    assert _titles(filter_backlog(m, statuses="dropped")) == ["Music"]
    assert _titles(filter_backlog(m, owner=" TELEPHONY")) == ["Call-back", "Shorter menu"]
    assert _titles(filter_backlog(m, owner="")) == ["Music"]  # no owner
    assert _titles(filter_backlog(m, touchpoint=hold)) == ["Call-back", "Shorter menu", "Music"]
    assert _titles(filter_backlog(m, statuses=["idea", "dropped"], touchpoint=hold)) == ["Music"]
    assert filter_backlog(m, owner="Web team", touchpoint=hold) == []


def test_an_unknown_status_is_an_error_not_an_empty_list(backlog_map: ExperienceMap) -> None:
    with pytest.raises(ValidationError, match="unknown status 'shipped'"):
        filter_backlog(backlog_map, statuses=["shipped"])
