"""A map as two CSV tables, for spreadsheets: its touchpoints, and its improvement backlog.

Rows end in CRLF and cells are quoted where needed, so line breaks inside a cell survive. Text
is written exactly as stored, with one exception: a text cell that a spreadsheet would run as a
formula (it starts with "=", "+", "-", "@", a tab or a carriage return) gets a "'" in front,
which spreadsheets show as text. Numbers (position, feeling, the 1-5 ratings) are written
plainly, so a feeling of -2 stays a number. The importer removes the "'" again. Cells that
already start with "'" before such a character get one more, so that import is exact.
The byte order mark spreadsheets need to see UTF-8 is added by whoever writes the file.

For a terminal (`cell=on_screen(ascii)`) the text cells are shown instead: a control character,
a bidi control or a zero-width character in them becomes a symbol, as everywhere on screen; the
cells' line breaks stay, a carriage return in them shows as one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from ..domain.model import ExperienceMap
from ..present.display import replace_unsafe, symbol

TOUCHPOINT_COLUMNS = ("position", "stage", "name", "action", "channel", "owner", "notes", "feeling", "thoughts", "id")
IMPROVEMENT_COLUMNS = (
    "title", "description", "touchpoints", "customer_value", "business_value", "effort", "status", "owner", "id",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
LINKS_SEPARATOR = "; "


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return GUARD + text if text.lstrip(GUARD).startswith(FORMULA_STARTS) else text


def restore(cell: str) -> str:
    """Undo `neutralise`."""
    return cell[1:] if cell.startswith(GUARD) and cell.lstrip(GUARD).startswith(FORMULA_STARTS) else cell


def as_typed(text: str) -> str:
    return text


def on_screen(ascii: bool = False) -> Callable[[str], str]:
    """How a terminal is to show a cell's text (see the module docstring)."""
    return lambda text: replace_unsafe(text, lambda ch: symbol(ch, ascii=ascii), keep="\n\t")


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def touchpoints(m: ExperienceMap, cell: Callable[[str], str] = as_typed) -> str:
    def text(value: str) -> str:
        return cell(neutralise(value))

    rows = (
        [
            position,
            *(text(v) for v in (tp.stage, tp.name, tp.action, tp.channel, tp.owner, tp.notes)),
            "" if tp.feeling is None else tp.feeling,
            text(tp.thoughts),
            text(tp.id),
        ]
        for position, tp in enumerate(m.touchpoints, start=1)
    )
    return _table(TOUCHPOINT_COLUMNS, rows)


def improvements(m: ExperienceMap, cell: Callable[[str], str] = as_typed) -> str:
    def text(value: str) -> str:
        return cell(neutralise(value))

    names = {tp.id: tp.name for tp in m.touchpoints}
    rows = (
        [
            text(imp.title),
            text(imp.description),
            text(LINKS_SEPARATOR.join(names[t] for t in imp.touchpoints if t in names)),
            imp.customer_value,
            imp.business_value,
            imp.effort,
            text(imp.status),
            text(imp.owner),
            text(imp.id),
        ]
        for imp in m.improvements
    )
    return _table(IMPROVEMENT_COLUMNS, rows)
