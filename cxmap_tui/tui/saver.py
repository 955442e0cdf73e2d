"""Store changes run one after another on a worker thread, so a keystroke never waits for the
disk or for another session's lock, and changes reach the file in the order they were made."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.errors import CxmapError
from ..store import Store

if TYPE_CHECKING:
    from textual.app import App


@dataclass
class Job:
    label: str
    run: Callable[[Store], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[CxmapError], None] | None = None


class Saver:
    def __init__(self, app: App[Any], store: Store) -> None:
        self.app = app
        self.store = store
        self._queue: deque[Job] = deque()
        self._lock = threading.Lock()
        self._running = False

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running

    def submit(self, job: Job) -> None:
        with self._lock:
            self._queue.append(job)
            if self._running:
                return
            self._running = True
        self.app.run_worker(self._drain, thread=True, group="save", name="save", exit_on_error=True)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    return
                job = self._queue.popleft()
            try:
                result = job.run(self.store)
            except CxmapError as error:
                if job.failed is not None:
                    self.app.call_from_thread(job.failed, error)
                continue
            if job.done is not None:
                self.app.call_from_thread(job.done, result)
