"""The app's services, typed, for the widgets and screens that use them.

Textual gives every widget `self.app` typed as a plain `App`: the store, the editing session, the
glyphs of the terminal and the undo history that cxmap's app carries are not on it, and reading
them through it stops type checking and tracing at every use. `cxmap(self)` is the one way to
them: the same object, typed as what it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from .elsewhere import EVERYTHING, Elsewhere

if TYPE_CHECKING:
    from textual.app import App

    from ..domain.model import ExperienceMap
    from .app import CxmapApp


class InApp(Protocol):
    """A widget or screen (or a part of one): something with an app."""

    @property
    def app(self) -> App[object]: ...


def cxmap(node: InApp) -> CxmapApp:
    """The CxmapApp `node` runs in (every widget and screen of cxmap runs in one)."""
    return cast("CxmapApp", node.app)


class StoreNews:
    """What the app tells the screens on its stack about the database. A screen that wants to
    hear it inherits this and overrides what it needs; the rest do nothing."""

    def map_stored(self, m: ExperienceMap) -> None:
        """A change (made on any screen, an undo, a redo) left map `m` stored as it is."""

    def changes_held(self, waiting: int) -> None:
        """The database cannot take changes just now; `waiting` of them are kept to save later."""

    def changes_released(self) -> None:
        """Every change that was waiting is saved."""

    async def changed_elsewhere(self, news: Elsewhere = EVERYTHING) -> None:
        """Another session changed the database: what (`news.touched`), as far as is known."""
