"""Start the app on a store."""

from __future__ import annotations

from ..store import Store


def run_app(store: Store, *, ascii_mode: bool | None = None) -> None:
    from ..terminal import detect
    from .app import CxmapApp

    CxmapApp(store, terminal=detect(ascii=ascii_mode)).run()
