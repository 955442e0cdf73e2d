"""The emotional curve in the app: `cxmap_tui.curve` lays it out; this widget shows it, follows a
cursor, and names the touchpoint under it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from ...curve import LEVELS, Point, column, draw, geometry, window
from ...domain import feelings
from ..glyphs import UNICODE, Glyphs

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
        # What to say under the curve about the touchpoint at the cursor (None: its feeling).
        self.describe: Callable[[int], str] | None = None

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
        # Same page: the cursor is the marker's style, so repaint the two markers and the caption.
        cell, _ = geometry(len(self.points), self.size.width)
        for index in (old, new):
            if 0 <= index < len(self.points):
                self.refresh(Region(column(index, start, cell), self._marker_row(index), 1, 1))
        # The caption as far as the longer of the two captions reaches, not the blank after it.
        reach = max(self._caption(old).cell_length, self._caption(new).cell_length)
        self.refresh(Region(0, len(LEVELS) + 1, min(self.size.width, reach + 1), 1))

    def _marker_row(self, index: int) -> int:
        """The row of the touchpoint's marker, the one cell the cursor styles (see `draw`)."""
        feeling = self.points[index].feeling
        return LEVELS.index(feeling) if feeling is not None else len(LEVELS) // 2

    def render(self) -> Content:
        if not self.points:
            return Content("The curve appears here as you rate the touchpoints.")
        _, slots = geometry(len(self.points), self.size.width)
        self.start = window(len(self.points), self.cursor or 0, slots, self.start)
        rows = draw(self.points, self.size.width, self.cursor, ascii=self.glyphs.ascii, start=self.start)
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
