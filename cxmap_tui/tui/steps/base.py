"""What every step pane offers the workshop screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack

from textual.containers import Container
from textual.timer import Timer
from textual.widget import Widget

from ...domain.model import ExperienceMap
from ..context import cxmap
from ..glyphs import Glyphs
from ..widgets.args import WidgetArgs

IDLE_SECONDS = 2.0  # the highlighted row is written once the cursor has rested this long (and on quit)


class StepPane(Container):
    """A pane of the workshop. It shows the open map and asks for changes with messages."""

    STEP = 0
    """The step's number, for the row remembered between runs (0: the pane has no row)."""

    def __init__(self, **kwargs: Unpack[WidgetArgs]) -> None:
        super().__init__(**kwargs)
        self.map: ExperienceMap | None = None
        self._restored = False
        self._idle: Timer | None = None

    def remembered_row(self) -> str | None:
        """The row remembered for this step (an id of the pane's list), asked once, when the pane
        is first entered, to put the cursor back there; None after that."""
        if self._restored or not self.STEP:
            return None
        self._restored = True
        return cxmap(self).session.row(self.STEP)

    def restore_row(self, move: Callable[[str], object], current: Callable[[], str | None]) -> None:
        """The first time the pane is entered: `move` the cursor to the remembered row, and once
        more when the layout has settled (scrolled before then, the row may end up just out of
        sight), unless the cursor has moved on meanwhile."""
        row = self.remembered_row()
        if row is None:
            return
        move(row)

        def again() -> None:
            if current() == row:
                move(row)

        # Two refreshes: the first one sizes the list, the second shows its scroll bars.
        self.call_after_refresh(self.call_after_refresh, again)

    def remember_row(self, item_id: str | None) -> None:
        """The highlighted row moved (once the remembered one is back): the session notes it in
        memory, and writes it when the cursor has rested, at the next step change, or on quit."""
        session = cxmap(self).session
        if not self._restored or item_id is None or not session.note_row(self.STEP, item_id):
            return
        if self._idle is None:
            self._idle = self.set_timer(IDLE_SECONDS, self._write_row)
        else:
            self._idle.reset()

    def _write_row(self) -> None:
        self._idle = None
        cxmap(self).session.flush()

    def on_unmount(self) -> None:
        cxmap(self).session.flush()

    @property
    def glyphs(self) -> Glyphs:
        return cxmap(self).glyphs

    def show_map(self, m: ExperienceMap | None) -> None:
        """The open map changed (or another map was opened)."""
        self.map = m

    def entered(self) -> None:
        """The user arrived at this step: put the focus where the work is."""

    def can_leave(self) -> bool:
        """False keeps the user here (the pane says why)."""
        return True

    def database_changed(self) -> None:
        """Something in the database changed (not necessarily the open map)."""

    def home(self) -> Widget | None:
        """Where the focus goes when the user leaves a field (Escape): the pane's list."""
        from ..widgets.list_keys import ListKeys

        # By isinstance: ListKeys is a mixin, not a widget class a query can name.
        return next((w for w in self.walk_children() if isinstance(w, ListKeys)), None)

    def leave_field(self, field: Widget) -> None:
        """Escape (or ctrl+g) in one of the pane's fields: back to its list, keeping the text."""
        self.focus_now(self.home())

    def focus_now(self, widget: Widget | None) -> None:
        """Move the focus before the next key is handed out (Widget.focus waits its turn behind
        the keys already typed); while the screen is still being shown, the usual way."""
        self.screen.set_focus(widget)
        if widget is not None and self.screen.focused is not widget:
            widget.focus()
