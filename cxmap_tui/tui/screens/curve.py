"""The emotional curve on a screen of its own: walk it with the arrow keys, each touchpoint named
and described as the cursor reaches it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from ...domain import feelings
from ...domain.analysis import analyze, mean_text
from ...domain.model import ExperienceMap, Touchpoint
from ...present.curve import legend, points
from ...present.display import pack, shorten_words
from ..context import cxmap
from ..widgets.curve import FeelingCurve
from ..widgets.key_bar import KeyBar
from ..widgets.light import LightScreen

SHORT = 22  # rows: under this the app is -short (see CxmapApp.VERTICAL_BREAKPOINTS)


class CurveScreen(LightScreen[int | None]):
    """Returns the index of the touchpoint to go to in step 4 (Enter), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # One item on the key bar for both ways (it fits 60 columns with the rest).
        Binding("left,up", "move(-1)", "Move", key_display="left/right", id="curve-previous",
                tooltip="The previous touchpoint (left or up); the next: right or down"),
        Binding("right,down", "move(1)", "Next", show=False, id="curve-next"),
        Binding("home", "jump(0)", "First", show=False, id="curve-first"),
        Binding("end", "jump(-1)", "Last", show=False, id="curve-last"),
        Binding("enter", "rate", "Rate it", id="curve-rate", tooltip="Rate this touchpoint in step 4"),
        Binding("escape,q,c,ctrl+g", "close", "Back", key_display="q/c/Esc", id="curve-close"),
        Binding("ctrl+q", "app.quit", "Quit", key_display="^q", id="curve-quit"),
    ]

    def __init__(self, m: ExperienceMap, cursor: int = 0) -> None:
        super().__init__()
        self.map = m
        self.start_at = cursor

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        yield Static(Content.assemble(("Emotional curve: ", "bold"), g.text(self.map.title, 60)), id="curve-title")
        yield FeelingCurve(g, fill=True, id="big-curve")
        yield Static(Content(legend(ascii=g.ascii)), id="curve-legend", classes="hints")
        yield Static(id="curve-detail")
        yield Static(id="curve-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        curve = self.query_one(FeelingCurve)
        curve.set_points(points(self.map.touchpoints))
        if self.map.touchpoints:
            curve.cursor = max(0, min(self.start_at, len(self.map.touchpoints) - 1))
        self._describe()
        self._summarise()

    def on_resize(self) -> None:
        self._describe()
        self._summarise()

    def _summarise(self) -> None:
        g = cxmap(self).glyphs
        a = analyze(self.map)
        if a.average is None:
            self.query_one("#curve-summary", Static).update(Content("Nothing rated yet."))
            return

        def point(tp: Touchpoint | None) -> str:
            return f"{g.text(tp.name, 24)} ({feelings.signed(tp.feeling)})" if tp is not None else "-"

        facts = [
            Content.assemble(("Friction: ", "bold"),
                             f"{len(a.friction)} points, {len(a.unaddressed)} with no improvement"),
            Content.assemble(("Highlights: ", "bold"), str(len(a.highlights))),
            Content.assemble(("Worst: ", "bold"), point(a.worst)),
            Content.assemble(("End: ", "bold"), point(a.end)),
            Content.assemble(("Remembered as ", "bold"), mean_text(a.remembered),
                             (" (worst and end)", "$text-muted")),
            Content.assemble(("Average ", "$text-muted"), mean_text(a.average)),
        ]
        summary = self.query_one("#curve-summary", Static)
        summary.update(Content("\n").join(pack_facts(facts, max(20, summary.size.width or self.app.size.width - 2))))
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
        g = cxmap(self).glyphs
        detail = self.query_one("#curve-detail", Static)
        cursor = self.query_one(FeelingCurve).cursor
        if cursor is None:
            detail.update(Content("No touchpoints yet: add them in step 3."))
            return
        tp = self.map.touchpoints[cursor]
        width = max(20, detail.size.width or self.app.size.width - 2)

        def words(text: str, room: int) -> str:
            return shorten_words(g.text(text), room, ascii=g.ascii)

        where = (words(" - ".join(x for x in (tp.stage, tp.channel) if x) or "no stage", width), "$text-muted")
        # On a short terminal the caption under the curve names the touchpoint and its feeling.
        lines: list[Content] = [] if self.app.size.height < SHORT else [
            Content.styled(words(tp.name, width), "bold"),
            Content.styled(where[0], where[1]),
            Content(f"{g.face(tp.feeling)} {feelings.label(tp.feeling)}"),
        ]
        if not lines:
            lines.append(Content.styled(where[0], where[1]))
        if tp.action:
            lines.append(Content.assemble(("Customer: ", "$text-muted"), words(tp.action, width - 10)))
        if tp.thoughts:
            lines.append(Content.styled(words(tp.thoughts, width), "italic"))
        detail.update(Content("\n").join(lines))


def pack_facts(facts: list[Content], width: int) -> list[Content]:
    """Facts in lines of `width` cells, three spaces between two on a line; a fact that does not
    fit after another starts the next line (so none is split, and none runs into the next)."""
    return [Content("   ").join(line) for line in pack(facts, width, size=lambda fact: fact.cell_length, gap=3)]
