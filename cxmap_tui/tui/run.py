"""Start the app on a store."""

from __future__ import annotations

from ..store import Store


def run_app(store: Store, *, ascii_mode: bool | None = None) -> None:
    from .app import CxmapApp

    CxmapApp(store, ascii_mode=ascii_mode).run()
