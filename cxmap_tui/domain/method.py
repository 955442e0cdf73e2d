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


GUIDE: dict[Step, Guidance] = {
    Step.TEMPLATE: Guidance(
        "Template",
        "Start from a template or a blank map, or open a map you made before.",
        "A template gives the team a first draft to argue with, which is faster than a blank page.",
        "Pick 'Talking to a customer-service agent' and adapt it to your own support desk.",
    ),
    Step.EXPERIENCE: Guidance(
        "Experience",
        "Name the one specific interaction this map covers, who goes through it, and whether it "
        "is the ideal or what happens today.",
        "A CX map covers one interaction, not the whole customer journey; a narrow scope keeps "
        "the map honest and small enough to act on.",
        "Scope: 'A customer with a broken order calls support and gets a replacement.'",
    ),
    Step.TOUCHPOINTS: Guidance(
        "Touchpoints",
        "List every touchpoint in the order the customer meets it, with what the customer does "
        "there, its stage and its channel.",
        "The experience starts before the sale and goes on after it: onboarding, check-ins and "
        "renewals are touchpoints too.",
        "'Order confirmation e-mail' - customer checks the delivery date - Purchase - E-mail.",
    ),
    Step.FEELINGS: Guidance(
        "Feelings",
        "Walk the touchpoints one by one: how does the customer feel there, and what goes "
        "through their mind, in their own words?",
        "What stays with a customer is the impression, not the interaction: the peaks and "
        "valleys of this curve are what they remember.",
        "Feeling 2 (dissatisfied): 'Why do I have to type my order number again?'",
    ),
    Step.IMPROVEMENTS: Guidance(
        "Improvements",
        "Plan changes, each tied to the touchpoints it fixes, with its value, effort, status "
        "and owner.",
        "A map earns its keep when the valleys get work and the peaks are protected.",
        "'Pass the order number to the agent' - fixes the phone touchpoint - value 4, effort 2.",
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
