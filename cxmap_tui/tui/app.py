"""The cxmap app: one store, a save queue, other sessions' changes picked up, and the workshop."""

from __future__ import annotations

import asyncio
import gc
import inspect
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from ..domain.errors import CxmapError
from ..domain.model import ExperienceMap
from ..editing import EditingSession
from ..editing.edits import StoreEdit
from ..editing.history import Entry
from ..editing.saver import Saver
from ..present.display import visible
from ..present.terminal import Terminal, detect
from ..store import Store
from .context import StoreNews
from .elsewhere import Elsewhere, Following
from .glyphs import ASCII, UNICODE, Glyphs
from .keys import split_merged
from .plain import plain_key, use_glyphs
from .read_only import changes, refusal
from .runner import OnApp
from .session import Session
from .widgets.in_order import KeysInOrder
from .widths import BREAKPOINTS

if TYPE_CHECKING:
    from .screens.workshop import WorkshopScreen

# How often the app looks for what other sessions saved: a file is looked at (a stat, a read of
# what is new); a server is asked only after it announced a commit (LISTEN/NOTIFY).
POLL_SECONDS = 0.5
REPLAY_DELAY = 0.08  # seconds between the Escape and the key of a merged Alt-key
T = TypeVar("T")
KEY_WAIT = 5.0  # seconds a key waits at most for the one before it to be handled (opening a map, say)


