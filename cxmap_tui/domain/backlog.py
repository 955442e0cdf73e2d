"""Ordering the improvement backlog, and the low points nobody is working on yet."""

from __future__ import annotations

from .model import ExperienceMap, Improvement, Touchpoint

STATUS_ORDER = {"in-progress": 0, "planned": 1, "idea": 2, "done": 3, "dropped": 4}


def priority(imp: Improvement) -> int:
    """Value per unit of effort on a 4-100 scale: the mean of customer and business value
    (1-5) divided by effort (1-5), times 20. A 5/5 change of effort 1 scores 100; a 1/1
    change of effort 5 scores 4."""
    return round((imp.customer_value + imp.business_value) / 2 / imp.effort * 20)


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
