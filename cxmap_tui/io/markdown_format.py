"""A map as a Markdown document (GitHub flavour): summary, touchpoints, curve, backlog.

User text is inert: "&", "<" and ">" become HTML entities (so "<script>" or "</td>" shows as
typed), the characters Markdown would format, link or split a table on are backslash-escaped,
and line breaks become "<br>" so a cell stays one table row.
"""

from __future__ import annotations

import html
import re

from ..domain import feelings
from ..domain.model import STATUSES, ExperienceMap
from . import mermaid_format
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
        out.append(_row(["#", "Stage", "Touchpoint", "Customer action", "Feeling", "Thoughts"]))
        out.append(_row(["---:", "---", "---", "---", "---", "---"]))
        for i, tp in enumerate(m.touchpoints, start=1):
            out.append(
                _row([str(i), inline(tp.stage), inline(tp.name), inline(tp.action), _feeling(tp.feeling),
                      inline(tp.thoughts)])
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

    out += ["", "## Improvement backlog", ""]
    if m.improvements:
        names = {tp.id: tp.name for tp in m.touchpoints}
        out.append(_row(["Improvement", "Touchpoints", "Customer value", "Business value", "Effort", "Status",
                         "Owner"]))
        out.append(_row(["---", "---", "---:", "---:", "---:", "---", "---"]))
        for imp in m.improvements:
            linked = ", ".join(inline(names.get(t, "?")) for t in imp.touchpoints)
            out.append(
                _row([inline(imp.title), linked, str(imp.customer_value), str(imp.business_value),
                      str(imp.effort), inline(STATUSES.get(imp.status, imp.status)), inline(imp.owner)])
            )
    else:
        out.append("No improvements yet.")
    return "\n".join(out) + "\n"
