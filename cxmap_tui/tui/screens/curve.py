"""The emotional curve on a screen of its own: walk it with the arrow keys, each touchpoint named
and described as the cursor reaches it."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...curve import Point, legend
from ...domain import feelings
from ...domain.analysis import analyze, mean_text
from ...domain.model import ExperienceMap
from ..widgets.light import LightScreen
from ..widgets.curve import FeelingCurve
from ..widgets.key_bar import KeyBar


class CurveScreen(LightScreen[int | None]):
    """Returns the index of the touchpoint to go to in step 4 (Enter), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,up", "move(-1)", "Previous", key_display="left", id="curve-previous"),
        Binding("right,down", "move(1)", "Next", key_display="right", id="curve-next"),
        Binding("home", "jump(0)", "First", show=False, id="curve-first"),
        Binding("end", "jump(-1)", "Last", show=False, id="curve-last"),
        Binding("enter", "rate", "Rate it (step 4)", id="curve-rate"),
        Binding("escape,q,c,ctrl+g", "close", "Back", key_display="q/c/Esc", id="curve-close"),
        Binding("ctrl+q", "app.quit", "Quit", key_display="^q", id="curve-quit"),
    ]

    def __init__(self, m: ExperienceMap, cursor: int = 0) -> None:
        super().__init__()
        self.map = m
        self.start_at = cursor

    def compose(self) -> ComposeResult:
        g = self.app.glyphs  # type: ignore[attr-defined]
        yield Static(Content.assemble(("Emotional curve: ", "bold"), g.text(self.map.title, 60)), id="curve-title")
        yield FeelingCurve(g, fill=True, id="big-curve")
        yield Static(Content(legend(ascii=g.ascii)), id="curve-legend", classes="hints")
        yield Static(id="curve-detail")
        yield Static(id="curve-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        curve = self.query_one(FeelingCurve)
        curve.set_points([Point(tp.name, tp.stage, tp.feeling) for tp in self.map.touchpoints])
        if self.map.touchpoints:
            curve.cursor = max(0, min(self.start_at, len(self.map.touchpoints) - 1))
        self._describe()
        self._summarise()

    def _summarise(self) -> None:
        g = self.app.glyphs  # type: ignore[attr-defined]
        a = analyze(self.map)
        if a.average is None:
            self.query_one("#curve-summary", Static).update(Content("Nothing rated yet."))
            return

        def point(tp: Any) -> str:
            return f"{g.text(tp.name, 24)} ({feelings.signed(tp.feeling)})" if tp is not None else "-"

        lines = Content.assemble(
            ("Friction: ", "bold"), f"{len(a.friction)} points, {len(a.unaddressed)} with no improvement",
            ("   Highlights: ", "bold"), str(len(a.highlights)), "\n",
            ("Worst: ", "bold"), point(a.worst), ("   End: ", "bold"), point(a.end), "\n",
            ("Remembered as ", "bold"), mean_text(a.remembered),
            (" (worst and end)   Average ", "$text-muted"), mean_text(a.average),
        )
        self.query_one("#curve-summary", Static).update(lines)

    def action_move(self, delta: int) -> None:
        curve = self.query_one(FeelingCurve)
        if curve.cursor is not None:
            curve.cursor = max(0, min(len(self.map.touchpoints) - 1, curve.cursor + delta))
            self._describe()

    def action_jump(self, index: int) -> None:
        curve = self.query_one(FeelingCurve)
        if self.map.touchpoints:
            curve.cursor = index % len(self.map.touchpoints)
            self._describe()

    def action_rate(self) -> None:
        self.dismiss(self.query_one(FeelingCurve).cursor)

    def action_close(self) -> None:
        self.dismiss(None)

    def _describe(self) -> None:
        g = self.app.glyphs  # type: ignore[attr-defined]
        detail = self.query_one("#curve-detail", Static)
        cursor = self.query_one(FeelingCurve).cursor
        if cursor is None:
            detail.update(Content("No touchpoints yet: add them in step 3."))
            return
        tp = self.map.touchpoints[cursor]
        width = max(20, self.app.size.width - 4)
        parts: list[Any] = [
            (g.text(tp.name, width), "bold"), "\n",
            (g.text(" - ".join(x for x in (tp.stage, tp.channel) if x) or "no stage", width), "$text-muted"), "\n",
            f"{g.face(tp.feeling)} {feelings.label(tp.feeling)}",
        ]
        if tp.action:
            parts += ["\n", ("Customer: ", "$text-muted"), g.text(tp.action, width - 10)]
        if tp.thoughts:
            parts += ["\n", (g.text(tp.thoughts, width), "italic")]
        detail.update(Content.assemble(*parts))
