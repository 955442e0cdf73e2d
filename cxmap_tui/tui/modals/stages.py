"""Edit a map's lifecycle stages: add, rename, remove, reorder. The changes are collected and
applied together when you are done, so the map never sits half-edited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ..messages import ChangeMap
from .base import Dialog
from .prompt import TextPrompt

Op = Callable[[ExperienceMap], Any]


class StagesEditor(Dialog[list[Op] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="stage-add"),
        Binding("r", "rename", "Rename", id="stage-rename"),
        Binding("d", "remove", "Remove", id="stage-remove"),
        Binding("shift+up,K", "move(-1)", "Move up", key_display="S-Up/Dn", id="stage-up"),
        Binding("shift+down,J", "move(1)", "Move down", key_display="shift+down", id="stage-down"),
        Binding("enter", "done", "Done", id="stage-done"),
    ]

    def __init__(self, m: ExperienceMap) -> None:
        super().__init__()
        self.draft = m.copy()
        self.ops: list[Op] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Static(Content("Lifecycle stages, in customer order"), classes="title")
            yield OptionList(id="stages")
            yield Static("", id="message", classes="message")
            yield Static(
                Content("a add  r rename  d remove  shift+up/down move  |  Enter done  |  Esc/^g cancel"),
                classes="hints",
            )

    def on_mount(self) -> None:
        self._fill(0)

    def _fill(self, highlight: int | None) -> None:
        counts = {s: 0 for s in self.draft.stages}
        for tp in self.draft.touchpoints:
            if tp.stage in counts:
                counts[tp.stage] += 1
        g = self.app.glyphs  # type: ignore[attr-defined]
        stages = self.query_one(OptionList)
        stages.set_options(
            Option(Content.assemble(g.text(s, 40), (f"  {counts[s]} touchpoints", "$text-muted")))
            for s in self.draft.stages
        )
        if self.draft.stages and highlight is not None:
            stages.highlighted = max(0, min(highlight, len(self.draft.stages) - 1))
        stages.focus()

    def _current(self) -> tuple[int, str] | None:
        i = self.query_one(OptionList).highlighted
        return (i, self.draft.stages[i]) if i is not None and i < len(self.draft.stages) else None

    def _apply(self, op: Op, highlight: int | None) -> None:
        try:
            op(self.draft)
        except CxmapError as error:
            self.query_one("#message", Static).update(Content(self.shown(str(error))))
            return
        self.query_one("#message", Static).update("")
        self.ops.append(op)
        self._fill(highlight)

    def action_add(self) -> None:
        at = (self._current() or (len(self.draft.stages) - 1, ""))[0] + 1

        def added(name: str | None) -> None:
            if name:
                self._apply(lambda m: m.add_stage(name, min(at, len(m.stages))), at)

        self.app.push_screen(TextPrompt("Name of the new stage", placeholder="e.g. Delivery"), added)

    def action_rename(self) -> None:
        current = self._current()
        if current is None:
            return
        i, old = current

        def renamed(new: str | None) -> None:
            if new:
                self._apply(lambda m: m.rename_stage(old, new), i)

        shown = self.app.glyphs.text(old, 50)  # type: ignore[attr-defined]
        self.app.push_screen(TextPrompt(f"Rename the stage '{shown}' to", old), renamed)

    def action_remove(self) -> None:
        current = self._current()
        if current is not None:
            i, name = current
            self._apply(lambda m: m.remove_stage(name), i)

    def action_move(self, delta: int) -> None:
        current = self._current()
        if current is not None:
            i, name = current
            self._apply(lambda m: m.move_stage(name, delta), i + delta)

    @on(OptionList.OptionSelected)
    def action_done(self) -> None:
        self.dismiss(self.ops)


def edit_stages(origin: Widget, m: ExperienceMap) -> None:
    """Open the editor on `m`; when done, apply all its changes as one saved change."""

    def finished(ops: list[Op] | None) -> None:
        if not ops:
            return
        origin.post_message(ChangeMap("edit the stages", lambda x: [op(x) for op in ops]))

    origin.app.push_screen(StagesEditor(m), finished)
