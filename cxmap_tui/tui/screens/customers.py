"""Real customers: accounts and their contacts with each account's experience (its worst
contact's), the ideal map as a checklist and the history for whoever is highlighted, the accounts
with an open problem, whom to ask for a review now (and who not yet, and why), resolving a
contact's problems, and a segment's curve beside the map's own.

Everything is computed on a worker thread from one snapshot of the workspace, so a large book
(thousands of contacts) never holds up a key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...domain import feelings
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.segments import segment_curve
from ...present.curve import Point, legend
from ...store.collecting import collection_paused
from ...store.customer_checks import ACCOUNTS, CONTACTS, INTERACTIONS, RESOLUTIONS
from ...store.store import MAPS
from ..context import StoreNews, cxmap
from ..elsewhere import EVERYTHING, Elsewhere
from ..widgets.curve import FeelingCurve
from ..widgets.light import update_if_changed
from ..widths import styled_width, width_to_come
from .customer_columns import Column, Rows
from .customer_data import (
    BUILDERS,
    CustomerTable,
    Snapshot,
    account_problems,
    checklist_parts,
    contact_history,
    review_verdict,
    take_snapshot,
)
from .customer_edits import CustomerEdits
from .customer_keys import BINDINGS, MORE_KEYS, FittingKeyBar


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


SEGMENT = [Column("Touchpoint", 28, least=12, most=40), Column("Contacts", 9), Column("Average", 8),
           Column("Worst", 6), Column("Map", 6)]
VIEWS = {"people": "Accounts and contacts", "risk": "Accounts at risk", "reviews": "Whom to ask for a review",
         "segment": "A segment's curve"}


# What the screen shows comes from these tables (the maps: touchpoint names, the ideal's days).
SHOWN_HERE = (ACCOUNTS, CONTACTS, INTERACTIONS, RESOLUTIONS, MAPS)

class CustomersScreen(StoreNews, CustomerEdits):
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
        self.shown_in: tuple[int, int] | None = None  # the widths the rows and the lines below were laid out in
        self.take_breakpoints()  # so that the rows are laid out in the widths the screen will have

    def compose(self) -> ComposeResult:
        yield Static(id="cust-title")
        yield FeelingCurve(cxmap(self).glyphs, id="segment-curve")
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

    def load(self) -> None:
        """Read the workspace again, and show it (on a worker thread)."""
        self._load(self.view, self._room())

    @work(thread=True, exclusive=True, group="customers")
    def _load(self, view: str, room: int) -> None:
        g = cxmap(self).glyphs
        try:
            with collection_paused():  # see store/collecting.py
                snapshot = take_snapshot(cxmap(self).store)
        except CxmapError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        with collection_paused():  # the rows apart: two shorter walks than one of both
            rows = BUILDERS[view](snapshot, g, room) if view in BUILDERS else None
        self.app.call_from_thread(self._show, snapshot, rows)

    @work(thread=True, exclusive=True, group="customer-rows")
    def _build(self, snapshot: Snapshot, view: str, room: int) -> None:
        rows = BUILDERS[view](snapshot, cxmap(self).glyphs, room)
        self.app.call_from_thread(self._show_rows, snapshot, rows)

    async def changed_elsewhere(self, news: Elsewhere = EVERYTHING) -> None:
        if any(news.touched(table) for table in SHOWN_HERE):
            self.load()

    # -- the room there is -----------------------------------------------------------------------

    def _room(self) -> int:
        """The cells the table's rows have: its width less its padding and a scroll bar's room
        (kept whether there is one or not, so that a longer list is not laid out again)."""
        table = self.query_one(CustomerTable)
        return int(self._width_of(table) - table.styles.gutter.width - table.styles.scrollbar_size_vertical)

    def _detail_room(self) -> int:
        """The cells of a line below the table (beside it when wide), less a scroll bar's room."""
        detail = self.query_one("#cust-detail")
        return int(self._width_of(detail) - detail.styles.gutter.width - detail.styles.scrollbar_size_vertical)

    def _width_of(self, widget: Widget) -> int:
        """A widget's width; before the screen is first laid out, the width it will have (the rows
        are laid out in it: see tui.widths)."""
        return width_to_come(widget.outer_size.width, lambda: self._planned_width(widget))

    def _planned_width(self, widget: Widget) -> int:
        """The table has the screen's width, or its column's own when that has one (on a wide
        screen, where the lines below stand beside it and have the rest)."""
        left_width = styled_width(self.query_one("#cust-left"))
        whole = cxmap(self).size.width
        if left_width is None:
            return whole
        return min(whole, left_width) if widget.id != "cust-detail" else max(20, whole - left_width)

    def on_resize(self, _event: Resize) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """After a resize: the rows laid out again if their room changed, the lines below too."""
        if self.shown_in is None or self.snapshot is None:
            return
        room, detail = self.shown_in
        if room != self._room():
            self._show_view()
        elif detail != self._detail_room():
            self._title(self.snapshot)
            self._describe()

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
            self._build(s, self.view, self._room())

    def _title(self, s: Snapshot) -> None:
        """The view's name and the book's counts, as many of them whole as the width has room for."""
        title = self.query_one("#cust-title", Static)
        name = VIEWS[self.view]
        room = (title.outer_size.width or self.app.size.width) - title.styles.gutter.width - len(name) - 3
        book, met = s.book, len(s.book.interactions)
        people = [_count(len(book.accounts), "account"), _count(len(book.contacts), "contact")]
        choices = [[*people, _count(met, "recorded interaction")], [*people, _count(met, "interaction")],
                   people, people[:1]]
        counts = next((", ".join(c) for c in choices if len(", ".join(c)) <= room), "")
        update_if_changed(title, Content.assemble((name, "bold"), (f"   {counts}" if counts else "", "$text-muted")))

    def _show_rows(self, snapshot: Snapshot, rows: Rows) -> None:
        if rows.view != self.view or snapshot is not self.snapshot:
            return  # laid out for a view or a snapshot the user has left
        if rows.room != self._room():  # laid out for a width the screen has left
            self._show_view()
            return
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
        self.shown_in = (rows.room, self._detail_room())
        # The list's height follows the line below it and the checklist, known only after this
        # refresh: bring the highlighted row into sight then.
        table.call_after_refresh(table.scroll_to_highlight)

    def _fill_segment(self, s: Snapshot) -> None:
        g = cxmap(self).glyphs
        rows = Rows("segment", SEGMENT, self._room())
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
            rows.add(f"tp:{p.touchpoint.id}", g.text(p.touchpoint.name, rows.widths[0]), str(p.contacts),
                     "-" if p.average is None else f"{p.average:+.2f}", feelings.signed(p.worst) or "-",
                     feelings.signed(p.map_feeling) or "-")
        rows.below = (f"Segment {g.text(name, 30)!r} ({_count(sc.members, 'contact')}) on {g.text(m.title, 30)!r}: "
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
        g = cxmap(self).glyphs
        detail = self.query_one("#cust-checklist", Static)
        s, key = self.snapshot, self.current_key()
        if self.view == "segment" and key is not None:  # the rows are the curve's points, in order
            self.query_one(FeelingCurve).cursor = self.query_one(CustomerTable).highlighted
        if s is None or key is None or key.startswith("tp:"):
            update_if_changed(detail, "")
            return
        kind, _, ref = key.partition(":")
        width = self._detail_room()
        about = account_problems(s, g, ref, width) if kind == "acc" else contact_history(s, g, ref, width)
        if self.view == "reviews" and kind == "con":
            about = [*review_verdict(s, g, ref, width), *about]
        checklist = checklist_parts(s, g, key, self.ideal_id, self.today(), width)
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
        g = cxmap(self).glyphs

        def chosen(name: str | None) -> None:
            if name is not None and map_id is not None:
                self.segment = (name, map_id)
                self.action_view("segment")

        options = [(name, f"{g.text(name, 40)}  ({_count(count, 'contact')})")
                   for name, count in sorted(segments.items())]
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

        g = cxmap(self).glyphs
        options = [(m.id, g.text(m.title, 60)) for m in s.ideals]
        self.app.push_screen(ChooseDialog("Run which ideal map as the checklist?", options, current=self.ideal_id),
                             chosen)

    def action_undo(self) -> None:
        cxmap(self).undo(self._look_again)

    def action_redo(self) -> None:
        cxmap(self).redo(self._look_again)

    async def _look_again(self) -> None:
        """After an undo or redo, which may have been a map's: every screen looks again."""
        for screen in self.app.screen_stack:
            again = getattr(screen, "changed_elsewhere", None)
            if again is not None:
                await again()

    def action_help(self) -> None:
        from ..modals.customers import CustomersHelp

        self.app.push_screen(CustomersHelp(self.BINDINGS, MORE_KEYS))
