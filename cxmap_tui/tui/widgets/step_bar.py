"""The five steps of the method, always on screen: where you are and what is done."""

from __future__ import annotations

from typing import Unpack

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...domain.method import Step
from ..glyphs import UNICODE, Glyphs
from .args import WidgetArgs


class StepBar(Widget):
    DEFAULT_CSS = """
    StepBar { height: 1; width: 1fr; background: $panel; }
    """

    step: reactive[Step] = reactive(Step.TEMPLATE)
    done: reactive[frozenset[Step]] = reactive(frozenset())

    def __init__(self, glyphs: Glyphs = UNICODE, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self.glyphs = glyphs

    def labels(self, width: int) -> list[str]:
        """Each step's label: all named when they fit the width, else only the current one (the
        others keep their number and mark, so every step still reads whole)."""
        named = [self._label(s, named=True) for s in Step]
        if not width or sum(map(cell_len, named)) <= width:
            return named
        return [self._label(s, named=s == self.step) for s in Step]

    def _label(self, s: Step, *, named: bool) -> str:
        mark = self.glyphs.current if s == self.step else self.glyphs.done if s in self.done else self.glyphs.todo
        return f" {mark}{int(s)} {s.title} " if named else f" {mark}{int(s)} "

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for s, label in zip(Step, self.labels(self.size.width), strict=True):
            if s == self.step:
                parts.append((label, "bold reverse"))
            elif s in self.done:
                parts.append((label, "$text-success"))
            else:
                parts.append((label, "$text-muted"))
        return Content.assemble(*parts)
