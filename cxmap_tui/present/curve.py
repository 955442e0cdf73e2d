"""The emotional curve: feelings across the touchpoints in order, as peaks and valleys, with stage
boundaries, gaps for unrated touchpoints, and optionally a second series (the ideal map's
feelings) drawn as hollow markers on the same axis.

Everything the curve's views share is here, whatever they draw on: the points (`points`), the
scale from +2 at the top to -2 at the bottom (`LEVELS`, `rank`), the runs of touchpoints in one
stage (`stages`), and the pieces of the line, which breaks at a touchpoint not yet rated
(`pieces`). The HTML export's SVG drawing (`io/svg_curve.py`) lays these out in pixels; the rest
of this module lays them out in terminal cells, for the command line's map (`map_view.CurveView`)
and for the app's widget (`tui/widgets/curve.py`), which step 4, the curve screen, the comparison
and the customers' segments show.

`draw` returns rows of (text, style) runs. Styles are meaning, not colour ("good", "neutral",
"bad", "muted", with " cursor" added under the cursor); the app and the Rich renderers each map
them to their own colours, and without colour the shapes and the reverse-video cursor still read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from ..domain import feelings
from ..domain.model import Touchpoint
from .display import cell_width, shorten, shorten_words, visible

LEVELS = (2, 1, 0, -1, -2)  # the scale, top to bottom
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


def points(touchpoints: Iterable[Touchpoint]) -> list[Point]:
    """The curve of these touchpoints, in the order given (a map's: the order the customer meets them)."""
    return [Point(tp.name, tp.stage, tp.feeling) for tp in touchpoints]


def rank(feeling: int) -> int:
    """How far down the scale a feeling is: 0 for +2, at the top, to 4 for -2."""
    return LEVELS.index(feeling)


def stages(shown: Sequence[Point]) -> list[tuple[str, range]]:
    """Each run of neighbouring points in one stage: its stage and the indices of its points. A
    stage that comes back later (Use, Check-in, Use) is a second run: the order wins."""
    runs: list[tuple[str, range]] = []
    for i, p in enumerate(shown):
        if runs and runs[-1][0] == p.stage:
            runs[-1] = (p.stage, range(runs[-1][1].start, i + 1))
        else:
            runs.append((p.stage, range(i, i + 1)))
    return runs


def pieces(shown: Sequence[Point]) -> list[list[tuple[int, int]]]:
    """The pieces of the line through the rated points, as (index, feeling) of each point on it:
    it joins neighbours that are both rated, so a point not yet rated leaves a gap."""
    found: list[list[tuple[int, int]]] = []
    for i, p in enumerate(shown):
        if p.feeling is not None:
            if i == 0 or shown[i - 1].feeling is None:
                found.append([])
            found[-1].append((i, p.feeling))
    return found


def geometry(count: int, width: int, *, fill: bool = False) -> tuple[int, int]:
    """(cells per touchpoint, touchpoints that fit) for a curve `width` cells wide. With `fill`
    the columns widen to take the whole width (`spans` shares out what is left over)."""
    plot = max(1, width - AXIS)
    if fill and count and plot // count >= 2:
        return plot // count, count
    # The widest columns that show every touchpoint; when none do, the densest, to page less.
    cell = next((c for c in (4, 3) if plot // c >= count), 2)
    return cell, max(1, plot // cell)


def spans(count: int, width: int, start: int = 0, *, fill: bool = False) -> list[tuple[int, int]]:
    """The [left, right) columns of the plot (right of the axis) that each touchpoint shown from
    `start` takes. With `fill` and every touchpoint on one page they share the whole plot, the
    cells left over going one each to touchpoints spread along it."""
    plot = max(1, width - AXIS)
    cell, slots = geometry(count, width, fill=fill)
    shown = max(0, min(slots, count - start))
    if fill and slots == count:
        return [(i * plot // count, (i + 1) * plot // count) for i in range(shown)]
    return [(i * cell, (i + 1) * cell) for i in range(shown)]


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


def grid_height(rows_per_level: int = 1) -> int:
    """Rows from +2 to -2 when each step of feeling is `rows_per_level` rows apart."""
    return (len(LEVELS) - 1) * max(1, rows_per_level) + 1


def first_shown(count: int, width: int, cursor: int | None, start: int = 0, *, fill: bool = False) -> int:
    """The first touchpoint a curve `width` cells wide shows, having shown from `start`, with the
    cursor at `cursor` (see `window`)."""
    _, slots = geometry(count, width, fill=fill)
    return window(count, cursor or 0, slots, start)


def marker_row(p: Point, rows_per_level: int = 1) -> int:
    """The row of a point's own marker: its feeling's, or the middle one's for a point not rated."""
    k = max(1, rows_per_level)
    return rank(p.feeling) * k if p.feeling is not None else (len(LEVELS) // 2) * k


def draw(points: Sequence[Point], width: int, cursor: int | None = None, *, ascii: bool = False,
         start: int | None = None, fill: bool = False, rows_per_level: int = 1,
         stage_rows: int = 1) -> list[list[Run]]:
    """Rows (top +2 to bottom -2, then the stage rows) of (text, style) runs, `width` cells wide.

    With `fill` the touchpoints spread over the whole width (see `spans`), the line between two
    markers is drawn across the room between them, and the stage names take up to `stage_rows`
    rows when one is too few to show them whole (see `stage_lines`). `rows_per_level` stretches
    the curve upwards: the levels are that many rows apart."""
    marks = ASCII_MARKS if ascii else UNICODE_MARKS
    plot = max(1, width - AXIS)
    cell, slots = geometry(len(points), width, fill=fill)
    if start is None:
        start = first_shown(len(points), width, cursor, fill=fill)
    shown = points[start : start + slots]
    cells = spans(len(points), width, start, fill=fill)
    centres = [left + (right - left) // 2 for left, right in cells]
    k = max(1, rows_per_level)
    height = grid_height(k)
    grid: list[list[Run]] = [[(" ", "")] * plot for _ in range(height)]
    middle = (len(LEVELS) // 2) * k

    def put(row: int, col: int, ch: str, style: str = "muted") -> None:
        if 0 <= col < plot:
            grid[row][col] = (ch, style)

    # A line is drawn only between two markers' columns, and a boundary at the left of a stage's
    # first column, so the markers go on last and are never drawn over; a line crossing a
    # boundary is drawn over it.
    for _, run in stages(shown)[1:]:
        for r in range(height):
            put(r, cells[run.start][0], marks["boundary"])
    for piece in pieces(shown):
        for (a, fa), (b, fb) in pairwise(piece):
            (_line if fill else _connect)(put, (centres[a], rank(fa) * k), (centres[b], rank(fb) * k), marks)
    for i, p in enumerate(shown):
        centre = centres[i]
        under_cursor = start + i == cursor
        if p.other is not None:
            other_row = rank(p.other) * k
            both = p.feeling is not None and marker_row(p, k) == other_row
            put(other_row, centre, marks["both"] if both else marks["other"], MOOD[p.other])
        if p.feeling is not None:
            style = MOOD[p.feeling]
            shape = marks["both"] if p.other is not None and p.other == p.feeling else marks["mark"]
            put(marker_row(p, k), centre, shape, style + (" cursor" if under_cursor else ""))
        elif p.other is None or rank(p.other) * k != middle:
            put(middle, centre, marks["gap"], "muted cursor" if under_cursor else "muted")
    if fill:
        labels = stage_lines(shown, cells, plot, ascii=ascii, rows=stage_rows)
    else:
        labels = [_stage_row(shown, cell, plot, ascii=ascii)]
    rows = []
    for r in range(height):
        axis = f"{feelings.signed(LEVELS[r // k]) or '0':>2} " if r % k == 0 else " " * AXIS
        rows.append([(axis, "muted"), *grid[r]])
    rows += [[(" " * AXIS, ""), *line] for line in labels]
    return [merge(row) for row in rows]


def _stage_row(shown: Sequence[Point], cell: int, plot: int, *, ascii: bool) -> list[Run]:
    """One row of stage names, each cut to its run of touchpoints."""
    stage_row: list[Run] = [(" ", "muted")] * plot
    for stage, run in stages(shown):
        label = shorten(visible(stage or "-", ascii=ascii), len(run) * cell - 1, ascii=ascii)
        for k, ch in enumerate(label):
            if run.start * cell + k < plot:
                stage_row[run.start * cell + k] = (ch, "muted")
    return stage_row


def stage_runs(shown: Sequence[Point], cells: Sequence[tuple[int, int]]) -> list[tuple[int, str]]:
    """(left column, name) of each run of touchpoints in one stage."""
    return [(cells[run.start][0], stage or "-") for stage, run in stages(shown)]


def stage_layout(runs: Sequence[tuple[int, str]], plot: int, *, ascii: bool = False,
                 rows: int = 1) -> tuple[int, list[int]]:
    """(rows used, the room for each name): the fewest rows, up to `rows`, in which every stage
    name shows whole. Each name starts under its stage's boundary; on one row it has the room up to
    the next stage, on two the names take turns and each has the room up to the next name on its
    own row, and so on."""
    from rich.cells import cell_len

    names = [cell_len(visible(name, ascii=ascii)) for _, name in runs]
    best: list[int] = []
    for used in range(1, max(1, rows) + 1):
        room = [(runs[j + used][0] - 1 if j + used < len(runs) else plot) - runs[j][0] for j in range(len(runs))]
        best = room
        if all(n <= r for n, r in zip(names, room, strict=True)):
            return used, room
    return max(1, rows), best


def stage_row_count(points: Sequence[Point], width: int, start: int, *, ascii: bool = False, rows: int = 1) -> int:
    """How many rows, up to `rows`, the stage names take under a filled curve `width` cells wide
    that shows from `start` (see `stage_layout`)."""
    _, slots = geometry(len(points), width, fill=True)
    runs = stage_runs(points[start : start + slots], spans(len(points), width, start, fill=True))
    used, _ = stage_layout(runs, max(1, width - AXIS), ascii=ascii, rows=rows)
    return used


def stage_lines(shown: Sequence[Point], cells: Sequence[tuple[int, int]], plot: int, *, ascii: bool = False,
                rows: int = 1) -> list[list[Run]]:
    """The stage names under a filled curve: whole where the rows allow, else cut at a word's end."""
    runs = stage_runs(shown, cells)
    used, room = stage_layout(runs, plot, ascii=ascii, rows=rows)
    lines: list[list[Run]] = [[(" ", "muted")] * plot for _ in range(used)]
    for j, (left, name) in enumerate(runs):
        label = shorten_words(visible(name, ascii=ascii), room[j], ascii=ascii)
        col = left
        for ch in label:
            if col < plot:
                lines[j % used][col] = (ch, "muted")
            col += 1
            if cell_width(ch) == 2 and col < plot:  # a wide character takes the next cell too
                lines[j % used][col] = ("", "muted")
                col += 1
    return lines


class _Put(Protocol):
    def __call__(self, row: int, col: int, ch: str, style: str = ...) -> None: ...


def _connect(put: _Put, start: tuple[int, int], end: tuple[int, int], marks: dict[str, str]) -> None:
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


def _line(put: _Put, start: tuple[int, int], end: tuple[int, int], marks: dict[str, str]) -> None:
    """The line between two markers with room between them: the rows it crosses share the
    columns, flat along a row and a slope where it steps to the next. When it crosses more rows
    than there are columns it falls back to `_connect`'s slope, vertical run, slope."""
    (c0, r0), (c1, r1) = start, end
    inner = c1 - c0 - 1
    steps = abs(r1 - r0)
    if steps == 0 or inner < steps + 1:
        _connect(put, start, end, marks)
        return
    slope = marks["up"] if r1 < r0 else marks["down"]
    direction = 1 if r1 > r0 else -1
    for n in range(steps + 1):  # the n-th row crossed takes columns [a, b)
        a, b = c0 + 1 + n * inner // (steps + 1), c0 + 1 + (n + 1) * inner // (steps + 1)
        row = r0 + n * direction
        for c in range(a, b):
            leaving = c == b - 1 and n < steps
            arriving = c == a and n > 0
            put(row, c, slope if leaving or arriving else marks["flat"])


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
