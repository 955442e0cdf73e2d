"""Step 1: start a new map (blank or from a template), or open one, filtered as you type."""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar, Unpack

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...domain.words import counted
from ...store import MapSummary
from ...templates import Template, load_templates, start_from
from ..context import cxmap
from ..messages import CreateMap, RemoveMap
from ..read_only import refusal
from ..widgets.args import WidgetArgs
from ..widgets.light import LightOptionList
from ..widgets.list_keys import LIST_KEYS, ListKeys
from ..widgets.safe_input import SafeInput
from ..widths import BREAKPOINTS, width_to_come
from .base import StepPane

BLANK = "new:blank"
# A workspace of thousands of maps lists the first ones before the first screen is drawn and the
# rest in slices after it, each short enough that a key pressed meanwhile is not kept waiting.
FIRST_SLICE = 200
SLICE = 400

Entry = tuple[str | None, str, str]  # option id (None for a heading), title, what to say about it


class ChoiceList(ListKeys, LightOptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Before LIST_KEYS: here / filters the list (the first binding of a key is the one run).
        Binding("slash", "filter", "Filter", key_display="/", id="filter",
                tooltip="Type to filter the maps and templates; Esc back to the list"),
        *LIST_KEYS,
        Binding("enter", "select", "Open / start", id="open"),
        Binding("d", "delete_map", "Delete map", id="delete-map"),
        Binding("i", "screen.import", "Import", id="import-map"),
    ]

    async def action_select(self) -> None:  # type: ignore[override]  # Textual awaits an async action
        # Opens the map before the key typed after Enter is handed out (see KeysInOrder): a step
        # key typed straight after Enter then goes to the map just opened.
        option = self.highlighted_option
        if option is not None and not option.disabled:
            await self.parent_pane().choose(option.id)

    def action_cursor_up(self) -> None:
        # Up from the first entry goes to the filter above.
        pane = self.parent_pane()
        if self.highlighted == pane._first_enabled():
            self.screen.set_focus(pane.query_one("#filter"))
        else:
            super().action_cursor_up()

    def action_delete_map(self) -> None:
        self.parent_pane().delete_highlighted()

    def action_filter(self) -> None:
        self.screen.set_focus(self.parent_pane().query_one("#filter"))

    def parent_pane(self) -> TemplatePane:
        return self.query_ancestor(TemplatePane)


