"""Add or edit a touchpoint. The dialog stays open until the change is saved, so nothing typed is
lost if saving fails; it closes itself once the store has the change."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static

from ...domain.errors import CxmapError
from ...domain.model import CHANNELS, CLOCKS, ExperienceMap, Touchpoint
from ...store.errors import Unavailable
from ..messages import ChangeMap, Saved
from ..widgets.safe_input import SafeInput
from .base import Dialog

NO_STAGE = "\x00none"  # Select's value for "no stage" (a stage name can never be this)
TEXT = ("name", "action", "owner", "notes")


class TouchpointForm(Dialog[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_now", "Save", show=False, id="form-save"),
    ]

    def __init__(self, origin: Widget, m: ExperienceMap, tp: Touchpoint | None, *, at: int | None = None,
                 stage: str = "") -> None:
        super().__init__()
        self.origin = origin
        self.map = m
        self.tp = tp
        self.at = at
        self.default_stage = tp.stage if tp is not None else stage

    def compose(self) -> ComposeResult:
        g = self.app.glyphs  # type: ignore[attr-defined]
        tp = self.tp or Touchpoint(name="")
        channels = list(dict.fromkeys([*CHANNELS, *(t.channel for t in self.map.touchpoints if t.channel)]))
        if tp.channel and tp.channel not in channels:
            channels.append(tp.channel)
        owners = sorted({t.owner for t in self.map.touchpoints if t.owner})
        with Vertical(classes="dialog wide"):
            yield Static(Content("Edit touchpoint" if self.tp else "New touchpoint"), classes="title")
            with Grid(classes="form"):
                yield Label("Touchpoint")
                yield SafeInput(tp.name, placeholder="e.g. Order confirmation e-mail", id="name", ascii=g.ascii,
                                compact=True)
                yield Label("Customer action")
                yield SafeInput(tp.action, placeholder="What the customer does here", id="action", ascii=g.ascii,
                                compact=True)
                yield Label("Stage")
                yield Select([(Content("(no stage)"), NO_STAGE)] + [(Content(g.text(s)), s) for s in self.map.stages],
                             value=self.default_stage or NO_STAGE, allow_blank=False, id="stage", compact=True)
                yield Label("Channel")
                yield Select([(Content(g.text(c)), c) for c in channels], value=tp.channel or Select.NULL,
                             prompt="(none)", id="channel", compact=True)
                yield Label("Owner")
                yield SafeInput(tp.owner, placeholder="Team or person", id="owner", ascii=g.ascii, compact=True,
                                suggester=SuggestFromList(owners, case_sensitive=False))
                yield Label("Notes")
                yield SafeInput(tp.notes, placeholder="Design and intent, on our side", id="notes", ascii=g.ascii,
                                compact=True)
                if self.map.kind == "ideal":  # an ideal map is every real customer's checklist
                    yield Label("Due on day")
                    yield SafeInput("" if tp.due_day is None else str(tp.due_day), id="due_day", ascii=g.ascii,
                                    placeholder="0 = the first day; empty = any time", compact=True)
                    yield Label("Counted")
                    yield Select([(Content(what), clock) for clock, what in CLOCKS.items()], value=tp.clock,
                                 allow_blank=False, id="clock", compact=True)
            yield Static("", id="message", classes="message")
            yield Button(Content("Save"), id="save", variant="primary", compact=True)
            yield Static(Content("Enter save  |  Tab next field  |  Esc or ctrl+g cancel"), classes="hints")

    def on_mount(self) -> None:
        self.query_one("#name").focus()

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: self.query_one(f"#{name}", SafeInput).value for name in TEXT}
        stage = self.query_one("#stage", Select).value
        values["stage"] = "" if stage in (NO_STAGE, Select.NULL) else str(stage)
        channel = self.query_one("#channel", Select).value
        values["channel"] = "" if channel is Select.NULL else str(channel)
        if self.map.kind == "ideal":
            due = self.query_one("#due_day", SafeInput).value.strip()
            if due and not due.isdigit():
                raise ValueError(f"the due day is a number of days from 0 up, not {due!r}")
            values["due_day"] = int(due) if due else None
            values["clock"] = str(self.query_one("#clock", Select).value)
        return values

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        message = self.query_one("#message", Static)
        try:
            values = self._values()
        except ValueError as error:
            message.update(Content(self.shown(str(error))))
            self.query_one("#due_day").focus()
            return
        if not values["name"].strip():
            message.update(Content("A touchpoint needs a name."))
            self.query_one("#name").focus()
            return
        message.update(Content("Saving..."))
        if self.tp is None:
            at = self.at
            name = values.pop("name")
            change = ChangeMap(
                f"add the touchpoint {name.strip()!r}",
                lambda m: m.add_touchpoint(name, at=None if at is None else min(at, len(m.touchpoints)), **values),
                undo=lambda m, tp: m.remove_touchpoint(tp.id),
                done=self._saved,
                failed=self._failed,
            )
        else:
            tp_id = self.tp.id
            changes = {k: v for k, v in values.items() if v != getattr(self.tp, k)}
            if not changes:
                self.dismiss(False)
                return
            old = {k: getattr(self.tp, k) for k in changes}
            change = ChangeMap(
                f"edit the touchpoint {self.tp.name!r}",
                lambda m: m.edit_touchpoint(tp_id, **changes),
                undo=lambda m, _: m.edit_touchpoint(tp_id, **old),
                done=self._saved,
                failed=self._failed,
            )
        self.origin.post_message(change)

    def _saved(self, result: Any) -> None:
        self.origin.post_message(Saved(result.id if isinstance(result, Touchpoint) else None))
        self.dismiss(True)

    def _failed(self, error: CxmapError) -> None:
        again = " Enter or ctrl+s tries again." if isinstance(error, Unavailable) else ""
        self.query_one("#message", Static).update(
            Content(self.shown(f"Not saved: {str(error).rstrip('.')}.{again}"))
        )

    def action_save_now(self) -> None:
        self.save()
