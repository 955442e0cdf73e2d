"""A map as Rich renderables: what `cxmap show` prints and the app's overview shows."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..domain import feelings
from ..domain.model import EXPERIENCES, STATUSES, ExperienceMap, Touchpoint
from .display import visible


def t(value: str, style: str = "", *, ascii: bool = False, one_line: bool = True) -> Text:
    """User text as a Rich Text: never markup, control characters visible."""
    return Text(visible(value, ascii=ascii, one_line=one_line), style=style)


def map_header(m: ExperienceMap, *, ascii: bool = False) -> RenderableType:
    lines = [t(m.title, "bold", ascii=ascii)]
    kind = "Ideal map" if m.kind == "ideal" else "Current-state map"
    about = Text(f"{kind} - ", style="dim")
    about.append_text(t(EXPERIENCES.get(m.experience, m.experience), "dim", ascii=ascii))
    lines.append(about)
    for label, value in (("Scope", m.scope), ("Persona", m.persona)):
        if value:
            line = Text(f"{label}: ", style="bold")
            line.append_text(t(value, ascii=ascii))
            lines.append(line)
    return Group(*lines)


def _table(title: str, *, ascii: bool) -> Table:
    """A table of the map's items, titled, across the width, in ASCII lines if asked."""
    return Table(title=title, title_justify="left", box=box.ASCII if ascii else box.SIMPLE_HEAD, expand=True,
                 show_edge=False, pad_edge=False)


def touchpoint_table(m: ExperienceMap, *, ascii: bool = False) -> Table:
    table = _table("Touchpoints", ascii=ascii)
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    table.add_column("Stage", ratio=1)
    table.add_column("Touchpoint", ratio=2)
    table.add_column("Customer action", ratio=2)
    table.add_column("Feel", no_wrap=True)
    table.add_column("Thoughts", ratio=3)
    previous = None
    for i, tp in enumerate(m.touchpoints, start=1):
        stage = tp.stage or "(no stage)"
        new_group = stage != previous
        table.add_row(
            str(i),
            t(stage, "bold", ascii=ascii) if new_group else Text(""),
            t(tp.name, ascii=ascii),
            t(tp.action, ascii=ascii),
            Text(feelings.face(tp.feeling, ascii=ascii)),
            t(tp.thoughts, "italic", ascii=ascii),
        )
        previous = stage
    if not m.touchpoints:
        table.add_row("", Text("No touchpoints yet.", style="dim"), "", "", "", "")
    return table


def backlog_table(m: ExperienceMap, *, ascii: bool = False) -> Table:
    names = {tp.id: tp.name for tp in m.touchpoints}
    table = _table("Improvement backlog", ascii=ascii)
    table.add_column("Improvement", ratio=3)
    table.add_column("Touchpoints", ratio=2)
    table.add_column("Value", no_wrap=True, justify="right")
    table.add_column("Effort", no_wrap=True, justify="right")
    table.add_column("Status", no_wrap=True)
    table.add_column("Owner", ratio=1)
    for imp in m.improvements:
        linked = ", ".join(names.get(tp_id, "?") for tp_id in imp.touchpoints)
        table.add_row(
            t(imp.title, ascii=ascii),
            t(linked, ascii=ascii),
            f"{imp.customer_value}/{imp.business_value}",
            str(imp.effort),
            STATUSES.get(imp.status, imp.status),
            t(imp.owner, ascii=ascii),
        )
    if not m.improvements:
        table.add_row(Text("No improvements yet.", style="dim"), "", "", "", "", "")
    return table


WIDE = 100  # from this many columns on, touchpoints and backlog are tables

# How the curve's meanings look in Rich output (see cxmap_tui.present.curve).
CURVE_STYLES = {"good": "green", "neutral": "yellow", "bad": "red", "muted": "dim", "": ""}


class CurveView:
    """The emotional curve of a map, as many pages as it takes to show every touchpoint."""

    def __init__(self, m: ExperienceMap, *, ascii: bool = False) -> None:
        self.map = m
        self.ascii = ascii

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from .curve import draw, geometry, legend, points

        shown = points(self.map.touchpoints)
        yield Text("Emotional curve", style="bold underline")
        if not shown:
            yield Text("No touchpoints yet.", style="dim")
            return
        width = min(options.max_width, 120)
        _, slots = geometry(len(shown), width)
        for start in range(0, len(shown), slots):
            if len(shown) > slots:
                last = min(len(shown), start + slots)
                yield Text(f"touchpoints {start + 1}-{last} of {len(shown)}", style="dim")
            for row in draw(shown, width, None, ascii=self.ascii, start=start):
                line = Text()
                for text, style in row:
                    line.append(text, style=CURVE_STYLES.get(style, ""))
                yield line
        yield Text(legend(ascii=self.ascii), style="dim")



