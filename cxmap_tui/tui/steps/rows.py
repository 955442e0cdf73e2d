"""What the step panes' lists share: a table's rows kept by id, and a pane of items (touchpoints,
improvements) that are added, edited and deleted through forms.

Filling a table again after every save would send the whole list down the line each time; `Rows`
touches only the cells that changed while the same items stand in the same order, and puts the
cursor back on the item it was on when the list is built anew."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from rich.text import Text
from textual import on
from textual.screen import Screen
from textual.widgets import DataTable

from ...domain.edits import MapEdit
from ...domain.model import ExperienceMap
from ..messages import ChangeMap, Saved
from .base import StepPane

Cells = Sequence[Text]


class Rows:
    """The rows of `table`, by item id, in order."""

    def __init__(self, table: DataTable[Text]) -> None:
        self.table = table
        self.order: list[str] = []
        self.widths: tuple[int, ...] = ()
        self._cells: dict[str, Cells] = {}

    def clear(self) -> None:
        self.table.clear()
        self.order, self._cells = [], {}

    def fill(self, columns: Iterable[tuple[str, int]], rows: Mapping[str, Cells]) -> None:
        """Show `rows` (id -> cells, in order) under `columns` (label, width; the label is the key)."""
        table = self.table
        keep, index = self.cursor_id(), table.cursor_row  # before new widths clear the table
        columns = tuple(columns)
        widths = tuple(width for _, width in columns)
        if widths != self.widths:
            self.widths = widths
            table.clear(columns=True)
            for label, width in columns:
                table.add_column(label, width=width, key=label)
            self.order, self._cells = [], {}
        order = list(rows)
        if order == self.order:
            # The same items in the same order: only the cells that changed.
            for item_id, cells in rows.items():
                for (label, _), new, old in zip(columns, cells, self._cells[item_id], strict=True):
                    if new.plain != old.plain or new.style != old.style:
                        table.update_cell(item_id, label, new)
        else:
            table.clear()
            for item_id, cells in rows.items():
                table.add_row(*cells, key=item_id)
            self.order = order
            self.move_to(keep, fallback=index)
        self._cells = dict(rows)

    def cursor_id(self) -> str | None:
        row = self.table.cursor_row
        return self.order[row] if 0 <= row < len(self.order) else None

    def move_to(self, item_id: str | None, fallback: int = 0) -> None:
        """The cursor on `item_id`, or (gone) on row `fallback`, within the list."""
        if self.order:
            row = self.order.index(item_id) if item_id in self.order else max(0, min(fallback, len(self.order) - 1))
            self.table.move_cursor(row=row)


class HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=HasId)


class ItemsPane(StepPane, Generic[Item]):
    """A pane listing items of the map (touchpoints, improvements) in a table, edited through
    forms (see modals.map_form)."""

    _rows: Rows | None = None

    @property
    def table(self) -> DataTable[Text]:
        """The pane's table of items."""
        raise NotImplementedError

    @property
    def rows(self) -> Rows:
        if self._rows is None:
            self._rows = Rows(self.table)
        return self._rows

    def entered(self) -> None:
        self.focus_now(self.table)
        self.restore_row(self.move_to, self.cursor_id)

    def show_map(self, m: ExperienceMap | None) -> None:
        super().show_map(m)
        self.fill()

    def fill(self) -> None:
        """Show the map's items (and what goes with them) in the table."""
        raise NotImplementedError

    def cursor_id(self) -> str | None:
        return self.rows.cursor_id()

    def move_to(self, item_id: str | None, fallback: int = 0) -> None:
        self.rows.move_to(item_id, fallback)

    def items(self, m: ExperienceMap) -> Sequence[Item]:
        """The map's items this pane lists."""
        raise NotImplementedError

    def form(self, item: Item | None) -> Screen[bool]:
        """The form that edits `item` (None: adds one)."""
        raise NotImplementedError

    def current(self) -> Item | None:
        """The highlighted item."""
        item_id = self.cursor_id()
        if self.map is None or item_id is None:
            return None
        return next((item for item in self.items(self.map) if item.id == item_id), None)

    def do_add(self) -> None:
        if self.map is not None:
            self.app.push_screen(self.form(None))

    def do_edit(self) -> None:
        item = self.current()
        if self.map is not None:
            self.app.push_screen(self.form(item))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        """A form saved: the cursor on what it made or changed."""
        self.move_to(message.item_id, fallback=self.rows.table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self.remember_row(self.cursor_id())

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.do_edit()

    def confirm_delete(self, what: str, name: str, edit: MapEdit, extra: str = "") -> None:
        """Ask, then delete (u takes it back, and the notice says so)."""
        from ..modals.confirm import Confirm

        shown = self.glyphs.text(name, 40)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(ChangeMap(f"delete the {what} {name!r}", edit,
                                            notice=f"Deleted {shown!r}. Press u to undo."))

        self.app.push_screen(Confirm(f"Delete the {what} {self.glyphs.text(name, 50)!r}?{extra}", yes="Delete"),
                             confirmed)
