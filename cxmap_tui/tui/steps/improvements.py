"""Step 5: the improvement backlog, sorted, with the low points nobody is working on yet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...domain.analysis import analyze
from ...domain.backlog import SORTS, filter_backlog, priority
from ...domain.edits import RemoveImprovement
from ...domain.model import STATUSES, ExperienceMap, Improvement, Touchpoint
from ...domain.words import counted
from ...present.analysis_view import matrix_view
from ..glyphs import Glyphs
from ..modals.backlog_filter import BacklogFilter
from ..widgets.list_keys import LIST_KEYS, ListKeys, ReadingScroll
from ..widths import width_to_come
from .rows import Cells, ItemsPane

COLUMNS = ("Improvement", "Addresses", "Prio", "Val", "Eff", "Status", "Owner")
OWNER_FROM = 96  # the owner column only when the table is at least this wide
SORT_NAMES = tuple(SORTS)


class BacklogTable(ListKeys, DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_KEYS,
        Binding("a", "pane('add')", "Add", id="imp-add"),
        Binding("A", "pane('add_for_lows')", "Add for lows", show=False, id="imp-add-lows"),
        Binding("e", "pane('edit')", "Edit", id="imp-edit"),
        Binding("d,delete", "pane('delete')", "Delete", id="imp-delete"),
        Binding("u", "screen.undo", "Undo", show=False, id="imp-undo"),
    ]

    def action_pane(self, name: str) -> None:
        getattr(self.query_ancestor(ImprovementsPane), f"do_{name}")()


ATTENTION_LINES = 2  # the friction note's most lines (.attention in app.tcss)


def friction_note(lows: Sequence[Touchpoint], g: Glyphs, width: int) -> Content:
    """The friction points no improvement addresses, worst first, and the key that plans one, in
    at most ATTENTION_LINES of `width` cells: fewer names, then shorter, until the key is in sight."""
    lead = (f"{g.warn} Friction with no improvement yet: ", "bold $text-warning")
    key = ("  (A plans one)", "$text-muted")
    note = Content.assemble(lead, key)
    for cut in (24, 16, 10):  # names readable first: fewer of them before shorter
        for shown in range(min(4, len(lows)), 0, -1):
            names = ", ".join(f"{g.face(tp.feeling)} {g.text(tp.name, cut)}" for tp in lows[:shown])
            more = f" and {len(lows) - shown} more" if len(lows) > shown else ""
            note = Content.assemble(lead, names, more, key)
            if len(note.wrap(width)) <= ATTENTION_LINES:
                return note
    return note


class MatrixView(ReadingScroll):
    """m: the opportunity matrix and the list under it that explains it, scrolled by the keys a
    list moves by; Escape (or m again) goes back to the backlog list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "back", "List", key_display="Esc", id="matrix-back"),
    ]

    def action_back(self) -> None:
        self.query_ancestor(ImprovementsPane).do_matrix()


