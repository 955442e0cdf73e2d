"""The emotional curve in the app: `cxmap_tui.present.curve` lays it out (the same curve the
command line prints and the HTML export draws); this widget shows it, follows a cursor, repaints
only what a cursor move changes, and names the touchpoint under it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Unpack

from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from ...domain import feelings
from ...present.curve import (
    AXIS,
    Point,
    column,
    draw,
    first_shown,
    geometry,
    grid_height,
    marker_row,
    spans,
    stage_row_count,
)
from ..glyphs import UNICODE, Glyphs
from .args import WidgetArgs

# How the curve's meanings look in the app.
STYLES = {
    "good": "$text-success",
    "neutral": "$text-warning",
    "bad": "$text-error",
    "muted": "$text-muted",
    "": "",
}


def textual_style(key: str) -> str:
    base, _, cursor = key.partition(" ")
    style = STYLES.get(base, "")
    return f"{style} reverse bold".strip() if cursor else style


STAGE_ROWS = 3  # at most, under a curve that fills its widget


class FeelingCurve(Widget):
    """The curve, with the touchpoint under the cursor named beneath it.

    With `fill` (the curve on a screen of its own) it takes the whole width and height it is
    given: the touchpoints spread out, the levels move apart as the height allows, and the stage
    names take up to three rows to show whole. Its minimum height follows what the stage names
    need at the current width."""

    DEFAULT_CSS = """
    FeelingCurve { height: 7; width: 1fr; }
    FeelingCurve.-fill { height: 1fr; min-height: 7; }
    """

    cursor: reactive[int | None] = reactive(None, repaint=False)

    def __init__(self, glyphs: Glyphs = UNICODE, *, fill: bool = False, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self.glyphs = glyphs
        self.fill = fill
        if fill:
            self.add_class("-fill")
        self.points: list[Point] = []
        self.start = 0
        # What to say under the curve about the touchpoint at the cursor (None: its feeling).
        self.describe: Callable[[int], str] | None = None

    def set_points(self, points: Sequence[Point]) -> None:
        self.points = list(points)
        self._fit()
        self.refresh()

    def on_resize(self) -> None:
        self._fit()

    def _stage_rows(self) -> int:
        """How many rows the stage names take at this width."""
        if not self.fill:
            return 1
        width = self.size.width
        start = first_shown(len(self.points), width, self.cursor, self.start, fill=True)
        return stage_row_count(self.points, width, start, ascii=self.glyphs.ascii, rows=STAGE_ROWS)

    def _rows_per_level(self) -> int:
        """How far apart the levels are: as far as the height allows, up to four rows."""
        if not self.fill:
            return 1
        room = self.size.height - self._stage_rows() - 1  # the caption
        return max(1, min(4, (room - 1) // (grid_height(2) - grid_height(1))))

    def _fit(self) -> None:
        if self.fill and self.points and self.size.width:
            needed = grid_height(1) + self._stage_rows() + 1
            if self.styles.min_height is None or self.styles.min_height.value != needed:
                self.styles.min_height = needed

    def watch_cursor(self, old: int | None, new: int | None) -> None:
        width = self.size.width
        start = first_shown(len(self.points), width, new, self.start, fill=self.fill)
        if start != self.start or old is None or new is None:
            self.start = start
            self._fit()
            self.refresh()
            return
        rows = grid_height(self._rows_per_level())
        if self.fill or self._rows_per_level() != 1:
            # The full-screen curve: repaint the two touchpoints' columns.
            cells = spans(len(self.points), width, start, fill=self.fill)
            for index in (old, new):
                if 0 <= index - start < len(cells):
                    left, right = cells[index - start]
                    self.refresh(Region(AXIS + left - 1, 0, right - left + 2, rows))
        else:
            # Step 4's curve: the cursor is the marker's style, so repaint the two markers only.
            cell, _ = geometry(len(self.points), self.size.width)
            for index in (old, new):
                if 0 <= index < len(self.points):
                    self.refresh(Region(column(index, start, cell), marker_row(self.points[index]), 1, 1))
        # The caption as far as the longer of the two captions reaches, not the blank after it.
        reach = max(self._caption(old).cell_length, self._caption(new).cell_length)
        self.refresh(Region(0, rows + self._stage_rows(), min(width, reach + 1), 1))

    def render(self) -> Content:
        if not self.points:
            return Content("The curve appears here as you rate the touchpoints.")
        self.start = first_shown(len(self.points), self.size.width, self.cursor, self.start, fill=self.fill)
        rows = draw(self.points, self.size.width, self.cursor, ascii=self.glyphs.ascii, start=self.start,
                    fill=self.fill, rows_per_level=self._rows_per_level(), stage_rows=self._stage_rows())
        lines = [Content.assemble(*[(text, textual_style(style)) for text, style in row]) for row in rows]
        lines.append(self._caption(self.cursor))
        return Content("\n").join(lines)

    def _caption(self, cursor: int | None) -> Content:
        """What the line under the curve says with the cursor at `cursor`."""
        if cursor is None or not 0 <= cursor < len(self.points):
            rated = sum(p.feeling is not None for p in self.points)
            return Content(f"{rated} of {len(self.points)} touchpoints rated")
        p = self.points[cursor]
        head = f"{cursor + 1}/{len(self.points)} "
        if self.describe is not None:
            tail = f"  {self.describe(cursor)}"
        else:
            tail = f"  {self.glyphs.face(p.feeling)} {feelings.label(p.feeling)}"
        room = max(5, self.size.width - len(head) - len(tail) - 2)
        return Content.assemble((head, "$text-muted"), (self.glyphs.text(p.name, room), "bold"), tail)
