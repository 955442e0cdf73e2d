"""Plain terminals: glyphs of Textual's own widgets swapped for ASCII, and key names spelt out.

Textual draws scrollbars with block characters set on their class; a non-UTF-8 terminal shows
each as '_' or garbage, so in ASCII mode they are set to plain ones (scrollbar thumbs become
reverse-video spaces, which also read without colour). Check boxes are cxmap's own (TickBox)."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender


class PlainScrollBarRender(ScrollBarRender):
    VERTICAL_BARS: ClassVar[list[str]] = [" "]
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "]


KEY_NAMES = {
    "\u2191": "Up", "\u2193": "Down", "\u2190": "Left", "\u2192": "Right", "\u23ce": "Enter",
    "\u232b": "Bksp", "\u21e5": "Tab", "\u238b": "Esc", "\u2326": "Del",
}


def use_glyphs(ascii: bool) -> None:
    """Set Textual's own widget glyphs for this process: plain ASCII, or Textual's defaults."""
    ScrollBar.renderer = PlainScrollBarRender if ascii else ScrollBarRender


def plain_key(display: str) -> str:
    if display.isascii():
        return display
    return "".join(KEY_NAMES.get(ch, ch) for ch in display).encode("ascii", "replace").decode()
