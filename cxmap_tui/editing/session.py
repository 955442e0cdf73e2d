"""The editing session: the one way a change reaches the store. It queues the change on the save
queue, remembers what takes it back, undoes and redoes, and tells the UI each map a change left
stored (so every screen that shows that map can show it as saved, whichever screen changed it).

Callbacks run on the UI's thread (see saver.Runner); a callback may be a coroutine function."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from ..domain.errors import CxmapError
from ..domain.model import ExperienceMap
from ..store import Store
from .edits import Applied, StoreEdit
from .history import Entry, History
from .saver import Job, Runner, Saver

T = TypeVar("T")

Failed = Callable[[CxmapError], None]


class EditingSession:
    def __init__(self, store: Store, runner: Runner) -> None:
        self.store = store
        self.saver = Saver(runner, store)
        self.history = History()
        self.on_stored: Callable[[ExperienceMap], object] | None = None
        """Told the map as a change (an undo, a redo) left it stored."""

    def apply(
        self,
        label: str,
        edit: StoreEdit[T],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        hold: bool = False,
    ) -> None:
        """Save `edit` after those before it; then u can take it back. `hold`: when the database
        cannot take it just now, keep it (and show it, see Saver.with_waiting) until it can;
        otherwise `failed` is told at once."""

        def saved(applied: Applied[object]) -> object:
            if applied.undo is not None:
                self.history.done(Entry(label, applied.undo))
            self._stored(applied)
            # The queue holds changes of every kind; this one's result is what `edit` gives.
            return None if done is None else done(cast("T", applied.result))

        self.saver.submit(Job(label, edit, saved, failed, keep=hold))

    def can_undo(self) -> bool:
        return bool(self.history.undoable)

    def can_redo(self) -> bool:
        return bool(self.history.redoable)

    def undo(self, done: Callable[[Entry, bool], object], failed: Failed) -> Entry | None:
        """Take the last change back; `done(entry, redoable)` once it is. None: nothing to undo."""
        return self._reverse(self.history.undoable, "Undo", self.history.undone,
                             lambda entry, applied: done(entry, applied.undo is not None), failed)

    def redo(self, done: Callable[[Entry, bool], object], failed: Failed) -> Entry | None:
        """Make the last undone change again; `done(entry, undoable)` once it is. None: nothing
        to redo."""
        return self._reverse(self.history.redoable, "Redo", self.history.redone,
                             lambda entry, applied: done(entry, applied.undo is not None), failed)

    def _reverse(self, source: list[Entry], verb: str, put: Callable[[Entry], None],
                 done: Callable[[Entry, Applied[object]], object], failed: Failed) -> Entry | None:
        """Apply the last entry of `source`; what takes that back goes to `put`."""
        if not source:
            return None
        entry = source.pop()

        def saved(applied: Applied[object]) -> object:
            if applied.undo is not None:
                put(Entry(entry.label, applied.undo))
            self._stored(applied)
            return done(entry, applied)

        def not_saved(error: CxmapError) -> None:
            source.append(entry)  # still there to try once the database takes it
            failed(error)

        self.saver.submit(Job(f"{verb} {entry.label}", entry.edit, saved, not_saved))
        return entry

    def _stored(self, applied: Applied[object]) -> None:
        if applied.stored is not None and self.on_stored is not None:
            self.on_stored(applied.stored)
