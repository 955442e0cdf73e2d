"""Dialogs for customers: record what happened to a contact, resolve their open problems, add an
account, add a contact; and the customers screen's help. Each dialog stays open until the store
has the change, so nothing typed is lost."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message_pump import MessagePump
from textual.widgets import Button, Label, Select, Static

from ...domain import feelings
from ...domain.accounts import Problem
from ...domain.customers import Account, Contact, Interaction
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.problems import plan_resolutions
from ...editing.edits import AddAccount, AddContact, Record, Resolve, StoreEdit
from ...store.errors import Unavailable
from ..context import cxmap
from ..messages import ChangeStore, EditFailed, EditStored
from ..widgets.form_button import FormButton
from ..widgets.hints import Hints
from ..widgets.list_keys import ReadingScroll
from ..widgets.quick_select import QuickSelect
from ..widgets.safe_input import SafeInput
from .base import Dialog

UNRATED = "\x00none"


def _feeling_options() -> list[tuple[Content, int | str]]:
    """Each feeling by its score, after a choice for none (UNRATED)."""
    return [(Content("(not rated)"), UNRATED)] + [
        (Content(f"{f.key}  {feelings.signed(s)}  {f.label}"), s) for s, f in sorted(feelings.FEELINGS.items())
    ]


class _SavingDialog(Dialog[object]):
    """Asks `origin` (the customers screen) to save the change, and closes only once it is stored."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_now", "Save", show=False, id="dialog-save"),
        # Enter saves from any field, a closed drop-down included (see QuickSelect).
        Binding("enter", "save_now", "Save", show=False, id="dialog-save-enter"),
    ]
    FIRST_FIELD = "#name"  # focused when the dialog opens

    def __init__(self, origin: MessagePump, *, today: date | None = None) -> None:
        super().__init__()
        self.origin = origin
        self.today = today or date.today()  # the date fields start on it

    def on_mount(self) -> None:
        # At once, not deferred: the keys typed right after the one that opened the dialog go there.
        self.set_focus(self.query_one(self.first_field()))

    def first_field(self) -> str:
        return self.FIRST_FIELD

    def _say(self, text: str) -> None:
        self.query_one("#message", Static).update(Content(self.shown(text)))

    def _date_field(self, field_id: str) -> SafeInput:
        return SafeInput(self.today.isoformat(), placeholder="YYYY-MM-DD", id=field_id,
                         ascii=cxmap(self).glyphs.ascii, compact=True)

    def _store(self, label: str, edit: StoreEdit[object]) -> None:
        self._say("Saving...")
        self.origin.post_message(ChangeStore(label, edit, self))

    @on(EditStored)
    def _stored(self, message: EditStored) -> None:
        self.dismiss(message.result)

    @on(EditFailed)
    def _not_saved(self, message: EditFailed) -> None:
        error = message.error
        again = " Enter or ctrl+s tries again." if isinstance(error, Unavailable) else ""
        self._say(f"Not saved: {str(error).rstrip('.')}.{again}")

    def action_save_now(self) -> None:
        self.save_it()

    def save_it(self) -> None:
        raise NotImplementedError


class RecordDialog(_SavingDialog):
    """What happened to one contact: at which touchpoint of which map, when, how they felt."""

    FIRST_FIELD = "#touchpoint"

    def __init__(self, origin: MessagePump, contact: Contact, maps: list[ExperienceMap], map_id: str | None, *,
                 today: date | None = None) -> None:
        super().__init__(origin, today=today)
        self.contact = contact
        self.maps = maps
        self.map_id = map_id if any(m.id == map_id for m in maps) else (maps[0].id if maps else None)

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        with Vertical(classes="dialog wide"):
            yield Static(Content(f"Record what happened to {g.text(self.contact.name, 40)}"), classes="title")
            with Grid(classes="form"):
                yield Label("Map")
                yield QuickSelect([(Content(g.text(m.title, 50)), m.id) for m in self.maps],
                                  value=self.map_id or Select.NULL, id="map", compact=True)
                yield Label("Touchpoint")
                yield QuickSelect(self._touchpoints(), id="touchpoint", compact=True)
                yield Label("Date")
                yield self._date_field("date")
                yield Label("Feeling 1-5")
                yield QuickSelect(_feeling_options(), value=UNRATED, allow_blank=False, id="feeling", compact=True)
                yield Label("Note")
                yield SafeInput(placeholder="What they said or did", id="note", ascii=g.ascii, compact=True)
            yield Static("", id="message", classes="message")
            yield FormButton(Content("Record"), id="save", variant="primary", compact=True)
            yield Hints("Enter record", "Tab next field", "Feeling: 1-5, 0 none", "Esc twice cancels")

    def first_field(self) -> str:
        """The touchpoint, the map already chosen; the map when it has no touchpoint to choose."""
        return "#touchpoint" if self._touchpoints() else "#map"

    def _touchpoints(self) -> list[tuple[Content, str]]:
        g = cxmap(self).glyphs
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
                                   feeling if isinstance(feeling, int) else None,  # else UNRATED
                                   self.query_one("#note", SafeInput).value)
        except CxmapError as error:
            self._say(str(error))
            return
        self._store(f"record for {self.contact.name!r}", Record(made))


