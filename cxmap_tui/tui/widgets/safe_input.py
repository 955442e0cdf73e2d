"""An Input that shows what a terminal would obey, or what hides or reorders text (a control
character, a right-to-left override, a zero-width space: see cxmap_tui.present.display), as a visible
symbol instead of sending it to the terminal. The value itself is untouched: what the user typed
is what gets saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Unpack

from rich.control import strip_control_codes
from rich.highlighter import Highlighter
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input

from ...present.display import replace_unsafe
from .args import InputArgs
from .in_order import KeysInOrder

# One character in, one character out, so the cursor and selection stay where they were: the
# C0 controls as their Control Pictures, the rest as the replacement character.
_PICTURES = {chr(i): chr(0x2400 + i) for i in range(0x20)} | {"\x7f": "\u2421"}


def _picture(ch: str) -> str:
    return _PICTURES.get(ch, "\ufffd")


def _to_ascii(value: str) -> str:
    return value if value.isascii() and value.isprintable() else "".join(
        c if " " <= c < "\x7f" else "?" for c in value
    )


class ControlPictures(Highlighter):
    """Shows unsafe characters as symbols (or everything outside printable ASCII as '?').

    Rich drops a few controls (BEL, backspace, CR, ...) when it makes the Text it hands over,
    which would put the cursor off by as many; given the field's value (`source`), the symbols
    are made from the value itself, one for each character."""

    def __init__(self, ascii: bool = False, source: Callable[[], str] | None = None) -> None:
        self.ascii = ascii
        self.source = source

    def highlight(self, text: Text) -> None:
        # Same length in and out, so the existing spans stay valid.
        plain = text.plain
        if self.source is not None:
            value = self.source()
            if value != plain and strip_control_codes(value) == plain:
                plain = value
        text.plain = _to_ascii(plain) if self.ascii else replace_unsafe(plain, _picture)


class SafeInput(KeysInOrder, Input):
    """Input for user text. It does not select its text on focus: tabbing into a field and typing
    adds to what is there instead of silently replacing it. Its own keys (backspace, arrows,
    ctrl+u, Enter, ...) run in the order typed, with the characters around them (see KeysInOrder):
    left to bubble up to the app, as Textual does, "abc ctrl+u def" in one burst would end empty."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Leaves the field for its pane (or, in a dialog, for the dialog), keeping what was typed:
        # letters are commands again. ctrl+g does the same where Escape is slow or mangled.
        Binding("escape,ctrl+g", "leave_field", "Done", key_display="Esc", id="field-done"),
    ]

    def __init__(self, value: str | None = None, *, ascii: bool = False, **kwargs: Unpack[InputArgs]) -> None:
        kwargs.setdefault("highlighter", ControlPictures(ascii, lambda: self.value))
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)

    def on_mount(self) -> None:
        # A blinking cursor repaints twice a second: bytes down an SSH link for nothing.
        terminal = getattr(self.app, "terminal", None)
        if terminal is not None and not terminal.animate:
            self.cursor_blink = False

    def action_leave_field(self) -> None:
        leave_field(self)


def leave_field(field: Widget) -> None:
    """Escape in a field: the nearest pane or dialog that says what that means decides."""
    for node in field.ancestors:
        leave = getattr(node, "leave_field", None)
        if leave is not None:
            leave(field)
            return
    field.screen.set_focus(None)
