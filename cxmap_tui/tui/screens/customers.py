"""Real customers: accounts and their contacts with each account's experience (its worst
contact's), the ideal map as a checklist for whoever is highlighted, the accounts at risk, whom to
ask for a review (and whom not, and why), and a segment's curve beside the map's own.

Everything is computed on a worker thread from one snapshot of the workspace, so a large book
(thousands of contacts) never holds up a key."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...curve import Point, legend
from ...domain import feelings
from ...domain.checklist import STATES, account_checklist, contact_checklist
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.segments import segment_curve
from ..widgets.curve import FeelingCurve
from ..widgets.key_bar import KeyBar
from .customer_data import BUILDERS, CustomerTable, Rows, Snapshot, take_snapshot


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


VIEWS = {"people": "Accounts and contacts", "risk": "Accounts at risk", "reviews": "Whom to ask for a review",
         "segment": "A segment's curve"}


class CustomersScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,ctrl+g,f6", "app.pop_screen", "Back", key_display="q", id="cust-close"),
        Binding("n", "record", "Record", id="cust-record", tooltip="Record what happened to the highlighted contact"),
        Binding("A", "add_account", "Account", key_display="A", id="cust-account",
                tooltip="Add an account (a company)"),
        Binding("C", "add_contact", "Contact", key_display="C", id="cust-contact",
                tooltip="Add a contact (a person), in the highlighted account"),
        Binding("l", "view('people')", "List", id="cust-people", tooltip="Accounts and their contacts"),
        Binding("r", "view('risk')", "Risk", id="cust-risk", tooltip="Accounts at risk, worst first"),
        Binding("w", "view('reviews')", "Reviews", id="cust-reviews"),
        Binding("s", "segment", "Segment", id="cust-segment"),
        Binding("k", "choose_ideal", "Checklist map", show=False, id="cust-ideal"),
        Binding("ctrl+q", "app.quit", "Quit", key_display="^q", show=False, id="cust-quit"),
    ]

    def __init__(self, open_map: ExperienceMap | None = None) -> None:
        super().__init__()
        self.open_map_id = open_map.id if open_map is not None else None
        self.snapshot: Snapshot | None = None
        self.view = "people"
        self.ideal_id: str | None = open_map.id if open_map is not None and open_map.kind == "ideal" else None
        self.segment: tuple[str, str] | None = None  # (segment, map id)

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
        yield KeyBar()

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
        g = self.app.glyphs  # type: ignore[attr-defined]
        detail = self.query_one("#cust-checklist", Static)
        s, key = self.snapshot, self.current_key()
        if self.view == "segment" and key is not None:  # the rows are the curve's points, in order
            self.query_one(FeelingCurve).cursor = self.query_one(CustomerTable).highlighted
        if s is None or key is None or key.startswith("tp:"):
            detail.update("")
            return
        ideal = next((m for m in s.ideals if m.id == self.ideal_id), None)
        if ideal is None:
            detail.update(Content("No ideal map yet: the checklist runs an ideal map's moments for each customer. "
                                  "Start one in step 1 (an 'ideal' template)."))
            return
        kind, _, ref = key.partition(":")
        today = date.today()
        try:
            checklist = (account_checklist if kind == "acc" else contact_checklist)(s.book, ideal, ref, today)
        except CxmapError as error:
            detail.update(Content(g.text(str(error))))
            return
        who = checklist.contact.name if checklist.contact else checklist.account.name if checklist.account else ""
        counts = ", ".join(f"{checklist.count(state)} {state}" for state in STATES if checklist.count(state))
        lines: list[Any] = [(g.text(who, 30), "bold"), f": {counts or 'nothing to do'}", "\n",
                            (f"from the ideal map {g.text(ideal.title, 30)!r}  (k: another map; Tab: scroll this)", "$text-muted")]
        order = {state: i for i, state in enumerate(STATES)}
        items = sorted(checklist.items, key=lambda i: order[i.state])
        shown = 30
        for item in items[:shown]:
            due = f" (due {item.due.isoformat()})" if item.due and item.state != "done" else ""
            whose = f" - {g.text(item.contact.name, 30)}" if kind == "acc" and item.contact else ""
            style = "bold $text-error" if item.state == "overdue" else "bold" if item.state == "due" else ""
            lines += ["\n", (f"{item.state:<9}", style), f" {g.text(item.touchpoint.name, 30)}{whose}{due}"]
        if len(items) > shown:
            lines += ["\n", (f"... and {len(items) - shown} more: cxmap checklist --{'account' if kind == 'acc' else 'contact'}"
                             f" NAME --map IDEAL shows them all", "$text-muted")]
        detail.update(Content.assemble(*lines))

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

    def _saver(self, label: str) -> Any:
        def save(run: Any, done: Any, failed: Any) -> None:
            def stored(result: Any) -> None:
                done(result)
                self.load()

            self.app.submit(label, run, stored, failed)  # type: ignore[attr-defined]

        return save

    def action_record(self) -> None:
        from ..modals.customers import RecordDialog

        s, key = self.snapshot, self.current_key()
        if s is None or key is None or not key.startswith("con:"):
            self.notify("Highlight a contact to record what happened to them.", timeout=4)
            return
        contact = s.book.contacts[key[4:]]
        default_map = self.open_map_id or self.ideal_id
        self.app.push_screen(RecordDialog(self._saver("Record"), contact, s.maps, default_map))

    def action_add_account(self) -> None:
        from ..modals.customers import AccountDialog

        self.app.push_screen(AccountDialog(self._saver("New account")))

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
        self.app.push_screen(ContactDialog(self._saver("New contact"), accounts, account_id))
