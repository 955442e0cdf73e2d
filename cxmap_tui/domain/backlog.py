"""Ordering and filtering the improvement backlog, the opportunity matrix, and the low points
nobody is working on yet.

- **Value** is the mean of customer value and business value (each 1-5).
- **Priority** is value per unit of effort on a 4-100 scale: value / effort x 20, rounded half up.
- The **opportunity matrix** sets value against effort. Its quadrants: high value means a value
  of 3.5 or more, high effort an effort of 4 or 5. A *quick win* is high value for low effort, a
  *big bet* high value for high effort, a *fill-in* low value for low effort, and a *money pit*
  low value for high effort. Its rows are the value rounded half up (3.5 is row 4), so rows 4-5
  are the high-value ones and the quadrant lines fall between cells.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import STATUSES, ExperienceMap, Improvement, Touchpoint
from .vocabulary import parse_choice

HIGH_VALUE = 3.5  # this value or more is high
HIGH_EFFORT = 4  # this effort or more is high

QUADRANTS: tuple[str, ...] = ("quick win", "big bet", "fill-in", "money pit")

STATUS_ORDER = {"in-progress": 0, "planned": 1, "idea": 2, "done": 3, "dropped": 4}


def priority(imp: Improvement) -> int:
    """Value per unit of effort on a 4-100 scale: the mean of customer and business value
    (1-5) divided by effort (1-5), times 20. A 5/5 change of effort 1 scores 100; a 1/1
    change of effort 5 scores 4. Halves round up (22.5 is 23)."""
    # (C + B) * 10 / effort, rounded half up, in whole numbers so no float rounding creeps in.
    return ((imp.customer_value + imp.business_value) * 20 + imp.effort) // (2 * imp.effort)


def value(imp: Improvement) -> float:
    """The mean of customer value and business value: 1.0 to 5.0 in steps of 0.5."""
    return (imp.customer_value + imp.business_value) / 2


def quadrant(imp: Improvement) -> str:
    """Where an improvement falls in the opportunity matrix: one of QUADRANTS."""
    high_value = value(imp) >= HIGH_VALUE
    high_effort = imp.effort >= HIGH_EFFORT
    if high_value:
        return "big bet" if high_effort else "quick win"
    return "money pit" if high_effort else "fill-in"


SORTS = {
    "priority": lambda imp: (-priority(imp), imp.title.casefold()),
    "value": lambda imp: (-(imp.customer_value + imp.business_value), imp.effort, imp.title.casefold()),
    "effort": lambda imp: (imp.effort, -(imp.customer_value + imp.business_value), imp.title.casefold()),
    "status": lambda imp: (STATUS_ORDER.get(imp.status, 9), -priority(imp)),
    "title": lambda imp: (imp.title.casefold(),),
}


def sorted_backlog(m: ExperienceMap, by: str = "priority") -> list[Improvement]:
    return sorted(m.improvements, key=SORTS[by])


def unaddressed_lows(m: ExperienceMap) -> list[Touchpoint]:
    """Touchpoints where the customer is dissatisfied and no improvement (other than a dropped
    one) addresses them, worst first, then in map order."""
    addressed = {tp_id for imp in m.improvements if imp.status != "dropped" for tp_id in imp.touchpoints}
    lows = [(tp.feeling, i, tp) for i, tp in enumerate(m.touchpoints)
            if tp.feeling is not None and tp.feeling < 0 and tp.id not in addressed]
    return [tp for _, _, tp in sorted(lows, key=lambda x: (x[0], x[1]))]


def filter_backlog(
    m: ExperienceMap,
    *,
    statuses: Iterable[str] | None = None,
    owner: str | None = None,
    touchpoint: str | None = None,
) -> list[Improvement]:
    """The improvements that pass every filter given, in backlog order.

    `statuses`: status keys (or their labels); None or empty lets every status through.
    `owner`: the owner, ignoring case and surrounding blanks ("" keeps those with no owner).
    `touchpoint`: a touchpoint id; keeps the improvements that address it."""
    if isinstance(statuses, str):
        statuses = [statuses]
    wanted = {parse_choice(s, STATUSES, "status") for s in statuses or ()}
    who = owner.strip().casefold() if owner is not None else None
    return [
        imp
        for imp in m.improvements
        if (not wanted or imp.status in wanted)
        and (who is None or imp.owner.strip().casefold() == who)
        and (touchpoint is None or touchpoint in imp.touchpoints)
    ]


def value_row(imp: Improvement) -> int:
    """The matrix row: value rounded half up, 1-5."""
    return int(value(imp) + 0.5)


def matrix(improvements: Iterable[Improvement]) -> dict[tuple[int, int], list[Improvement]]:
    """The opportunity matrix: every cell (value row, effort) from (5, 1) to (1, 5), rows from the
    top, each with its improvements in the order given. All 25 cells are there, empty or not."""
    cells: dict[tuple[int, int], list[Improvement]] = {
        (row, effort): [] for row in range(5, 0, -1) for effort in range(1, 6)
    }
    for imp in improvements:
        cells.setdefault((value_row(imp), imp.effort), []).append(imp)
    return cells
