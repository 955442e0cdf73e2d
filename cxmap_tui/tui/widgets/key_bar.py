"""The keys that matter on this screen, on the bottom line.

Textual's Footer builds a widget per key and rebuilds them all whenever the focus moves, which
is a third of what the first screen costs to show, and repaints the line (and over SSH resends
it) even when the keys have not changed. This bar is one widget: when the active bindings
change it lays the line out again and repaints only if the text differs. A click on a key
presses it; hovering shows the key's tooltip.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class Item(NamedTuple):
    key: str  # the key to press when the item is clicked
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: ellipsis;
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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: tuple[Item, ...] = ()
        self._spans: list[tuple[int, int, Item]] = []

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
            self.items = items
            self.refresh()

    def active_items(self) -> tuple[Item, ...]:
        """The shown bindings, one per action, in the order Textual's footer gives them."""
        seen: set[str] = set()
        items: list[Item] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append(Item(binding.key, self.app.get_key_display(binding), binding.description,
                              active.enabled, active.tooltip or binding.tooltip))
        return tuple(items)

    def render(self) -> Content:
        key_style = self.get_visual_style("key-bar--key")
        text_style = self.get_visual_style("key-bar--description")
        dim_key = self.get_visual_style("key-bar--key", "key-bar--disabled")
        dim_text = self.get_visual_style("key-bar--description", "key-bar--disabled")
        parts: list[str | tuple[str, object]] = []
        spans: list[tuple[int, int, Item]] = []
        x = 0
        for item in self.items:
            start = x
            parts.append((item.display, key_style if item.enabled else dim_key))
            x += cell_len(item.display)
            if item.description:
                label = " " + item.description
                parts.append((label, text_style if item.enabled else dim_text))
                x += cell_len(label)
            spans.append((start, x, item))
            parts.append(" ")
            x += 1
        self._spans = spans
        content = Content.assemble(*parts)  # type: ignore[arg-type]
        width = self.size.width
        if getattr(getattr(self.app, "glyphs", None), "ascii", False) and width and content.cell_length > width:
            # The CSS ellipsis is U+2026, which a plain terminal must not get: cut with dots instead.
            cut = content.truncate(max(0, width - 3))
            content = Content.assemble(cut, ("...", text_style))  # type: ignore[arg-type]
        return content

    def item_at(self, x: int) -> Item | None:
        for start, end, item in self._spans:
            if start <= x < end:
                return item
        return None

    def on_click(self, event: events.Click) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x)
        self.tooltip = (item.tooltip or None) if item else None
