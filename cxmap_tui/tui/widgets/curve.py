"""The emotional curve: feelings across the touchpoints in order, as peaks and valleys.

`draw` lays the curve out as rows of (text, style) runs, without Textual, so it can be checked on
its own; `FeelingCurve` is the widget that shows it and follows a cursor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from ...domain import feelings
from ..glyphs import UNICODE, Glyphs

LEVELS = (2, 1, 0, -1, -2)
AXIS = 3  # width of the "+2 " labels


@dataclass(frozen=True)
class Point:
    name: str
    stage: str
    feeling: int | None


STYLE = {2: "$text-success", 1: "$text-success", 0: "$text-warning", -1: "$text-error", -2: "$text-error"}


def geometry(count: int, width: int) -> tuple[int, int]:
    """(cells per touchpoint, touchpoints that fit) for a curve `width` cells wide."""
    plot = max(1, width - AXIS)
    cell = 4 if plot // 4 >= min(count, 12) else 3 if plot // 3 >= count else 2
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
    """The screen column (within the widget) of a touchpoint's marker."""
    return AXIS + (index - start) * cell + cell // 2


def draw(points: Sequence[Point], width: int, cursor: int | None, glyphs: Glyphs = UNICODE,
         start: int | None = None) -> list[list[tuple[str, str]]]:
    """Rows (top +2 to bottom -2, then a stage row) of (text, style) runs, `width` cells wide."""
    a = glyphs.ascii
    mark, up, down, flat, vert, boundary = (
        ("o", "/", "\\", "-", "|", ":") if a else ("\u25cf", "\u2571", "\u2572", "\u2500", "\u2502", "\u250a")
    )
    plot = max(1, width - AXIS)
    cell, slots = geometry(len(points), width)
    if start is None:
        start = window(len(points), cursor or 0, slots)
    shown = points[start : start + slots]
    grid = [[(" ", "")] * plot for _ in LEVELS]
    stage_row = [(" ", "$text-muted")] * plot

    def put(row: int, col: int, ch: str, style: str = "") -> None:
        if 0 <= col < plot:
            grid[row][col] = (ch, style)

    previous: tuple[int, int] | None = None  # (column, row) of the last marker
    for i, p in enumerate(shown):
        centre = i * cell + cell // 2
        index = start + i
        if i > 0 and p.stage != shown[i - 1].stage:
            for r in range(len(LEVELS)):
                put(r, i * cell, boundary, "$text-muted")
        if p.feeling is None:
            put(len(LEVELS) // 2, centre, "?" if a else "\u00b7", "$text-muted")
            previous = None
        else:
            row = LEVELS.index(p.feeling)
            if previous is not None:
                _connect(put, previous, (centre, row), up=up, down=down, flat=flat, vert=vert)
            style = STYLE[p.feeling]
            if index == cursor:
                style += " reverse bold"
            put(row, centre, mark, style)
            previous = (centre, row)
        if index == cursor and p.feeling is None:
            put(len(LEVELS) // 2, centre, "?" if a else "\u00b7", "reverse bold")
    # stage names under the curve, where each run of a stage begins
    i = 0
    while i < len(shown):
        j = i
        while j + 1 < len(shown) and shown[j + 1].stage == shown[i].stage:
            j += 1
        label = glyphs.text(shown[i].stage or "-", (j - i + 1) * cell - 1)
        for k, ch in enumerate(label):
            if i * cell + k < plot:
                stage_row[i * cell + k] = (ch, "$text-muted")
        i = j + 1
    rows = []
    for r, level in enumerate(LEVELS):
        rows.append([(f"{feelings.signed(level) or '0':>2} ", "$text-muted"), *grid[r]])
    rows.append([(" " * AXIS, ""), *stage_row])
    return rows


class FeelingCurve(Widget):
    """The curve, with the touchpoint under the cursor named beneath it."""

    DEFAULT_CSS = """
    FeelingCurve { height: 7; width: 1fr; }
    """

    cursor: reactive[int | None] = reactive(None, repaint=False)

    def __init__(self, glyphs: Glyphs = UNICODE, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.glyphs = glyphs
        self.points: list[Point] = []
        self.start = 0

    def set_points(self, points: Sequence[Point]) -> None:
        self.points = list(points)
        self.refresh()

    def watch_cursor(self, old: int | None, new: int | None) -> None:
        _, slots = geometry(len(self.points), self.size.width)
        start = window(len(self.points), new or 0, slots, self.start)
        if start != self.start or old is None or new is None:
            self.start = start
            self.refresh()
            return
        # Same page: repaint the two columns and the caption only.
        cell, _ = geometry(len(self.points), self.size.width)
        for index in (old, new):
            self.refresh(Region(column(index, start, cell) - cell // 2 - 1, 0, cell + 2, len(LEVELS)))
        self.refresh(Region(0, len(LEVELS) + 1, self.size.width, 1))

    def render(self) -> Content:
        if not self.points:
            return Content("The curve appears here as you rate the touchpoints.")
        _, slots = geometry(len(self.points), self.size.width)
        self.start = window(len(self.points), self.cursor or 0, slots, self.start)
        rows = draw(self.points, self.size.width, self.cursor, self.glyphs, self.start)
        lines = [Content.assemble(*[(text, style) for text, style in _merge(row)]) for row in rows]
        lines.append(self._caption())
        return Content("\n").join(lines)

    def _caption(self) -> Content:
        if self.cursor is None or not 0 <= self.cursor < len(self.points):
            rated = sum(p.feeling is not None for p in self.points)
            return Content(f"{rated} of {len(self.points)} touchpoints rated")
        p = self.points[self.cursor]
        face = self.glyphs.face(p.feeling)
        head = f"{self.cursor + 1}/{len(self.points)} "
        tail = f"  {face} {feelings.label(p.feeling)}"
        room = max(5, self.size.width - len(head) - len(tail) - 2)
        return Content.assemble((head, "$text-muted"), (self.glyphs.text(p.name, room), "bold"), tail)


def _connect(put, start: tuple[int, int], end: tuple[int, int], *, up: str, down: str, flat: str, vert: str) -> None:
    """Draw the line between two markers: flat on one level, a slope leaving the old level and
    one arriving at the new, and a vertical run for the levels skipped in between."""
    (c0, r0), (c1, r1) = start, end
    if r0 == r1:
        for c in range(c0 + 1, c1):
            put(r0, c, flat, "$text-muted")
        return
    slope = up if r1 < r0 else down
    put(r0, c0 + 1, slope, "$text-muted")
    if c1 - 1 > c0 + 1:
        put(r1, c1 - 1, slope, "$text-muted")
    middle = (c0 + c1) // 2
    for r in range(min(r0, r1) + 1, max(r0, r1)):
        put(r, middle, vert, "$text-muted")


def _merge(row: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join neighbouring cells of the same style into one run."""
    out: list[tuple[str, str]] = []
    for text, style in row:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out
