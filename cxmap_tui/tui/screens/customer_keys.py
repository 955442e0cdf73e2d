"""The customers screen's keys: its bindings, the few keys its help adds, and a key bar that
keeps to the keys that fit the width, with `?` (which lists them all) always on it, last."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ..widgets.key_bar import KeyBar

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


class FittingKeyBar(KeyBar):
    """The key bar, with `?` last: the screen's keys that fit the width, then the one that
    lists them all."""

    HELP_LAST = True
