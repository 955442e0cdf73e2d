"""The analysis, the backlog, the opportunity matrix and the comparison as Rich renderables,
for the command line and the app alike.

User text goes through `visible` into Text objects, never markup. Everything reads at 80
columns and without colour; the matrix has an ASCII fallback like every other printer."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..domain import feelings
from ..domain.analysis import Analysis, Friction, improvement_titles, mean_text
from ..domain.backlog import QUADRANTS, matrix, priority, quadrant, value
from ..domain.compare import Comparison, gap_summary
from ..domain.model import STATUSES, ExperienceMap, Improvement, Touchpoint
from ..domain.words import counted
from .display import visible


def _t(value: str, style: str = "", *, ascii: bool) -> Text:
    return Text(visible(value, ascii=ascii), style=style)


def _feel(score: int | None, *, ascii: bool) -> str:
    if score is None:
        return "?" if ascii else feelings.face(None)
    return feelings.signed(score) if ascii else f"{feelings.face(score)} {feelings.signed(score)}"


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _grid() -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True, style="dim")
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    return table


def _name_line(tp: Touchpoint, *, ascii: bool) -> Text:
    line = _t(tp.name, "bold", ascii=ascii)
    if tp.stage:
        line.append(f"  ({visible(tp.stage, ascii=ascii)})", style="dim")
    return line


def _friction_rows(m: ExperienceMap, friction: tuple[Friction, ...], *, ascii: bool) -> Table:
    table = _grid()
    for f in friction:
        body = _name_line(f.touchpoint, ascii=ascii)
        body.append("\n")
        body.append_text(_t("; ".join(f.reasons), ascii=ascii))
        body.append("\n")
        if f.addressed_by:
            body.append("addressed by: ", style="dim")
            body.append_text(_t(", ".join(improvement_titles(m, f.addressed_by)), ascii=ascii))
        else:
            body.append("FLAGGED: no improvement addresses it", style="bold red")
        table.add_row(str(f.index + 1), _feel(f.touchpoint.feeling, ascii=ascii), body)
    return table


def _touchpoint_rows(m: ExperienceMap, tps: list[Touchpoint], *, ascii: bool) -> Table:
    table = _grid()
    for tp in tps:
        table.add_row(str(m.touchpoint_index(tp.id) + 1), _feel(tp.feeling, ascii=ascii),
                      _name_line(tp, ascii=ascii))
    return table


def _point(m: ExperienceMap, tp: Touchpoint | None, *, ascii: bool) -> Text:
    if tp is None:
        return Text("none rated", style="dim")
    line = Text(f"{m.touchpoint_index(tp.id) + 1}. ")
    line.append_text(_t(tp.name, ascii=ascii))
    line.append(f" ({feelings.signed(tp.feeling)})")
    return line


def _table(ascii: bool) -> Table:
    return Table(box=box.ASCII if ascii else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)


def analysis_view(m: ExperienceMap, a: Analysis, *, ascii: bool = False) -> RenderableType:
    rated = len(m.touchpoints) - len(a.unrated)
    parts: list[RenderableType] = [
        _t(m.title, "bold", ascii=ascii),
        Text(f"{counted(len(m.touchpoints), 'touchpoint')}, {rated} rated, "
             f"{counted(len(m.improvements), 'improvement')}", style="dim"),
        Text(""),
    ]
    flagged = len(a.unaddressed)
    parts.append(_heading(f"Friction points: {len(a.friction)}, {flagged} FLAGGED (no improvement)"))
    if a.friction:
        parts.append(_friction_rows(m, a.friction, ascii=ascii))
    else:
        parts.append(Text("None: no touchpoint is at -1 or lower or falls by 2 or more.", style="dim"))
    parts += [Text(""), _heading(f"Highlights: {len(a.highlights)}")]
    if a.highlights:
        parts.append(_touchpoint_rows(m, [h.touchpoint for h in a.highlights], ascii=ascii))
    else:
        parts.append(Text("None: no touchpoint at +1 or higher stands above its neighbours.", style="dim"))
    if a.unrated:
        parts += [Text(""), _heading(f"Not yet rated: {len(a.unrated)}"),
                  _touchpoint_rows(m, list(a.unrated), ascii=ascii)]

    used = [s for s in a.stages if s.touchpoints]
    if used:
        table = _table(ascii)
        table.add_column("Stage", ratio=1)
        table.add_column("Touchpoints", justify="right", no_wrap=True)
        table.add_column("Rated", justify="right", no_wrap=True)
        table.add_column("Average", justify="right", no_wrap=True)
        table.add_column("Lowest point", ratio=2)
        for s in used:
            table.add_row(_t(s.stage or "(no stage)", ascii=ascii), str(s.touchpoints), str(s.rated),
                          mean_text(s.average), _point(m, s.worst, ascii=ascii))
        parts += [Text(""), _heading("Stages"), table]

    moments = Table.grid(padding=(0, 2))
    moments.add_column(no_wrap=True, style="bold")
    moments.add_column(ratio=1)
    moments.add_row("Worst point", _point(m, a.worst, ascii=ascii))
    moments.add_row("End", _point(m, a.end, ascii=ascii))
    moments.add_row("Remembered", Text(f"{mean_text(a.remembered)} (the mean of the worst point and the end)"))
    moments.add_row("Average", Text(f"{mean_text(a.average)} over {counted(rated, 'rated touchpoint')}"))
    parts += [Text(""), _heading("What customers remember (peak-end rule)"), moments]
    return Group(*parts)


def _count(n: int, total: int, filtered: bool) -> str:
    return f"{n} of {counted(total, 'improvement')}" if filtered else counted(n, "improvement")


def _unaddressed_view(m: ExperienceMap, unaddressed: tuple[Friction, ...], *, ascii: bool) -> list[RenderableType]:
    parts: list[RenderableType] = [_heading(f"Friction with no improvement: {len(unaddressed)}")]
    if unaddressed:
        parts.append(_friction_rows(m, unaddressed, ascii=ascii))
    else:
        parts.append(Text("None: every friction point has an improvement.", style="dim"))
    return parts


def backlog_view(m: ExperienceMap, chosen: list[Improvement], *, sort: str, filtered: bool,
                 unaddressed: tuple[Friction, ...], ascii: bool = False) -> RenderableType:
    names = {tp.id: tp.name for tp in m.touchpoints}
    parts: list[RenderableType] = [
        _t(m.title, "bold", ascii=ascii),
        _heading(f"Improvement backlog: {_count(len(chosen), len(m.improvements), filtered)}, by {sort}"),
    ]
    table = _grid()
    for n, imp in enumerate(chosen, start=1):
        body = _t(imp.title, "bold", ascii=ascii)
        body.append(
            f"\npriority {priority(imp)}, {quadrant(imp)}, {STATUSES.get(imp.status, imp.status)}, "
            f"value {value(imp):.1f} ({imp.customer_value}/{imp.business_value}), effort {imp.effort}",
            style="dim",
        )
        linked = ", ".join(names.get(t, "?") for t in imp.touchpoints)
        for label, text in (("addresses", linked), ("owner", imp.owner)):
            if text:
                body.append(f"\n{label}: ", style="dim")
                body.append_text(_t(text, ascii=ascii))
        table.add_row(f"{n}.", "", body)
    if chosen:
        parts.append(table)
    else:
        parts.append(Text("No improvements match." if filtered else "No improvements yet.", style="dim"))
    parts += [Text(""), *_unaddressed_view(m, unaddressed, ascii=ascii)]
    return Group(*parts)


# The matrix, drawn as plain lines: a label column, then effort 1-3 (low) and 4-5 (high), each
# cell listing the numbers of its improvements; value rows 5-4 (high) above 3-1 (low).
LABEL = 10
CELL = 12


def _wrap_numbers(numbers: list[int], width: int) -> list[str]:
    lines: list[str] = []
    for n in numbers:
        word = str(n)
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def matrix_lines(chosen: list[Improvement], *, ascii: bool = False, width: int = 80) -> list[str]:
    """The opportunity matrix of `chosen`, numbered in the order given (from 1), in at most
    `width` columns where it can (it narrows its cells down to 6 columns, at 60 columns 9)."""
    label_width = LABEL if width >= LABEL + 3 + 5 * CELL else 8
    cell = max(6, min(CELL, (width - label_width - 3) // 5))
    h, v = ("-", "|") if ascii else ("\u2500", "\u2502")
    corners = {
        "top": "+++" if ascii else "\u250c\u252c\u2510",
        "middle": "+++" if ascii else "\u251c\u253c\u2524",
        "bottom": "+++" if ascii else "\u2514\u2534\u2518",
    }
    empty = "." if ascii else "\u00b7"
    low_width, high_width = 3 * cell, 2 * cell

    def border(kind: str, left_label: str, right_label: str) -> str:
        a, b, c = tuple(corners[kind])
        left = f"{h} {left_label} " if left_label else ""
        right = f"{h} {right_label} " if right_label else ""
        return (" " * label_width + a + left + h * (low_width - len(left)) + b
                + right + h * (high_width - len(right)) + c)

    numbers = {id(imp): n for n, imp in enumerate(chosen, start=1)}
    cells = matrix(chosen)
    header = "effort".ljust(label_width) + " " + "".join(f" {e:<{cell - 1}}" for e in (1, 2, 3))
    header += " " + "".join(f" {e:<{cell - 1}}" for e in (4, 5))
    quick, bet, fill, pit = QUADRANTS
    lines = [header.rstrip(), border("top", quick, bet)]
    for row in range(5, 0, -1):
        if row == 3:
            lines.append(border("middle", fill, pit))
        contents = [_wrap_numbers([numbers[id(imp)] for imp in cells[(row, e)]], cell - 2) or [empty]
                    for e in range(1, 6)]
        height = max(len(c) for c in contents)
        for k in range(height):
            texts = [(" " + (c[k] if k < len(c) else "")).ljust(cell) for c in contents]
            label = f"value {row}" if k == 0 else ""
            lines.append(label.ljust(label_width) + v + "".join(texts[:3]) + v + "".join(texts[3:]) + v)
    a, b, c = tuple(corners["bottom"])
    lines.append(" " * label_width + a + h * low_width + b + h * high_width + c)
    return lines


def matrix_view(m: ExperienceMap, chosen: list[Improvement], *, filtered: bool, ascii: bool = False,
                width: int = 80) -> RenderableType:
    parts: list[RenderableType] = [
        _t(m.title, "bold", ascii=ascii),
        _heading(f"Opportunity matrix: {_count(len(chosen), len(m.improvements), filtered)}"),
        Text("Value (the mean of customer and business value, rounded half up) from 5 at the top to 1; "
             "effort from 1 to 5 across. High value is 3.5 or more, high effort 4 or more.", style="dim"),
        Text(""),
    ]
    parts += [Text(line) for line in matrix_lines(chosen, ascii=ascii, width=width)]
    parts.append(Text(""))
    if not chosen:
        parts.append(Text("No improvements match." if filtered else "No improvements yet.", style="dim"))
    else:
        table = _table(ascii)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Improvement")
        table.add_column("Quadrant", no_wrap=True)
        table.add_column("Value", justify="right", no_wrap=True)
        table.add_column("Effort", justify="right", no_wrap=True)
        table.add_column("Priority", justify="right", no_wrap=True)
        for n, imp in enumerate(chosen, start=1):
            table.add_row(str(n), _t(imp.title, ascii=ascii), quadrant(imp), f"{value(imp):.1f}", str(imp.effort),
                          str(priority(imp)))
        parts.append(table)
    return Group(*parts)


def _gap(gap: int | None) -> str:
    return "?" if gap is None else feelings.signed(gap) or "0"


def comparison_view(c: Comparison, *, ascii: bool = False) -> RenderableType:
    summary = gap_summary(c)
    title = _t(c.current.title, "bold", ascii=ascii)
    title.append(" against ", style="dim")
    title.append_text(_t(c.ideal.title, "bold", ascii=ascii))
    parts: list[RenderableType] = [
        title,
        Text(f"{counted(len(c.pairs), 'pair')} ({summary['rated']} rated in both), {len(c.missing)} missing today, "
             f"{len(c.extra)} extra today; mean gap {mean_text(summary['mean'])} (today minus ideal)",
             style="dim"),
        Text(""),
        _heading("Touchpoints in both"),
    ]
    if c.pairs:
        table = _table(ascii)
        table.add_column("#", justify="right", no_wrap=True, style="dim")
        table.add_column("Today", ratio=1)
        table.add_column("In the ideal", ratio=1)
        table.add_column("Now", no_wrap=True)
        table.add_column("Ideal", no_wrap=True)
        table.add_column("Gap", justify="right", no_wrap=True)
        table.add_column("By", no_wrap=True)
        for p in c.pairs:
            same = p.current.name.strip().casefold() == p.ideal.name.strip().casefold()
            table.add_row(
                str(c.current.touchpoint_index(p.current.id) + 1),
                _t(p.current.name, ascii=ascii),
                Text("(same name)", style="dim") if same else _t(p.ideal.name, ascii=ascii),
                _feel(p.current.feeling, ascii=ascii),
                _feel(p.ideal.feeling, ascii=ascii),
                _gap(p.gap),
                p.by,
            )
        parts.append(table)
    else:
        parts.append(Text("None: no touchpoint pairs with the ideal's (see: cxmap match).", style="dim"))
    parts += [Text(""), _heading(f"Missing today: {len(c.missing)} (in the ideal only; numbered as in the ideal)")]
    parts.append(_touchpoint_rows(c.ideal, list(c.missing), ascii=ascii) if c.missing
                 else Text("None.", style="dim"))
    parts += [Text(""), _heading(f"Extra today (not in the ideal): {len(c.extra)}")]
    parts.append(_touchpoint_rows(c.current, list(c.extra), ascii=ascii) if c.extra
                 else Text("None.", style="dim"))
    if summary["biggest"]:
        parts += [Text(""), _heading("Furthest below the ideal")]
        table = _grid()
        for p in summary["biggest"]:
            table.add_row(str(c.current.touchpoint_index(p.current.id) + 1), _gap(p.gap),
                          _name_line(p.current, ascii=ascii))
        parts.append(table)
    return Group(*parts)
