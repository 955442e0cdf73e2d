"""Add or edit an improvement, linked to the touchpoints it addresses. Like the touchpoint form,
it stays open until the store has the change."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static

from ...domain.edits import AddImprovement, EditImprovement
from ...domain.model import STATUSES, ExperienceMap, Improvement
from ...domain.parts import ImprovementValue
from ..context import cxmap
from ..widgets.form_button import FormButton
from ..widgets.hints import Hints
from ..widgets.quick_select import QuickSelect
from ..widgets.safe_input import SafeInput
from ..widgets.tick_list import TickList, hidden_text
from .map_form import MapForm, changed

RATINGS = [(Content(str(n)), n) for n in range(1, 6)]
TICK_LABEL = "Touchpoints it addresses (space to tick):"


class ImprovementForm(MapForm):
    def __init__(self, origin: Widget, m: ExperienceMap, imp: Improvement | None,
                 *, for_touchpoints: Iterable[str] = ()) -> None:
        super().__init__(origin, m)
        self.imp = imp
        self.linked = set(imp.touchpoints if imp else for_touchpoints)

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        imp = self.imp or Improvement(title="")
        owners = sorted({i.owner for i in self.map.improvements if i.owner} |
                        {t.owner for t in self.map.touchpoints if t.owner})
        with Vertical(classes="dialog wide tall"):
            yield Static(Content("Edit improvement" if self.imp else "New improvement"), classes="title")
            with Grid(classes="form"):
                yield Label("Improvement")
                yield SafeInput(imp.title, placeholder="e.g. Offer a call-back instead of hold", id="title",
                                ascii=g.ascii, compact=True)
                yield Label("Description")
                yield SafeInput(imp.description, placeholder="What changes, in a sentence", id="description",
                                ascii=g.ascii, compact=True)
            yield Label(Content(TICK_LABEL), id="touchpoints-label")
            yield TickList([(tp.id, f"{g.face(tp.feeling)} {g.text(tp.name, 60)}") for tp in self.map.touchpoints],
                           ticked=self.linked, id="touchpoints")
            with Horizontal(classes="ratings"):
                yield Label("Customer value")
                yield QuickSelect(RATINGS, value=imp.customer_value, allow_blank=False, id="customer_value",
                                  compact=True)
                yield Label("Business value")
                yield QuickSelect(RATINGS, value=imp.business_value, allow_blank=False, id="business_value",
                                  compact=True)
            with Horizontal(classes="ratings"):
                yield Label("Effort")
                yield QuickSelect(RATINGS, value=imp.effort, allow_blank=False, id="effort", compact=True)
                yield Label("Status")
                yield QuickSelect([(Content(v), k) for k, v in STATUSES.items()], value=imp.status,
                                  allow_blank=False, id="status", compact=True)
                yield Label("Owner")
                yield SafeInput(imp.owner, placeholder="Team or person", id="owner", ascii=g.ascii, compact=True,
                                suggester=SuggestFromList(owners, case_sensitive=False))
            yield Static("", id="message", classes="message")
            yield FormButton(Content("Save"), id="save", variant="primary", compact=True)
            yield Hints("Enter or ^s save", "Tab next", "Esc twice cancels")
            yield Static(Content("A list: letters pick, space or Down opens it"), classes="hints")

    def on_mount(self) -> None:
        self.query_one("#title").focus()

    @on(TickList.Hidden)
    def _rows_hidden(self, event: TickList.Hidden) -> None:
        more = hidden_text(event.above, event.below)
        self.query_one("#touchpoints-label", Label).update(Content(f"{TICK_LABEL}  {more}" if more else TICK_LABEL))

    def _values(self) -> dict[str, ImprovementValue]:
        values: dict[str, ImprovementValue] = {
            name: self.query_one(f"#{name}", SafeInput).value for name in ("title", "description", "owner")
        }
        for name in ("customer_value", "business_value", "effort", "status"):
            rating = self.query_one(f"#{name}", Select).selection  # None only if blank, which none can be
            if rating is not None:
                values[name] = rating
        chosen = set(self.query_one(TickList).selected)
        values["touchpoints"] = [tp.id for tp in self.map.touchpoints if tp.id in chosen]
        return values

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        values = self._values()
        title = self.query_one("#title", SafeInput).value
        if not title.strip():
            self.say("An improvement needs a title.")
            self.query_one("#title").focus()
            return
        if self.imp is None:
            del values["title"]
            self.send(f"add the improvement {title.strip()!r}", AddImprovement(title, values))
            return
        changes = changed(values, self.imp)
        if not changes:
            self.dismiss(False)
            return
        self.send(f"edit the improvement {self.imp.title!r}", EditImprovement(self.imp.id, changes))
