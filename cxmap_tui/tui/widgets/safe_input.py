"""An Input that shows control characters as visible symbols instead of sending them to the
terminal. The value itself is untouched: what the user typed is what gets saved."""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import Input

from .in_order import KeysInOrder

# One character in, one character out, so the cursor and selection stay where they were.
_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x7F: "\u2421"}
_PICTURES |= {i: "\ufffd" for i in range(0x80, 0xA0)}


def _to_ascii(value: str) -> str:
    return value if value.isascii() and value.isprintable() else "".join(
        c if " " <= c < "\x7f" else "?" for c in value
    )


class ControlPictures(Highlighter):
    """Shows control characters as symbols (or everything outside printable ASCII as '?')."""

    def __init__(self, ascii: bool = False) -> None:
        self.ascii = ascii

    def highlight(self, text: Text) -> None:
        # Same length in and out, so the existing spans stay valid.
        plain = text.plain
        text.plain = _to_ascii(plain) if self.ascii else plain.translate(_PICTURES)


class SafeInput(KeysInOrder, Input):
    """Input for user text. It does not select its text on focus: tabbing into a field and typing
    adds to what is there instead of silently replacing it. Its own keys (backspace, arrows,
    ctrl+u, Enter, ...) run in the order typed, with the characters around them (see KeysInOrder):
    left to bubble up to the app, as Textual does, "abc ctrl+u def" in one burst would end empty."""

    def __init__(self, *args: Any, ascii: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ControlPictures(ascii))
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        # A blinking cursor repaints twice a second: bytes down an SSH link for nothing.
        terminal = getattr(self.app, "terminal", None)
        if terminal is not None and not terminal.animate:
            self.cursor_blink = False

