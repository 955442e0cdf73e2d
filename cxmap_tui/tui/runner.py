"""How the app runs the editing session's saves: on a worker thread, with their news brought back
to the app's own thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import CxmapApp


class OnApp:
    """The editing session's Runner: saves on a worker thread of the app, news on its thread (and
    after the saves, what the journal has to say)."""

    def __init__(self, app: CxmapApp) -> None:
        self.app = app

    def start(self, work: Callable[[], None]) -> None:
        def saving() -> None:
            work()
            self.app.journal_news()

        self.app.run_worker(saving, thread=True, group="save", name="save", exit_on_error=True)

    def call(self, fn: Callable[..., object], *args: object) -> None:
        self.app.call_from_thread(fn, *args)
