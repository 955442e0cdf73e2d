"""A form's button (Save, Create, Export...): Escape on it leaves it as it leaves a text field, so
in a form of several fields one Escape never closes the form, wherever the focus is (the second
does)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Button

from .safe_input import leave_field


class FormButton(Button):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "leave_field", "Done", key_display="Esc", id="button-done"),
    ]

    def action_leave_field(self) -> None:
        leave_field(self)
