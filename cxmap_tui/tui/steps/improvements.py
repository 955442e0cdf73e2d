"""Step 5: the improvement backlog, sorted, with the low points nobody is working on yet."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import DataTable, Static

from ...domain.analysis import analyze
from ...domain.backlog import SORTS, filter_backlog, priority
from ...domain.model import STATUSES, ExperienceMap, Improvement
from ...domain.words import counted
from ...present.analysis_view import matrix_view
from ..messages import ChangeMap, Saved
from ..modals.backlog_filter import BacklogFilter
from ..widgets.list_keys import LIST_KEYS, ListKeys
from .base import StepPane

COLUMNS = ("Improvement", "Addresses", "Prio", "Val", "Eff", "Status", "Owner")
OWNER_FROM = 96  # the owner column only when the table is at least this wide
SORT_NAMES = tuple(SORTS)


class BacklogTable(ListKeys, DataTable[Any]):
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


class MatrixView(VerticalScroll):
    """m: the opportunity matrix and the list under it that explains it, scrolled by the keys a
    list moves by; Escape (or m again) goes back to the backlog list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "back", "List", key_display="Esc", id="matrix-back"),
        Binding("j", "scroll_down", "Down", show=False, id="matrix-down"),
        Binding("k", "scroll_up", "Up", show=False, id="matrix-up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="matrix-top"),
        Binding("G,end", "scroll_end", "End", show=False, id="matrix-end"),
        Binding("space", "page_down", "Page down", show=False, id="matrix-page"),
    ]

    def action_back(self) -> None:
        self.query_ancestor(ImprovementsPane).do_matrix()


