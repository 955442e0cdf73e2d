"""Step 3: the touchpoints in the order the customer meets them, labelled by stage."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from ...domain.edits import MoveTouchpoint, RemoveTouchpoint
from ...domain.model import ExperienceMap, Touchpoint
from ...present.map_view import touchpoint_detail
from ..messages import ChangeMap, EditSaved
from ..widgets.detail_line import DetailLine
from ..widgets.list_keys import LIST_KEYS, ListKeys, move_keys
from ..widths import width_to_come
from .rows import Cells, ItemsPane

COLUMNS = ("#", "Stage", "Touchpoint", "Customer action", "Channel")


class TouchpointTable(ListKeys, DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_KEYS,
        Binding("a", "pane('add')", "Add", id="tp-add"),
        Binding("e", "pane('edit')", "Edit", id="tp-edit"),
        Binding("d,delete", "pane('delete')", "Delete", id="tp-delete"),
        *move_keys("pane('move', -1)", "pane('move', 1)", "tp"),
        Binding("s", "pane('stages')", "Stages", show=False, id="tp-stages"),
        Binding("u", "screen.undo", "Undo", id="tp-undo"),
    ]

    def action_pane(self, name: str, *args: int) -> None:
        getattr(self.query_ancestor(TouchpointsPane), f"do_{name}")(*args)


class TouchpointsPane(ItemsPane[Touchpoint]):
    STEP = 3

    def compose(self) -> ComposeResult:
        yield Static(Content("No touchpoints yet. Press a to add the first: where the customer first meets you."),
                     id="tp-empty", classes="empty")
        with Horizontal():
            yield TouchpointTable(id="touchpoints", cursor_type="row", zebra_stripes=False)
            yield Static(id="tp-detail", classes="preview")
        yield DetailLine(id="tp-line", ascii=self.glyphs.ascii)  # where there is no room for the side panel

    @property
    def table(self) -> TouchpointTable:
        return self.query_one(TouchpointTable)

    # -- showing ---------------------------------------------------------------------------------

    def on_resize(self, _event: Resize) -> None:
        if self._column_widths() != self.rows.widths:
            self.fill()

    def _column_widths(self) -> tuple[int, ...]:
        table_width = width_to_come(self.table.size.width, self._planned_width)
        room = max(30, table_width - 2 * len(COLUMNS) - 1)
        number = 4
        stage = max(8, min(14, room // 6))
        channel = max(7, min(11, room // 8))  # "Channel", its header, whole
        rest = room - number - stage - channel
        name = max(min(14, rest // 2), rest * 9 // 20)  # a name of two words whole at 60 columns
        return (number, stage, name, rest - name, channel)

    def _planned_width(self) -> int:
        """The table's width before the pane is first laid out (filled while hidden; see
        tui.widths): the steps' width less the pane's padding, when the table has the pane to
        itself."""
        steps = self.parent
        beside = self.query_one("#tp-detail").styles.display != "none"
        if not isinstance(steps, Widget) or beside or not steps.size.width:
            return max(40, self.size.width)
        return steps.size.width - self.styles.gutter.width

    def _cells(self, m: ExperienceMap, widths: tuple[int, ...]) -> dict[str, Cells]:
        g = self.glyphs
        _, stage_w, name_w, action_w, channel_w = widths
        out: dict[str, Cells] = {}
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

    def fill(self) -> None:
        m = self.map
        self.query_one("#tp-empty").display = m is None or not m.touchpoints
        if m is None:
            self.rows.clear()
            return
        widths = self._column_widths()
        self.rows.fill(zip(COLUMNS, widths, strict=True), self._cells(m, widths))
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        """The highlighted touchpoint in full: in the side panel when the terminal is wide, else
        in the detail line under the table."""
        tp = self.current()
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

    # -- actions ---------------------------------------------------------------------------------

    def items(self, m: ExperienceMap) -> list[Touchpoint]:
        return m.touchpoints

    def form(self, item: Touchpoint | None) -> Screen[bool]:
        from ..modals.touchpoint_form import TouchpointForm

        assert self.map is not None
        if item is not None:
            return TouchpointForm(self, self.map, item)
        # The new touchpoint goes after the highlighted one: it starts in that one's stage and on
        # its channel (on an empty map, in the first stage).
        current = self.current()
        at = self.table.cursor_row + 1 if current is not None else len(self.map.touchpoints)
        stage = current.stage if current is not None else self.map.stages[0] if self.map.stages else ""
        return TouchpointForm(self, self.map, None, at=at, stage=stage,
                              channel=current.channel if current is not None else "")

    def do_delete(self) -> None:
        tp = self.current()
        if tp is None:
            return
        links = len(self.map.improvements_for(tp.id)) if self.map else 0
        extra = f" It is linked to {links} improvement(s)." if links else ""
        self.confirm_delete("touchpoint", tp.name, RemoveTouchpoint(tp.id), extra)

    def do_move(self, delta: int) -> None:
        tp = self.current()
        if tp is None or self.map is None:
            return
        index = self.table.cursor_row
        target = index + delta
        if not 0 <= target < len(self.map.touchpoints):
            return
        self.post_message(ChangeMap(f"move {tp.name!r}", MoveTouchpoint(tp.id, delta), reply_to=self))

    @on(EditSaved)
    def _moved(self, message: EditSaved) -> None:
        if isinstance(message.edit, MoveTouchpoint):
            self.move_to(message.edit.tp_id)

    def do_stages(self) -> None:
        if self.map is not None:
            from ..modals.stages import edit_stages

            edit_stages(self, self.map)
