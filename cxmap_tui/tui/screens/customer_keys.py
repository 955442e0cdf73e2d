"""The customers screen's keys: its bindings, the few keys its help adds, and a key bar that
keeps to the keys that fit the width, with `?` (which lists them all) always on it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding, BindingType

from ..widgets.key_bar import Item, KeyBar

# In the order the key bar gives them room: what is left over at a narrow width is in `?`.
BINDINGS: list[BindingType] = [
    Binding("escape,q,ctrl+g,f6", "app.pop_screen", "Back", key_display="q", id="cust-close",
            tooltip="Back to the map (also Esc, ctrl+g, F6)"),
    Binding("n", "record", "Record", id="cust-record", tooltip="Record what happened to the highlighted contact"),
    Binding("R", "resolve", "Resolve", key_display="R", id="cust-resolve",
            tooltip="Resolve the highlighted contact's open problems"),
    Binding("A", "add_account", "Account", key_display="A", id="cust-account", tooltip="Add an account (a company)"),
    Binding("C", "add_contact", "Contact", key_display="C", id="cust-contact",
            tooltip="Add a contact to the highlighted account"),
    Binding("l", "view('people')", "List", id="cust-people", tooltip="Accounts and their contacts"),
    Binding("r", "view('risk')", "Risk", id="cust-risk", tooltip="Accounts at risk, worst first"),
    Binding("w", "view('reviews')", "Reviews", id="cust-reviews",
            tooltip="Whom to ask for a review, and who not now and why"),
    Binding("s", "segment", "Segment", id="cust-segment", tooltip="A segment's curve on the open map, beside its own"),
    Binding("M", "choose_ideal", "Checklist", id="cust-ideal",
            tooltip="Another ideal map as the checklist below the table"),
    Binding("u", "undo", "Undo", id="cust-undo", tooltip="Undo the last change (a map's or a customer's)"),
    Binding("U,ctrl+r", "redo", "Redo", key_display="U", show=False, id="cust-redo", tooltip="Redo what u undid"),
    Binding("question_mark", "help", "Help", key_display="?", id="cust-help", tooltip="Every key here, and what for"),
    Binding("ctrl+q", "app.quit", "Quit", key_display="^q", id="cust-quit", tooltip="Quit cxmap (all is saved)"),
]

# The keys that are not the screen's bindings, for its help.
MORE_KEYS = "Also: up, down, home, end move through the table; Tab goes to the lines below it, to scroll them."

HELP_KEY = "question_mark"


def width_of(item: Item) -> int:
    """The cells an item takes on the bar, with the space after it (as KeyBar.render lays it out)."""
    return cell_len(item.display) + (1 + cell_len(item.description) if item.description else 0) + 1


def fit(items: tuple[Item, ...], width: int) -> tuple[Item, ...]:
    """The items that fit `width`, in their order, `?` last; when some are left out, `?` says
    there are more (its help lists them)."""
    help_item = next((i for i in items if i.key == HELP_KEY), None)
    rest = [i for i in items if i is not help_item]
    if help_item is None:
        return items
    if sum(map(width_of, items)) - 1 <= width:
        return (*rest, help_item)
    more = help_item._replace(description="More")
    room = width - (width_of(more) - 1)
    shown: list[Item] = []
    for item in rest:
        if width_of(item) <= room:
            shown.append(item)
            room -= width_of(item)
    return (*shown, more)


class FittingKeyBar(KeyBar):
    """A key bar that shows the keys that fit, `?` always among them, and fits them again when
    the terminal is resized."""

    def active_items(self) -> tuple[Item, ...]:
        items = super().active_items()
        return fit(items, self.size.width) if self.size.width else items

    def on_resize(self) -> None:
        items = self.active_items()
        if items != self.items:
            self.items = items
            self.refresh()
