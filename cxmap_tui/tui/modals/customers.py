"""Dialogs for customers: record what happened to a contact, add an account, add a contact.
Each stays open until the store has the change, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, Static

from ...domain import feelings
from ...domain.customers import Account, Contact, Interaction
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ..widgets.safe_input import SafeInput
from .base import Dialog

UNRATED = "\x00none"
Save = Callable[[Callable[[Any], Any], Callable[[Any], None], Callable[[CxmapError], None]], None]


def _feeling_options() -> list[tuple[Content, Any]]:
    return [(Content("(not rated)"), UNRATED)] + [
        (Content(f"{f.key}  {feelings.signed(s)}  {f.label}"), s) for s, f in sorted(feelings.FEELINGS.items())
    ]


class _SavingDialog(Dialog[Any]):
    """Hands the change to `save(run, done, failed)` and closes only once it is stored."""

    FIRST_FIELD = "#name"  # focused when the dialog opens

    def __init__(self, save: Save) -> None:
        super().__init__()
        self.save = save

    def on_mount(self) -> None:
        self.query_one(self.FIRST_FIELD).focus()

    def _say(self, text: str) -> None:
        self.query_one("#message", Static).update(Content(self.shown(text)))

    def _date_field(self, field_id: str) -> SafeInput:
        return SafeInput(date.today().isoformat(), placeholder="YYYY-MM-DD", id=field_id,
                         ascii=self.app.glyphs.ascii, compact=True)  # type: ignore[attr-defined]

    def _store(self, run: Callable[[Any], Any]) -> None:
        self._say("Saving...")
        self.save(run, self.dismiss, lambda error: self._say(f"Not saved: {error}"))


class RecordDialog(_SavingDialog):
    """What happened to one contact: at which touchpoint of which map, when, how they felt."""

    FIRST_FIELD = "#touchpoint"

    def __init__(self, save: Save, contact: Contact, maps: list[ExperienceMap], map_id: str | None) -> None:
        super().__init__(save)
        self.contact = contact
        self.maps = maps
        self.map_id = map_id if any(m.id == map_id for m in maps) else (maps[0].id if maps else None)

    def compose(self) -> ComposeResult:
        g = self.app.glyphs  # type: ignore[attr-defined]
        with Vertical(classes="dialog wide"):
            yield Static(Content(f"Record what happened to {g.text(self.contact.name, 40)}"), classes="title")
            with Grid(classes="form"):
                yield Label("Map")
                yield Select([(Content(g.text(m.title, 50)), m.id) for m in self.maps], value=self.map_id or Select.NULL,
                             id="map", compact=True)
                yield Label("Touchpoint")
                yield Select(self._touchpoints(), id="touchpoint", compact=True)
                yield Label("Date")
                yield self._date_field("date")
                yield Label("Feeling 1-5")
                yield Select(_feeling_options(), value=UNRATED, allow_blank=False, id="feeling", compact=True)
                yield Label("Note")
                yield SafeInput(placeholder="What they said or did", id="note", ascii=g.ascii, compact=True)
            yield Static("", id="message", classes="message")
            yield Button(Content("Record"), id="save", variant="primary", compact=True)
            yield Static(Content("Enter record  |  Tab next field  |  Feeling: 1-5, 0 none  |  Esc cancel"),
                         classes="hints")

    def _touchpoints(self) -> list[tuple[Content, str]]:
        g = self.app.glyphs  # type: ignore[attr-defined]
        m = next((m for m in self.maps if m.id == self.map_id), None)
        return [(Content(g.text(tp.name, 50)), tp.id) for tp in (m.touchpoints if m else [])]

    def on_key(self, event: events.Key) -> None:
        """On the feeling field, the feeling keys of step 4 set it without opening the list."""
        feeling = self.query_one("#feeling", Select)
        if not feeling.has_focus or feeling.expanded or event.character is None:
            return
        if event.character in feelings.FEELING_BY_KEY:
            feeling.value = feelings.FEELING_BY_KEY[event.character]
        elif event.character == "0":
            feeling.value = UNRATED
        else:
            return
        event.stop()
        event.prevent_default()

    @on(Select.Changed, "#map")
    def _map_chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and event.value != self.map_id:
            self.map_id = str(event.value)
            self.query_one("#touchpoint", Select).set_options(self._touchpoints())

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#save")
    def save_it(self) -> None:
        touchpoint = self.query_one("#touchpoint", Select).value
        if self.map_id is None or touchpoint is Select.NULL:
            self._say("Choose the map and the touchpoint.")
            return
        feeling = self.query_one("#feeling", Select).value
        try:
            made = Interaction.new(self.contact.id, self.map_id, str(touchpoint),
                                   self.query_one("#date", SafeInput).value.strip(),
                                   None if feeling == UNRATED else int(feeling),  # type: ignore[arg-type]
                                   self.query_one("#note", SafeInput).value)
        except CxmapError as error:
            self._say(str(error))
            return
        self._store(lambda store: store.customers.add_many(interactions=[made]))


class AccountDialog(_SavingDialog):
    def compose(self) -> ComposeResult:
        g = self.app.glyphs  # type: ignore[attr-defined]
        with Vertical(classes="dialog"):
            yield Static(Content("New account (a company)"), classes="title")
            with Grid(classes="form"):
                yield Label("Name")
                yield SafeInput(id="name", ascii=g.ascii, compact=True)
                yield Label("Start")
                yield self._date_field("start")
                yield Label("Segment")
                yield SafeInput(id="segment", ascii=g.ascii, compact=True)
            yield Static("", id="message", classes="message")
            yield Static(Content("Enter add  |  Tab next field  |  Esc or ctrl+g cancel"), classes="hints")

    @on(SafeInput.Submitted)
    def save_it(self) -> None:
        try:
            account = Account.new(*(self.query_one(f"#{n}", SafeInput).value for n in ("name", "start", "segment")))
        except CxmapError as error:
            self._say(str(error))
            return
        self._store(lambda store: store.customers.add_account(account))


class ContactDialog(_SavingDialog):
    def __init__(self, save: Save, accounts: list[Account], account_id: str | None) -> None:
        super().__init__(save)
        self.accounts = accounts
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        g = self.app.glyphs  # type: ignore[attr-defined]
        with Vertical(classes="dialog"):
            yield Static(Content("New contact (a person)"), classes="title")
            with Grid(classes="form"):
                yield Label("Name")
                yield SafeInput(id="name", ascii=g.ascii, compact=True)
                yield Label("Account")
                yield Select([(Content("(no account)"), "")] + [(Content(g.text(a.name, 40)), a.id) for a in self.accounts],
                             value=self.account_id or "", allow_blank=False, id="account", compact=True)
                yield Label("Start")
                yield self._date_field("start")
                yield Label("Segment")
                yield SafeInput(id="segment", placeholder="(the account's, if empty)", ascii=g.ascii, compact=True)
            yield Static("", id="message", classes="message")
            yield Static(Content("Enter add  |  Tab next field  |  Esc or ctrl+g cancel"), classes="hints")

    @on(SafeInput.Submitted)
    def save_it(self) -> None:
        try:
            contact = Contact.new(self.query_one("#name", SafeInput).value, self.query_one("#start", SafeInput).value,
                                  account=str(self.query_one("#account", Select).value),
                                  segment=self.query_one("#segment", SafeInput).value)
        except CxmapError as error:
            self._say(str(error))
            return
        self._store(lambda store: store.customers.add_contact(contact))
