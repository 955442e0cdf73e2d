"""The keys every list and table understands, the same on every screen: j/k (and the arrows)
move, g/Home and G/End go to the first and last row, / finds a row by what it says.

A list mixes in ListKeys (before its Textual class) and starts its BINDINGS with LIST_KEYS:
Textual takes bindings only from widget classes, which a mixin is not (see KeysInOrder)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.style import Style
from textual.widgets import DataTable, OptionList

from .in_order import KeysInOrder
from .light import LightOptionList

LIST_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="list-down"),
    Binding("k", "cursor_up", "Up", show=False, id="list-up"),
    Binding("g,home", "first_row", "First", show=False, id="list-first"),
    Binding("G,end", "last_row", "Last", show=False, id="list-last"),
    Binding("slash", "search", "Find", key_display="/", show=False, id="list-find",
            tooltip="Find a row by what it says"),
]


def move_keys(up: str, down: str, prefix: str) -> list[BindingType]:
    """Moving the highlighted item earlier or later, the same keys in every list that orders its
    items (touchpoints, stages): shift+up/down, or K/J."""
    return [
        Binding("shift+up,K", up, "Move", key_display="S-Up/Dn", id=f"{prefix}-up"),
        Binding("shift+down,J", down, "Move down", show=False, id=f"{prefix}-down"),
    ]


class ListKeys(KeysInOrder):
    """Mixed in before a DataTable or OptionList: `class FeelingList(ListKeys, DataTable)`."""

    # -- the cursor in reverse video where the style sheet says so (NO_COLOR) -----------------------

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> Style:
        # Textual leaves `reverse` out of a component's visual style (an OptionList's highlighted
        # row); without colour, reverse video is what shows the cursor.
        style: Style = super().get_visual_style(*component_classes, partial=partial)
        if any(self.get_component_styles(name).text_style.reverse
               for name in component_classes):
            style = replace(style, reverse=True)
        return style

    # -- moving ----------------------------------------------------------------------------------

    def _set_hover_cursor(self, active: bool) -> None:
        """A DataTable switches the mouse's hover row off on every cursor key and repaints that
        row each time (the first row, when no mouse has been near): only when it was on."""
        if active == getattr(self, "_show_hover_cursor", None):
            return
        super()._set_hover_cursor(active)  # type: ignore[misc]

    def _me(self) -> object:
        """This list as what it is (a DataTable or an OptionList), for the checks below: typed as
        the mixin it reads as a Widget, of which neither check could be true."""
        return self

    def row_count_for_keys(self) -> int:
        me = self._me()
        if isinstance(me, DataTable):
            return me.row_count
        if isinstance(me, OptionList):
            return me.option_count
        return 0

    def current_row(self) -> int:
        me = self._me()
        if isinstance(me, DataTable):
            return me.cursor_row
        if isinstance(me, OptionList):
            return me.highlighted if me.highlighted is not None else -1
        return -1

    def go_to_row(self, index: int) -> None:
        me = self._me()
        if not 0 <= index < self.row_count_for_keys():
            return
        if isinstance(me, DataTable):
            me.move_cursor(row=index)
        elif isinstance(me, OptionList):
            me.highlighted = index

    def action_first_row(self) -> None:
        self.go_to_row(next((i for i in range(self.row_count_for_keys()) if self._enabled(i)), 0))

    def action_last_row(self) -> None:
        rows = self.row_count_for_keys()
        self.go_to_row(next((i for i in reversed(range(rows)) if self._enabled(i)), rows - 1))

    def _enabled(self, index: int) -> bool:
        me = self._me()
        if isinstance(me, OptionList):
            return not me.get_option_at_index(index).disabled
        return True

    # -- finding ---------------------------------------------------------------------------------

    def row_texts(self) -> list[str]:
        """What each row says, for /; a list whose cells are not plain text says it better."""
        me = self._me()
        if isinstance(me, DataTable):
            return [" ".join(str(cell) for cell in me.get_row_at(i)) for i in range(me.row_count)]
        if isinstance(me, OptionList):
            return [str(me.get_option_at_index(i).prompt) for i in range(me.option_count)]
        return []

    def action_search(self) -> None:
        from ..modals.search import SearchPrompt

        self.app.push_screen(SearchPrompt(self))

    def found(self, query: str, *, after: int = -1) -> int | None:
        """The first row at or after `after` + 1 that says `query` (any case), wrapping round."""
        wanted = query.casefold().strip()
        if not wanted:
            return None
        texts = self.row_texts()
        count = len(texts)
        for step in range(1, count + 1):
            index = (after + step) % count
            if wanted in texts[index].casefold() and self._enabled(index):
                return index
        return None


class KeyedOptionList(ListKeys, LightOptionList):
    """An OptionList with the keys every list has."""

    BINDINGS: ClassVar[list[BindingType]] = [*LIST_KEYS]


class ReadingScroll(VerticalScroll):
    """A long text to read (the whole map, a help page, the matrix): scrolled by the keys a list
    moves by, j/k, g/G (and the arrows, Home/End, PageUp/PageDown), and space for a page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll", key_display="j/k", id="read-down", tooltip="Scroll (g/G: top, end)"),
        Binding("k", "scroll_up", "Up", show=False, id="read-up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="read-top"),
        Binding("G,end", "scroll_end", "End", show=False, id="read-end"),
        Binding("space", "page_down", "Page down", show=False, id="read-page"),
    ]
