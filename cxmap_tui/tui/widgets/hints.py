"""A dialog's line of hints ("Enter record  |  Tab next field  |  Esc cancel"), which goes on to
another line between two hints when they do not all fit, never inside one."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from ...present.display import pack

SEPARATOR = "  |  "


def hint_lines(hints: tuple[str, ...], width: int) -> list[str]:
    """The hints in lines of `width` cells, each line ending where the next hint would not fit."""
    return [SEPARATOR.join(line) for line in pack(hints, width, size=cell_len, gap=len(SEPARATOR))]


class Hints(Widget, can_focus=False):
    DEFAULT_CSS = """
    Hints { height: auto; color: $text-muted; }
    """

    def __init__(self, *hints: str, id: str | None = None) -> None:
        super().__init__(id=id, classes="hints")
        self.hints = hints

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(hint_lines(self.hints, width))

    def render(self) -> Content:
        return Content("\n".join(hint_lines(self.hints, self.content_size.width)))
