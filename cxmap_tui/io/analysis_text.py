"""The words the Markdown and HTML exports use around a map's analysis, as plain text for each
format to escape."""

from __future__ import annotations

from ..domain.analysis import StageSummary, mean_text
from ..domain.feelings import signed
from ..domain.model import ExperienceMap, Touchpoint

FRICTION = (
    "A friction point is a rated touchpoint where the customer is dissatisfied (-1 or lower), or where "
    "the feeling falls by 2 or more from the previous rated touchpoint. Worst first."
)
HIGHLIGHTS = "Touchpoints at +1 or higher that no rated neighbour rises above."
PEAK_END = (
    "By the peak-end rule, people judge an experience mostly by its worst moment and by its end, "
    "more than by its average."
)
FLAGGED = "FLAGGED: no improvement addresses it"


def point(m: ExperienceMap, tp: Touchpoint | None) -> str:
    """"6. Account wall (-2)": a touchpoint's position, name and feeling."""
    if tp is None:
        return "none rated"
    return f"{m.touchpoint_index(tp.id) + 1}. {tp.name} ({signed(tp.feeling) or 'not rated'})"


def stage_facts(m: ExperienceMap, s: StageSummary) -> str:
    """"4 touchpoints, 3 rated, average -0.33; lowest: 6. Account wall (-2)"."""
    count = f"{s.touchpoints} touchpoint{'' if s.touchpoints == 1 else 's'}"
    if not s.rated:
        return f"{count}, none rated"
    return f"{count}, {s.rated} rated, average {mean_text(s.average)}; lowest: {point(m, s.worst)}"
