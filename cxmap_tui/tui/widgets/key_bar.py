"""The keys that matter on this screen, on the bottom line.

Textual's Footer builds a widget per key and rebuilds them all whenever the focus moves, which
is a third of what the first screen costs to show, and repaints the line (and over SSH resends
it) even when the keys have not changed. This bar is one widget: when the active bindings
change it lays the line out again and repaints only if the text differs. A click on a key
presses it; hovering shows the key's tooltip.

When the keys do not fit the width, none is cut: with a `?` among them (which lists every key),
the bar keeps the ones that fit, in their order (the most important first), and `?` says there
are more; without one, the keys go on to a second row.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.style import Style as VisualStyle
from textual.widget import Widget

from ...present.display import pack
from ..context import cxmap
from ..read_only import changes


class Item(NamedTuple):
    key: str  # the key to press when the item is clicked
    display: str
    description: str
    enabled: bool
    tooltip: str


HELP_KEY = "question_mark"


def width_of(item: Item) -> int:
    """The cells an item takes on the bar, with the space after it (as KeyBar.render lays it out)."""
    return cell_len(item.display) + (1 + cell_len(item.description) if item.description else 0) + 1


def fit(items: tuple[Item, ...], width: int, *, help_last: bool = False) -> tuple[Item, ...]:
    """The items that fit `width`, in their order (`?` last with `help_last`); when some are left
    out, `?` says there are more (its help lists them). Without a `?`, all of them."""
    help_item = next((i for i in items if i.key == HELP_KEY), None)
    if help_item is None:
        return items
    rest = [i for i in items if i is not help_item]
    if sum(map(width_of, items)) - 1 <= width:
        return (*rest, help_item) if help_last else items
    more = help_item._replace(description="More")
    room = width - (width_of(more) - 1)
    shown: list[Item] = []
    for item in items:
        if item is help_item:
            if not help_last:
                shown.append(more)
        elif width_of(item) <= room:
            shown.append(item)
            room -= width_of(item)
    return (*shown, more) if help_last else tuple(shown)


def rows(items: tuple[Item, ...], width: int) -> list[list[Item]]:
    """The items in rows of `width` cells, a row ending where the next item would not fit whole
    (an empty bar is one empty row)."""
    return pack(items, width, size=lambda item: width_of(item) - 1, gap=1) or [[]]


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;  /* the keys are laid out to fit: nothing to mark as cut */
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled { text-style: dim; }
    }
    """

    HELP_LAST: ClassVar[bool] = False  # where a bar that leaves keys out puts its `? More`

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: tuple[Item, ...] = ()
        self._spans: list[tuple[int, int, int, Item]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        items = self.active_items()
        if items != self.items:
            before = len(self.laid_out(self.size.width))
            self.items = items
            self.refresh(layout=len(self.laid_out(self.size.width)) != before)

    def laid_out(self, width: int) -> list[list[Item]]:
        """The rows the bar shows at `width`: the keys that fit, or all of them in rows."""
        return rows(fit(self.items, width, help_last=self.HELP_LAST) if width else self.items, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.laid_out(width))

    def active_items(self) -> tuple[Item, ...]:
        """The shown bindings, one per action, in the order Textual's footer gives them."""
        seen: set[str] = set()
        items: list[Item] = []
        read_only = bool(cxmap(self).store.read_only)
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen or (read_only and changes(binding.action)):
                continue  # (a read-only workspace: no key that would change it)
            seen.add(binding.action)
            items.append(Item(binding.key, self.app.get_key_display(binding), binding.description,
                              active.enabled, active.tooltip or binding.tooltip))
        return tuple(items)

    def render(self) -> Content:
        key_style = self.get_visual_style("key-bar--key")
        text_style = self.get_visual_style("key-bar--description")
        dim_key = self.get_visual_style("key-bar--key", "key-bar--disabled")
        dim_text = self.get_visual_style("key-bar--description", "key-bar--disabled")
        parts: list[str | tuple[str, VisualStyle]] = []
        spans: list[tuple[int, int, int, Item]] = []
        for y, row in enumerate(self.laid_out(self.size.width)):
            if y:
                parts.append("\n")
            x = 0
            for item in row:
                start = x
                parts.append((item.display, key_style if item.enabled else dim_key))
                x += cell_len(item.display)
                if item.description:
                    label = " " + item.description
                    parts.append((label, text_style if item.enabled else dim_text))
                    x += cell_len(label)
                spans.append((y, start, x, item))
                parts.append(" ")
                x += 1
        self._spans = spans
        return Content.assemble(*parts)

    def item_at(self, x: int, y: int = 0) -> Item | None:
        for row, start, end, item in self._spans:
            if row == y and start <= x < end:
                return item
        return None

    def on_click(self, event: events.Click) -> None:
        item = self.item_at(event.x, event.y)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x, event.y)
        self.tooltip = (item.tooltip or None) if item else None
