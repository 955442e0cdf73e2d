"""The keys that change the workspace, for a session that may not.

A workspace can be read-only for this user (a file they may read but not write, a server role
that may only SELECT, a server that takes no changes). Then the keys that would change it are
left off the key bar, and pressing one says why at once, instead of opening a form whose Enter
would be refused. Everything else (moving, looking, the curve, exports) works as always.
"""

from __future__ import annotations

# Actions (by name, without namespace or arguments) that change what is stored: adding,
# editing, deleting and moving touchpoints and improvements (the panes' `pane(...)`), feelings
# and thoughts, stages, deleting and importing maps, pairing and linking ideals, recording and
# resolving customers' interactions, new accounts and contacts, rating on the curve, and going
# into the experience step's fields.
CHANGING = frozenset({
    "pane", "feel", "thoughts", "add", "rename", "remove", "delete_map", "import", "pair", "link",
    "record", "resolve", "add_account", "add_contact", "rate", "back_to_fields",
})


def action_name(action: str) -> str:
    """"pane('add')" -> "pane"; "screen.import" -> "import"."""
    head = action.partition("(")[0]
    return head.rpartition(".")[2]


def changes(action: str) -> bool:
    """Whether the action (as a binding names it) would change the workspace."""
    return action_name(action) in CHANGING


def refusal(reason: str) -> str:
    """What a session says when a key that changes things is pressed."""
    return f"This workspace is read-only for you: {reason}. You can look and export, not change it."
