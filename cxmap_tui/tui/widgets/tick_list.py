"""A list of things to tick with the space bar: a table, so a long map stays quick, drawn in
plain characters ([x] and [ ]) so it reads in any terminal and without colour."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class TickList(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle", "Tick", key_display="space", id="tick"),
    ]

    def __init__(self, items: Iterable[tuple[str, str]], ticked: Iterable[str] = (), **kwargs: Any) -> None:
        """`items` are (key, label) pairs."""
        super().__init__(cursor_type="row", show_header=False, **kwargs)
        self.items = list(items)
        self.ticked = {key for key in ticked if any(key == k for k, _ in self.items)}

    def on_mount(self) -> None:
        self.add_column("tick", key="tick", width=3)
        self.add_column("label", key="label")
        for key, label in self.items:
            self.add_row(self._mark(key), Text(label), key=key)

    def _mark(self, key: str) -> Text:
        return Text("[x]" if key in self.ticked else "[ ]")

    def action_toggle(self) -> None:
        if not self.items:
            return
        key = self.items[self.cursor_row][0]
        self.ticked ^= {key}
        self.update_cell(key, "tick", self._mark(key))

    @property
    def selected(self) -> list[str]:
        """The ticked keys, in list order."""
        return [key for key, _ in self.items if key in self.ticked]
