"""Step 3: the touchpoints in the order the customer meets them, labelled by stage."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import DataTable, Static

from ...domain.model import ExperienceMap, Touchpoint
from ...present.map_view import touchpoint_detail
from ..messages import ChangeMap, Saved
from ..widgets.detail_line import DetailLine
from ..widgets.list_keys import LIST_KEYS, ListKeys
from .base import StepPane

COLUMNS = ("#", "Stage", "Touchpoint", "Customer action", "Channel")


class TouchpointTable(ListKeys, DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_KEYS,
        Binding("a", "pane('add')", "Add", id="tp-add"),
        Binding("e", "pane('edit')", "Edit", id="tp-edit"),
        Binding("d,delete", "pane('delete')", "Delete", id="tp-delete"),
        Binding("shift+up,K", "pane('move', -1)", "Move", key_display="S-Up/Dn", id="tp-up"),
        Binding("shift+down,J", "pane('move', 1)", "Move down", show=False, id="tp-down"),
        Binding("s", "pane('stages')", "Stages", show=False, id="tp-stages"),
        Binding("u", "screen.undo", "Undo", id="tp-undo"),
    ]

    def action_pane(self, name: str, *args: Any) -> None:
        getattr(self.query_ancestor(TouchpointsPane), f"do_{name}")(*args)


class TouchpointsPane(StepPane):
    STEP = 3
    HELP_KEYS = (
        ("up / down", "move the cursor"),
        ("enter or e", "edit the touchpoint"),
        ("a", "add a touchpoint after the cursor"),
        ("d", "delete it (asks first; u undoes it)"),
        ("shift+up / shift+down (or K / J)", "move it earlier or later"),
        ("s", "edit the stages"),
        ("u", "undo the last change"),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._order: list[str] = []
        self._widths: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Content("No touchpoints yet. Press a to add the first: where the customer first meets you."),
                     id="tp-empty", classes="empty")
        with Horizontal():
            yield TouchpointTable(id="touchpoints", cursor_type="row", zebra_stripes=False)
            yield Static(id="tp-detail", classes="preview")
        yield DetailLine(id="tp-line", ascii=self.glyphs.ascii)  # where there is no room for the side panel

    def entered(self) -> None:
        self.focus_now(self.query_one(TouchpointTable))
        self.restore_row(self.move_to, self.cursor_id)

    @property
    def table(self) -> TouchpointTable:
        return self.query_one(TouchpointTable)

    # -- showing ---------------------------------------------------------------------------------

    def show_map(self, m: ExperienceMap | None) -> None:
        super().show_map(m)
        self._fill()

    def on_resize(self, _event: Resize) -> None:
        if self._column_widths() != self._widths:
            self._fill()

    def _column_widths(self) -> tuple[int, ...]:
        table_width = self.table.size.width or self._width_to_come()
        room = max(30, table_width - 2 * len(COLUMNS) - 1)
        number = 4
        stage = max(8, min(14, room // 6))
        channel = max(7, min(11, room // 8))  # "Channel", its header, whole
        rest = room - number - stage - channel
        name = max(min(14, rest // 2), rest * 9 // 20)  # a name of two words whole at 60 columns
        return (number, stage, name, rest - name, channel)

    def _width_to_come(self) -> int:
        """The table's width before the pane is first laid out (filled while hidden): the steps'
        width less the pane's padding, when the table has the pane to itself. Measured right, the
        table is painted once when the step is shown instead of twice (in a guessed width, then
        in its own), which over a slow link is a whole screen more."""
        steps = self.parent
        beside = self.query_one("#tp-detail").styles.display != "none"
        if not isinstance(steps, Widget) or beside or not steps.size.width:
            return max(40, self.size.width)
        return steps.size.width - self.styles.gutter.width

    def _cells(self, m: ExperienceMap) -> dict[str, tuple[Any, ...]]:
        g = self.glyphs
        _, stage_w, name_w, action_w, channel_w = self._widths
        out = {}
        previous = None
        for i, tp in enumerate(m.touchpoints, start=1):
            stage = tp.stage or "-"
            out[tp.id] = (
                Text(str(i), style="dim", justify="right"),
                Text(g.text(stage, stage_w), style="bold") if stage != previous else Text(""),
                Text(g.text(tp.name, name_w)),
                Text(g.text(tp.action, action_w)),
                Text(g.text(tp.channel, channel_w)),
            )
            previous = stage
        return out

    def _fill(self) -> None:
        m = self.map
        table = self.table
        empty = m is None or not m.touchpoints
        self.query_one("#tp-empty").display = empty
        if m is None:
            table.clear()
            self._rows, self._order = {}, []
            return
        widths = self._column_widths()
        keep, index = self.cursor_id(), table.cursor_row  # before a new width clears the table
        if widths != self._widths:
            self._widths = widths
            table.clear(columns=True)
            for label, width in zip(COLUMNS, widths, strict=True):
                table.add_column(label, width=width, key=label)
            self._rows, self._order = {}, []
        rows = self._cells(m)
        order = [tp.id for tp in m.touchpoints]
        if order == self._order:
            # Same touchpoints in the same order: only touch the cells that changed.
            for tp_id, cells in rows.items():
                old = self._rows[tp_id]
                for column, (new_cell, old_cell) in enumerate(zip(cells, old, strict=True)):
                    if new_cell.plain != old_cell.plain or new_cell.style != old_cell.style:
                        table.update_cell(tp_id, COLUMNS[column], new_cell)
        else:
            table.clear()
            for tp_id, cells in rows.items():
                table.add_row(*cells, key=tp_id)
            self._order = order
            self.move_to(keep, fallback=index)
        self._rows = rows
        self._show_detail()

    def cursor_id(self) -> str | None:
        table = self.table
        if not self._order or table.cursor_row < 0 or table.cursor_row >= len(self._order):
            return None
        return self._order[table.cursor_row]

    def move_to(self, tp_id: str | None, fallback: int = 0) -> None:
        table = self.table
        if not self._order:
            return
        row = self._order.index(tp_id) if tp_id in self._order else max(0, min(fallback, len(self._order) - 1))
        table.move_cursor(row=row)

    def _current(self) -> Touchpoint | None:
        tp_id = self.cursor_id()
        if self.map is None or tp_id is None:
            return None
        return next((tp for tp in self.map.touchpoints if tp.id == tp_id), None)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        """The highlighted touchpoint in full: in the side panel when the terminal is wide, else
        in the detail line under the table."""
        tp = self._current()
        detail = self.query_one("#tp-detail", Static)
        if detail.display:
            detail.update(touchpoint_detail(tp, ascii=self.glyphs.ascii) if tp else "")
        line = self.query_one(DetailLine)
        if line.display:
            line.show(self._detail_line(tp) if tp else Content(""))

    def _detail_line(self, tp: Touchpoint) -> Content:
        """Name, stage, channel and the customer's action, as the detail line shows them."""
        g = self.glyphs
        where = f" {g.dot} ".join(g.text(x) for x in (tp.stage or "no stage", tp.channel) if x)
        # Few spans: each change of style is a few bytes more down the line at every cursor key.
        if not tp.action:
            return Content.assemble((g.text(tp.name), "bold"), (f"  {where}", "$text-muted"))
        return Content.assemble((g.text(tp.name), "bold"), (f"  {where}  Customer: ", "$text-muted"),
                                g.text(tp.action))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.move_to(message.item_id, fallback=self.table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self.remember_row(self.cursor_id())

    # -- actions ---------------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.do_edit()

    def do_add(self) -> None:
        if self.map is None:
            return
        from ..modals.touchpoint_form import TouchpointForm

        # The new touchpoint goes after the highlighted one: it starts in that one's stage and on
        # its channel (on an empty map, in the first stage).
        current = self._current()
        at = self.table.cursor_row + 1 if current is not None else len(self.map.touchpoints)
        stage = current.stage if current is not None else self.map.stages[0] if self.map.stages else ""
        self.app.push_screen(TouchpointForm(self, self.map, None, at=at, stage=stage,
                                            channel=current.channel if current is not None else ""))

    def do_edit(self) -> None:
        tp = self._current()
        if self.map is None or tp is None:
            self.do_add()
            return
        from ..modals.touchpoint_form import TouchpointForm

        self.app.push_screen(TouchpointForm(self, self.map, tp))

    def do_delete(self) -> None:
        tp = self._current()
        if tp is None:
            return
        from ..modals.confirm import Confirm

        tp_id, name = tp.id, tp.name
        links = len(self.map.improvements_for(tp_id)) if self.map else 0
        extra = f" It is linked to {links} improvement(s)." if links else ""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(
                    ChangeMap(f"delete the touchpoint {name!r}", lambda m: m.remove_touchpoint(tp_id),
                              undo=lambda m, removed: m.restore_touchpoint(removed),
                              done=lambda _: self.notify(f"Deleted {self.glyphs.text(name, 40)!r}. Press u to undo.",
                                                         timeout=6, markup=False))
                )

        self.app.push_screen(Confirm(f"Delete the touchpoint {self.glyphs.text(name, 50)!r}?{extra}", yes="Delete"),
                             confirmed)

    def do_move(self, delta: int) -> None:
        tp = self._current()
        if tp is None or self.map is None:
            return
        index = self.table.cursor_row
        target = index + delta
        if not 0 <= target < len(self.map.touchpoints):
            return
        tp_id = tp.id
        self.post_message(
            ChangeMap(f"move {tp.name!r}", lambda m: m.move_touchpoint(tp_id, m.touchpoint_index(tp_id) + delta),
                      undo=lambda m, _: m.move_touchpoint(tp_id, m.touchpoint_index(tp_id) - delta),
                      done=lambda _: self.move_to(tp_id))
        )

    def do_stages(self) -> None:
        if self.map is not None:
            from ..modals.stages import edit_stages

            edit_stages(self, self.map)