class ResolveDialog(_SavingDialog):
    """Resolve a contact's open problems (those shown): on a date, with a note saying how."""

    FIRST_FIELD = "#note"
    SHOWN = 4  # problems listed; the rest are counted

    def __init__(self, origin: MessagePump, contact: Contact, problems: list[Problem], *,
                 today: date | None = None) -> None:
        super().__init__(origin, today=today)
        self.contact = contact
        self.problems = problems

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        n = len(self.problems)
        listed = [f"{g.face(p.feeling)} {feelings.signed(p.feeling)}  {g.text(p.moment.label(), 30)} on "
                  f"{p.interaction.date}" + (f": {g.text(p.interaction.note, 24)}" if p.interaction.note else "")
                  for p in self.problems[:self.SHOWN]]
        if n > self.SHOWN:
            listed.append(f"... and {n - self.SHOWN} more")
        with Vertical(classes="dialog wide"):
            yield Static(Content(f"Resolve {g.text(self.contact.name, 40)}'s open problem{'s' if n != 1 else ''}"),
                         classes="title")
            yield Static(Content("\n".join(listed)), id="problems")
            with Grid(classes="form"):
                yield Label("Resolved on")
                yield self._date_field("date")
                yield Label("How")
                yield SafeInput(placeholder="What was done (a call back, a credit note...)", id="note", ascii=g.ascii,
                                compact=True)
            yield Static("", id="message", classes="message")
            yield Hints("Enter resolve", "Tab next field", "Esc twice cancels")

    @on(SafeInput.Submitted)
    def save_it(self) -> None:
        when = self.query_one("#date", SafeInput).value.strip()
        note = self.query_one("#note", SafeInput).value
        names = {p.interaction.id: p.moment.label() for p in self.problems}
        try:  # the same checks the store makes, to say what is wrong before anything is sent
            plan_resolutions([p.interaction for p in self.problems], {}, when, note, "", where=names,
                             name=self.contact.name)
        except CxmapError as error:
            self._say(str(error))
            return
        only = [p.interaction.id for p in self.problems]
        self._store(f"resolve {self.contact.name!r}'s problems", Resolve(self.contact.id, when, note, tuple(only)))


class CustomersHelp(Dialog[None]):
    """The customers screen's keys, every one (the key bar shows what fits), and what its views
    are for. The keys come first: at 60x20 they are all in sight without scrolling."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,question_mark,enter", "cancel", "Close", show=False, id="cust-help-close"),
    ]
    ABOUT = (
        "Accounts (companies) and contacts (people), each account as good as its worst contact. "
        "A feeling of -1 or lower opens a problem, which stays open until someone resolves it (R). "
        "Nobody at an account is asked for a review while a problem is open there; everyone else who "
        "has been met is, however they felt (asking only the happy ones is review gating)."
    )

    def __init__(self, bindings: list[BindingType], more: str = "") -> None:
        super().__init__()
        self.bindings = [b for b in bindings if isinstance(b, Binding) and b.description]
        self.more = more

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for b in self.bindings:
            keys.add_row(self.app.get_key_display(b), b.tooltip or b.description)
        with ReadingScroll(classes="dialog wide tall help"):
            yield Static(Text("Customers: the keys here", style="bold"))
            yield Static(keys)
            if self.more:
                yield Static(Text(self.more))
            yield Static(Text("\n" + self.ABOUT))
            yield Static(Text("\nEsc, q, ? or Enter closes this help.", style="dim"))


class AccountDialog(_SavingDialog):
    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
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
            yield Hints("Enter add", "Tab next field", "Esc twice cancels")

    @on(SafeInput.Submitted)
    def save_it(self) -> None:
        try:
            account = Account.new(*(self.query_one(f"#{n}", SafeInput).value for n in ("name", "start", "segment")))
        except CxmapError as error:
            self._say(str(error))
            return
        self._store("new account", AddAccount(account))


class ContactDialog(_SavingDialog):
    def __init__(self, origin: MessagePump, accounts: list[Account], account_id: str | None, *,
                 today: date | None = None) -> None:
        super().__init__(origin, today=today)
        self.accounts = accounts
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        with Vertical(classes="dialog"):
            yield Static(Content("New contact (a person)"), classes="title")
            with Grid(classes="form"):
                yield Label("Name")
                yield SafeInput(id="name", ascii=g.ascii, compact=True)
                yield Label("Account")
                yield QuickSelect([(Content("(no account)"), "")] +
                                  [(Content(g.text(a.name, 40)), a.id) for a in self.accounts],
                                  value=self.account_id or "", allow_blank=False, id="account", compact=True)
                yield Label("Start")
                yield self._date_field("start")
                yield Label("Segment")
                yield SafeInput(id="segment", placeholder="(the account's, if empty)", ascii=g.ascii, compact=True)
            yield Static("", id="message", classes="message")
            yield Hints("Enter add", "Tab next field", "Esc twice cancels")

    @on(SafeInput.Submitted)
    def save_it(self) -> None:
        try:
            contact = Contact.new(self.query_one("#name", SafeInput).value, self.query_one("#start", SafeInput).value,
                                  account=str(self.query_one("#account", Select).value),
                                  segment=self.query_one("#segment", SafeInput).value)
        except CxmapError as error:
            self._say(str(error))
            return
        self._store("new contact", AddContact(contact))
