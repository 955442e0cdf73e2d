"""The screens and dialogs the workshop opens: help, the whole map, the curve, the customers,
today against the ideal, export and import. Each opener takes the workshop screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...domain.errors import CxmapError
from ...domain.method import Step
from ...domain.model import ExperienceMap
from ...domain.words import counted
from ...editing.edits import AddMap
from ..context import cxmap

if TYPE_CHECKING:
    from .workshop import WorkshopScreen


def help_screen(ws: WorkshopScreen) -> None:
    from ..modals.help import HelpScreen

    ws.app.push_screen(HelpScreen(ws.step))


def overview(ws: WorkshopScreen) -> None:
    if ws.current is None:
        ws.notify("Open a map first.", timeout=3)
        return
    from .overview import OverviewScreen

    ws.app.push_screen(OverviewScreen(ws.current))


def curve(ws: WorkshopScreen) -> None:
    if ws.current is None:
        ws.notify("Open a map first.", timeout=3)
        return
    from ..steps.feelings import FeelingsPane
    from .curve import CurveScreen

    feelings_pane = ws.pane(Step.FEELINGS)
    tp_id = feelings_pane.current_id() if isinstance(feelings_pane, FeelingsPane) else None
    ids = [tp.id for tp in ws.current.touchpoints]
    cursor = ids.index(tp_id) if tp_id in ids else 0

    async def chosen(index: int | None) -> None:
        if index is None or ws.current is None or not 0 <= index < len(ws.current.touchpoints):
            return
        target = ws.current.touchpoints[index].id
        await ws.goto(Step.FEELINGS)
        pane = ws.pane(Step.FEELINGS)
        if isinstance(pane, FeelingsPane):
            pane.select(target)

    ws.app.push_screen(CurveScreen(ws.current, cursor), chosen)


def customers(ws: WorkshopScreen) -> None:
    from .customers import CustomersScreen

    ws.app.push_screen(CustomersScreen(ws.current, today=cxmap(ws).today))


def compare(ws: WorkshopScreen) -> None:
    if ws.current is None:
        ws.notify("Open a map first.", timeout=3)
        return
    from .compare import CompareScreen

    async def back(_: None) -> None:
        await ws.reload()  # pairings and the link may have changed

    ws.app.push_screen(CompareScreen(ws.current.id), back)


def export(ws: WorkshopScreen) -> None:
    if ws.current is None:
        ws.notify("Open a map first; then x exports it.", timeout=4)
        return
    from ..modals.exchange import ExportDialog

    def written(path: str | None) -> None:
        if path:
            ws.notify(f"Exported to {path}", timeout=6, markup=False)

    ws.app.push_screen(ExportDialog(ws.current), written)


def import_map(ws: WorkshopScreen) -> None:
    from ..modals.exchange import ImportDialog

    def add(m: ExperienceMap, done: Callable[[ExperienceMap], object], failed: Callable[[CxmapError], None]) -> None:
        async def stored(saved: ExperienceMap) -> None:
            done(saved)
            ws.notify(f"Imported {saved.title!r} ({counted(len(saved.touchpoints), 'touchpoint')}).", timeout=6,
                        markup=False)
            await ws.open_map(saved.id, Step.TOUCHPOINTS)

        cxmap(ws).change(f"import {m.title!r}", AddMap(m), stored, failed)

    ws.app.push_screen(ImportDialog(add))
