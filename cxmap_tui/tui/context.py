"""The app's services, typed, for the widgets and screens that use them.

Textual gives every widget `self.app` typed as a plain `App`: the store, the editing session, the
glyphs of the terminal and the undo history that cxmap's app carries are not on it, and reading
them through it stops type checking and tracing at every use. `cxmap(self)` is the one way to
them: the same object, typed as what it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from .app import CxmapApp


class InApp(Protocol):
    """A widget or screen (or a part of one): something with an app."""

    @property
    def app(self) -> Any: ...


def cxmap(node: InApp) -> CxmapApp:
    """The CxmapApp `node` runs in (every widget and screen of cxmap runs in one)."""
    return cast("CxmapApp", node.app)
