"""Dialogs return a value with `dismiss`; Escape is never the only way out (ctrl+g does the same,
since Escape is slow over SSH and merges with the next key on a slow link).

In a dialog of several fields, Escape (or ctrl+g) in a field leaves the field, keeping what was
typed, and a second one closes the dialog; a one-line prompt closes at once. The dialog has its
own key bar: the keys that work in it, now."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget

from ..context import cxmap

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False, id="cancel"),
        Binding("ctrl+g", "cancel", "Cancel", key_display="^g/Esc", id="cancel-ctrl-g"),
    ]
    ONE_FIELD: ClassVar[bool] = False  # a one-line prompt: Escape in its field closes it

    def on_mount(self) -> None:
        from ..widgets.key_bar import KeyBar

        self.mount(KeyBar())

    def leave_field(self, field: Widget) -> None:
        """Escape in one of the dialog's fields (see SafeInput)."""
        if self.ONE_FIELD:
            self.action_cancel()
        else:
            self.set_focus(None)

    def shown(self, text: str, width: int | None = None) -> str:
        """Text with user text in it (a name, an error quoting one) made safe to show."""
        return cxmap(self).glyphs.text(text, width)

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_value())

    def cancel_value(self) -> T | None:
        """What the dialog answers when it is cancelled (nothing, unless a dialog says otherwise)."""
        return None
