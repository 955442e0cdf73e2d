"""Dialogs return a value with `dismiss`; Escape is never the only way out (ctrl+g cancels too,
since Escape is slow over SSH and merges with the next key on a slow link)."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False, id="cancel"),
        Binding("ctrl+g", "cancel", "Cancel", key_display="^g/Esc", id="cancel-ctrl-g"),
        # Tab moves the focus as soon as it arrives, before the keys behind it are handed out:
        # typed ahead over a slow link ("Foo<Tab>Bar" in one read), "Bar" goes to the next field.
        # Without this, the field that had the focus gets every key of the burst.
        Binding("tab", "app.focus_next", show=False, priority=True, id="dialog-next-field"),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="dialog-previous-field"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_value())

    def cancel_value(self) -> Any:
        return None
