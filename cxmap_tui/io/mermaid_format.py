"""The emotional curve as a Mermaid `journey` diagram.

    journey
      title Support call
      section Use
        Hold music: 1: Busy parent

One section per run of touchpoints in the same stage ("No stage" for touchpoints without one),
one task per touchpoint in customer order, scored feeling + 3 (so -2..+2 becomes 1..5), with the
persona as the actor ("Customer" when the map has none).

Mermaid's journey lexer has no quoting, so user text is made to fit it while staying readable:
- ":" becomes "∶" (ratio), "#" becomes "♯" (sharp) and ";" becomes ","; in the actor, where ","
  separates actors, "," and ";" become "‚" (a low quotation mark that looks like a comma);
- "<" and ">" become "‹" and "›": Mermaid reads text in angle brackets as HTML (it strips
  tags from the title and breaks a task name at "<br>");
- line breaks and runs of white space become one space; other control characters become
  visible symbols;
- "%%" becomes "%", since "%%" can start a comment or a directive;
- a task name whose first word the lexer would read as a keyword ("journey", "title ",
  "section ", "accTitle", "accDescr") is put in double quotes;
- a touchpoint not yet rated is drawn at 3 (neutral) with " (not rated)" after its name, since
  every task needs a score;
- if two names come out the same, the later one gets " (2)", " (3)", ...
"""

from __future__ import annotations

import re

from ..domain.model import ExperienceMap, Touchpoint
from .stages import NO_STAGE, stage_runs
from .text import one_line

DEFAULT_ACTOR = "Customer"
NOT_RATED = " (not rated)"
NEUTRAL = 3

# Look-alikes found in common fonts (DejaVu, Segoe UI Symbol, Apple's); full-width forms are not.
_SUBSTITUTES = str.maketrans({":": "\u2236", "#": "\u266f", ";": ",", "<": "\u2039", ">": "\u203a"})
_ACTOR_SUBSTITUTES = str.maketrans({",": "\u201a", ";": "\u201a"})
_PERCENTS = re.compile("%{2,}")
# What the lexer tries before a task name; it ignores case. JavaScript's \b counts only ASCII
# letters, digits and "_" as word characters, hence the explicit class.
_KEYWORD_START = re.compile(
    r"(journey(?![A-Za-z0-9_])|title\s|section\s|acc(title|descr)(?![A-Za-z0-9_]))", re.IGNORECASE
)


def fit(text: str, fallback: str) -> str:
    """User text as one line the journey lexer reads whole (see the module docstring)."""
    text = _PERCENTS.sub("%", one_line(text).translate(_SUBSTITUTES))
    return text or fallback


def score(tp: Touchpoint) -> int:
    return NEUTRAL if tp.feeling is None else NEUTRAL + tp.feeling


def render(m: ExperienceMap) -> str:
    actor = fit(m.persona.translate(_ACTOR_SUBSTITUTES), DEFAULT_ACTOR)
    lines = ["journey", f"  title {fit(m.title, 'Experience map')}"]
    used: set[str] = set()
    for run in stage_runs(m):
        lines.append(f"  section {fit(run.label, NO_STAGE)}")
        for position, tp in run.touchpoints:
            name = _task_name(tp, position, used)
            lines.append(f"    {name}: {score(tp)}: {actor}")
    return "\n".join(lines) + "\n"


def _task_name(tp: Touchpoint, position: int, used: set[str]) -> str:
    name = fit(tp.name, f"Touchpoint {position}")
    if tp.feeling is None:
        name += NOT_RATED
    if _KEYWORD_START.match(name):
        name = f'"{name}"'
    unique, n = name, 1
    while unique.casefold() in used:
        n += 1
        unique = f"{name} ({n})"
    used.add(unique.casefold())
    return unique
