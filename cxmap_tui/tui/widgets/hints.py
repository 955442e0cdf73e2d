"""A dialog's line of hints ("Enter record  |  Tab next field  |  Esc cancel"), which goes on to
another line between two hints when they do not all fit, never inside one."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

SEPARATOR = "  |  "


def hint_lines(hints: tuple[str, ...], width: int) -> list[str]:
    """The hints in lines of `width` cells, each line ending where the next hint would not fit."""
    lines: list[str] = []
    for hint in hints:
        joined = f"{lines[-1]}{SEPARATOR}{hint}" if lines else hint
        if lines and (not width or cell_len(joined) <= width):
            lines[-1] = joined
        else:
            lines.append(hint)
    return lines


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
