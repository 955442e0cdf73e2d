"""Touchpoints grouped the way exports show them: by runs of the same stage, in customer order."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.model import ExperienceMap, Touchpoint

NO_STAGE = "No stage"


@dataclass
class StageRun:
    """Consecutive touchpoints in one stage. `stage` is "" for touchpoints with no stage."""

    stage: str
    touchpoints: list[tuple[int, Touchpoint]] = field(default_factory=list)  # (position from 1, tp)

    @property
    def label(self) -> str:
        return self.stage or NO_STAGE


def stage_runs(m: ExperienceMap) -> list[StageRun]:
    """A stage that comes back later (Use, Check-in, Use) gives a second run: order wins."""
    runs: list[StageRun] = []
    for position, tp in enumerate(m.touchpoints, start=1):
        if not runs or runs[-1].stage != tp.stage:
            runs.append(StageRun(tp.stage))
        runs[-1].touchpoints.append((position, tp))
    return runs
