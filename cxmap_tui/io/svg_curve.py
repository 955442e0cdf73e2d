"""The emotional curve as an inline SVG drawing, for the HTML export.

Touchpoints run left to right in customer order, feelings -2..+2 bottom to top. Stage runs are
separated by dashed lines and named at the top. The line breaks at a touchpoint not yet rated,
which is drawn as a hollow marker in its own row below the scale rather than at zero. Every
marker carries a <title> (its tooltip) naming the touchpoint and the feeling; the numbers under
the axis match the touchpoint table. Sizes are whole pixels, so the output is the same every time.
"""

from __future__ import annotations

import html

from ..domain import feelings
from ..domain.model import ExperienceMap, Touchpoint
from .stages import stage_runs
from .text import one_line

STEP = 64  # horizontal space per touchpoint
LEFT = 150  # room for the scale's labels
RIGHT = 16
STAGE_Y = 24  # baseline of the stage names
ROW = 40  # vertical space per feeling
TOP = 56  # y of +2
UNRATED_Y = TOP + 5 * ROW  # the row below -2
NUMBERS_Y = UNRATED_Y + 34
HEIGHT = NUMBERS_Y + 12
RADIUS = 6

# A diverging red-blue scale that stays apart for colour-blind readers and in greyscale.
COLOURS = {-2: "#b2182b", -1: "#ef8a62", 0: "#7f7f7f", 1: "#67a9cf", 2: "#2166ac"}
INK = "#333333"
GRID = "#c8c8c8"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _x(position: int) -> int:
    return LEFT + STEP * position - STEP // 2


def _y(tp: Touchpoint) -> int:
    return UNRATED_Y if tp.feeling is None else TOP + (2 - tp.feeling) * ROW


def _clip(text: str, width: int) -> str:
    """Cut a stage name to about what fits in `width` pixels; the full name is in its <title>."""
    room = max(1, (width - 8) // 7)
    return text if len(text) <= room else text[: max(1, room - 1)] + "\u2026"


def curve(m: ExperienceMap) -> str:
    n = len(m.touchpoints)
    width = LEFT + STEP * n + RIGHT
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="curve" width="{width}" height="{HEIGHT}" '
            f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-labelledby="curve-title curve-desc" '
            'font-family="sans-serif" font-size="12">'
        ),
        f'<title id="curve-title">Emotional curve: {_e(one_line(m.title))}</title>',
        (
            '<desc id="curve-desc">The feeling at each touchpoint, from very dissatisfied (-2) at the bottom '
            "to very satisfied (+2) at the top, in the order the customer meets them. Hollow markers in the "
            "lowest row are touchpoints not yet rated.</desc>"
        ),
    ]
    right = LEFT + STEP * n
    for score in range(2, -3, -1):
        y = TOP + (2 - score) * ROW
        label = f"{feelings.signed(score)} {feelings.label(score)}"
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{right}" y2="{y}" stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{_e(label)}</text>')
    out.append(f'<text x="{LEFT - 8}" y="{UNRATED_Y + 4}" text-anchor="end" fill="{INK}">not rated</text>')

    for run in stage_runs(m):
        first, last = run.touchpoints[0][0], run.touchpoints[-1][0]
        x0, x1 = LEFT + STEP * (first - 1), LEFT + STEP * last
        name = one_line(run.label)
        out.append(f"<g><title>Stage: {_e(name)}</title>")
        out.append(f'<line x1="{x0}" y1="{STAGE_Y - 14}" x2="{x0}" y2="{UNRATED_Y + 12}" stroke="{INK}" '
                   'stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x0 + 4}" y="{STAGE_Y}" font-weight="bold" fill="{INK}">'
                   f"{_e(_clip(name, x1 - x0))}</text></g>")
    if n:
        out.append(f'<line x1="{right}" y1="{STAGE_Y - 14}" x2="{right}" y2="{UNRATED_Y + 12}" stroke="{INK}" '
                   'stroke-dasharray="4 3"/>')

    # The line joins neighbours that are both rated; an unrated touchpoint leaves a gap.
    segment: list[str] = []
    for position, tp in enumerate([*m.touchpoints, None], start=1):
        if tp is not None and tp.feeling is not None:
            segment.append(f"{_x(position)},{_y(tp)}")
            continue
        if len(segment) > 1:
            out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{INK}" stroke-width="2"/>')
        segment = []

    for position, tp in enumerate(m.touchpoints, start=1):
        x, y = _x(position), _y(tp)
        tip = f"{position}. {one_line(tp.name)}: {feelings.label(tp.feeling)}"
        if tp.feeling is None:
            paint = f'fill="white" stroke="{INK}" stroke-width="2"'
        else:
            tip += f" ({feelings.signed(tp.feeling)})"
            paint = f'fill="{COLOURS[tp.feeling]}" stroke="{INK}"'
        out.append(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" {paint}><title>{_e(tip)}</title></circle>')
        out.append(f'<text x="{x}" y="{NUMBERS_Y}" text-anchor="middle" fill="{INK}">{position}</text>')
    out.append("</svg>")
    return "\n".join(out)
