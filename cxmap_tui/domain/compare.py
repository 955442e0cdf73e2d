"""A current-state map set against the ideal map of the same experience.

Touchpoints pair up in two rounds:

1. The current map's explicit pairings (`matches`: current touchpoint id -> ideal touchpoint id,
   or "" for "no counterpart in the ideal"). They count only when `ideal` is the map the current
   one is linked to, since they name that map's touchpoints. An entry naming a touchpoint the
   ideal does not have, or one already taken, is ignored.
2. Every current touchpoint without an entry then pairs with the ideal touchpoint of the same
   name (ignoring case and surrounding blanks), if that one is still free.

Each ideal touchpoint pairs at most once. Ideal touchpoints left over are **missing** today;
current ones left over are **extra**. The **gap** of a pair is the current feeling minus the
ideal one: negative where today falls short of the ideal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from .model import ExperienceMap
from .parts import Touchpoint


@dataclass(frozen=True)
class Pair:
    current: Touchpoint
    ideal: Touchpoint
    by: str  # "link" (an explicit entry in the current map's matches) or "name"

    @property
    def gap(self) -> int | None:
        """Current feeling minus ideal feeling; None if either is not rated."""
        if self.current.feeling is None or self.ideal.feeling is None:
            return None
        return self.current.feeling - self.ideal.feeling


Column = tuple[Touchpoint | None, Touchpoint | None]


@dataclass(frozen=True)
class Comparison:
    current: ExperienceMap
    ideal: ExperienceMap
    pairs: tuple[Pair, ...]  # in the current map's order
    missing: tuple[Touchpoint, ...]  # in the ideal with no counterpart today, in the ideal's order
    extra: tuple[Touchpoint, ...]  # today with no counterpart in the ideal, in the current order
    # (current, ideal) in one order, for drawing both curves on one axis: the current map's order,
    # each ideal-only touchpoint right after the column of the nearest earlier paired ideal
    # touchpoint (at the start if there is none).
    columns: tuple[Column, ...]


def _key(name: str) -> str:
    return name.strip().casefold()


def compare(current: ExperienceMap, ideal: ExperienceMap) -> Comparison:
    """Pair the touchpoints of a current-state map with those of an ideal map (see above)."""
    ideal_by_id = {tp.id: tp for tp in ideal.touchpoints}
    matches = current.matches if current.ideal == ideal.id else {}
    partner: dict[str, tuple[Touchpoint, str]] = {}  # current id -> (ideal touchpoint, how)
    taken: set[str] = set()
    decided: set[str] = set()  # current ids settled by an explicit entry, paired or not

    for tp in current.touchpoints:
        if tp.id not in matches:
            continue
        target = matches[tp.id]
        if target == "":
            decided.add(tp.id)
        elif target in ideal_by_id and target not in taken:
            partner[tp.id] = (ideal_by_id[target], "link")
            taken.add(target)
            decided.add(tp.id)

    for tp in current.touchpoints:
        if tp.id in decided:
            continue
        for other in ideal.touchpoints:
            if other.id not in taken and _key(other.name) == _key(tp.name):
                partner[tp.id] = (other, "name")
                taken.add(other.id)
                break

    pairs = tuple(Pair(tp, *partner[tp.id]) for tp in current.touchpoints if tp.id in partner)
    missing = tuple(tp for tp in ideal.touchpoints if tp.id not in taken)
    extra = tuple(tp for tp in current.touchpoints if tp.id not in partner)
    return Comparison(current, ideal, pairs, missing, extra, _columns(current, ideal, partner, taken))


def _columns(
    current: ExperienceMap, ideal: ExperienceMap, partner: dict[str, tuple[Touchpoint, str]], taken: set[str]
) -> tuple[Column, ...]:
    column_of = {partner[tp.id][0].id: i for i, tp in enumerate(current.touchpoints) if tp.id in partner}
    at_start: list[Touchpoint] = []
    after: dict[int, list[Touchpoint]] = {}
    anchor: int | None = None
    for tp in ideal.touchpoints:
        if tp.id in taken:
            anchor = column_of[tp.id]
        elif anchor is None:
            at_start.append(tp)
        else:
            after.setdefault(anchor, []).append(tp)
    columns: list[Column] = [(None, tp) for tp in at_start]
    for i, tp in enumerate(current.touchpoints):
        columns.append((tp, partner[tp.id][0] if tp.id in partner else None))
        columns += [(None, other) for other in after.get(i, [])]
    return tuple(columns)


class GapSummary(TypedDict):
    """What `gap_summary` says of a comparison."""

    rated: int
    mean: float | None
    biggest: tuple[Pair, ...]


def gap_summary(c: Comparison, *, top: int = 3) -> GapSummary:
    """How far today is from the ideal, over the pairs rated in both maps.

    rated: how many pairs have a gap; mean: their mean gap (None if there are none);
    biggest: up to `top` pairs where today falls furthest below the ideal (gap < 0), worst first,
    then in the current map's order."""
    rated = [p for p in c.pairs if p.gap is not None]
    gaps = [p.gap for p in rated if p.gap is not None]
    short = sorted((p for p in rated if (p.gap or 0) < 0), key=lambda p: p.gap or 0)
    return {
        "rated": len(gaps),
        "mean": sum(gaps) / len(gaps) if gaps else None,
        "biggest": tuple(short[:top]),
    }