class FilterInput(SafeInput):
    """The filter above the list. Its down and Enter run in the order typed (see KeysInOrder):
    "down Enter F3" in one burst opens the highlighted map before F3 goes to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_list", "To the list", id="filter-to-list", show=False),
    ]

    def action_to_list(self) -> None:
        self.screen.set_focus(self.query_ancestor(TemplatePane).query_one(ChoiceList))

    async def action_submit(self) -> None:
        await self.query_ancestor(TemplatePane).query_one(ChoiceList).action_select()


class TemplatePane(StepPane):
    STEP = 1

    def __init__(self, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self.summaries: list[MapSummary] = []
        self.templates: tuple[Template, ...] = ()
        self._filled_width = -1
        self._last_filter = ""  # the filter as it was before its last change
        self._entries: list[Entry] = []
        self._listed = 0  # how many entries are in the list so far
        self._filling = 0  # the current fill; a slice of an older one is dropped
        self._highlight_wanted: str | None = None  # to highlight once it is listed
        self._highlight_placed: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="template-row"):
            with Vertical(id="template-left"):
                yield FilterInput(placeholder="/ to filter maps and templates", id="filter",
                                ascii=self.glyphs.ascii, compact=True)
                yield ChoiceList(id="choices")
            yield Static(id="template-preview", classes="preview")
        yield Static(Content("/ filter | Enter: open | i: import | F6: customers | ^p: actions"),
                     classes="hints")

    def on_mount(self) -> None:
        try:
            self.templates = load_templates()
        except CxmapError as error:
            self.notify(f"Templates could not be loaded: {error}", severity="warning", markup=False)

    def entered(self) -> None:
        self.database_changed()
        open_map = self.map  # the workshop's open map
        wanted = self.remembered_row() or (f"map:{open_map.id}" if open_map is not None else None)
        if wanted is not None:
            self._highlight_when_listed(wanted)
        # The list, not the filter: outside a text field letters are commands (q quits, ? helps).
        self.focus_now(self.query_one(ChoiceList))

    def database_changed(self) -> None:
        try:
            self.summaries = cxmap(self).store.summaries()
        except CxmapError as error:
            self.notify(str(error), severity="error", markup=False)
        self._fill()

    # -- the list --------------------------------------------------------------------------------

    def _fill(self, *, keep_highlight: bool = True) -> None:
        """Build the list; keep the highlighted entry when refreshing, not when the filter changed
        (then the first match is highlighted). The first FIRST_SLICE entries now, the rest after
        the screen is drawn (`_fill_more`)."""
        choices = self.query_one(ChoiceList)
        wanted = self.query_one("#filter", SafeInput).value.strip().casefold()
        option = choices.highlighted_option
        keep = None
        if keep_highlight:
            filling = self._listed < len(self._entries) and not self._cursor_moved()
            keep = (self._highlight_wanted if filling else None) or (option.id if option is not None else None)
        self._filled_width = width_to_come(choices.scrollable_content_region.width, self._planned_width)
        entries: list[Entry] = []
        maps = [s for s in self.summaries if not wanted or wanted in s.title.casefold()]
        if self.summaries:
            entries.append((None, f"Open a map ({len(maps)} of {len(self.summaries)})" if wanted
                            else f"Open a map ({len(maps)})", ""))
        entries += [(f"map:{s.id}", s.title,
                     f"{s.kind}, {s.touchpoints} tp, {s.rated} rated, {s.improvements} impr., {s.updated[:10]}")
                    for s in maps]
        news: list[Entry] = [(BLANK, "Blank map", ""), *[
            (f"tpl:{t.name}", t.title, f"{t.map.kind}, {counted(len(t.map.touchpoints), 'touchpoint')}")
            for t in self.templates
        ]]
        news = [(option_id, f"+ {title}", about) for option_id, title, about in news
                if not wanted or wanted in title.casefold()]
        if news:
            entries += [(None, "Start a new map", ""), *news]
        self._entries, self._listed = entries, min(len(entries), FIRST_SLICE)
        self._filling += 1
        choices.set_options(self._options(entries[:FIRST_SLICE]))
        self._highlight_wanted, self._highlight_placed = keep, None
        self._place_highlight()
        if self._listed < len(entries):
            self.call_after_refresh(self._fill_more, self._filling)

    def _fill_more(self, filling: int) -> None:
        """The next slice of the list, unless a newer fill began."""
        if filling != self._filling or not self.is_mounted:
            return
        start, self._listed = self._listed, min(len(self._entries), self._listed + SLICE)
        self.query_one(ChoiceList).add_options(self._options(self._entries[start:self._listed]))
        self._place_highlight()
        if self._listed < len(self._entries):
            self.call_after_refresh(self._fill_more, filling)

    def _options(self, entries: list[Entry]) -> list[Option | None]:
        width = max(20, self._filled_width - 1)
        return [self._option(option_id, title, about, width) if option_id is not None
                else Option(Content.styled(title, "bold $text-accent"), disabled=True)
                for option_id, title, about in entries]

    def _highlight_when_listed(self, option_id: str) -> None:
        self._highlight_wanted, self._highlight_placed = option_id, None
        self._place_highlight()

    def _cursor_moved(self) -> bool:
        """Whether the cursor was moved since the list placed it."""
        placed = self._highlight_placed
        return placed is not None and self.query_one(ChoiceList).highlighted != placed

    def _place_highlight(self) -> None:
        """Highlight the entry wanted once it is listed (unless the cursor was moved since), or
        else the first one."""
        choices = self.query_one(ChoiceList)
        moved = self._cursor_moved()
        if self._highlight_wanted is not None and not moved:
            with suppress(OptionDoesNotExist):
                choices.highlighted = self._highlight_placed = choices.get_option_index(self._highlight_wanted)
                self._highlight_wanted = None
                return
        if self._listed >= len(self._entries) or moved:
            self._highlight_wanted = None  # filtered out, gone, or the user moved on
        if choices.highlighted is None:
            choices.highlighted = self._first_enabled()
        self._highlight_placed = choices.highlighted  # where the list left the cursor

    def _planned_width(self) -> int:
        """The list's width before the first layout, from the terminal's: the pane's margins off,
        on a wide terminal (the preview beside it) half of what is left, and the room its scroll
        bar keeps (scrollbar-gutter: stable, so that the width is the same scrolling or not)."""
        width = self.app.size.width - 2
        wide = any(name == "-wide" and self.app.size.width >= at for at, name in BREAKPOINTS)
        choices = self.query_one(ChoiceList)
        return (width // 2 if wide else width) - 2 - choices.styles.scrollbar_size_vertical

    def _option(self, option_id: str, title: str, about: str, width: int) -> Option:
        """One line: the title first (cut if it must be), then as much of `about` as fits."""
        g = self.glyphs
        title = g.text(title, max(12, width - 2 - min(len(about), width // 2)))
        room = width - 2 - len(title) - 2
        about = g.text(about, room) if room >= 8 else ""
        return Option(Content.assemble(f"  {title}", (f"  {about}" if about else "", "$text-muted")), id=option_id)

    def on_resize(self) -> None:
        # Option text is cut to the list's width: refill when that width changes.
        if self.query_one(ChoiceList).scrollable_content_region.width != self._filled_width:
            self._fill()

    @on(SafeInput.Changed, "#filter")
    def _filter_changed(self) -> None:
        # Typed on, the filter highlights its first match; cut back (or cleared), it keeps the one
        # highlighted, which still matches: deleting letters never moves the cursor.
        wanted = self.query_one("#filter", SafeInput).value.strip().casefold()
        widened, self._last_filter = self._last_filter.startswith(wanted), wanted
        self._fill(keep_highlight=widened)
        self._preview()

    def _first_enabled(self) -> int | None:
        return next((i for i, o in enumerate(self.query_one(ChoiceList).options) if not o.disabled), None)

    @on(OptionList.OptionSelected, "#choices")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        await self.choose(event.option.id)

    @on(OptionList.OptionHighlighted, "#choices")
    def _highlighted(self) -> None:
        self._preview()
        option = self.query_one(ChoiceList).highlighted_option
        self.remember_row(option.id if option is not None else None)

    def _preview(self) -> None:
        preview = self.query_one("#template-preview", Static)
        if not preview.display or not self.is_mounted:
            return
        option = self.query_one(ChoiceList).highlighted_option
        option_id = option.id if option is not None else None
        m = self._map_for(option_id)
        if m is None:
            preview.update(Content("A blank map: you name the experience and list the touchpoints."))
        else:
            from ...present.map_view import map_view  # only wide terminals show the preview

            preview.update(map_view(m, ascii=self.glyphs.ascii))

    def _map_for(self, option_id: str | None) -> ExperienceMap | None:
        if option_id is None or option_id == BLANK:
            return None
        kind, _, key = option_id.partition(":")
        if kind == "tpl":
            return next((t.map for t in self.templates if t.name == key), None)
        try:
            return cxmap(self).store.get(key)
        except CxmapError:
            return None

    # -- choosing --------------------------------------------------------------------------------

    async def choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        kind, _, key = option_id.partition(":")
        if kind == "map":
            from ..screens.workshop import WorkshopScreen  # which imports the panes

            # Awaited, not asked by message: the keys typed next wait until the map is open.
            await self.query_ancestor(WorkshopScreen).open_map(key)
            return
        read_only = cxmap(self).store.read_only
        if read_only:  # a new map would be refused: said now, not after its title is typed
            self.notify(refusal(read_only), title="Read-only", severity="warning", timeout=6, markup=False)
            return
        template = next((t for t in self.templates if t.name == key), None) if kind == "tpl" else None
        from ..modals.new_map import NewMapChoice, NewMapPrompt

        taken = {s.title.casefold() for s in self.summaries}

        def create(choice: NewMapChoice | None) -> None:
            if choice is None:
                return
            if template is None:
                m = ExperienceMap.new(choice.title)
            else:
                m = start_from(template, choice.title, keep_feelings=choice.keep_feelings)
            self.post_message(CreateMap(m))

        self.app.push_screen(NewMapPrompt(template, taken), create)

    def delete_highlighted(self) -> None:
        option = self.query_one(ChoiceList).highlighted_option
        if option is None or option.id is None or not option.id.startswith("map:"):
            self.notify("Highlight one of your maps to delete it.", timeout=3)
            return
        map_id = option.id[4:]
        summary = next((s for s in self.summaries if s.id == map_id), None)
        if summary is None:
            return
        from ..modals.confirm import Confirm

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(RemoveMap(map_id, summary.title))

        question = (f"Delete the map {self.glyphs.text(summary.title, 50)!r} with its "
                    f"{counted(summary.touchpoints, 'touchpoint')} and {counted(summary.improvements, 'improvement')}?")
        self.app.push_screen(Confirm(question, yes="Delete"), confirmed)

