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

from ..domain import feelings
from .display import cell_width, shorten, shorten_words, visible

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
        start = window(len(points), cursor or 0, slots)
    shown = points[start : start + slots]
    cells = spans(len(points), width, start, fill=fill)
    k = max(1, rows_per_level)
    height = grid_height(k)
    grid: list[list[Run]] = [[(" ", "")] * plot for _ in range(height)]
    middle = (len(LEVELS) // 2) * k

    def put(row: int, col: int, ch: str, style: str = "muted") -> None:
        if 0 <= col < plot:
            grid[row][col] = (ch, style)

    def level_row(feeling: int) -> int:
        return LEVELS.index(feeling) * k

    previous: tuple[int, int] | None = None  # (column, row) of the last marker of the main series
    for i, p in enumerate(shown):
        left, right = cells[i]
        centre = left + (right - left) // 2
        under_cursor = start + i == cursor
        if i > 0 and p.stage != shown[i - 1].stage:
            for r in range(height):
                put(r, left, marks["boundary"])
        if p.feeling is not None:
            row = level_row(p.feeling)
            if previous is not None:
                (_line if fill else _connect)(put, previous, (centre, row), marks)
            previous = (centre, row)
        else:
            previous = None  # an unrated touchpoint is a gap in the line
        if p.other is not None:
            other_row = level_row(p.other)
            both = p.feeling is not None and level_row(p.feeling) == other_row
            put(other_row, centre, marks["both"] if both else marks["other"], MOOD[p.other])
        if p.feeling is not None:
            style = MOOD[p.feeling]
            shape = marks["both"] if p.other is not None and p.other == p.feeling else marks["mark"]
            put(level_row(p.feeling), centre, shape, style + (" cursor" if under_cursor else ""))
        elif p.other is None or level_row(p.other) != middle:
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
    return stage_row


def stage_runs(shown: Sequence[Point], cells: Sequence[tuple[int, int]]) -> list[tuple[int, str]]:
    """(left column, name) of each run of touchpoints in one stage."""
    runs: list[tuple[int, str]] = []
    for i, p in enumerate(shown):
        if i == 0 or p.stage != shown[i - 1].stage:
            runs.append((cells[i][0], p.stage or "-"))
    return runs


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


def _line(put, start: tuple[int, int], end: tuple[int, int], marks: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
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
