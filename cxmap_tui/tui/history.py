"""Undo and redo: what was changed, how to change it back, and how to make it again.

Textual-free: the app runs the steps on its save queue and says what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..store import Store

LIMIT = 50  # changes kept for undo


@dataclass
class Change:
    """One change, done: `undo(store, result)` takes it back, given what doing it returned;
    `redo(store)` makes it again and returns the new result (None: it cannot be made again)."""

    label: str  # what it changed, for people: "feeling at 'Hold music'"
    result: Any
    undo: Callable[[Store, Any], Any]
    redo: Callable[[Store], Any] | None = None


class History:
    def __init__(self) -> None:
        self.undoable: list[Change] = []
        self.redoable: list[Change] = []

    def done(self, change: Change) -> None:
        """A new change was saved: it can be undone, and what was undone before cannot be redone."""
        self.undoable.append(change)
        del self.undoable[:-LIMIT]
        self.redoable.clear()

    def undone(self, change: Change) -> None:
        self.redoable.append(change)

    def redone(self, change: Change, result: Any) -> None:
        change.result = result
        self.undoable.append(change)
        del self.undoable[:-LIMIT]


def delete_added(store: Store, added: Any) -> Any:
    """Undo of adding a map: delete it (what redo adds back)."""
    return store.delete(added.id)
