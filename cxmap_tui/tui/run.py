"""Start the app on a store."""

from __future__ import annotations

from ..store import Store
from .session import Place, Session


class _StartingAt(Session):
    """The user's session, except that the app starts at `place` rather than where they left off."""

    def __init__(self, db_location: str, place: Place) -> None:
        super().__init__(db_location)
        self.start = place

    def load(self) -> Place:
        return self.start


def run_app(store: Store, *, ascii_mode: bool | None = None, place: Place | None = None) -> None:
    """`place`: the map and step to start on (`cxmap open`); by default, where the user left off."""
    from ..present.terminal import detect
    from .app import CxmapApp

    session = _StartingAt(store.location, place) if place is not None else None
    CxmapApp(store, terminal=detect(ascii=ascii_mode), session=session).run()
