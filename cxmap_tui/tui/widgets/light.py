"""Light on the wire: a key repaints what it changed, not the whole screen.

Over SSH every cell Textual repaints goes down the line, and Textual repaints whole widgets
(every row of a list, every widget of a screen) more often than needed:

- an OptionList repaints all its rows when the highlight moves; LightOptionList repaints the row
  left and the row reached (as a DataTable does);
- a screen repaints everything when the focus moves, though the two widgets whose focus changed
  restyle themselves; LightScreen does not;
- a widget refreshed while it was hidden (a step pane just being shown) keeps that refresh
  pending after the layout has painted it, and the next key repaints it whole again; LightScreen
  drops what is pending for the widgets a layout has just painted in full.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.geometry import Size
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import OptionList, Static

ResultType = TypeVar("ResultType")


class LightOptionList(OptionList):
    """An OptionList whose highlight repaints two rows, not the list."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        top = self.scroll_offset.y
        super().watch_highlighted(new)  # scrolls to it (a scroll repaints the list) and says so
        if self.scroll_offset.y != top:
            return
        for index in (old, new):
            self._refresh_option(index)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # A ScrollView compares the layout's virtual size with its own (an OptionList measures
        # its own), finds them different on every layout pass and repaints its scroll bars:
        # only when its size, its own virtual size or its scroll bars changed.
        state = (size, self.virtual_size, self.styles.gutter.totals,
                 self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        if state == getattr(self, "_light_scroll_state", None):
            return self._container_size != container_size  # what ScrollView answers, nothing to update
        self._light_scroll_state = state
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _refresh_option(self, index: int | None) -> None:
        if index is None or not self.is_mounted:
            return
        try:
            line = self._index_to_line[index]
            height = self._heights[index]
        except (KeyError, IndexError):
            self.refresh()
            return
        self.refresh_lines(line, height)


class LightScreen(Screen[ResultType], Generic[ResultType]):
    """A screen that is not repainted whole when the focus moves, and whose widgets just shown
    are not painted twice."""

    # The widget losing the focus and the one gaining it restyle (and so repaint) themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def take_breakpoints(self) -> None:
        """Wear the app's breakpoint classes (-small, -wide, -short...) for its size now, before
        the screen is mounted. Textual gives a pushed screen its classes with its first resize,
        which comes after its first layout: the screen is laid out and painted without them, then
        again with them, and whatever was laid out in the first widths (a table's columns) twice."""
        app = self.app
        classes: dict[str, bool] = {}
        for size, points in ((app.size.width, self.HORIZONTAL_BREAKPOINTS or app.HORIZONTAL_BREAKPOINTS),
                             (app.size.height, self.VERTICAL_BREAKPOINTS or app.VERTICAL_BREAKPOINTS)):
            classes.update((name, False) for _, name in points or [])
            reached = [name for least, name in sorted(points or []) if size >= least]
            if reached:
                classes[reached[-1]] = True  # as Screen._get_breakpoint_classes picks it
        self.update_classes(classes, update=False)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        compositor = self._compositor
        before = set(compositor.visible_widgets)
        super()._refresh_layout(size, scroll)
        if not self.is_current or self.app._batch_count:
            return  # not painted yet: what is pending still has to be
        # The layout painted each widget it has just shown in full: a refresh asked for while
        # it was hidden is done.
        for widget in compositor.visible_widgets.keys() - before:
            widget._repaint_regions.clear()


def update_if_changed(static: Static, content: VisualType, *, layout: bool = True) -> bool:
    """Update a Static only if what it shows changes (an update repaints it whole, and with
    `layout` lays out the screen again)."""
    if type(static.content) is type(content) and static.content == content:
        return False
    static.update(content, layout=layout)
    return True
