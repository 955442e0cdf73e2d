"""A map as a Markdown document (GitHub flavour): summary, touchpoints, curve, backlog (by
priority, as the app lists it).

User text is inert: "&", "<" and ">" become HTML entities (so "<script>" or "</td>" shows as
typed), the characters Markdown would format, link or split a table on are backslash-escaped,
and line breaks become "<br>" so a cell stays one table row.
"""

from __future__ import annotations

import html
import re

from ..domain import feelings
from ..domain.analysis import analyze, improvement_titles, mean_text
from ..domain.backlog import priority, sorted_backlog
from ..domain.model import STATUSES, ExperienceMap
from . import analysis_text, mermaid_format
from .summary import summary
from .text import one_line, shown

ORIGIN = "Exported from cxmap."

# Backslash-escaping any ASCII punctuation is valid Markdown; these are the ones that format
# (* _ ~ `), link ([ ]), close a heading (#), split a table (|), or escape (\).
_MARKDOWN = re.compile(r"([\\`*_~\[\]|#])")


def inline(text: str) -> str:
    """User text for a table cell or a line of prose."""
    text = html.escape(shown(text), quote=False)
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "<br>")


def _heading(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", html.escape(one_line(text), quote=False))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _feeling(score: int | None) -> str:
    if score is None:
        return f"{feelings.face(None)} not rated"
    return f"{feelings.face(score)} {feelings.signed(score)}"


def render(m: ExperienceMap) -> str:
    out = [f"# {_heading(m.title)}", "", f"*{ORIGIN}*", ""]
    out += [f"- **{label}:** {inline(value)}" for label, value in summary(m)]
    out += ["", "## Touchpoints", ""]
    if m.touchpoints:
        out.append(_row(["#", "Stage", "Touchpoint", "Customer action", "Channel", "Feeling", "Thoughts"]))
        out.append(_row(["---:", "---", "---", "---", "---", "---", "---"]))
        for i, tp in enumerate(m.touchpoints, start=1):
            out.append(
                _row([str(i), inline(tp.stage), inline(tp.name), inline(tp.action), inline(tp.channel),
                      _feeling(tp.feeling), inline(tp.thoughts)])
            )
        out += [
            "",
            "## Emotional curve",
            "",
            (
                "Feelings from 1 (very dissatisfied) to 5 (very satisfied); touchpoints not yet rated "
                'are drawn at 3 and marked "(not rated)".'
            ),
            "",
            "```mermaid",
            mermaid_format.render(m).rstrip("\n"),
            "```",
        ]
    else:
        out.append("No touchpoints yet.")

    out += ["", *_friction_section(m)]
    out += ["", "## Improvement backlog", ""]
    if m.improvements:
        names = {tp.id: tp.name for tp in m.touchpoints}
        out.append(_row(["Improvement", "Touchpoints", "Priority", "Customer value", "Business value", "Effort",
                         "Status", "Owner"]))
        out.append(_row(["---", "---", "---:", "---:", "---:", "---:", "---", "---"]))
        for imp in sorted_backlog(m):
            linked = ", ".join(inline(names.get(t, "?")) for t in imp.touchpoints)
            out.append(
                _row([inline(imp.title), linked, str(priority(imp)), str(imp.customer_value),
                      str(imp.business_value), str(imp.effort), inline(STATUSES.get(imp.status, imp.status)),
                      inline(imp.owner)])
            )
    else:
        out.append("No improvements yet.")
    return "\n".join(out) + "\n"


def _friction_section(m: ExperienceMap) -> list[str]:
    """Friction points, highlights, stages, and the moments that weigh most in memory."""
    out = ["## Friction points", ""]
    a = analyze(m)
    if a.end is None:
        out.append("No touchpoint is rated yet." if m.touchpoints else "No touchpoints yet.")
        return out
    out += [analysis_text.FRICTION, ""]
    for f in a.friction:
        tp = f.touchpoint
        line = f"- **{m.touchpoint_index(tp.id) + 1}. {inline(tp.name)}** {_feeling(tp.feeling)}: "
        line += inline("; ".join(f.reasons)) + ". "
        if f.addressed_by:
            line += "Addressed by: " + inline(", ".join(improvement_titles(m, f.addressed_by))) + "."
        else:
            line += f"**{analysis_text.FLAGGED}.**"
        out.append(line)
    if not a.friction:
        out.append("None.")

    out += ["", "### Highlights", "", analysis_text.HIGHLIGHTS, ""]
    out += [f"- **{h.index + 1}. {inline(h.touchpoint.name)}** {_feeling(h.touchpoint.feeling)}" for h in a.highlights]
    if not a.highlights:
        out.append("None.")

    out += ["", "### Stages", ""]
    for s in a.stages:
        if s.touchpoints:
            out.append(f"- **{inline(s.stage) or 'No stage'}:** {inline(analysis_text.stage_facts(m, s))}")

    rated = len(m.touchpoints) - len(a.unrated)
    out += [
        "",
        "### The moments that weigh most in memory",
        "",
        analysis_text.PEAK_END,
        "",
        f"- **Worst point:** {inline(analysis_text.point(m, a.worst))}",
        f"- **End:** {inline(analysis_text.point(m, a.end))}",
        f"- **Remembered (the mean of the two):** {mean_text(a.remembered)}",
        f"- **Average over {rated} rated touchpoints:** {mean_text(a.average)}",
    ]
    return out