def touchpoint_list(m: ExperienceMap, *, ascii: bool = False) -> RenderableType:
    """The touchpoints stacked under their stages: readable in 80 columns."""
    lines: list[RenderableType] = [Text("Touchpoints", style="bold underline")]
    previous = None
    for i, tp in enumerate(m.touchpoints, start=1):
        stage = tp.stage or "(no stage)"
        if stage != previous:
            lines.append(t(stage, "bold"))
            previous = stage
        face = feelings.face(tp.feeling, ascii=ascii)
        head = Text(f"{i:>3}  {face}{' ' * (3 - cell_len(face))}")
        head.append_text(t(tp.name, "bold", ascii=ascii))
        if tp.channel:
            head.append(f"  ({visible(tp.channel, ascii=ascii)})", style="dim")
        lines.append(head)
        for value, style in ((tp.action, ""), (tp.thoughts, "italic")):
            if value:
                lines.append(Padding(t(value, style, ascii=ascii, one_line=False), (0, 0, 0, 8), expand=False))
    if not m.touchpoints:
        lines.append(Text("No touchpoints yet.", style="dim"))
    return Group(*lines)


def backlog_list(m: ExperienceMap, *, ascii: bool = False) -> RenderableType:
    from ..domain.backlog import priority, sorted_backlog

    names = {tp.id: tp.name for tp in m.touchpoints}
    lines: list[RenderableType] = [Text("Improvement backlog", style="bold underline")]
    for imp in sorted_backlog(m):
        head = t(imp.title, "bold", ascii=ascii)
        head.append(
            f"  {STATUSES.get(imp.status, imp.status)}, priority {priority(imp)}, "
            f"value {imp.customer_value}/{imp.business_value}, effort {imp.effort}",
            style="dim",
        )
        lines.append(head)
        linked = ", ".join(names.get(tp_id, "?") for tp_id in imp.touchpoints)
        for label, value in (("addresses", linked), ("owner", imp.owner)):
            if value:
                line = Text(f"{label}: ", style="dim")
                line.append_text(t(value, ascii=ascii))
                lines.append(Padding(line, (0, 0, 0, 5), expand=False))
    if not m.improvements:
        lines.append(Text("No improvements yet.", style="dim"))
    return Group(*lines)


class MapView:
    """The whole map, as tables when there is room and as stacked lists when there is not."""

    def __init__(self, m: ExperienceMap, *, ascii: bool = False) -> None:
        self.map = m
        self.ascii = ascii

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        m, ascii = self.map, self.ascii
        wide = options.max_width >= WIDE
        yield map_header(m, ascii=ascii)
        yield Text("")
        yield CurveView(m, ascii=ascii)
        yield Text("")
        yield touchpoint_table(m, ascii=ascii) if wide else touchpoint_list(m, ascii=ascii)
        yield Text("")
        yield backlog_table(m, ascii=ascii) if wide else backlog_list(m, ascii=ascii)


def map_view(m: ExperienceMap, *, ascii: bool = False) -> RenderableType:
    return MapView(m, ascii=ascii)


def touchpoint_detail(tp: Touchpoint, *, ascii: bool = False) -> RenderableType:
    """Everything about one touchpoint, for a side panel."""
    lines = [t(tp.name, "bold", ascii=ascii)]
    for label, value in (
        ("Stage", tp.stage),
        ("Channel", tp.channel),
        ("Customer", tp.action),
        ("Owner", tp.owner),
        ("Notes", tp.notes),
    ):
        if value:
            line = Text(f"{label}: ", style="dim")
            line.append_text(t(value, ascii=ascii, one_line=False))
            lines.append(line)
    feeling = Text("Feeling: ", style="dim")
    feeling.append(f"{feelings.face(tp.feeling, ascii=ascii)} {feelings.label(tp.feeling)}")
    lines.append(feeling)
    if tp.thoughts:
        lines.append(t(tp.thoughts, "italic", ascii=ascii, one_line=False))
    return Group(*lines)
