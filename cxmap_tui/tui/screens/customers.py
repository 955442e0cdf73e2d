"""Real customers: accounts and their contacts with each account's experience (its worst
contact's), the ideal map as a checklist and the history for whoever is highlighted, the accounts
with an open problem, whom to ask for a review now (and who not yet, and why), resolving a
contact's problems, and a segment's curve beside the map's own.

Everything is computed on a worker thread from one snapshot of the workspace, so a large book
(thousands of contacts) never holds up a key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...curve import Point, legend
from ...domain import feelings
from ...domain.accounts import group_of
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.segments import segment_curve
from ..widgets.light import LightScreen, update_if_changed
from ..history import Change
from ..widgets.curve import FeelingCurve
from .customer_keys import BINDINGS, MORE_KEYS, FittingKeyBar
from .customer_data import (
    BUILDERS,
    CustomerTable,
    Rows,
    Snapshot,
    account_problems,
    checklist_parts,
    contact_history,
    review_verdict,
    take_snapshot,
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


VIEWS = {"people": "Accounts and contacts", "risk": "Accounts at risk", "reviews": "Whom to ask for a review",
         "segment": "A segment's curve"}


class CustomersScreen(LightScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = BINDINGS

    def __init__(self, open_map: ExperienceMap | None = None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.today = today  # what day it is, asked each time (tests give a fixed one)
        self.open_map_id = open_map.id if open_map is not None else None
        self.snapshot: Snapshot | None = None
        self.view = "people"
        self.ideal_id: str | None = open_map.id if open_map is not None and open_map.kind == "ideal" else None
        self.segment: tuple[str, str] | None = None  # (segment, map id)
        self.added: tuple[str, Snapshot | None] | None = None  # the row just added, and the snapshot before

    def compose(self) -> ComposeResult:
        yield Static(id="cust-title")
        yield FeelingCurve(self.app.glyphs, id="segment-curve")  # type: ignore[attr-defined]
        with Horizontal(id="cust-body"):
            with Vertical(id="cust-left"):
                yield Static(id="cust-header")
                yield CustomerTable(id="customers")
            with VerticalScroll(id="cust-detail"):  # Tab reaches it, to scroll a long checklist
                yield Static(id="cust-checklist")
        yield Static(id="cust-below")
        yield FittingKeyBar()

    def on_mount(self) -> None:
        self.query_one("#cust-title", Static).update(Content("Customers: reading..."))
        self.query_one(FeelingCurve).display = False
        self.query_one(CustomerTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="customers")
    def load(self) -> None:
        view, g = self.view, self.app.glyphs  # type: ignore[attr-defined]
        try:
            snapshot = take_snapshot(self.app.store)  # type: ignore[attr-defined]
        except CxmapError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        rows = BUILDERS[view](snapshot, g) if view in BUILDERS else None
        self.app.call_from_thread(self._show, snapshot, rows)

    @work(thread=True, exclusive=True, group="customer-rows")
    def _build(self, snapshot: Snapshot, view: str) -> None:
        rows = BUILDERS[view](snapshot, self.app.glyphs)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._show_rows, snapshot, rows)

    async def changed_elsewhere(self) -> None:  # called by the app when another session saved
        self.load()

    # -- showing ---------------------------------------------------------------------------------

    def _show(self, snapshot: Snapshot, rows: Rows | None = None) -> None:
        """A fresh snapshot: show it in the current view (rows laid out for another view, the user
        having moved on meanwhile, are laid out again for this one)."""
        self.snapshot = snapshot
        if self.ideal_id is None or not any(m.id == self.ideal_id for m in snapshot.ideals):
            self.ideal_id = snapshot.ideals[0].id if snapshot.ideals else None
        if rows is not None and rows.view == self.view:
            self._show_rows(snapshot, rows)
        else:
            self._show_view()

    def _show_view(self) -> None:
        """The current view from the snapshot: at once for a segment, from a worker for the rest."""
        s = self.snapshot
        if s is None:
            return
        if self.view == "segment":
            self._fill_segment(s)
        else:
            self._build(s, self.view)

    def _title(self, s: Snapshot) -> None:
        book = s.book
        self.query_one("#cust-title", Static).update(Content.assemble(
            (f"{VIEWS[self.view]}", "bold"),
            (f"   {_count(len(book.accounts), 'account')}, {_count(len(book.contacts), 'contact')}, "
             f"{_count(len(book.interactions), 'recorded interaction')}", "$text-muted")))

    def _show_rows(self, snapshot: Snapshot, rows: Rows) -> None:
        if rows.view != self.view or snapshot is not self.snapshot:
            return  # laid out for a view or a snapshot the user has left
        self._title(snapshot)
        keep = self.current_key()
        if self.added is not None:
            # Just added: highlight it once a snapshot has it (one taken before does not count).
            key, before = self.added
            if any(k == key for k, _ in rows.rows) or snapshot is not before:
                self.added = None
                keep = key
        self.query_one("#cust-header", Static).update(rows.header)
        table = self.query_one(CustomerTable)
        table.set_options([Option(line, id=key) for key, line in rows.rows])
        if table.option_count:
            try:
                table.highlighted = table.get_option_index(keep) if keep is not None else 0
            except OptionDoesNotExist:
                table.highlighted = 0
        self.query_one("#cust-below", Static).update(Content(rows.below))
        self._describe()
        # The list's height follows the line below it and the checklist, known only after this
        # refresh: bring the highlighted row into sight then.
        table.call_after_refresh(table.scroll_to_highlight)

    def _fill_segment(self, s: Snapshot) -> None:
        g = self.app.glyphs  # type: ignore[attr-defined]
        rows = Rows("segment", [("Touchpoint", 28), ("Contacts", 9), ("Average", 8), ("Worst", 6), ("Map", 6)])
        curve = self.query_one(FeelingCurve)
        m = next((x for x in s.maps if x.id == self.segment[1]), None) if self.segment is not None else None
        if self.segment is None or m is None:  # none chosen, or the map was deleted meanwhile
            self.segment = None
            curve.display = False
            self._show_rows(s, rows)
            return
        name = self.segment[0]
        sc = segment_curve(s.book, m, name)
        curve.display = True
        curve.set_points([Point(p.touchpoint.name, p.touchpoint.stage,
                                None if p.average is None else max(-2, min(2, round(p.average))),
                                other=p.map_feeling) for p in sc.points])
        curve.cursor = 0 if sc.points else None
        for p in sc.points:
            rows.add(f"tp:{p.touchpoint.id}", g.text(p.touchpoint.name, 28), str(p.contacts),
                     "-" if p.average is None else f"{p.average:+.2f}", feelings.signed(p.worst) or "-",
                     feelings.signed(p.map_feeling) or "-")
        rows.below = (f"Segment {g.text(name, 30)!r} ({sc.members} contacts) on {g.text(m.title, 30)!r}: "
                      f"{legend(ascii=g.ascii, other='the map')}; the mark is the segment's average, rounded.")
        self._show_rows(s, rows)

    # -- the highlighted customer's checklist ------------------------------------------------------

    def current_key(self) -> str | None:
        option = self.query_one(CustomerTable).highlighted_option
        return option.id if option is not None else None

    @on(OptionList.OptionHighlighted, "#customers")
    def _describe(self) -> None:
        """Below the table: the highlighted customer's history (their problems, open or resolved)
        and the ideal map's checklist for them, the one the view is about first."""
        g = self.app.glyphs  # type: ignore[attr-defined]
        detail = self.query_one("#cust-checklist", Static)
        s, key = self.snapshot, self.current_key()
        if self.view == "segment" and key is not None:  # the rows are the curve's points, in order
            self.query_one(FeelingCurve).cursor = self.query_one(CustomerTable).highlighted
        if s is None or key is None or key.startswith("tp:"):
            update_if_changed(detail, "")
            return
        kind, _, ref = key.partition(":")
        about = account_problems(s, g, ref) if kind == "acc" else contact_history(s, g, ref)
        if self.view == "reviews" and kind == "con":
            about = [*review_verdict(s, g, ref), *about]
        checklist = checklist_parts(s, g, key, self.ideal_id, self.today())
        first, then = (about, checklist) if self.view in ("risk", "reviews") else (checklist, about)
        update_if_changed(detail, Content.assemble(*first, "\n\n", *then))

    # -- actions ---------------------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        self.view = view
        self.query_one(FeelingCurve).display = view == "segment" and self.segment is not None
        self.query_one("#cust-detail").display = view != "segment"  # the curve takes its rows
        self._show_view()

    def action_segment(self) -> None:
        from ..modals.choose import ChooseDialog

        s = self.snapshot
        if s is None:
            return
        segments = s.book.segments()
        if not segments:
            self.notify("No contact or account has a segment yet.", timeout=4)
            return
        map_id = self.open_map_id or (s.maps[0].id if s.maps else None)
        if map_id is None:
            self.notify("There is no map to draw the segment on.", timeout=4)
            return
        g = self.app.glyphs  # type: ignore[attr-defined]

        def chosen(name: str | None) -> None:
            if name is not None and map_id is not None:
                self.segment = (name, map_id)
                self.action_view("segment")

        options = [(name, f"{g.text(name, 40)}  ({_count(count, 'contact')})") for name, count in sorted(segments.items())]
        self.app.push_screen(ChooseDialog("Which segment's curve, on the open map?", options), chosen)

    def action_choose_ideal(self) -> None:
        from ..modals.choose import ChooseDialog

        s = self.snapshot
        if s is None or not s.ideals:
            self.notify("There is no ideal map yet.", timeout=4)
            return

        def chosen(map_id: str | None) -> None:
            if map_id is not None:
                self.ideal_id = map_id
                self._describe()

        g = self.app.glyphs  # type: ignore[attr-defined]
        options = [(m.id, g.text(m.title, 60)) for m in s.ideals]
        self.app.push_screen(ChooseDialog("Run which ideal map as the checklist?", options, current=self.ideal_id),
                             chosen)

    def _saver(self, label: str, undo: Callable[[Any], Callable[[Any], Any]] | None = None, *,
               then: Callable[[Any], None] | None = None) -> Any:
        """What a dialog saves with: the change on the save queue, then (once stored) `undo` of
        its result remembered for u, `then` told the result, and the screen read again."""

        def save(run: Any, done: Any, failed: Any) -> None:
            def stored(result: Any) -> None:
                done(result)
                if undo is not None:
                    # u takes it back; U makes it again (run anew), and u then takes back that one.
                    self.app.remember(Change(label, result, lambda store, r: undo(r)(store), run))  # type: ignore[attr-defined]
                if then is not None:
                    then(result)
                self.load()

            # The dialog says it if the change is not saved: no toast on top of it.
            self.app.submit(label, run, stored, failed, notify=False)  # type: ignore[attr-defined]

        return save

    def action_undo(self) -> None:
        self.app.undo(self._look_again)  # type: ignore[attr-defined]

    def action_redo(self) -> None:
        self.app.redo(self._look_again)  # type: ignore[attr-defined]

    async def _look_again(self, _: Any) -> None:
        """After an undo or redo, which may have been a map's: every screen looks again."""
        for screen in self.app.screen_stack:
            again = getattr(screen, "changed_elsewhere", None)
            if again is not None:
                await again()

    def action_help(self) -> None:
        from ..modals.customers import CustomersHelp

        self.app.push_screen(CustomersHelp(self.BINDINGS, MORE_KEYS))

    def action_record(self) -> None:
        from ..modals.customers import RecordDialog

        s, key = self.snapshot, self.current_key()
        if s is None or key is None or not key.startswith("con:"):
            self.notify("Highlight a contact to record what happened to them.", timeout=4)
            return
        contact = s.book.contacts[key[4:]]
        session = self.app.session  # type: ignore[attr-defined]
        # The map open in the workshop, else the one last recorded on here, else this contact's
        # latest (the first of them still there), else the first map.
        history = sorted(s.book.interactions_of.get(contact.id, ()), key=lambda i: i.order())
        there = {m.id for m in s.maps}
        start_map = next((m for m in (self.open_map_id, session.record_map, history[-1].map if history else None)
                          if m in there), None)
        save = self._saver(f"record for {contact.name!r}",
                           lambda added: lambda store: store.customers.delete_interaction(added.interactions[0].id),
                           then=lambda added: session.note_record_map(added.interactions[0].map))
        self.app.push_screen(RecordDialog(save, contact, s.maps, start_map, today=self.today()))

    def action_resolve(self) -> None:
        from ..modals.choose import ChooseDialog

        s, key = self.snapshot, self.current_key()
        if s is None or key is None or key.startswith("tp:"):
            self.notify("Highlight a contact (or an account at risk) to resolve their open problems.", timeout=4)
            return
        if key.startswith("con:"):
            self._resolve_for(key[4:])
            return
        g = self.app.glyphs  # type: ignore[attr-defined]
        troubled: dict[str, list[str]] = {}
        for p in s.problems.get(key, []):
            troubled.setdefault(p.contact.id, []).append(p.interaction.id)
        if len(troubled) <= 1:
            if troubled:
                self._resolve_for(next(iter(troubled)))
            else:
                self.notify(f"Nothing is open at {g.text(s.book.accounts[key[4:]].name, 40)}.", timeout=4, markup=False)
            return

        def chosen(contact_id: str | None) -> None:
            if contact_id is not None:
                self._resolve_for(contact_id)

        options = [(c, f"{g.text(s.book.contacts[c].name, 40)}  ({len(ids)} open)") for c, ids in troubled.items()]
        self.app.push_screen(ChooseDialog("Resolve whose open problems?", options), chosen)

    def _resolve_for(self, contact_id: str) -> None:
        from ..modals.customers import ResolveDialog

        s = self.snapshot
        assert s is not None
        contact = s.book.contacts[contact_id]
        here = s.problems.get(group_of(s.book, contact), [])
        still = [p for p in here if p.contact.id == contact_id]
        if not still:
            g = self.app.glyphs  # type: ignore[attr-defined]
            others = f"; the one open at their account is {g.text(here[0].contact.name, 30)}'s" if here else ""
            self.notify(f"{g.text(contact.name, 40)} has no open problem{others}.", timeout=5, markup=False)
            return
        save = self._saver(f"resolve {contact.name!r}'s problems",
                           lambda done: lambda store: store.customers.unresolve([r.interaction for _, r in done]))
        self.app.push_screen(ResolveDialog(save, contact, still, today=self.today()))

    def _added(self, key: str) -> None:
        """A new account or contact: the list shows it highlighted once the screen reads it again."""
        self.added = (key, self.snapshot)
        if self.view != "people":
            self.view = "people"  # every account and contact is there (the fresh rows build it)
            self.query_one(FeelingCurve).display = False
            self.query_one("#cust-detail").display = True

    def action_add_account(self) -> None:
        from ..modals.customers import AccountDialog

        save = self._saver("new account", lambda made: lambda store: store.customers.delete_account(made.id),
                           then=lambda made: self._added(f"acc:{made.id}"))
        self.app.push_screen(AccountDialog(save, today=self.today()))

    def action_add_contact(self) -> None:
        from ..modals.customers import ContactDialog

        s, key = self.snapshot, self.current_key()
        if s is None:
            return
        account_id = None
        if key is not None and key.startswith("acc:"):
            account_id = key[4:]
        elif key is not None and key.startswith("con:"):
            account_id = s.book.contacts[key[4:]].account or None
        accounts = sorted(s.book.accounts.values(), key=lambda a: a.name.casefold())
        save = self._saver("new contact", lambda made: lambda store: store.customers.delete_contact(made.id),
                           then=lambda made: self._added(f"con:{made.id}"))
        self.app.push_screen(ContactDialog(save, accounts, account_id, today=self.today()))
