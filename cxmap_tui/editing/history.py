"""Undo and redo: each saved change kept as the change that takes it back, with its name for people.

Undoing applies that change, which gives the one that makes it again (redo), which in turn gives
a new one to take it back: the history holds data only, never closures over screens."""

from __future__ import annotations

from dataclasses import dataclass

from .edits import StoreEdit

LIMIT = 50  # changes kept for undo


@dataclass(frozen=True)
class Entry:
    """A change, done or undone: `label` says what it changed ("feeling at 'Hold music'");
    `edit` is what reverses it (on the undo list: takes it back; on the redo list: makes it again)."""

    label: str
    edit: StoreEdit[object]


class History:
    def __init__(self) -> None:
        self.undoable: list[Entry] = []
        self.redoable: list[Entry] = []

    def done(self, entry: Entry) -> None:
        """A new change was saved: it can be undone, and what was undone before cannot be redone."""
        self.undoable.append(entry)
        del self.undoable[:-LIMIT]
        self.redoable.clear()

    def undone(self, entry: Entry) -> None:
        self.redoable.append(entry)

    def redone(self, entry: Entry) -> None:
        self.undoable.append(entry)
        del self.undoable[:-LIMIT]
