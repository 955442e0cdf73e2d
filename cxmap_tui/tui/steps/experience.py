"""Step 2: the experience. Each field is saved as you type (after a short pause), on Enter and
when you leave it; a blank title is never saved and keeps you in the form."""

from __future__ import annotations

from typing import ClassVar, Unpack

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static

from ...domain.edits import ChangeExperience, EditMap, UndoExperience
from ...domain.model import EXPERIENCES, KINDS, ExperienceMap
from ...domain.stage_sets import KEPT_EDITED, KEPT_IN_USE, stages_would_change
from ...present.display import shorten_words
from ..context import cxmap
from ..glyphs import Glyphs
from ..messages import ChangeMap, EditSaved
from ..widgets.args import WidgetArgs
from ..widgets.light import update_if_changed
from ..widgets.quick_select import QuickSelect
from ..widgets.safe_input import SafeInput
from .base import StepPane

TEXT_FIELDS = ("title", "scope", "persona")
PAUSE = 0.6  # seconds of no typing before a field is saved


class ExperienceInput(SafeInput):
    """A text field of the experience: Enter saves it and moves to the next field at once, in the
    order the keys came, so that what is typed straight after goes into the next field."""

    async def action_submit(self) -> None:
        self.query_ancestor(ExperiencePane).save_and_next((self.id or "")[2:])


