"""Which improvements the backlog shows: by status, owner and touchpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, Static

from ...domain.model import STATUSES, ExperienceMap
from ..context import cxmap
from ..widgets.form_button import FormButton
from ..widgets.hints import Hints
from ..widgets.quick_select import QuickSelect
from ..widgets.tick_list import TickList
from .base import Dialog

ANY = "\x00any"  # Select's value for "any" (no owner or touchpoint id can be this)


@dataclass(frozen=True)
class BacklogFilter:
    statuses: frozenset[str] = field(default_factory=frozenset)
    owner: str | None = None  # "" means "no owner"
    touchpoint: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.statuses) or self.owner is not None or self.touchpoint is not None

    def describe(self, m: ExperienceMap) -> str:
        parts = []
        if self.statuses:
            parts.append("status " + " or ".join(STATUSES[s] for s in STATUSES if s in self.statuses))
        if self.owner is not None:
            parts.append(f"owner {self.owner or '(none)'}")
        if self.touchpoint is not None:
            name = next((tp.name for tp in m.touchpoints if tp.id == self.touchpoint), "?")
            parts.append(f"addresses {name}")
        return ", ".join(parts)


class BacklogFilterDialog(Dialog[BacklogFilter | None]):
    def __init__(self, m: ExperienceMap, current: BacklogFilter) -> None:
        super().__init__()
        self.map = m
        self.current = current

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        owners = sorted({imp.owner for imp in self.map.improvements if imp.owner}, key=str.casefold)
        owner_options = [(Content("any owner"), ANY), (Content("(no owner)"), "")] + [
            (Content(g.text(o, 40)), o) for o in owners
        ]
        tp_options = [(Content("any touchpoint"), ANY)] + [
            (Content(f"{g.face(tp.feeling)} {g.text(tp.name, 40)}"), tp.id) for tp in self.map.touchpoints
        ]
        with Vertical(classes="dialog"):
            yield Static(Content("Show the improvements that..."), classes="title")
            yield Label("have the status (space ticks; none ticked: any)")
            yield TickList(list(STATUSES.items()), ticked=self.current.statuses, id="statuses")
            with Grid(classes="form"):
                yield Label("owned by")
                yield QuickSelect(owner_options, value=ANY if self.current.owner is None else self.current.owner,
                                  allow_blank=False, id="owner", compact=True)
                yield Label("address")
                yield QuickSelect(tp_options, value=self.current.touchpoint or ANY, allow_blank=False,
                                  id="touchpoint", compact=True)
            with Horizontal(classes="buttons"):
                yield FormButton(Content("Show"), id="apply", variant="primary", compact=True)
                yield FormButton(Content("Show all"), id="clear", compact=True)
            yield Hints("Enter on Show", "Tab next", "Esc twice cancels")

    def on_mount(self) -> None:
        self.query_one(TickList).focus()

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        owner = self.query_one("#owner", Select).value
        touchpoint = self.query_one("#touchpoint", Select).value
        self.dismiss(
            BacklogFilter(
                statuses=frozenset(self.query_one(TickList).selected),
                owner=None if owner == ANY else str(owner),
                touchpoint=None if touchpoint == ANY else str(touchpoint),
            )
        )

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(BacklogFilter())
