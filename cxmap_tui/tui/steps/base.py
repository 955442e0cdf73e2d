"""What every step pane offers the workshop screen."""

from __future__ import annotations

from typing import Any

from textual.containers import Container
from textual.widget import Widget

from ...domain.model import ExperienceMap
from ..glyphs import Glyphs


class StepPane(Container):
    """A pane of the workshop. It shows the open map and asks for changes with messages."""

    HELP_KEYS: tuple[tuple[str, str], ...] = ()
    """Keys to list in the step's help, beyond the pane's bindings: (key, what it does)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.map: ExperienceMap | None = None

    @property
    def glyphs(self) -> Glyphs:
        return self.app.glyphs  # type: ignore[attr-defined, no-any-return]

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
