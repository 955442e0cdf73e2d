"""The width a widget will have, asked before Textual has laid it out.

Textual gives a widget a size of 0 until its first layout, and its on-screen region stays empty
while it is hidden. A list laid out in its rows' widths (a step's pane filled while another step is
shown, a screen's rows built before it is first painted) would, with a width of 0, be laid out in a
guess, painted, and laid out and painted again in its own width once shown: over a slow link that
is a whole screen more. So each such list asks for `width_to_come`: what Textual measured once it
has measured it, and until then what the caller works out from what is known already (the width
the widget's style sets, its container's)."""

from __future__ import annotations

from collections.abc import Callable

from textual.css.scalar import Unit
from textual.widget import Widget

# The app's horizontal breakpoints (the class its screens get at each width), here so that a pane can
# tell before layout which one it will be laid out in.
BREAKPOINTS = [(0, "-small"), (80, "-narrow"), (110, "-wide")]


def width_to_come(measured: int, planned: Callable[[], int]) -> int:
    """`measured` (the width Textual gave: a size, an outer size or a region, whichever the caller
    lays out in) once it is not 0; before that, `planned()`, the width the widget will have."""
    return measured if measured else planned()


def styled_width(widget: Widget) -> int | None:
    """The width `widget`'s style sets in cells (`width: 34`), known before any layout; None when it
    sets none, or one that only the layout can tell (`1fr`, `50%`, `auto`)."""
    width = widget.styles.width
    return int(width.value) if width is not None and width.unit is Unit.CELLS else None
