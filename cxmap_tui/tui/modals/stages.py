"""Edit a map's lifecycle stages: add, rename, remove, reorder. The changes are collected and
applied together when you are done, so the map never sits half-edited, and undone together: the
stages as they were, and the stage of every touchpoint the changes moved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...domain.edits import AddStage, EditStages, MoveStage, RemoveStage, RenameStage, StageOp
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.words import counted
from ..context import cxmap
from ..messages import ChangeMap
from ..widgets.hints import Hints
from ..widgets.list_keys import KeyedOptionList, move_keys
from .base import Dialog
from .confirm import Confirm
from .prompt import TextPrompt


@dataclass(frozen=True)
class Edit:
    """One change to the stages: what it is called (in the undo list) and what it does."""

    label: str
    op: StageOp


class StagesEditor(Dialog[list[Edit] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="stage-add"),
        Binding("r", "rename", "Rename", id="stage-rename"),
        Binding("d", "remove", "Remove", id="stage-remove"),
        *move_keys("move(-1)", "move(1)", "stage"),
        Binding("enter", "done", "Done", id="stage-done"),
    ]

    def __init__(self, m: ExperienceMap) -> None:
        super().__init__()
        self.draft = m.copy()
        self.ops: list[Edit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Static(Content("Lifecycle stages, in customer order"), classes="title")
            yield KeyedOptionList(id="stages")
            yield Static("", id="message", classes="message")
            yield Hints("a add", "r rename", "d remove", "shift+up/down move", "Enter done", "Esc/^g cancel")

    def on_mount(self) -> None:
        self._fill(0)

    def _fill(self, highlight: int | None) -> None:
        counts = dict.fromkeys(self.draft.stages, 0)
        for tp in self.draft.touchpoints:
            if tp.stage in counts:
                counts[tp.stage] += 1
        g = cxmap(self).glyphs
        stages = self.query_one(OptionList)
        stages.set_options(
            Option(Content.assemble(g.text(s, 40), (f"  {counted(counts[s], 'touchpoint')}", "$text-muted")))
            for s in self.draft.stages
        )
        if self.draft.stages and highlight is not None:
            stages.highlighted = max(0, min(highlight, len(self.draft.stages) - 1))
        stages.focus()

    def _current(self) -> tuple[int, str] | None:
        i = self.query_one(OptionList).highlighted
        return (i, self.draft.stages[i]) if i is not None and i < len(self.draft.stages) else None

    def _apply(self, op: Edit, highlight: int | None) -> None:
        try:
            op.op.run(self.draft)
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
                self._apply(Edit(f"add the stage {name!r}", AddStage(name, at)), at)

        self.app.push_screen(TextPrompt("Name of the new stage", placeholder="e.g. Delivery"), added)

    def action_rename(self) -> None:
        current = self._current()
        if current is None:
            return
        i, old = current

        def renamed(new: str | None) -> None:
            if new:
                self._apply(Edit(f"rename the stage {old!r} to {new!r}", RenameStage(old, new)), i)

        shown = cxmap(self).glyphs.text(old, 50)
        self.app.push_screen(TextPrompt(f"Rename the stage '{shown}' to", old), renamed)

    def action_remove(self) -> None:
        current = self._current()
        if current is None:
            return
        i, name = current
        count = sum(1 for tp in self.draft.touchpoints if tp.stage == name)
        if count == 0:
            affected = "No touchpoint is in it."
        elif count == 1:
            affected = "1 touchpoint is in it; it will have no stage."
        else:
            affected = (f"{counted(count, 'touchpoint')} {'is' if count == 1 else 'are'} in it; "
                        f"{'it' if count == 1 else 'they'} will have no stage.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply(Edit(f"remove the stage {name!r}", RemoveStage(name)), i)

        shown = cxmap(self).glyphs.text(name, 50)
        self.app.push_screen(Confirm(f"Remove the stage '{shown}'? {affected}", yes="Remove"), answered)

    def action_move(self, delta: int) -> None:
        current = self._current()
        if current is not None:
            i, name = current
            self._apply(Edit(f"move the stage {name!r}", MoveStage(name, delta)), i + delta)

    @on(OptionList.OptionSelected)
    def action_done(self) -> None:
        self.dismiss(self.ops)


def edit_stages(origin: Widget, m: ExperienceMap) -> None:
    """Open the editor on `m`; when done, apply all its changes as one saved change, undone as one."""

    def finished(ops: list[Edit] | None) -> None:
        if not ops:
            return
        label = ops[0].label if len(ops) == 1 else f"edit the stages ({len(ops)} changes)"
        origin.post_message(ChangeMap(label, EditStages(tuple(op.op for op in ops)),
                                      notice=f"Done: {label}. Press u to undo."))

    origin.app.push_screen(StagesEditor(m), finished)
