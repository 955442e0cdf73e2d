"""A map as Rich renderables: what `cxmap show` prints and the app's overview shows."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .display import visible
from .domain import feelings
from .domain.model import EXPERIENCES, STATUSES, ExperienceMap, Touchpoint


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


def touchpoint_table(m: ExperienceMap, *, ascii: bool = False) -> Table:
    table = Table(
        title="Touchpoints",
        title_justify="left",
        box=box.ASCII if ascii else box.SIMPLE_HEAD,
        expand=True,
        show_edge=False,
        pad_edge=False,
    )
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
    table = Table(
        title="Improvement backlog",
        title_justify="left",
        box=box.ASCII if ascii else box.SIMPLE_HEAD,
        expand=True,
        show_edge=False,
        pad_edge=False,
    )
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


def map_view(m: ExperienceMap, *, ascii: bool = False) -> RenderableType:
    return Group(
        map_header(m, ascii=ascii),
        Text(""),
        touchpoint_table(m, ascii=ascii),
        Text(""),
        backlog_table(m, ascii=ascii),
    )


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
