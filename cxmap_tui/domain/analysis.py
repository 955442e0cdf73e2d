"""What a map's feelings say: friction points, highlights, stages, and the moments people remember.

The definitions, in the order the analysis applies them:

- Only **rated** touchpoints count; an unrated one is listed as such and otherwise skipped,
  including when looking back for "the previous rated touchpoint".
- A **friction point** is a rated touchpoint where the customer is dissatisfied (feeling -1 or
  lower), or where the feeling **falls by 2 or more** from the previous rated touchpoint (say from
  +2 to 0). Friction is listed worst first: lowest feeling, then the bigger fall, then map order.
  It is **addressed** when an improvement that is not "dropped" links to it.
- A **highlight** is a rated touchpoint with feeling +1 or higher that is not lower than the
  nearest rated touchpoint on either side (a touchpoint with no rated neighbour on a side passes
  that side). Every touchpoint of a plateau at the top counts, so +2, +2 gives two highlights.
- The **worst point** is the lowest feeling (the first one when several are equally low) and the
  **end** is the last rated touchpoint. By the peak-end rule, these two moments weigh most in how
  an experience is remembered; `remembered` estimates it as the mean of their two feelings.
- Each stage gets its count of touchpoints and rated ones, its average feeling and its lowest point.
"""

from __future__ import annotations

from dataclasses import dataclass

from .feelings import label
from .model import ExperienceMap
from .parts import Improvement, Touchpoint

LOW = -1  # this feeling or lower is friction
FALL = 2  # a fall this big or bigger from the previous rated touchpoint is friction
HIGH = 1  # a highlight is at least this


@dataclass(frozen=True)
class Friction:
    """A touchpoint where the experience hurts, and why."""

    touchpoint: Touchpoint
    index: int  # position in the map, from 0
    reasons: tuple[str, ...]  # e.g. "very dissatisfied", "drops 3 from 'Adviser greeting'"
    drop: int  # the fall from the previous rated touchpoint (0 if none, or if it rose)
    addressed_by: tuple[str, ...]  # ids of improvements that address it, other than dropped ones


@dataclass(frozen=True)
class Highlight:
    """A peak of the curve."""

    touchpoint: Touchpoint
    index: int


@dataclass(frozen=True)
class StageSummary:
    """One stage's feelings. `stage` is "" for touchpoints with no stage."""

    stage: str
    touchpoints: int
    rated: int
    average: float | None
    worst: Touchpoint | None  # the lowest feeling, the first one on ties


@dataclass(frozen=True)
class Analysis:
    friction: tuple[Friction, ...]  # worst first: feeling, then the bigger drop, then map order
    highlights: tuple[Highlight, ...]  # in map order
    unrated: tuple[Touchpoint, ...]
    stages: tuple[StageSummary, ...]  # every stage of the map in its order; "" last if used
    worst: Touchpoint | None  # the lowest point, the first one on ties
    end: Touchpoint | None  # the last rated touchpoint
    remembered: float | None  # peak-end estimate: the mean of the worst and the end feelings
    average: float | None

    @property
    def unaddressed(self) -> tuple[Friction, ...]:
        """Friction that no improvement addresses yet, worst first."""
        return tuple(f for f in self.friction if not f.addressed_by)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


# (position from 0, touchpoint, its feeling) for the rated touchpoints of a map, in map order.
Rated = list[tuple[int, Touchpoint, int]]


def _rated(tps: list[Touchpoint]) -> Rated:
    return [(i, tp, tp.feeling) for i, tp in enumerate(tps) if tp.feeling is not None]


def _lowest(rated: Rated) -> Touchpoint | None:
    # min() keeps the first of equal values, which is the first in map order.
    return min(rated, key=lambda r: r[2])[1] if rated else None


def addressing(m: ExperienceMap, tp_id: str) -> tuple[str, ...]:
    """Ids of the improvements (other than dropped ones) that address a touchpoint, in backlog order."""
    return tuple(imp.id for imp in m.improvements if imp.status != "dropped" and tp_id in imp.touchpoints)


def _friction(m: ExperienceMap, rated: Rated) -> tuple[Friction, ...]:
    found = []
    for n, (i, tp, score) in enumerate(rated):
        reasons = []
        if score <= LOW:
            reasons.append(label(score))
        drop = 0
        if n > 0:
            _, before, before_score = rated[n - 1]
            drop = max(0, before_score - score)
            if drop >= FALL:
                reasons.append(f"drops {drop} from '{before.name}'")
        if reasons:
            found.append(Friction(tp, i, tuple(reasons), drop, addressing(m, tp.id)))
    found.sort(key=lambda f: (f.touchpoint.feeling, -f.drop, f.index))
    return tuple(found)


def _highlights(rated: Rated) -> tuple[Highlight, ...]:
    peaks = []
    for n, (i, tp, score) in enumerate(rated):
        neighbours = [rated[k][2] for k in (n - 1, n + 1) if 0 <= k < len(rated)]
        if score >= HIGH and all(score >= other for other in neighbours):
            peaks.append(Highlight(tp, i))
    return tuple(peaks)


def _stages(m: ExperienceMap) -> tuple[StageSummary, ...]:
    names = list(m.stages)
    # A map read from outside may use a stage it does not list; show it rather than lose it.
    for tp in m.touchpoints:
        if tp.stage and tp.stage not in names:
            names.append(tp.stage)
    if any(not tp.stage for tp in m.touchpoints):
        names.append("")
    out = []
    for name in names:
        tps = [tp for tp in m.touchpoints if tp.stage == name]
        rated = _rated(tps)
        out.append(StageSummary(name, len(tps), len(rated), _mean([s for _, _, s in rated]), _lowest(rated)))
    return tuple(out)


def analyze(m: ExperienceMap) -> Analysis:
    """Read a map's curve: see the module's docstring for the definitions."""
    rated = _rated(m.touchpoints)
    worst = _lowest(rated)
    end = rated[-1] if rated else None
    return Analysis(
        friction=_friction(m, rated),
        highlights=_highlights(rated),
        unrated=tuple(tp for tp in m.touchpoints if tp.feeling is None),
        stages=_stages(m),
        worst=worst,
        end=end[1] if end else None,
        remembered=(min(s for _, _, s in rated) + end[2]) / 2 if end else None,
        average=_mean([s for _, _, s in rated]),
    )


def improvement_titles(m: ExperienceMap, ids: tuple[str, ...]) -> list[str]:
    """The titles of improvements by id, for showing `Friction.addressed_by`."""
    by_id: dict[str, Improvement] = {imp.id: imp for imp in m.improvements}
    return [by_id[i].title for i in ids if i in by_id]


def mean_text(x: float | None) -> str:
    """A mean feeling (or gap) as people read it: +0.25, -1.00, 0.00; "none rated" without one."""
    if x is None:
        return "none rated"
    return "0.00" if round(x, 2) == 0 else f"{x:+.2f}"
