"""Store changes run one after another on a worker thread, so a keystroke never waits for the
disk or for another session's lock, and changes reach the file in the order they were made.

A change typed into a field is never thrown away because the database cannot take it just now
(a full disk, a lock held too long, the file moved away): such a job is *held*, with every job
behind it, and tried again later (`retry`, by the app's timer or on ctrl+s) until it is saved.
While changes are held, a job that cannot wait (a dialog waiting for its answer, an undo) fails
at once without running, so nothing overtakes a change made before it."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Protocol

from ..domain.errors import CxmapError
from ..domain.model import ExperienceMap
from ..store import Store
from ..store.errors import Unavailable
from .edits import Applied, StoreEdit

RETRY_SECONDS = (1.0, 2.0, 4.0, 8.0)  # waits between tries of held changes; the last repeats


class Runner(Protocol):
    """Where the saving runs and where its news is told: the UI's way of starting a worker thread,
    and of calling back on its own thread (a coroutine function called back is awaited)."""

    def start(self, work: Callable[[], None]) -> None: ...

    def call(self, fn: Callable[..., object], *args: object) -> None: ...


@dataclass
class Job:
    label: str
    edit: StoreEdit[object]
    done: Callable[[Applied[object]], object] | None = None
    failed: Callable[[CxmapError], None] | None = None
    keep: bool = False
    """Hold and retry this job (and those behind it) when the store is unavailable."""


class StillHeld(Unavailable):
    """A job that cannot wait was not run, because earlier changes are still waiting."""


class Saver:
    def __init__(self, runner: Runner, store: Store) -> None:
        self.runner = runner
        self.store = store
        self._queue: deque[Job] = deque()
        self._lock = threading.Lock()
        self._running = False
        self._held: CxmapError | None = None  # why the first job in the queue could not be saved
        self._tries = 0
        self.on_held: Callable[[CxmapError, int], None] | None = None
        """Told (on the app's thread) when changes are held: the reason and how many wait."""
        self.on_released: Callable[[], None] | None = None
        """Told when every held change has been saved."""

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running or self._held is not None

    @property
    def held(self) -> CxmapError | None:
        """Why changes are waiting to be saved, or None."""
        with self._lock:
            return self._held

    @property
    def recovering(self) -> bool:
        """True from the moment changes are held until every one of them is saved."""
        with self._lock:
            return self._held is not None or self._tries > 0

    def waiting(self) -> list[Job]:
        """The jobs not saved yet, oldest first."""
        with self._lock:
            return list(self._queue)

    def with_waiting(self, m: ExperienceMap) -> ExperienceMap:
        """A map as stored, with the changes to it still waiting to be saved while changes are
        held (to show what the user typed, not what the file holds); else the map itself."""
        if not self.recovering:
            return m
        shown = m.copy()
        for job in self.waiting():
            with suppress(CxmapError):  # it will fail the same way when it is saved
                job.edit.preview(shown)
        return shown

    def retry_delay(self) -> float:
        with self._lock:
            return RETRY_SECONDS[min(self._tries, len(RETRY_SECONDS)) - 1] if self._tries else 0.0

    def submit(self, job: Job) -> None:
        with self._lock:
            held = self._held
            if held is not None and not job.keep:
                waiting = len(self._queue)
                refused: CxmapError | None = StillHeld(
                    f"{_count(waiting)} made before this one {'is' if waiting == 1 else 'are'} still "
                    f"waiting to be saved ({held}); ctrl+s tries again"
                )
            else:
                refused = None
                self._queue.append(job)
            start = refused is None and held is None and not self._running
            if start:
                self._running = True
        if refused is not None:
            if job.failed is not None:
                job.failed(refused)
            return
        if start:
            self._start()

    def retry(self) -> bool:
        """Try the held changes again now; False if none were held."""
        with self._lock:
            if self._held is None or self._running:
                return False
            self._held = None
            self._running = True
        self._start()
        return True

    def _start(self) -> None:
        self.runner.start(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    released = self._tries > 0
                    self._tries = 0
                    break
                job = self._queue[0]
            try:
                applied = job.edit.apply(self.store)
            except Unavailable as error:
                if job.keep:
                    with self._lock:
                        self._held, self._running = error, False
                        self._tries += 1
                        count = len(self._queue)
                    if self.on_held is not None:
                        self.runner.call(self.on_held, error, count)
                    return
                self._pop()
                if job.failed is not None:
                    self.runner.call(job.failed, error)
                continue
            except CxmapError as error:
                self._pop()
                if job.failed is not None:
                    self.runner.call(job.failed, error)
                continue
            self._pop()
            if job.done is not None:
                self.runner.call(job.done, applied)
        if released and self.on_released is not None:
            self.runner.call(self.on_released)

    def _pop(self) -> None:
        with self._lock:
            self._queue.popleft()


def _count(n: int) -> str:
    return "1 change" if n == 1 else f"{n} changes"
