"""The five steps of the method, always on screen: where you are and what is done."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...domain.method import Step
from ..glyphs import UNICODE, Glyphs


class StepBar(Widget):
    DEFAULT_CSS = """
    StepBar { height: 1; width: 1fr; background: $panel; }
    """

    step: reactive[Step] = reactive(Step.TEMPLATE)
    done: reactive[frozenset[Step]] = reactive(frozenset())

    def __init__(self, glyphs: Glyphs = UNICODE, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.glyphs = glyphs

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for s in Step:
            mark = self.glyphs.current if s == self.step else self.glyphs.done if s in self.done else self.glyphs.todo
            label = f" {mark}{int(s)} {s.title} "
            if s == self.step:
                parts.append((label, "bold reverse"))
            elif s in self.done:
                parts.append((label, "$text-success"))
            else:
                parts.append((label, "$text-muted"))
        return Content.assemble(*parts)
