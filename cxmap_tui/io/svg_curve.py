"""The emotional curve as an inline SVG drawing, for the HTML export: the curve of
`present/curve.py` (its points, scale, stage runs and the pieces of its line) laid out in pixels.

Touchpoints run left to right in customer order, feelings -2..+2 bottom to top. Stage runs are
separated by dashed lines and named at the top, each name whole: it wraps at its spaces onto as
many lines as it takes, and the touchpoints move apart (up to a point) so that every word fits
on a line and no name takes more than three (only that stage's touchpoints move apart: the others
keep their room); a word wider than that is broken where it must be. The line breaks at a touchpoint not yet rated,
which is drawn as a hollow marker in its own row below the scale rather than at zero. Every
marker carries a <title> (its tooltip) naming the touchpoint and the feeling; the numbers under
the axis match the touchpoint table. Sizes are whole pixels, so the output is the same every time.
"""

from __future__ import annotations

import html
import math
import unicodedata

from ..domain import feelings
from ..domain.model import ExperienceMap
from ..present.curve import LEVELS, pieces, points, rank, stages
from .stages import NO_STAGE
from .text import one_line

STEP = 64  # horizontal space per touchpoint, at least
WIDEST_STEP = 240  # the most the touchpoints move apart to fit the stage names
LEFT = 150  # room for the scale's labels
RIGHT = 16
STAGE_Y = 24  # baseline of the first line of stage names
LINE = 15  # from one line of a stage name to the next
NAME_LINES = 3  # the touchpoints move apart until no stage name takes more lines than this
PAD = 4  # between a stage's dashed line and its name, and after the name
ROW = 40  # vertical space per feeling
RADIUS = 6

# A diverging red-blue scale that stays apart for colour-blind readers and in greyscale.
COLOURS = {-2: "#b2182b", -1: "#ef8a62", 0: "#7f7f7f", 1: "#67a9cf", 2: "#2166ac"}
INK = "#333333"
GRID = "#c8c8c8"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _y(feeling: int | None, top: int) -> int:
    """The height of a feeling on the scale, whose top is at `top`; of not rated, the row below."""
    return top + (len(LEVELS) if feeling is None else rank(feeling)) * ROW


def _char_width(ch: str) -> float:
    """About how wide a character is in bold 12px sans-serif, erring wide so a name fits."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 12.5
    if ch == " ":
        return 4.0
    if ch in "iljtfrI.,:;'!|()[]":
        return 5.0
    if ch in "mwMW@%":
        return 11.5
    return 9.0 if ch.isupper() or ch.isdigit() else 7.5


def text_width(text: str) -> float:
    return sum(map(_char_width, text))


def wrap(text: str, width: float) -> list[str]:
    """`text` in lines at most about `width` pixels wide, broken at spaces, and inside a word only
    where the word alone is wider than that."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while text_width(word) > width:  # a word too wide for any line: as much as fits, then the rest
            if line:
                lines.append(line)
                line = ""
            cut, used = 0, 0.0
            while cut < len(word) and (cut == 0 or used + _char_width(word[cut]) <= width):
                used += _char_width(word[cut])
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        joined = f"{line} {word}" if line else word
        if line and text_width(joined) > width:
            lines.append(line)
            joined = word
        line = joined
    if line or not lines:
        lines.append(line)
    return lines


def step_for(name: str, count: int) -> int:
    """The space per touchpoint, from STEP to WIDEST_STEP, that gives a stage of `count`
    touchpoints room for its name's longest word and for the whole name in NAME_LINES lines."""
    longest = max((text_width(word) for word in name.split(" ")), default=0.0)
    need = max(longest, text_width(name) / NAME_LINES) + 2 * PAD
    step = max(STEP, math.ceil(need / count))
    while step < WIDEST_STEP and len(wrap(name, step * count - 2 * PAD)) > NAME_LINES:
        step += 4
    return min(step, WIDEST_STEP)


def curve(m: ExperienceMap) -> str:
    shown = points(m.touchpoints)
    groups = stages(shown)
    runs = [run for _, run in groups]
    names = [one_line(stage or NO_STAGE) for stage, _ in groups]
    steps = [step_for(name, len(run)) for name, run in zip(names, runs, strict=True)]
    wrapped = [wrap(name, step * len(run) - 2 * PAD) for name, run, step in zip(names, runs, steps, strict=True)]
    xs: list[int] = []  # each touchpoint's position: the x of its marker
    starts: list[int] = []  # the x where each run begins
    x = LEFT
    for run, step in zip(runs, steps, strict=True):
        starts.append(x)
        xs += [x + step * k + step // 2 for k in range(len(run))]
        x += step * len(run)
    lines = max((len(w) for w in wrapped), default=1)
    top = STAGE_Y + (lines - 1) * LINE + 32  # y of +2
    unrated_y = _y(None, top)  # the row below -2
    numbers_y = unrated_y + 34
    height = numbers_y + 12
    right = x
    width = right + RIGHT
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="curve" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="curve-title curve-desc" '
            'font-family="sans-serif" font-size="12">'
        ),
        f'<title id="curve-title">Emotional curve: {_e(one_line(m.title))}</title>',
        (
            '<desc id="curve-desc">The feeling at each touchpoint, from very dissatisfied (-2) at the bottom '
            "to very satisfied (+2) at the top, in the order the customer meets them. Hollow markers in the "
            "lowest row are touchpoints not yet rated.</desc>"
        ),
    ]
    for score in LEVELS:
        y = _y(score, top)
        label = f"{feelings.signed(score)} {feelings.label(score)}"
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{right}" y2="{y}" stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{_e(label)}</text>')
    out.append(f'<text x="{LEFT - 8}" y="{unrated_y + 4}" text-anchor="end" fill="{INK}">not rated</text>')

    for x0, name, name_lines in zip(starts, names, wrapped, strict=True):
        out.append(f"<g><title>Stage: {_e(name)}</title>")
        out.append(f'<line x1="{x0}" y1="{STAGE_Y - 14}" x2="{x0}" y2="{unrated_y + 12}" stroke="{INK}" '
                   'stroke-dasharray="4 3"/>')
        texts = "".join(f'<text x="{x0 + PAD}" y="{STAGE_Y + i * LINE}" font-weight="bold" fill="{INK}">'
                        f"{_e(line)}</text>" for i, line in enumerate(name_lines))
        out.append(f"{texts}</g>")
    if shown:
        out.append(f'<line x1="{right}" y1="{STAGE_Y - 14}" x2="{right}" y2="{unrated_y + 12}" stroke="{INK}" '
                   'stroke-dasharray="4 3"/>')

    for piece in pieces(shown):
        if len(piece) > 1:
            line = " ".join(f"{xs[i]},{_y(feeling, top)}" for i, feeling in piece)
            out.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="2"/>')

    for i, p in enumerate(shown):
        position = i + 1  # as in the touchpoint table
        tip = f"{position}. {one_line(p.name)}: {feelings.label(p.feeling)}"
        if p.feeling is None:
            paint = f'fill="white" stroke="{INK}" stroke-width="2"'
        else:
            tip += f" ({feelings.signed(p.feeling)})"
            paint = f'fill="{COLOURS[p.feeling]}" stroke="{INK}"'
        x, y = xs[i], _y(p.feeling, top)
        out.append(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" {paint}><title>{_e(tip)}</title></circle>')
        out.append(f'<text x="{x}" y="{numbers_y}" text-anchor="middle" fill="{INK}">{position}</text>')
    out.append("</svg>")
    return "\n".join(out)