class CxmapApp(App[None]):
    TITLE = "cxmap"
    CSS_PATH = "app.tcss"
    # -small: narrower than 80 columns; -wide: room for side panels. -short: under 22 rows.
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, key_display="^q", id="quit"),
        Binding("q", "quit", "Quit", show=False, id="quit-q"),
        # Shown (and working) while changes wait to be saved; the forms bind it to saving the form.
        Binding("ctrl+s", "save_now", "Save", key_display="^s", id="save-now"),
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
        today: Callable[[], date] = date.today,
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
        self.editing = EditingSession(store, OnApp(self))
        self.editing.on_stored = self._map_stored
        self.saver.on_held = self._changes_held
        self.saver.on_released = self._changes_released
        self._retry_timer: Timer | None = None
        self._told_held = False
        self._key_in_flight: tuple[events.Key, asyncio.Event] | None = None
        self.poll_seconds = poll_seconds
        self.today = today  # what day it is, asked each time it matters (tests give a fixed day)
        self._polling = False
        self._poll_trouble = False  # the last look for news failed (said once, until one works)
        self._following = Following(store)  # the feed, read for what others changed
        self._journal_note = ""  # the storage's journal note last shown

    def get_default_screen(self) -> WorkshopScreen:
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
        self.tell_journal_note()

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

    # -- saving ----------------------------------------------------------------------------------

    @property
    def saver(self) -> Saver:
        return self.editing.saver

    def change(
        self,
        label: str,
        edit: StoreEdit[T],
        done: Callable[[T], object] | None = None,
        failed: Callable[[CxmapError], None] | None = None,
        *,
        hold: bool = False,
        notify: bool = True,
    ) -> None:
        """Save a change (see EditingSession.apply) and report a failure, in a toast unless
        `notify` is false: a dialog that says so itself."""
        self.editing.apply(label, edit, done, self._report(label, failed, notify=notify), hold=hold)
        if hold and self.saver.held is not None:
            for screen in self._listening():
                screen.changes_held(len(self.saver.waiting()))

    def _report(self, label: str, failed: Callable[[CxmapError], None] | None, *,
                notify: bool = True) -> Callable[[CxmapError], None]:
        def on_failed(error: CxmapError) -> None:
            if notify:
                self.notify(f"{label}: not saved. {error}", title="Not saved", severity="error", timeout=8,
                            markup=False)
            if failed is not None:
                failed(error)

        return on_failed

    def _map_stored(self, m: ExperienceMap) -> None:
        for screen in self._listening():
            screen.map_stored(m)

    # -- changes the database could not take yet ---------------------------------------------------

    def _changes_held(self, error: CxmapError, waiting: int) -> None:
        if not self._told_held:
            self._told_held = True
            self.notify(
                f"{error}. What you typed is kept and saved as soon as the database takes it "
                "again; ctrl+s tries now.",
                title="Not saved yet", severity="error", timeout=12, markup=False,
            )
        if self._retry_timer is not None:
            self._retry_timer.stop()
        self._retry_timer = self.set_timer(self.saver.retry_delay(), self._retry_held)
        for screen in self._listening():
            screen.changes_held(waiting)
        self.refresh_bindings()

    def _changes_released(self) -> None:
        if self._told_held:
            self.notify("Saved: every change that was waiting is in the database now.", timeout=5)
        self._told_held = False
        for screen in self._listening():
            screen.changes_released()
        self.refresh_bindings()

    def _retry_held(self) -> None:
        self._retry_timer = None
        self.saver.retry()

    def action_save_now(self) -> None:
        self.saver.retry()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_now":
            return self.saver.held is not None
        return True

    def can_undo(self) -> bool:
        return self.editing.can_undo()

    def can_redo(self) -> bool:
        return self.editing.can_redo()

    async def action_quit(self) -> None:
        held = self.saver.held
        if held is None:
            self.exit()
            return
        from .modals.confirm import Confirm

        waiting = len(self.saver.waiting())
        count = "1 change is" if waiting == 1 else f"{waiting} changes are"

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()
            else:
                self.saver.retry()

        self.push_screen(
            Confirm(f"{count} not saved yet: {held}. Quit and lose {'it' if waiting == 1 else 'them'}?",
                    yes="Quit, lose them", no="Stay"),
            answered,
        )

    def _listening(self) -> list[StoreNews]:
        """The screens on the stack that hear about the database, bottom first."""
        return [screen for screen in self.screen_stack if isinstance(screen, StoreNews)]

    def undo(self, done: Callable[[], object]) -> None:
        """Take the last change back, say so, then `done()` (a screen shows what is stored now)."""
        self._reverse(undoing=True, done=done)

    def redo(self, done: Callable[[], object]) -> None:
        """Make the last undone change again, say so, then `done()`."""
        self._reverse(undoing=False, done=done)

    def _reverse(self, *, undoing: bool, done: Callable[[], object]) -> None:
        verb, said = ("Undo", "Undone") if undoing else ("Redo", "Redone")
        waiting = self.editing.history.undoable if undoing else self.editing.history.redoable

        async def finished(entry: Entry, reversible: bool) -> None:
            hint = " (U redoes it)" if undoing and reversible else ""
            self.notify(f"{said}: {entry.label}{hint}", timeout=4, markup=False)
            self.refresh_bindings()
            outcome = done()
            if inspect.isawaitable(outcome):
                await outcome

        label = f"{verb} {waiting[-1].label}" if waiting else verb
        reverse = self.editing.undo if undoing else self.editing.redo
        if reverse(finished, self._report(label, None)) is None:
            self.notify(f"Nothing to {verb.lower()}.", timeout=3)

    # -- what the database has to say ------------------------------------------------------------

    def journal_note(self) -> str:
        """The database's note (a torn tail dropped, a fold put off); "" for none."""
        return self.store.note

    def tell_journal_note(self) -> None:
        """Show the journal's note once each time it changes (at start, after saves and reads)."""
        note = self.journal_note()
        if note and note != self._journal_note:
            self.notify(note[:1].upper() + note[1:] + ".", title="Database", severity="warning", timeout=8,
                        markup=False)
        self._journal_note = note

    def journal_news(self) -> None:
        """From a worker thread, after it read or saved: tell the journal's note if it changed."""
        if self.journal_note() != self._journal_note:
            self.call_from_thread(self.tell_journal_note)

    # -- other sessions --------------------------------------------------------------------------

    def _poll(self) -> None:
        if self._polling or self.saver.busy:
            return
        self._polling = True
        self.run_worker(self._check_for_changes, thread=True, group="poll", exit_on_error=False)

    def _check_for_changes(self) -> None:
        try:
            changed = self.store.may_have_news() and self.store.refresh()
        except CxmapError as error:
            self.call_from_thread(self._poll_failed, error)
            return
        finally:
            self._polling = False
        if self._poll_trouble:
            self.call_from_thread(self._poll_recovered)
        self.journal_news()
        if changed:
            # Waits until every screen has taken the change in (Textual awaits the coroutine; its
            # overloads for call_from_thread do not say so).
            self.call_from_thread(self._changed_elsewhere, self._following.news())  # type: ignore[arg-type]

    async def _changed_elsewhere(self, news: Elsewhere) -> None:
        for screen in self._listening():
            await screen.changed_elsewhere(news)

    def _poll_failed(self, error: CxmapError) -> None:
        if not self._poll_trouble:  # once: the app looks again twice a second
            self.notify(f"{error}. cxmap keeps trying.", title="Database problem", severity="error", timeout=8,
                        markup=False)
        self._poll_trouble = True

    def _poll_recovered(self) -> None:
        if self._poll_trouble:
            self._poll_trouble = False
            self.notify("The database answers again; what others changed meanwhile is shown.", title="Back",
                        timeout=5)

    async def on_event(self, event: events.Event) -> None:
        fresh = isinstance(event, events.Key) and not event.is_forwarded
        if fresh:
            # One key at a time to a widget that handles its keys in order (see KeysInOrder):
            # what a key does to the focus decides where the next one goes.
            await self._previous_key_handled()
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
        if fresh and event.is_forwarded and isinstance(self.focused, KeysInOrder):
            assert isinstance(event, events.Key)
            self._key_in_flight = (event, asyncio.Event())

    async def _previous_key_handled(self) -> None:
        if self._key_in_flight is None:
            return
        _key, handled = self._key_in_flight
        # Bounded, so that a key nobody reports as handled costs a moment, never the keyboard.
        with suppress(TimeoutError):
            await asyncio.wait_for(handled.wait(), KEY_WAIT)
        self._key_in_flight = None

    def key_handled(self, event: events.Key) -> None:
        """A KeysInOrder widget is done with a key."""
        if self._key_in_flight is not None and self._key_in_flight[0] is event:
            self._key_in_flight[1].set()

    def get_key_display(self, binding: Binding) -> str:
        display = super().get_key_display(binding)
        return plain_key(display) if self.terminal.ascii else display

    # -- the command palette lists every action --------------------------------------------------

    def action_command_palette(self) -> None:
        from .modals.palette import Palette

        # (what CommandPalette.is_open checks; its type for the app does not take a CxmapApp)
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            self.push_screen(Palette(ascii=self.terminal.ascii))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from .modals.palette import commands

        return commands(self, screen, read_only=bool(self.store.read_only))

    # -- a workspace this user may not change ------------------------------------------------------

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Every key's action passes here: one that would change a read-only workspace says why
        at once (and counts as handled), instead of opening a form that would be refused."""
        if isinstance(action, str) and self.store.read_only and changes(action):
            self.notify(refusal(self.store.read_only), title="Read-only", severity="warning", timeout=6,
                        markup=False)
            return True
        return await super().run_action(action, default_namespace, namespaces)
