"""Plain terminals: glyphs of Textual's own widgets swapped for ASCII, and key names spelt out.

Textual draws scrollbars with block characters set on their class; a non-UTF-8 terminal shows
each as '_' or garbage, so in ASCII mode they are set to plain ones (scrollbar thumbs become
reverse-video spaces, which also read without colour): see `use_glyphs` for why that is set for
the whole process. Check boxes are cxmap's own (TickBox)."""

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
    """Set Textual's own widget glyphs for this process: plain ASCII, or Textual's defaults.

    This sets the class attribute `ScrollBar.renderer`, so it holds for every app in the process:
    each CxmapApp sets it as it is made, and a process runs one app at a time (the tests make
    them one after another), so each draws with its own. It is process-wide because Textual
    (8.2) offers nothing narrower that reaches every scrollbar:
    - no CSS property chooses a scrollbar's characters: `scrollbar-color`, `-background`,
      `-corner-color`, `-size`, `-gutter` and `-visibility` are colours, sizes and when to show;
    - `ScrollBar.renderer` may be set on one scrollbar (`widget.vertical_scrollbar.renderer`, as
      its docstring says), but a widget makes its scrollbars only when it first needs them (the
      `vertical_scrollbar` and `horizontal_scrollbar` properties, which start them through the
      private `App._start_widget`), for every scrollable widget, Textual's own inside theirs
      included (the command palette's list, a DataTable, an OptionList). There is no app-level
      setting or hook for a new scrollbar (its Mount event does not bubble), and asking for the
      property to set it would make scrollbars Textual had not yet made;
    - Textual's own answer to changing the scrollbar's characters is this attribute
      (Textualize/textual#4500, and the `ScrollBar.renderer` API reference).
    """
    ScrollBar.renderer = PlainScrollBarRender if ascii else ScrollBarRender


def plain_key(display: str) -> str:
    if display.isascii():
        return display
    return "".join(KEY_NAMES.get(ch, ch) for ch in display).encode("ascii", "replace").decode()
