"""The panes of the five steps, one module each."""

from __future__ import annotations

from ...domain.method import Step
from .base import StepPane


def new_pane(step: Step) -> StepPane:
    """The pane for a step; its module is imported only when the step is first visited."""
    if step is Step.TEMPLATE:
        from .template import TemplatePane

        return TemplatePane(id="step-1")
    if step is Step.EXPERIENCE:
        from .experience import ExperiencePane

        return ExperiencePane(id="step-2")
    if step is Step.TOUCHPOINTS:
        from .touchpoints import TouchpointsPane

        return TouchpointsPane(id="step-3")
    if step is Step.FEELINGS:
        from .feelings import FeelingsPane

        return FeelingsPane(id="step-4")
    from ..steps.improvements import ImprovementsPane

    return ImprovementsPane(id="step-5")
