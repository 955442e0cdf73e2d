"""Add or edit a touchpoint. The dialog stays open until the change is saved, so nothing typed is
lost if saving fails; it closes itself once the store has the change.

A new touchpoint starts where it goes: in the stage of the touchpoint under the cursor (that it
follows), and on that one's channel, or if it has none on the channel of the last touchpoint the
user added to the map (kept in their session, so it outlasts a restart). Besides the usual
channels and those the map already uses, "Other..." takes a channel of your own."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static

from ...domain.edits import AddTouchpoint, EditTouchpoint
from ...domain.model import CHANNELS, CLOCKS, ExperienceMap, Touchpoint
from ...domain.parts import TouchpointValue
from ..context import cxmap
from ..widgets.form_button import FormButton
from ..widgets.hints import Hints
from ..widgets.quick_select import QuickSelect
from ..widgets.safe_input import SafeInput
from .map_form import MapForm, changed

NO_STAGE = "\x00none"  # Select's value for "no stage" (a stage name can never be this)
OTHER = "\x00other"  # the channel Select's value for "a channel of my own", typed in #channel_other
OTHER_HINT = "Other... in the list above names a channel of your own"
TEXT = ("name", "action", "owner", "notes")


class Invalid(ValueError):
    """A value the form cannot take, and the field to fix it in."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class TouchpointForm(MapForm):
    def __init__(self, origin: Widget, m: ExperienceMap, tp: Touchpoint | None, *, at: int | None = None,
                 stage: str = "", channel: str = "") -> None:
        """Edit `tp`, or (None) add one at index `at`, starting in `stage` and on `channel` (if
        empty, on the channel last used on the map)."""
        super().__init__(origin, m)
        self.tp = tp
        self.at = at
        self.default_stage = tp.stage if tp is not None else stage if stage in m.stages else ""
        self.default_channel = tp.channel if tp is not None else channel
        self._used = ""  # the channel of the touchpoint being added

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        if self.tp is None and not self.default_channel:
            self.default_channel = cxmap(self).session.channel(self.map.id)
        tp = self.tp or Touchpoint(name="")
        channels = _channels(self.map, self.default_channel)
        # Always there, and open only while "Other..." is chosen: a field that appeared on demand
        # would not be in the focus order yet for a Tab typed right behind the choice.
        other_field = SafeInput(placeholder=OTHER_HINT, id="channel_other", ascii=g.ascii, compact=True,
                                disabled=self.default_channel != OTHER)
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
                yield QuickSelect([(Content("(no stage)"), NO_STAGE)] +
                                  [(Content(g.text(s)), s) for s in self.map.stages],
                                  value=self.default_stage or NO_STAGE, allow_blank=False, id="stage", compact=True)
                yield Label("Channel")
                yield QuickSelect([(Content(g.text(c)), c) for c in channels] + [(Content("Other..."), OTHER)],
                                  value=self.default_channel or Select.NULL, prompt="(none)", id="channel",
                                  compact=True)
                yield Label("New channel")
                yield other_field
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
                    yield QuickSelect([(Content(what), clock) for clock, what in CLOCKS.items()], value=tp.clock,
                                      allow_blank=False, id="clock", compact=True)
            yield Static("", id="message", classes="message")
            yield FormButton(Content("Save"), id="save", variant="primary", compact=True)
            yield Hints("Enter or ^s save", "Tab next", "Esc twice cancels")
            yield Static(Content("A list: letters pick, space or Down opens it"), classes="hints")

    def on_mount(self) -> None:
        self.query_one("#name").focus()
        # Told at once, not by message: a Tab typed right after "Other..." finds the field open.
        self.watch(self.query_one("#channel", Select), "value", self._channel_chosen, init=False)

    def _channel_chosen(self, value: object) -> None:
        field = self.query_one("#channel_other", SafeInput)
        field.disabled = value != OTHER
        field.placeholder = OTHER_HINT if field.disabled else "The channel's name, e.g. Podcast"

    def _values(self) -> tuple[str, dict[str, TouchpointValue]]:
        """The channel chosen, and every field's value (the channel among them)."""
        values: dict[str, TouchpointValue] = {name: self.query_one(f"#{name}", SafeInput).value for name in TEXT}
        stage = self.query_one("#stage", Select).value
        values["stage"] = "" if stage in (NO_STAGE, Select.NULL) else str(stage)
        channel = self.query_one("#channel", Select).value
        if channel == OTHER:
            channel = self.query_one("#channel_other", SafeInput).value.strip()
            if not channel:
                raise Invalid("Type the new channel, or choose one from the list.", "channel_other")
            # One spelling per channel: "web" is the "Web" the list has.
            known = {c.casefold(): c for c in _channels(self.map, "")}
            channel = known.get(channel.casefold(), channel)
        chosen = "" if channel is Select.NULL else str(channel)
        values["channel"] = chosen
        if self.map.kind == "ideal":
            due = self.query_one("#due_day", SafeInput).value.strip()
            if due and not due.isdigit():
                raise Invalid(f"the due day is a number of days from 0 up, not {due!r}", "due_day")
            values["due_day"] = int(due) if due else None
            values["clock"] = str(self.query_one("#clock", Select).value)
        return chosen, values

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        try:
            channel, values = self._values()
        except Invalid as error:
            self.say(str(error))
            self.query_one(f"#{error.field}").focus()
            return
        name = self.query_one("#name", SafeInput).value
        if not name.strip():
            self.say("A touchpoint needs a name.")
            self.query_one("#name").focus()
            return
        if self.tp is None:
            self._used = channel
            del values["name"]
            self.send(f"add the touchpoint {name.strip()!r}", AddTouchpoint(name, self.at, values))
            return
        changes = changed(values, self.tp)
        if not changes:
            self.dismiss(False)
            return
        self.send(f"edit the touchpoint {self.tp.name!r}", EditTouchpoint(self.tp.id, changes))

    def saved(self, item_id: str | None) -> None:
        if self.tp is None:
            cxmap(self).session.note_channel(self.map.id, self._used)


def _channels(m: ExperienceMap, also: str) -> list[str]:
    """The channels to offer: the usual ones, then those the map uses, then `also` (the channel
    last used, which the map may no longer have); one spelling each, ignoring case."""
    seen: dict[str, str] = {}
    for channel in (*CHANNELS, *(t.channel for t in m.touchpoints), also):
        if channel:
            seen.setdefault(channel.casefold(), channel)
    offered = list(seen.values())
    if also and also not in offered:
        offered.append(also)  # the touchpoint's own spelling, exactly as stored
    return offered
