"""What every step pane offers the workshop screen."""

from __future__ import annotations

from typing import Any

from textual.containers import Container

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
