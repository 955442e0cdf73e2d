"""The emotional curve laid out as text: feelings across the touchpoints in order, as peaks and
valleys, with stage boundaries, gaps for unrated touchpoints, and optionally a second series
(the ideal map's feelings) drawn as hollow markers on the same axis.

`draw` returns rows of (text, style) runs. Styles are meaning, not colour ("good", "neutral",
"bad", "muted", with " cursor" added under the cursor); the app and the Rich renderers each map
them to their own colours, and without colour the shapes and the reverse-video cursor still read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .display import shorten, visible
from .domain import feelings

LEVELS = (2, 1, 0, -1, -2)
AXIS = 3  # width of the "+2 " labels

UNICODE_MARKS = {"mark": "\u25cf", "other": "\u25cb", "both": "\u25c9", "up": "\u2571", "down": "\u2572",
                 "flat": "\u2500", "vert": "\u2502", "boundary": "\u250a", "gap": "\u00b7"}
ASCII_MARKS = {"mark": "o", "other": "+", "both": "@", "up": "/", "down": "\\", "flat": "-", "vert": "|",
               "boundary": ":", "gap": "?"}

MOOD = {2: "good", 1: "good", 0: "neutral", -1: "bad", -2: "bad"}

Run = tuple[str, str]


@dataclass(frozen=True)
class Point:
    name: str
    stage: str
    feeling: int | None
    other: int | None = None  # the second series (the ideal), if any


def geometry(count: int, width: int) -> tuple[int, int]:
    """(cells per touchpoint, touchpoints that fit) for a curve `width` cells wide."""
    plot = max(1, width - AXIS)
    # The widest columns that show every touchpoint; when none do, the densest, to page less.
    cell = next((c for c in (4, 3) if plot // c >= count), 2)
    return cell, max(1, plot // cell)


def window(count: int, cursor: int, slots: int, start: int = 0) -> int:
    """First index shown: `start` while the cursor is in view, else the page that holds it
    (the curve moves by pages, so a cursor move repaints two columns, not the whole curve)."""
    if count <= slots:
        return 0
    if start <= cursor < start + slots:
        return min(start, count - slots)
    return max(0, min(count - slots, cursor - cursor % slots))


def column(index: int, start: int, cell: int) -> int:
    """The column (from the left edge of the curve) of a touchpoint's marker."""
    return AXIS + (index - start) * cell + cell // 2


def draw(points: Sequence[Point], width: int, cursor: int | None = None, *, ascii: bool = False,
         start: int | None = None) -> list[list[Run]]:
    """Rows (top +2 to bottom -2, then a stage row) of (text, style) runs, `width` cells wide."""
    marks = ASCII_MARKS if ascii else UNICODE_MARKS
    plot = max(1, width - AXIS)
    cell, slots = geometry(len(points), width)
    if start is None:
        start = window(len(points), cursor or 0, slots)
    shown = points[start : start + slots]
    grid: list[list[Run]] = [[(" ", "")] * plot for _ in LEVELS]
    middle = len(LEVELS) // 2

    def put(row: int, col: int, ch: str, style: str = "muted") -> None:
        if 0 <= col < plot:
            grid[row][col] = (ch, style)

    previous: tuple[int, int] | None = None  # (column, row) of the last marker of the main series
    for i, p in enumerate(shown):
        centre = i * cell + cell // 2
        under_cursor = start + i == cursor
        if i > 0 and p.stage != shown[i - 1].stage:
            for r in range(len(LEVELS)):
                put(r, i * cell, marks["boundary"])
        if p.feeling is not None:
            row = LEVELS.index(p.feeling)
            if previous is not None:
                _connect(put, previous, (centre, row), marks)
            previous = (centre, row)
        else:
            previous = None  # an unrated touchpoint is a gap in the line
        if p.other is not None:
            other_row = LEVELS.index(p.other)
            both = p.feeling is not None and LEVELS.index(p.feeling) == other_row
            put(other_row, centre, marks["both"] if both else marks["other"], MOOD[p.other])
        if p.feeling is not None:
            style = MOOD[p.feeling]
            shape = marks["both"] if p.other is not None and p.other == p.feeling else marks["mark"]
            put(LEVELS.index(p.feeling), centre, shape, style + (" cursor" if under_cursor else ""))
        elif p.other is None or LEVELS.index(p.other) != middle:
            put(middle, centre, marks["gap"], "muted cursor" if under_cursor else "muted")
    stage_row: list[Run] = [(" ", "muted")] * plot
    i = 0
    while i < len(shown):
        j = i
        while j + 1 < len(shown) and shown[j + 1].stage == shown[i].stage:
            j += 1
        label = shorten(visible(shown[i].stage or "-", ascii=ascii), (j - i + 1) * cell - 1, ascii=ascii)
        for k, ch in enumerate(label):
            if i * cell + k < plot:
                stage_row[i * cell + k] = (ch, "muted")
        i = j + 1
    rows = [[(f"{feelings.signed(level) or '0':>2} ", "muted"), *grid[r]] for r, level in enumerate(LEVELS)]
    rows.append([(" " * AXIS, ""), *stage_row])
    return [merge(row) for row in rows]


def _connect(put, start: tuple[int, int], end: tuple[int, int], marks: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The line between two markers: flat on one level, a slope leaving the old level and one
    arriving at the new, and a vertical run for the levels skipped in between."""
    (c0, r0), (c1, r1) = start, end
    if r0 == r1:
        for c in range(c0 + 1, c1):
            put(r0, c, marks["flat"])
        return
    slope = marks["up"] if r1 < r0 else marks["down"]
    put(r0, c0 + 1, slope)
    if c1 - 1 > c0 + 1:
        put(r1, c1 - 1, slope)
    middle = (c0 + c1) // 2
    for r in range(min(r0, r1) + 1, max(r0, r1)):
        put(r, middle, marks["vert"])


def merge(row: Sequence[Run]) -> list[Run]:
    """Join neighbouring cells of the same style into one run."""
    out: list[Run] = []
    for text, style in row:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out


def legend(*, ascii: bool = False, other: str = "") -> str:
    """One line saying what the marks mean."""
    marks = ASCII_MARKS if ascii else UNICODE_MARKS
    text = f"{marks['mark']} feeling  {marks['gap']} not rated  {marks['boundary']} stage boundary"
    if other:
        text += f"  {marks['other']} {other}  {marks['both']} both"
    return text
