"""A check box whose state is in its text, `[x]` or `[ ]`: it reads the same without colour, in
ASCII and to a screen reader, where Textual's own draws one block glyph told apart by colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def _button(self) -> Content:
        return Content.assemble(("[x]" if self.value else "[ ]", self.get_visual_style("toggle--button")))