class ImprovementsPane(ItemsPane[Improvement]):
    STEP = 5
    # On the pane, not the table: they work in the matrix view too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "sort", "Sort", id="imp-sort"),
        Binding("f", "filter", "Filter", id="imp-filter"),
        Binding("m", "matrix", "Matrix", id="imp-matrix"),
    ]


    # Each pane starts with these (the filter is a frozen value, replaced, never changed in place).
    sort = "priority"
    filters = BacklogFilter()
    show_matrix = False
    _drawn_matrix = 0

    def compose(self) -> ComposeResult:
        yield Static(id="attention", classes="attention")
        yield Static(id="backlog-title", classes="subtitle")
        yield BacklogTable(id="backlog", cursor_type="row")
        with MatrixView(id="matrix-view"):
            yield Static(id="matrix")
        yield Static(Content("No improvements yet. Press a to plan one, or A for the friction above."),
                     id="imp-empty", classes="empty")

    @property
    def table(self) -> BacklogTable:
        return self.query_one(BacklogTable)

    def on_resize(self, _event: Resize) -> None:
        matrix_resized = self.show_matrix and self._matrix_width() != self._drawn_matrix
        if self._column_widths() != self.rows.widths or matrix_resized:
            self.fill()

    def _matrix_width(self) -> int:
        # The matrix view's own width, less its scrollbar; the terminal's before the first layout.
        view = self.query_one("#matrix-view")
        return (view.size.width or self.app.size.width) - 3

    def _column_widths(self) -> tuple[int, ...]:
        width = self.table.size.width or max(40, self.size.width)
        columns = len(COLUMNS) if width >= OWNER_FROM else len(COLUMNS) - 1
        room = max(40, width - 2 * columns - 1)
        owner = min(16, room // 7) if columns == len(COLUMNS) else 0
        rest = room - (4 + 3 + 3 + 11) - owner
        title = rest * 3 // 5
        return (title, rest - title, 4, 3, 3, 11, owner)[:columns]

    def fill(self) -> None:
        m = self.map
        g = self.glyphs
        attention = self.query_one("#attention", Static)
        if m is None:
            self.rows.clear()
            return
        lows = analyze(m).unaddressed
        if lows:
            width = width_to_come(attention.size.width, lambda: max(20, self.app.size.width - 2))
            attention.update(friction_note([f.touchpoint for f in lows], g, width))
        elif m.touchpoints and any(tp.feeling is not None for tp in m.touchpoints):
            attention.update(Content(f"{g.done} Every friction point has an improvement."))
        else:
            attention.update(Content("Rate the touchpoints (step 4) to see the friction points here."))
        shown = sorted(filter_backlog(m, statuses=self.filters.statuses, owner=self.filters.owner,
                                      touchpoint=self.filters.touchpoint), key=SORTS[self.sort])
        count = (f"{len(shown)} of {len(m.improvements)} improvements ({self.filters.describe(m)})"
                 if self.filters.active else counted(len(m.improvements), "improvement"))
        title = self.query_one("#backlog-title", Static)
        heading = Content.styled(f"Backlog, {count}, by {self.sort}", "bold")
        keys = Content.styled("  (o order, f filter, m matrix)", "$text-muted")
        # The keys only where they fit beside it (the key bar has them too); a long heading wraps.
        fits = heading.cell_length + keys.cell_length <= (title.size.width or self.app.size.width - 2)
        title.update(Content.assemble(heading, keys) if fits else heading)
        self.query_one(BacklogTable).display = not self.show_matrix
        self.query_one("#matrix-view").display = self.show_matrix
        if self.show_matrix:
            self._drawn_matrix = self._matrix_width()
            self.query_one("#matrix", Static).update(
                matrix_view(m, shown, filtered=self.filters.active, ascii=g.ascii, width=self._drawn_matrix))
        widths = self._column_widths()
        with_owner = len(widths) == len(COLUMNS)  # no owner when narrow
        tp_names = {tp.id: tp.name for tp in m.touchpoints}
        rows: dict[str, Cells] = {}
        for imp in shown:
            linked = ", ".join(tp_names.get(t, "?") for t in imp.touchpoints) or "-"
            rows[imp.id] = (
                Text(g.text(imp.title, widths[0])),
                Text(g.text(linked, widths[1])),
                Text(str(priority(imp)), justify="right"),
                Text(f"{imp.customer_value}/{imp.business_value}"),
                Text(str(imp.effort), justify="center"),
                Text(STATUSES.get(imp.status, imp.status)),
                *([Text(g.text(imp.owner, widths[6]))] if with_owner else []),
            )
        self.rows.fill(zip(COLUMNS, widths, strict=False), rows)  # no owner column when narrow
        self.query_one("#imp-empty").display = not shown and not self.show_matrix

    # -- actions ---------------------------------------------------------------------------------

    def items(self, m: ExperienceMap) -> list[Improvement]:
        return m.improvements

    def form(self, item: Improvement | None, for_touchpoints: tuple[str, ...] = ()) -> Screen[bool]:
        from ..modals.improvement_form import ImprovementForm

        assert self.map is not None
        return ImprovementForm(self, self.map, item, for_touchpoints=for_touchpoints)

    def do_add_for_lows(self) -> None:
        if self.map is None:
            return
        lows = analyze(self.map).unaddressed
        if not lows:
            self.notify("Every friction point has an improvement already.", timeout=3)
        self.app.push_screen(self.form(None, tuple(f.touchpoint.id for f in lows[:1])))

    def do_delete(self) -> None:
        imp = self.current()
        if imp is None:
            return
        self.confirm_delete("improvement", imp.title, RemoveImprovement(imp.id))

    def action_sort(self) -> None:
        self.do_sort()

    def action_filter(self) -> None:
        self.do_filter()

    def action_matrix(self) -> None:
        self.do_matrix()

    def do_filter(self) -> None:
        if self.map is None:
            return
        from ..modals.backlog_filter import BacklogFilterDialog

        def chosen(filters: BacklogFilter | None) -> None:
            if filters is not None:
                self.filters = filters
                self.fill()

        self.app.push_screen(BacklogFilterDialog(self.map, self.filters), chosen)

    def do_matrix(self) -> None:
        self.show_matrix = not self.show_matrix
        self.fill()
        (self.query_one("#matrix-view") if self.show_matrix else self.table).focus()

    def do_sort(self) -> None:
        self.sort = SORT_NAMES[(SORT_NAMES.index(self.sort) + 1) % len(SORT_NAMES)]
        self.fill()
