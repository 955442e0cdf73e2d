"""The stages that fit an experience, and what a change of experience does to a map's stages.

A map's stages start as the ones that fit its experience (the lifecycle, or the stages of a
service call, see vocabulary.STAGES_BY_EXPERIENCE). When the experience changes and the stages
are still exactly those defaults, with no touchpoint in any of them, they become the ones that
fit the new experience. Stages the team renamed, added, removed or reordered, and stages that
hold touchpoints, are the team's: they stay as they are."""

from __future__ import annotations

from dataclasses import dataclass

from .integrity import check_stages
from .model import ExperienceMap
from .vocabulary import DEFAULT_STAGES, STAGES_BY_EXPERIENCE

KEPT_EDITED = "edited"  # the stages are not the defaults of the experience the map had
KEPT_IN_USE = "in use"  # they are, but touchpoints are in them


def default_stages(experience: str) -> tuple[str, ...]:
    return STAGES_BY_EXPERIENCE.get(experience, DEFAULT_STAGES)


@dataclass(frozen=True)
class ExperienceChange:
    """What `change_experience` did: enough to say it and to undo it."""

    previous: str  # the experience before
    stages_before: tuple[str, ...]
    stages_after: tuple[str, ...] | None = None  # None: the stages were left as they were
    kept: str = ""  # why the stages were left, when other stages would fit: KEPT_EDITED or KEPT_IN_USE


def change_experience(m: ExperienceMap, experience: str) -> ExperienceChange:
    """Set the map's experience, and its stages to the ones that fit it while they are still the
    untouched defaults of the experience it had (see the module's docstring)."""
    previous, before = m.experience, tuple(m.stages)
    m.edit(experience=experience)
    fitting = default_stages(m.experience)
    if fitting == before:
        return ExperienceChange(previous, before)
    if before != default_stages(previous):
        return ExperienceChange(previous, before, kept=KEPT_EDITED)
    if any(tp.stage for tp in m.touchpoints):
        return ExperienceChange(previous, before, kept=KEPT_IN_USE)
    m.stages = check_stages(fitting)
    return ExperienceChange(previous, before, stages_after=fitting)


def undo_experience_change(m: ExperienceMap, change: ExperienceChange) -> None:
    """The experience as it was, and the stages, if the change set them. A touchpoint put since
    in a stage that the undo takes away is left without a stage."""
    m.edit(experience=change.previous)
    if change.stages_after is None:
        return
    m.stages = check_stages(change.stages_before)
    for tp in m.touchpoints:
        if tp.stage and tp.stage not in m.stages:
            tp.stage = ""


def stages_would_change(m: ExperienceMap, experience: str) -> bool:
    """Whether `change_experience(m, experience)` would set new stages (on a copy: `m` stays)."""
    return change_experience(m.copy(), experience).stages_after is not None
