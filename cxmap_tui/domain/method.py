"""The five-step method, and how far a map has come along it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from .model import ExperienceMap


class Step(IntEnum):
    TEMPLATE = 1
    EXPERIENCE = 2
    TOUCHPOINTS = 3
    FEELINGS = 4
    IMPROVEMENTS = 5

    @property
    def title(self) -> str:
        return GUIDE[self].title


@dataclass(frozen=True)
class Guidance:
    title: str
    what: str
    why: str
    example: str


# Each line fits an 80-column terminal with its "Now: " / "Why: " / "E.g. " label.
GUIDE: dict[Step, Guidance] = {
    Step.TEMPLATE: Guidance(
        "Template",
        "Start from a template or a blank map, or open a map made before.",
        "A template gives the team a first draft to argue with: faster than blank.",
        "Start from the 'Broken chair' support template and adapt it to your desk.",
    ),
    Step.EXPERIENCE: Guidance(
        "Experience",
        "Name the one interaction the map covers, for whom, ideal or as it is.",
        "A CX map covers one interaction, not the whole journey; narrow is usable.",
        "Scope: 'A customer with a late order calls support and gets a new one.'",
    ),
    Step.TOUCHPOINTS: Guidance(
        "Touchpoints",
        "List each touchpoint in the order the customer meets it, and the action.",
        "It starts before the sale and goes on after it: onboarding, renewal.",
        "'Order confirmation e-mail': checks the delivery date (Purchase, E-mail).",
    ),
    Step.FEELINGS: Guidance(
        "Feelings",
        "Walk the touchpoints: how does the customer feel, what do they think?",
        "Customers remember the impression: the peaks and valleys of this curve.",
        "Key 2, dissatisfied: 'Why do I have to type my order number again?'",
    ),
    Step.IMPROVEMENTS: Guidance(
        "Improvements",
        "Plan changes, each tied to the touchpoints it fixes, value and effort.",
        "A map earns its keep when valleys get work and peaks are protected.",
        "'Pass the order number to the agent': fixes the queue; value 4, effort 2.",
    ),
}


def step_done(m: ExperienceMap | None, step: Step) -> bool:
    """Whether a step of the method has been carried out for this map."""
    if m is None:
        return False
    if step is Step.TEMPLATE:
        return True
    if step is Step.EXPERIENCE:
        return bool(m.title and m.scope)
    if step is Step.TOUCHPOINTS:
        return bool(m.touchpoints)
    if step is Step.FEELINGS:
        return bool(m.touchpoints) and all(tp.feeling is not None for tp in m.touchpoints)
    return bool(m.improvements)


def progress(m: ExperienceMap | None) -> dict[Step, bool]:
    return {step: step_done(m, step) for step in Step}
