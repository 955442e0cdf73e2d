"""The guided workshop: the step bar, the open map, guidance, and one pane per step."""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import ContentSwitcher

from ...domain.edits import MapEdit
from ...domain.errors import CxmapError, NotFound
from ...domain.method import Step, progress
from ...domain.model import ExperienceMap
from ...editing.edits import AddMap, DeleteMap, OnMap
from ...store import Store
from ...store.store import MAPS
from ..context import StoreNews, cxmap
from ..elsewhere import EVERYTHING, Elsewhere
from ..messages import ChangeMap, CreateMap, EditFailed, EditSaved, GotoStep, RemoveMap
from ..session import Place
from ..steps import new_pane
from ..steps.base import StepPane
from ..widgets.guide import Guide
from ..widgets.key_bar import KeyBar
from ..widgets.light import LightScreen
from ..widgets.map_line import MapLine
from ..widgets.step_bar import StepBar
from . import workshop_openers as openers

REFUSED_SHOWN = 4.0  # seconds the line says NOT saved after a change was refused


class WorkshopScreen(StoreNews, LightScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: a step key is obeyed before the keys typed after it are handed out, so that
        # those go to the step it opens, not into the field it leaves.
        Binding("f1", "goto(1)", "Steps", key_display="F1-F5", id="step-1", priority=True,
                tooltip="F1 Template, F2 Experience, F3 Touchpoints, F4 Feelings, F5 Improvements"),
        Binding("f2", "goto(2)", "Step 2: Experience", show=False, id="step-2", priority=True),
        Binding("f3", "goto(3)", "Step 3: Touchpoints", show=False, id="step-3", priority=True),
        Binding("f4", "goto(4)", "Step 4: Feelings", show=False, id="step-4", priority=True),
        Binding("f5", "goto(5)", "Step 5: Improvements", show=False, id="step-5", priority=True),
        Binding("greater_than_sign", "next_step", "Next step", show=False, id="next-step", key_display=">"),
        Binding("less_than_sign", "previous_step", "Previous step", show=False, id="previous-step",
                key_display="<"),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("v", "overview", "Whole map", show=False, id="overview",
                tooltip="The whole map on one screen"),
        Binding("h", "toggle_guide", "Hide/show guidance", show=False, id="guide"),
        Binding("c", "curve", "The curve, full screen", show=False, id="curve",
                tooltip="The emotional curve on a screen of its own"),
        Binding("f6", "customers", "Customers", show=False, id="customers",
                tooltip="Accounts and contacts: checklists, accounts at risk, reviews, segments"),
        Binding("p", "compare", "Today against the ideal", show=False, id="compare",
                tooltip="A current-state map and its ideal map, side by side"),
        Binding("x", "export", "Export the map", show=False, id="export",
                tooltip="Write the map as Markdown, Mermaid, HTML, CSV or JSON"),
        Binding("i", "import", "Import a map", show=False, id="import",
                tooltip="Read a map from a cxmap JSON export or a CSV of touchpoints"),
        Binding("escape,ctrl+g", "leave_field", "Leave the field", show=False, id="leave-field"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("U,ctrl+r", "redo", "Redo", key_display="U", id="redo"),
    ]

    current: reactive[ExperienceMap | None] = reactive(None, always_update=True)
    step: reactive[Step] = reactive(Step.TEMPLATE)

    def __init__(self, place: Place) -> None:
        super().__init__()
        self._start = place
        self._stored: ExperienceMap | None = None  # the open map as last read from the database
        self._refused_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        glyphs = cxmap(self).glyphs
        yield StepBar(glyphs, id="step-bar")
        yield MapLine(glyphs, id="map-line")
        yield Guide(id="guide")
        # Panes are built the first time their step is visited, so start-up stays quick.
        yield ContentSwitcher(id="steps")
        yield KeyBar()

    async def on_mount(self) -> None:
        read_only = cxmap(self).store.read_only
        if read_only:
            self.query_one(MapLine).show_state("read-only", error=True)
            self.notify(f"You can look at this workspace and export from it, but not change it: {read_only}.",
                        title="Read-only", severity="warning", timeout=12, markup=False)
        m = None
        if self._start.map_id:
            try:
                m = cxmap(self).store.get(self._start.map_id)
            except NotFound:
                m = None
        with self.app.batch_update():  # one paint for the whole first screen
            self._show_stored(m)
            self._opened()
            self.step = Step(self._start.step) if m is not None else Step.TEMPLATE
            await self._show_step()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The key bar shows what works now: undo dim when there is nothing to undo, redo only
        # when there is something to redo.
        if action == "undo":
            return True if cxmap(self).can_undo() else None
        if action == "redo":
            return cxmap(self).can_redo()
        return True

    # -- the open map ----------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return cxmap(self).store

    def watch_current(self, m: ExperienceMap | None) -> None:
        self.query_one(MapLine).show_map(m)
        self.query_one(StepBar).done = frozenset(s for s, ok in progress(m).items() if ok)
        for pane in self.query(StepPane):
            # A pane still being built gets the map once it is (see _show_step); before that
            # it has nothing to show it in. (A save that lands while a step opens did crash here.)
            if pane.is_mounted:
                pane.show_map(m)

    def watch_step(self, step: Step) -> None:
        self.query_one(StepBar).step = step
        self.query_one(Guide).show_step(step)
        self._remember()

    def pane(self, step: Step) -> StepPane | None:
        found = self.query(f"#step-{int(step)}")
        return found.first(StepPane) if found else None

    async def _show_step(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        with self.app.batch_update():
            pane = self.pane(self.step)
            if pane is None:
                # Building a pane takes a moment. Keys typed meanwhile must not go to the field
                # of the step being left (a letter would change the map's title, say): with no
                # focus they reach only the keys of the screen.
                self.set_focus(None)
                pane = new_pane(self.step)
                await switcher.mount(pane)
                pane.show_map(self.current)
            switcher.current = pane.id
            pane.entered()

    def _remember(self) -> None:
        m = self.current
        place = Place(m.id if m else None, int(self.step))
        if place != self._start:
            self._start = place
            cxmap(self).session.save(place)

    async def changed_elsewhere(self, news: Elsewhere = EVERYTHING) -> None:
        """Another session changed the database: show the fresh map without moving anyone (a
        change to customers alone leaves the maps as they are drawn)."""
        if news.touched(MAPS):
            for pane in self.query(StepPane):
                pane.database_changed()
        if self.current is None or not news.touched(MAPS, self.current.id):
            return
        try:
            fresh = self.store.get(self.current.id)
        except NotFound:
            self.notify("The open map was deleted in another session.", severity="warning", timeout=8)
            self._show_stored(None)
            await self.goto(Step.TEMPLATE)
            return
        except CxmapError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if self._stored is None or fresh.revision != self._stored.revision:
            self._show_stored(fresh)

    # -- steps -----------------------------------------------------------------------------------

    async def goto(self, step: Step) -> None:
        if step == self.step:
            await self._show_step()
            return
        if step != Step.TEMPLATE and self.current is None:
            self.notify("Open a map or start a new one first.", severity="warning", timeout=4)
            return
        leaving = self.pane(self.step)
        if leaving is not None and not leaving.can_leave():
            return
        self.step = step
        await self._show_step()

    async def action_goto(self, number: int) -> None:
        await self.goto(Step(number))

    async def action_next_step(self) -> None:
        if self.step < Step.IMPROVEMENTS:
            await self.goto(Step(self.step + 1))

    async def action_previous_step(self) -> None:
        if self.step > Step.TEMPLATE:
            await self.goto(Step(self.step - 1))

    @on(GotoStep)
    async def _goto_message(self, message: GotoStep) -> None:
        await self.goto(message.step)

    def action_leave_field(self) -> None:
        """Escape on a field that is not a text field (a list to choose from, a button)."""
        focused = self.focused
        pane = self.pane(self.step)
        if focused is not None and pane is not None and focused is not pane.home() and pane in focused.ancestors:
            pane.leave_field(focused)

    def action_toggle_guide(self) -> None:
        guide = self.query_one(Guide)
        guide.display = not guide.display

    # The other screens and dialogs, opened from here (see workshop_openers).
    def action_help(self) -> None:
        openers.help_screen(self)

    def action_overview(self) -> None:
        openers.overview(self)

    def action_curve(self) -> None:
        openers.curve(self)

    def action_customers(self) -> None:
        openers.customers(self)

    def action_compare(self) -> None:
        openers.compare(self)

    def action_export(self) -> None:
        openers.export(self)

    def action_import(self) -> None:
        openers.import_map(self)

    def action_undo(self) -> None:
        cxmap(self).undo(self._after_undo)

    def action_redo(self) -> None:
        cxmap(self).redo(self._after_undo)

    async def _after_undo(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        """Show what is stored now (after an undo, which may touch any map)."""
        for pane in self.query(StepPane):
            pane.database_changed()
        if self.current is None:
            return
        try:
            self._show_stored(self.store.get(self.current.id))
        except NotFound:
            self._show_stored(None)
            await self.goto(Step.TEMPLATE)
        except CxmapError as error:
            self.notify(str(error), severity="error", markup=False)

    # -- changes ---------------------------------------------------------------------------------

    def _opened(self) -> None:
        """A map was opened as stored: say it is saved (unless the file is read-only, which the
        line says already, or changes are waiting for the database)."""
        if self.current is not None and not cxmap(self).store.read_only and cxmap(self).saver.held is None:
            self.query_one(MapLine).show_state("saved")

    def _saving(self) -> None:
        self.query_one(MapLine).show_state("saving")

    def _saved(self) -> None:
        if cxmap(self).saver.held is None:
            self.query_one(MapLine).show_state("saved")

    def _not_saved(self, _error: CxmapError) -> None:
        """A change was refused (already reported): the map is shown as stored again, and the
        line says NOT saved for a moment, then what holds for what is shown."""
        self.query_one(MapLine).show_state("NOT saved", error=True)
        if self.current is not None:
            with suppress(CxmapError):  # keep showing what we had
                self._show_stored(self.store.get(self.current.id))
        if self._refused_timer is not None:
            self._refused_timer.stop()
        self._refused_timer = self.set_timer(REFUSED_SHOWN, self._after_refusal)

    def _after_refusal(self) -> None:
        self._refused_timer = None
        if cxmap(self).saver.held is not None or cxmap(self).saver.busy:
            return  # the line says what is happening to the changes in hand
        if self.store.read_only:
            self.query_one(MapLine).show_state("read-only", error=True)
        else:
            self._opened()

    def changes_held(self, waiting: int) -> None:
        """The database cannot take changes just now: show them anyway, as not saved."""
        self.query_one(MapLine).show_state("NOT saved" if waiting == 1 else f"{waiting} NOT saved", error=True)
        if self._stored is not None:
            self._show_stored(self._stored)

    def changes_released(self) -> None:
        self.query_one(MapLine).show_state("saved")

    def _show_stored(self, m: ExperienceMap | None) -> None:
        """Show a map as stored, with the changes to it that are waiting to be saved."""
        self._stored = m
        self.current = None if m is None else cxmap(self).saver.with_waiting(m)

    def map_stored(self, m: ExperienceMap) -> None:
        """A change (made on any screen, an undo, a redo) left this map stored."""
        if self.current is not None and self.current.id == m.id:
            self._show_stored(m)

    @on(ChangeMap)
    def _change_map(self, message: ChangeMap) -> None:
        message.stop()
        if self.current is None:
            return
        self._saving()
        reply = message.reply_to

        def done(undo: MapEdit) -> None:
            self._saved()
            if message.notice:
                self.notify(message.notice, timeout=6, markup=False)
            if reply is not None:
                reply.post_message(EditSaved(message.edit, undo))

        def failed(error: CxmapError) -> None:
            self._not_saved(error)
            if reply is not None:
                reply.post_message(EditFailed(message.edit, error))

        # A change typed into a pane is kept until the database takes it; a dialog stays open with
        # what was typed and is told at once.
        cxmap(self).change(message.label, OnMap(self.current.id, message.edit), done, failed,
                           hold=message.hold, notify=message.hold)

    async def open_map(self, map_id: str, step: Step | None = None) -> None:
        """Open a stored map at `step` (or the first step not done yet)."""
        try:
            m = self.store.get(map_id)
        except CxmapError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._show_stored(m)
        self._opened()
        if step is None:
            undone = [s for s, ok in progress(m).items() if not ok and s > Step.TEMPLATE]
            step = undone[0] if undone else Step.IMPROVEMENTS
        self.step = step
        await self._show_step()
        self._remember()

    @on(CreateMap)
    def _create_map(self, message: CreateMap) -> None:
        self._saving()

        async def done(m: ExperienceMap) -> None:
            self._saved()
            self._show_stored(m)
            self.step = Step.EXPERIENCE
            await self._show_step()
            self._remember()
            for pane in self.query(StepPane):
                pane.database_changed()

        cxmap(self).change(f"create {message.new_map.title!r}", AddMap(message.new_map), done, self._not_saved)

    @on(RemoveMap)
    def _delete_map(self, message: RemoveMap) -> None:
        def done(removed: ExperienceMap) -> None:
            self._saved()
            if self.current is not None and self.current.id == removed.id:
                self._show_stored(None)
                self._remember()
            for pane in self.query(StepPane):
                pane.database_changed()
            self.notify(f"Deleted {removed.title!r}. Press u to undo.", timeout=6, markup=False)

        cxmap(self).change(f"delete {message.title!r}", DeleteMap(message.map_id), done, self._not_saved)
