"""A list of things to tick with the space bar: a table, so a long map stays quick, drawn in
plain characters ([x] and [ ]) so it reads in any terminal and without colour.

The cursor starts on the first ticked row (the first row if none is), so Tab lands where the
choice already is; when rows are out of sight the list says how many (see `Hidden`), besides
its scroll bar, which a terminal without colour may not show. It takes the keys every list
takes (j/k, g/G, /); Enter is the dialog's (a form saves), not the list's; Escape leaves it as it
leaves a text field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Unpack

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from .args import WidgetArgs
from .list_keys import LIST_KEYS, ListKeys
from .safe_input import leave_field


class TickList(ListKeys, DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_KEYS,
        Binding("space", "tick", "Tick", key_display="space", id="tick"),
        # As in a text field: leaves the list, ticks kept (in a dialog, a second Escape closes it).
        Binding("escape,ctrl+g", "leave_field", "Done", key_display="Esc", id="list-done"),
    ]

    class Hidden(Message):
        """How many rows are out of sight above and below (sent when that changes)."""

        def __init__(self, tick_list: TickList, above: int, below: int) -> None:
            super().__init__()
            self.tick_list = tick_list
            self.above = above
            self.below = below

        @property
        def control(self) -> TickList:
            return self.tick_list

    def __init__(self, items: Iterable[tuple[str, str]], ticked: Iterable[str] = (),
                 **kwargs: Unpack[WidgetArgs]) -> None:
        """`items` are (key, label) pairs."""
        super().__init__(cursor_type="row", show_header=False, **kwargs)
        self.items = list(items)
        self.ticked = {key for key in ticked if any(key == k for k, _ in self.items)}
        self._hidden: tuple[int, int] | None = None

    def on_mount(self) -> None:
        self.add_column("tick", key="tick", width=3)
        self.add_column("label", key="label")
        for key, label in self.items:
            self.add_row(self._mark(key), Text(label), key=key)
        first = next((i for i, (key, _) in enumerate(self.items) if key in self.ticked), 0)
        if first:
            self.move_cursor(row=first, animate=False)
            # Once laid out, the ticked row in sight (its size is not known yet).
            self.call_after_refresh(self.move_cursor, row=first, animate=False)

    def _mark(self, key: str) -> Text:
        return Text("[x]" if key in self.ticked else "[ ]")

    def action_tick(self) -> None:
        if not self.items:
            return
        key = self.items[self.cursor_row][0]
        self.ticked ^= {key}
        self.update_cell(key, "tick", self._mark(key))

    def action_leave_field(self) -> None:
        leave_field(self)

    def action_select_cursor(self) -> None:
        raise SkipAction()  # Enter goes on to the dialog

    @property
    def selected(self) -> list[str]:
        """The ticked keys, in list order."""
        return [key for key, _ in self.items if key in self.ticked]

    # -- rows out of sight ----------------------------------------------------------------------

    def hidden_rows(self) -> tuple[int, int]:
        """The rows out of sight above and below."""
        shown = self.scrollable_content_region.height
        if shown <= 0:
            return (0, 0)
        above = min(round(self.scroll_y), self.row_count)
        return (above, max(0, self.row_count - above - shown))

    def _tell_hidden(self) -> None:
        hidden = self.hidden_rows()
        if hidden != self._hidden:
            self._hidden = hidden
            self.post_message(self.Hidden(self, *hidden))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._tell_hidden()

    def on_resize(self, _event: events.Resize) -> None:
        self._tell_hidden()


def hidden_text(above: int, below: int) -> str:
    """'3 more below', '2 more above', '2 above, 3 below', or '' when all are in sight."""
    if above and below:
        return f"{above} above, {below} below"
    if above:
        return f"{above} more above"
    if below:
        return f"{below} more below"
    return ""
