"""A map as one self-contained HTML page: no scripts, no external files, fit to print. The
backlog is listed by priority, as the app lists it.

Every piece of user text is HTML-escaped (control characters first made visible, line breaks
kept as <br>), so nothing a user typed can become markup. Cells of user text get dir="auto" so
right-to-left text reads the right way round.
"""

from __future__ import annotations

import html

from ..domain import feelings
from ..domain.analysis import analyze, improvement_titles, mean_text
from ..domain.backlog import priority, sorted_backlog
from ..domain.model import STATUSES, ExperienceMap, Touchpoint
from . import analysis_text
from .stages import stage_runs
from .summary import summary
from .svg_curve import curve
from .text import one_line, shown

ORIGIN = "Exported from cxmap."

STYLE = """
body { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; line-height: 1.45;
  color: #1a1a1a; background: #fff; max-width: 75rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; }
.origin { color: #555; margin-top: 0; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #333; }
th.stage { border-top: 2px solid #333; font-size: 1.05rem; }
td.num { text-align: right; }
td.flag { font-weight: 700; color: #b2182b; }
.description { color: #444; margin-top: 0.2rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  .scroll { overflow: visible; }
  svg.curve { max-width: 100%; height: auto; }
  tr, figure { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
""".strip()


def text(value: str) -> str:
    """User text as HTML: escaped, control characters visible, line breaks as <br>."""
    return html.escape(shown(value), quote=True).replace("\n", "<br>")


def _cell(value: str) -> str:
    return f'<td dir="auto">{text(value)}</td>'


def _feeling(score: int | None) -> str:
    face = feelings.face(score)
    if score is None:
        return f'<td>{face} not rated</td>'
    return f'<td>{face} {feelings.signed(score)} {feelings.label(score)}</td>'