class ImprovementsPane(StepPane):
    STEP = 5
    # On the pane, not the table: they work in the matrix view too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "sort", "Sort", id="imp-sort"),
        Binding("f", "filter", "Filter", id="imp-filter"),
        Binding("m", "matrix", "Matrix", id="imp-matrix"),
    ]

    HELP_KEYS = (
        ("up / down", "move the cursor"),
        ("a", "add an improvement"),
        ("A (shift+a)", "add one for the worst friction point nobody is working on yet"),
        ("enter or e", "edit it"),
        ("d", "delete it (asks first; u undoes it)"),
        ("o", "sort by priority, value, effort, status or title"),
        ("f", "show only some: by status, owner, touchpoint"),
        ("m", "the opportunity matrix: value against effort, four quadrants (m or Esc: the list)"),
        ("j / k, G / End", "in the matrix: scroll it (PageDown a page)"),
        ("Val / Eff", "customer value / business value, and effort, each 1-5"),
        ("Prio", "mean of customer and business value, divided by effort, times 20 (4-100)"),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort = "priority"
        self.filters = BacklogFilter()
        self.show_matrix = False
        self._order: list[str] = []
        self._widths: tuple[int, ...] = ()
        self._drawn_matrix = 0

    def compose(self) -> ComposeResult:
        yield Static(id="attention", classes="attention")
        yield Static(id="backlog-title", classes="subtitle")
        yield BacklogTable(id="backlog", cursor_type="row")
        with MatrixView(id="matrix-view"):
            yield Static(id="matrix")
        yield Static(Content("No improvements yet. Press a to plan one, or A for the friction above."),
                     id="imp-empty", classes="empty")

    def entered(self) -> None:
        self.focus_now(self.query_one(BacklogTable))
        self.restore_row(self.move_to, self.cursor_id)

    @property
    def table(self) -> BacklogTable:
        return self.query_one(BacklogTable)

    def show_map(self, m: ExperienceMap | None) -> None:
        super().show_map(m)
        self._fill()

    def on_resize(self, _event: Resize) -> None:
        if self._column_widths() != self._widths or (self.show_matrix and self._matrix_width() != self._drawn_matrix):
            self._fill()

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

    def _fill(self) -> None:
        m = self.map
        g = self.glyphs
        attention = self.query_one("#attention", Static)
        table = self.table
        if m is None:
            table.clear()
            self._order = []
            return
        lows = analyze(m).unaddressed
        if lows:
            names = ", ".join(f"{g.face(f.touchpoint.feeling)} {g.text(f.touchpoint.name, 24)}" for f in lows[:4])
            more = f" and {len(lows) - 4} more" if len(lows) > 4 else ""
            attention.update(Content.assemble(
                (f"{g.warn} Friction with no improvement yet: ", "bold $text-warning"), names, more,
                ("  (A plans one)", "$text-muted")))
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
        keep, index = self.cursor_id(), table.cursor_row  # before a new width clears the table
        if widths != self._widths:
            self._widths = widths
            table.clear(columns=True)
            for label, width in zip(COLUMNS[:len(widths)], widths, strict=True):  # no owner when narrow
                table.add_column(label, width=width, key=label)
        with_owner = len(widths) == len(COLUMNS)
        table.clear()
        tp_names = {tp.id: tp.name for tp in m.touchpoints}
        backlog = shown
        for imp in backlog:
            linked = ", ".join(tp_names.get(t, "?") for t in imp.touchpoints) or "-"
            cells = [
                Text(g.text(imp.title, widths[0])),
                Text(g.text(linked, widths[1])),
                Text(str(priority(imp)), justify="right"),
                Text(f"{imp.customer_value}/{imp.business_value}"),
                Text(str(imp.effort), justify="center"),
                Text(STATUSES.get(imp.status, imp.status)),
            ]
            if with_owner:
                cells.append(Text(g.text(imp.owner, widths[6])))
            table.add_row(*cells, key=imp.id)
        self._order = [imp.id for imp in backlog]
        self.query_one("#imp-empty").display = not backlog and not self.show_matrix
        self.move_to(keep, fallback=index)

    def cursor_id(self) -> str | None:
        row = self.table.cursor_row
        return self._order[row] if 0 <= row < len(self._order) else None

    def move_to(self, imp_id: str | None, fallback: int = 0) -> None:
        if self._order:
            row = self._order.index(imp_id) if imp_id in self._order else max(0, min(fallback, len(self._order) - 1))
            self.table.move_cursor(row=row)

    def _current(self) -> Improvement | None:
        imp_id = self.cursor_id()
        if self.map is None or imp_id is None:
            return None
        return next((i for i in self.map.improvements if i.id == imp_id), None)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.move_to(message.item_id, fallback=self.table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self.remember_row(self.cursor_id())

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.do_edit()

    # -- actions ---------------------------------------------------------------------------------

    def do_add(self, for_touchpoints: tuple[str, ...] = ()) -> None:
        if self.map is None:
            return
        from ..modals.improvement_form import ImprovementForm

        self.app.push_screen(ImprovementForm(self, self.map, None, for_touchpoints=for_touchpoints))

    def do_add_for_lows(self) -> None:
        if self.map is None:
            return
        lows = analyze(self.map).unaddressed
        if not lows:
            self.notify("Every friction point has an improvement already.", timeout=3)
        self.do_add(tuple(f.touchpoint.id for f in lows[:1]))

    def do_edit(self) -> None:
        imp = self._current()
        if self.map is None or imp is None:
            self.do_add()
            return
        from ..modals.improvement_form import ImprovementForm

        self.app.push_screen(ImprovementForm(self, self.map, imp))

    def do_delete(self) -> None:
        imp = self._current()
        if imp is None:
            return
        from ..modals.confirm import Confirm

        imp_id, title = imp.id, imp.title

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(
                    ChangeMap(f"delete the improvement {title!r}", lambda m: m.remove_improvement(imp_id),
                              undo=lambda m, removed: m.restore_improvement(*removed),
                              done=lambda _: self.notify(f"Deleted {self.glyphs.text(title, 40)!r}. Press u to undo.",
                                                         timeout=6, markup=False))
                )

        self.app.push_screen(Confirm(f"Delete the improvement {self.glyphs.text(title, 50)!r}?", yes="Delete"),
                             confirmed)

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
                self._fill()

        self.app.push_screen(BacklogFilterDialog(self.map, self.filters), chosen)

    def do_matrix(self) -> None:
        self.show_matrix = not self.show_matrix
        self._fill()
        (self.query_one("#matrix-view") if self.show_matrix else self.table).focus()

    def do_sort(self) -> None:
        self.sort = SORT_NAMES[(SORT_NAMES.index(self.sort) + 1) % len(SORT_NAMES)]
        self._fill()
