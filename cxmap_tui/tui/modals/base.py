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
    ]

    def shown(self, text: str, width: int | None = None) -> str:
        """Text with user text in it (a name, an error quoting one) made safe to show."""
        return self.app.glyphs.text(text, width)  # type: ignore[attr-defined, no-any-return]

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_value())

    def cancel_value(self) -> Any:
        return None
