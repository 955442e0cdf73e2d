"""The cxmap app: one store, a save queue, other sessions' changes picked up, and the workshop."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..display import visible
from ..domain.errors import CxmapError
from ..session import Session
from ..store import Store
from ..terminal import Terminal, detect
from .glyphs import ASCII, UNICODE, Glyphs
from .keys import split_merged
from .plain import plain_key, use_glyphs
from .saver import Job, Saver

POLL_SECONDS = 1.0
REPLAY_DELAY = 0.08  # seconds between the Escape and the key of a merged Alt-key


@dataclass
class UndoEntry:
    label: str
    run: Callable[[Store], Any]


class CxmapApp(App[None]):
    TITLE = "cxmap"
    CSS_PATH = "app.tcss"
    # -small: narrower than 80 columns; -wide: room for side panels. -short: under 22 rows.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-small"), (80, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (22, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, key_display="^q", id="quit"),
        Binding("q", "quit", "Quit", show=False, id="quit-q"),
        # Tab moves the focus as soon as it arrives, before the keys behind it are handed out:
        # typed ahead over a slow link ("Foo<Tab>Bar" in one read), "Bar" goes to the next field,
        # in a dialog as in step 4's thoughts. Without this, the field that had the focus gets
        # every key of the burst.
        Binding("tab", "focus_next", show=False, priority=True, id="next-field"),
        Binding("shift+tab", "focus_previous", show=False, priority=True, id="previous-field"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        ascii_mode: bool | None = None,
        terminal: Terminal | None = None,
        session: Session | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.terminal = terminal or detect(ascii=ascii_mode)
        # Without colour, use the terminal's own palette so NO_COLOR leaves no colour at all
        # (Textual would otherwise turn colours to greys).
        super().__init__(ansi_color=True if not self.terminal.color else None)
        self.store = store
        self.glyphs: Glyphs = ASCII if self.terminal.ascii else UNICODE
        use_glyphs(self.terminal.ascii)
        if not self.terminal.animate:
            self.animation_level = "none"
        self.session = session or Session(store.location)
        self.saver = Saver(self, store)
        self.undo_stack: list[UndoEntry] = []
        self.poll_seconds = poll_seconds
        self._polling = False

    def get_default_screen(self) -> Screen[Any]:
        from .screens.workshop import WorkshopScreen

        return WorkshopScreen(self.session.load())

    def on_ready(self) -> None:
        """The first screen is up. `cxmap` holds garbage collection off while it starts; it may run
        again now. What is alive at this point (Textual, the first screen, the workspace as read)
        is set aside from later collections first: a full collection then has far less to walk,
        and no longer stalls a key for a tenth of a second in a large workspace. (The few thousand
        objects of start-up garbage are set aside with it, rather than paying for a full
        collection now.) An app started otherwise (in tests, say) leaves collection alone."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def on_mount(self) -> None:
        self.set_class(self.terminal.ascii, "-ascii")
        self.set_class(not self.terminal.color, "-no-color")
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self._poll)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, whoever raises it, shows the user text in it (a title in an error, say)
        with its control, bidi and zero-width characters as symbols."""
        ascii = self.terminal.ascii
        super().notify(visible(message, ascii=ascii, one_line=False), title=visible(title, ascii=ascii),
                       severity=severity, timeout=timeout, markup=markup)

    # -- saving --------------------------------------------------------------------------------

    def submit(
        self,
        label: str,
        run: Callable[[Store], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[CxmapError], None] | None = None,
    ) -> None:
        """Run a store operation on the save queue; report failure to the user either way."""

        def on_failed(error: CxmapError) -> None:
            self.notify(f"{label}: not saved. {error}", title="Not saved", severity="error", timeout=8, markup=False)
            if failed is not None:
                failed(error)

        self.saver.submit(Job(label, run, done, on_failed))

    def remember_undo(self, label: str, run: Callable[[Store], Any]) -> None:
        self.undo_stack.append(UndoEntry(label, run))
        del self.undo_stack[:-50]

    def undo(self, done: Callable[[Any], Any]) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", timeout=3)
            return
        entry = self.undo_stack.pop()

        async def finished(result: Any) -> None:
            self.notify(f"Undone: {entry.label}", timeout=3, markup=False)
            outcome = done(result)
            if inspect.isawaitable(outcome):
                await outcome

        self.submit(f"Undo {entry.label}", entry.run, finished)

    # -- other sessions --------------------------------------------------------------------------

    def _poll(self) -> None:
        if self._polling or self.saver.busy:
            return
        self._polling = True
        self.run_worker(self._check_for_changes, thread=True, group="poll", exit_on_error=False)

    def _check_for_changes(self) -> None:
        try:
            changed = self.store.refresh()
        except CxmapError as error:
            self.call_from_thread(self._poll_failed, error)
            return
        finally:
            self._polling = False
        if changed:
            self.call_from_thread(self._changed_elsewhere)

    async def _changed_elsewhere(self) -> None:
        for screen in self.screen_stack:
            handler = getattr(screen, "changed_elsewhere", None)
            if handler is not None:
                await handler()

    def _poll_failed(self, error: CxmapError) -> None:
        self.notify(str(error), title="Database problem", severity="error", timeout=8, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            keys = split_merged(event)
            if keys is not None:
                escape, key = keys
                self.post_message(escape)
                # The key follows once the Escape has done its work (closing a dialog takes a
                # few refreshes): the gap a person leaves between two keys anyway.
                self.set_timer(REPLAY_DELAY, lambda: self.post_message(key))
                return
        await super().on_event(event)

    def get_key_display(self, binding: Binding) -> str:
        display = super().get_key_display(binding)
        return plain_key(display) if self.terminal.ascii else display

    # -- the command palette lists every action --------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        seen: set[tuple[int, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or (id(active.node), binding.action) in seen:
                continue
            seen.add((id(active.node), binding.action))
            yield SystemCommand(
                f"{binding.description} ({self.get_key_display(binding)})",
                binding.tooltip or binding.description,
                _runner(active.node, binding.action),
            )
        yield from super().get_system_commands(screen)


def _runner(node: Any, action: str) -> Callable[[], Any]:
    return lambda: node.run_action(action)
