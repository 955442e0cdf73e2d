"""The customers screen's rows laid out in columns: each cell cut with an ellipsis or padded to its
column's width, the last one only cut, exactly as Content would cut and join them; and each line
knows its width, so that a list of thousands of rows does not measure them again."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.content import Content

from cxmap_tui.tui.screens.customer_columns import GAP, lay_out

CELLS: list[tuple[str, list[Content | str], list[int]]] = [
    ("fits and is padded", ["Acme", "2026-01-01", "SMB"], [8, 10, 5]),
    ("cut with an ellipsis", ["Acme Veterinary Group", "2026-01-01"], [8, 10]),
    ("the last one only cut", ["a", "short"], [3, 12]),
    ("wide characters", ["\u6f22\u5b57\u6f22\u5b57\u6f22\u5b57", "\U0001f61e -2", "x"], [5, 5, 2]),
    ("a wide character at the cut", ["a\u6f22\u5b57", "b"], [3, 1]),
    ("styled cells", [Content.styled("Acme Vets", "bold"), Content.assemble(("Ann", "dim"), " at Invoice"), "-"],
     [6, 20, 1]),
    ("a column of no width", ["gone", "kept"], [0, 4]),
    ("nothing in a cell", ["", "", ""], [3, 0, 2]),
]


def _joined(cells: list[Content | str], widths: list[int], style: str = "") -> Content:
    """The line as Content makes it: each cell truncated, the cells assembled with the gap."""
    parts: list[Content | str] = []
    for n, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        text = cell if isinstance(cell, Content) else Content(cell)
        parts.append(text.truncate(width, ellipsis=True, pad=n < len(cells) - 1))
        if n < len(cells) - 1:
            parts.append(GAP)
    row = Content.assemble(*parts)
    return row.stylize(style) if style else row


@pytest.mark.parametrize(("cells", "widths"), [c[1:] for c in CELLS], ids=[c[0] for c in CELLS])
@pytest.mark.parametrize("style", ["", "bold"])
def test_a_line_is_what_content_makes_of_its_cells(cells: list[Content | str], widths: list[int], style: str) -> None:
    line, expected = lay_out(cells, widths, style=style), _joined(cells, widths, style)
    assert line.plain == expected.plain
    assert list(line.spans) == list(expected.spans)
    assert line.cell_length == cell_len(line.plain) == expected.cell_length


def test_a_line_knows_its_width_without_measuring(monkeypatch: pytest.MonkeyPatch) -> None:
    line = lay_out(["\U0001f61e Ann", "\u6f22\u5b57 at the till"], [8, 6])
    assert line.plain == "\U0001f61e Ann    \u6f22\u5b57 \u2026"

    def measured(text: str) -> int:
        raise AssertionError(f"measured {text!r}")

    monkeypatch.setattr("textual.content.cell_len", measured)
    assert line.cell_length == 16


def test_control_codes_are_still_taken_out() -> None:
    line = lay_out(["a\x07b", "c"], [4, 1])
    assert line.plain == "ab    c"