class ExperiencePane(StepPane, can_focus=True):
    """All fields: Escape leaves a field for the pane itself, where letters are commands again;
    Enter (or Tab) goes back to the field left."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "back_to_fields", "Edit the fields", key_display="Enter", id="experience-edit"),
    ]

    def __init__(self, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self._pending_saves: dict[str, Timer] = {}
        self._left_field: Widget | None = None  # the field Escape left, to go back to

    def compose(self) -> ComposeResult:
        ascii = self.glyphs.ascii
        with Grid(id="experience-form"):
            yield Label("Title", classes="field-label")
            yield ExperienceInput(id="f-title", placeholder="A short name for this map", ascii=ascii, compact=True)
            yield Label("Experience", classes="field-label")
            yield QuickSelect([(Content(v), k) for k, v in EXPERIENCES.items()], id="f-experience",
                              allow_blank=False, compact=True)
            yield Label("Scope", classes="field-label")
            yield ExperienceInput(id="f-scope", placeholder="The one interaction, in a sentence", ascii=ascii,
                                  compact=True)
            yield Label("Persona", classes="field-label")
            yield ExperienceInput(id="f-persona", placeholder="Who goes through it: a persona or segment",
                                  ascii=ascii, compact=True)
            yield Label("Kind", classes="field-label")
            yield QuickSelect([(Content(v), k) for k, v in KINDS.items()], id="f-kind", allow_blank=False,
                              compact=True)
            yield Label("Stages", classes="field-label")
            yield Button("", id="f-stages", compact=True)
        yield Static(id="form-message", classes="message")

    def home(self) -> Widget | None:
        return self

    def leave_field(self, field: Widget) -> None:
        self._left_field = field
        super().leave_field(field)

    def action_back_to_fields(self) -> None:
        back = self._left_field
        if back is None or not back.is_attached:
            back = self.query_one("#f-title")
        self.screen.set_focus(back)

    def on_mount(self) -> None:
        if cxmap(self).store.read_only:  # nothing here may change: the fields show, and take no keys
            for field in self.query("#f-title, #f-experience, #f-scope, #f-persona, #f-kind, #f-stages"):
                field.disabled = True

    def entered(self) -> None:
        if cxmap(self).store.read_only:
            self.focus_now(self)
            return
        self.focus_now(self.query_one("#f-title"))

    def show_map(self, m: ExperienceMap | None) -> None:
        super().show_map(m)
        if m is None:
            return
        for name in TEXT_FIELDS:
            field = self.query_one(f"#f-{name}", SafeInput)
            # Never change what the user is typing; only fields they are not in follow the map.
            if not field.has_focus and name not in self._pending_saves and field.value != getattr(m, name):
                field.value = getattr(m, name)
        for name in ("experience", "kind"):
            select = self.query_one(f"#f-{name}", Select)
            if select.value != getattr(m, name) and not select.expanded:
                with select.prevent(Select.Changed):
                    select.value = getattr(m, name)
        self._show_stages(m)

    def _show_stages(self, m: ExperienceMap) -> None:
        hint = "  [Enter: edit]"
        # The terminal's width less the pane's padding, the label column, the gap and the button's padding.
        room = max(20, self.app.size.width - 2 - 12 - 1 - 2 - len(hint))
        self.query_one("#f-stages", Button).label = Content(stage_line(m.stages, room, self.glyphs) + hint)

    def on_resize(self) -> None:
        if self.map is not None:
            self._show_stages(self.map)

    # -- saving the text fields ------------------------------------------------------------------

    @on(SafeInput.Changed)
    def _typed(self, event: SafeInput.Changed) -> None:
        name = (event.input.id or "")[2:]
        if name not in TEXT_FIELDS or self.map is None or event.value == getattr(self.map, name):
            return
        if name in self._pending_saves:
            self._pending_saves.pop(name).stop()
        self._pending_saves[name] = self.set_timer(PAUSE, lambda: self._save(name))

    def save_and_next(self, name: str) -> None:
        """Enter in a text field: save it and go to the next field (at once: see ExperienceInput)."""
        if name in TEXT_FIELDS and self._save(name):
            self.screen.focus_next()

    @on(SafeInput.Blurred)
    def _left(self, event: SafeInput.Blurred) -> None:
        name = (event.input.id or "")[2:]
        if name in TEXT_FIELDS:
            self._save(name)

    def _save(self, name: str) -> bool:
        """Save one field if it changed; False if it cannot be saved as it is."""
        if name in self._pending_saves:
            self._pending_saves.pop(name).stop()
        if self.map is None:
            return False
        value = self.query_one(f"#f-{name}", SafeInput).value
        message = self.query_one("#form-message", Static)
        if name == "title" and not value.strip():
            message.update(Content("A map needs a title: type one. (Nothing is saved while it is empty.)"))
            return False
        update_if_changed(message, "")  # laid out again, the form repaints
        if value == getattr(self.map, name):
            return True
        self.post_message(ChangeMap(f"change the {name}", EditMap({name: value})))
        return True

    def can_leave(self) -> bool:
        for name in TEXT_FIELDS:
            if not self._save(name):
                self.query_one(f"#f-{name}").focus()
                return False
        return True

    # -- choices ---------------------------------------------------------------------------------

    @on(Select.Changed)
    def _chose(self, event: Select.Changed) -> None:
        name = (event.select.id or "")[2:]
        if self.map is None or event.value == getattr(self.map, name) or event.value is Select.NULL:
            return
        value = str(event.value)
        if name == "experience":
            self._change_experience(value)
            return
        self.post_message(ChangeMap(f"change the {name}", EditMap({name: value})))

    def _change_experience(self, value: str) -> None:
        """The experience, and with it the stages that fit it while the map's stages are still
        the untouched defaults of the one it had (see domain.stage_sets); one undo takes back both."""
        assert self.map is not None
        both = stages_would_change(self.map, value)  # as shown; the saved map decides (see `said`)
        self.post_message(
            ChangeMap("change the experience and its stages" if both else "change the experience",
                      ChangeExperience(value), reply_to=self)
        )

    @on(EditSaved)
    def _said_stages(self, message: EditSaved) -> None:
        if not isinstance(message.undo, UndoExperience):
            return
        change = message.undo.change
        g = self.glyphs
        if change.stages_after is not None:
            stages = f" {g.arrow} ".join(change.stages_after)
            self.notify(f"The stages now fit the experience: {stages}. Esc, then u undoes it.", timeout=8,
                        markup=False)
        elif change.kept == KEPT_IN_USE:
            self.notify("The stages stay as they are: touchpoints are in them. Enter on Stages edits them.",
                        timeout=6, markup=False)
        elif change.kept == KEPT_EDITED:
            self.notify("The stages stay as they are: they are the map's own. Enter on Stages edits them.",
                        timeout=6, markup=False)

    @on(Button.Pressed, "#f-stages")
    def _edit_stages(self) -> None:
        if self.map is not None:
            from ..modals.stages import edit_stages

            edit_stages(self, self.map)


def stage_line(stages: list[str], room: int, g: Glyphs) -> str:
    """The stages in order, as many whole names as fit `room`, then how many more."""
    if not stages:
        return "(none)"
    arrow = f" {g.arrow} "
    names = [g.text(s) for s in stages]
    line = ""
    for shown in range(len(names), 0, -1):
        more = f"{arrow}+{len(names) - shown} more" if shown < len(names) else ""
        line = arrow.join(names[:shown]) + more
        if cell_len(line) <= room:
            return line
    return shorten_words(line, room, ascii=g.ascii)  # not even the first name fits whole