def render(m: ExperienceMap) -> str:
    title = html.escape(one_line(m.title), quote=True)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="cxmap">',
        f"<title>{title} - customer experience map</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<h1 dir="auto">{title}</h1>',
        f'<p class="origin">{ORIGIN}</p>',
        *_summary(m),
        "</header>",
    ]
    out += ["<section>", "<h2>Emotional curve</h2>"]
    if m.touchpoints:
        out += ['<figure class="scroll">', curve(m), "</figure>"]
    else:
        out.append("<p>No touchpoints yet.</p>")
    out += ["</section>", "<section>", "<h2>Touchpoints</h2>", *_touchpoints(m), "</section>"]
    out += ["<section>", "<h2>Friction points</h2>", *_friction(m), "</section>"]
    out += ["<section>", "<h2>Improvement backlog</h2>", *_backlog(m), "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _summary(m: ExperienceMap) -> list[str]:
    rows = (f'<dt>{label}</dt><dd dir="auto">{text(value)}</dd>' for label, value in summary(m))
    return ['<dl class="summary">', *rows, "</dl>"]


def _touchpoints(m: ExperienceMap) -> list[str]:
    if not m.touchpoints:
        return ["<p>No touchpoints yet.</p>"]
    heads = ["#", "Touchpoint", "Customer action", "Channel", "Owner", "Feeling", "Thoughts", "Notes"]
    out = ["<table>", "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in heads) + "</tr></thead>"]
    for run in stage_runs(m):
        out.append("<tbody>")
        out.append(f'<tr><th class="stage" colspan="{len(heads)}" scope="rowgroup" dir="auto">'
                   f"{text(run.label)}</th></tr>")
        for position, tp in run.touchpoints:
            out.append(
                f'<tr><td class="num">{position}</td>{_cell(tp.name)}{_cell(tp.action)}{_cell(tp.channel)}'
                f"{_cell(tp.owner)}{_feeling(tp.feeling)}{_cell(tp.thoughts)}{_cell(tp.notes)}</tr>"
            )
        out.append("</tbody>")
    out.append("</table>")
    return out


def _head(*names: str) -> str:
    return "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in names) + "</tr></thead>"


def _score(score: int | None) -> str:
    return f"<td>{feelings.face(score)} {feelings.signed(score)}</td>"


def _position(m: ExperienceMap, tp: Touchpoint) -> str:
    return f'<td class="num">{m.touchpoint_index(tp.id) + 1}</td>'


def _friction(m: ExperienceMap) -> list[str]:
    """Friction points, highlights, stages, and the moments that weigh most in memory."""
    a = analyze(m)
    if a.end is None:
        return ["<p>No touchpoint is rated yet.</p>" if m.touchpoints else "<p>No touchpoints yet.</p>"]
    out = [f"<p>{analysis_text.FRICTION}</p>"]
    if a.friction:
        out += ["<table>", _head("#", "Touchpoint", "Feeling", "Why", "Addressed by"), "<tbody>"]
        for f in a.friction:
            if f.addressed_by:
                addressed = _cell(", ".join(improvement_titles(m, f.addressed_by)))
            else:
                addressed = f'<td class="flag">{analysis_text.FLAGGED}</td>'
            out.append(f"<tr>{_position(m, f.touchpoint)}{_cell(f.touchpoint.name)}{_score(f.touchpoint.feeling)}"
                       f"{_cell('; '.join(f.reasons))}{addressed}</tr>")
        out += ["</tbody>", "</table>"]
    else:
        out.append("<p>None.</p>")

    out += ["<h3>Highlights</h3>", f"<p>{analysis_text.HIGHLIGHTS}</p>"]
    if a.highlights:
        out += ["<table>", _head("#", "Touchpoint", "Feeling"), "<tbody>"]
        out += [f"<tr>{_position(m, h.touchpoint)}{_cell(h.touchpoint.name)}{_score(h.touchpoint.feeling)}</tr>"
                for h in a.highlights]
        out += ["</tbody>", "</table>"]
    else:
        out.append("<p>None.</p>")

    out += ["<h3>Stages</h3>", "<table>", _head("Stage", "Touchpoints", "Rated", "Average", "Lowest point"),
            "<tbody>"]
    for s in a.stages:
        if s.touchpoints:
            average, lowest = (mean_text(s.average), analysis_text.point(m, s.worst)) if s.rated else ("", "")
            out.append(f"<tr>{_cell(s.stage or 'No stage')}<td class=\"num\">{s.touchpoints}</td>"
                       f'<td class="num">{s.rated}</td><td class="num">{average}</td>{_cell(lowest)}</tr>')
    out += ["</tbody>", "</table>"]

    rated = len(m.touchpoints) - len(a.unrated)
    moments = [
        ("Worst point", analysis_text.point(m, a.worst)),
        ("End", analysis_text.point(m, a.end)),
        ("Remembered (the mean of the two)", mean_text(a.remembered)),
        (f"Average over {rated} rated touchpoints", mean_text(a.average)),
    ]
    out += ["<h3>The moments that weigh most in memory</h3>", f"<p>{analysis_text.PEAK_END}</p>",
            '<dl class="summary">', *(f'<dt>{label}</dt><dd dir="auto">{text(value)}</dd>' for label, value in moments),
            "</dl>"]
    return out


def _backlog(m: ExperienceMap) -> list[str]:
    if not m.improvements:
        return ["<p>No improvements yet.</p>"]
    positions = {tp.id: (i, tp.name) for i, tp in enumerate(m.touchpoints, start=1)}
    heads = ["Improvement", "Touchpoints", "Priority", "Customer value", "Business value", "Effort", "Status",
             "Owner"]
    out = ["<table>", "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in heads) + "</tr></thead>",
           "<tbody>"]
    for imp in sorted_backlog(m):
        title = text(imp.title)
        if imp.description:
            title += f'<div class="description">{text(imp.description)}</div>'
        linked = "<br>".join(f"{positions[t][0]}. {text(positions[t][1])}" for t in imp.touchpoints if t in positions)
        out.append(
            f'<tr><td dir="auto">{title}</td><td dir="auto">{linked}</td><td class="num">{priority(imp)}</td>'
            f'<td class="num">{imp.customer_value}</td>'
            f'<td class="num">{imp.business_value}</td><td class="num">{imp.effort}</td>'
            f"<td>{text(STATUSES.get(imp.status, imp.status))}</td>{_cell(imp.owner)}</tr>"
        )
    out += ["</tbody>", "</table>"]
    return out
