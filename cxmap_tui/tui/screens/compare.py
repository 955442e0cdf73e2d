"""Today against the ideal: a current-state map and its ideal map on one axis, the gap at each
shared touchpoint, what the ideal has that today lacks and the reverse; pairings can be corrected."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...domain import feelings
from ...domain.analysis import mean_text
from ...domain.compare import Column, Comparison, compare, gap_summary
from ...domain.edits import SetMatch
from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap, Touchpoint
from ...domain.words import counted
from ...editing.edits import LinkIdeal, OnMap, StoreEdit
from ...present.analysis_view import comparison_view
from ...present.curve import Point, legend
from ...store import Store
from ..context import cxmap
from ..widgets.curve import FeelingCurve
from ..widgets.key_bar import KeyBar
from ..widgets.light import LightScreen

BY_NAME = "\x00by-name"  # picker keys that are not touchpoint ids
NONE = "\x00none"


class CompareScreen(LightScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # One item on the key bar for both ways (it fits 60 columns with the rest).
        Binding("left,up", "move(-1)", "Move", key_display="left/right", id="compare-previous",
                tooltip="The previous touchpoint (left or up); the next: right or down"),
        Binding("right,down", "move(1)", "Next", show=False, id="compare-next"),
        Binding("p", "pair", "Pair differently", id="compare-pair",
                tooltip="Choose the ideal's touchpoint this one stands for, none, or pairing by name"),
        Binding("l", "link", "Ideal map", id="compare-link", tooltip="Choose the ideal map to compare with"),
        Binding("u", "undo", "Undo", show=False, id="compare-undo"),
        Binding("U,ctrl+r", "redo", "Redo", key_display="U", show=False, id="compare-redo"),
        # Closed with dismiss, so the workshop hears of it and shows the link and pairings as stored.
        Binding("escape,q,ctrl+g", "close", "Back", key_display="q/Esc", id="compare-close"),
        Binding("ctrl+q", "app.quit", "Quit", key_display="^q", id="compare-quit"),
    ]

    def __init__(self, map_id: str) -> None:
        super().__init__()
        self.map_id = map_id
        self.comparison: Comparison | None = None
        self.note: str | None = None  # what is missing for the gaps to mean something (nothing rated, say)

    @property
    def store(self) -> Store:
        return cxmap(self).store

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        yield Static(id="compare-title")
        yield FeelingCurve(g, id="compare-curve")
        yield Static(Content(legend(ascii=g.ascii, other="ideal")), classes="hints", id="compare-legend")
        yield Static(id="compare-detail")
        with VerticalScroll(id="compare-table"):
            yield Static(id="compare-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(FeelingCurve).describe = self._caption
        self.reload()

    def _caption(self, index: int) -> str:
        g = cxmap(self).glyphs
        if self.comparison is None:
            return ""
        today, wish = self.comparison.columns[index]
        if today is None:
            return "only in the ideal: missing today"
        if wish is None:
            return f"{g.face(today.feeling)} today; not in the ideal"
        return f"{g.face(today.feeling)} today, {g.face(wish.feeling)} ideal"

    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        cxmap(self).undo(self.reload)

    def action_redo(self) -> None:
        cxmap(self).redo(self.reload)

    def _save(self, label: str, edit: StoreEdit[object]) -> None:
        """A change to the link or a pairing: saved (the workshop hears of it, see map_stored), then
        u undoes it (and U makes it again)."""
        cxmap(self).change(label, edit, lambda _: self.reload())

    def reload(self) -> None:
        """Read both maps afresh and show them."""
        g = cxmap(self).glyphs
        try:
            current = self.store.get(self.map_id)
            ideal = self.store.get(current.ideal) if current.ideal else None
        except CxmapError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        title = self.query_one("#compare-title", Static)
        detail = self.query_one("#compare-detail", Static)
        if ideal is None:
            self.comparison = None
            title.update(Content.assemble(("Today against the ideal: ", "bold"), g.text(current.title, 50)))
            try:
                detail.update(Content(self._no_ideal(current)))
            except CxmapError as error:
                detail.update(Content(g.text(str(error))))
            self.query_one("#compare-body", Static).update("")
            self._show_curve(False)  # an empty one would say "as you rate", whatever is rated
            return
        keep = self._column()
        c = compare(current, ideal)
        self.comparison = c
        self.note = rating_note(current, ideal)
        self._show_curve(bool(c.columns))
        if not c.columns:
            detail.update(Content(self.note or ""))
        title.update(Content.assemble(("Today: ", "bold"), g.text(current.title, 30),
                                      ("  Ideal: ", "bold"), g.text(ideal.title, 30)))
        curve = self.query_one(FeelingCurve)
        curve.set_points([
            Point(tp.name, tp.stage, today.feeling if today else None, wish.feeling if wish else None)
            for today, wish in c.columns
            if (tp := today or wish) is not None
        ])
        if c.columns:
            # Stay on the same touchpoint: re-pairing moves the columns about.
            today_id = keep[0].id if keep and keep[0] else None
            ideal_id = keep[1].id if keep and keep[1] else None
            found = next((i for i, (t, w) in enumerate(c.columns)
                          if (today_id and t and t.id == today_id) or (not today_id and w and w.id == ideal_id)), None)
            curve.cursor = found if found is not None else min(curve.cursor or 0, len(c.columns) - 1)
        self.query_one("#compare-body", Static).update(comparison_view(c, ascii=g.ascii))
        self._describe()

    def _show_curve(self, shown: bool) -> None:
        self.query_one(FeelingCurve).display = shown
        self.query_one("#compare-legend").display = shown

    def _no_ideal(self, current: ExperienceMap) -> str:
        """What to do when there is nothing to compare with: link an ideal map, or make one first."""
        g = cxmap(self).glyphs
        if current.kind != "current":
            return ("An ideal map is what current-state maps are compared with: open a current-state map of "
                    "this experience.")
        ideals = [s for s in self.store.summaries() if s.kind == "ideal" and s.experience == current.experience]
        if ideals:
            names = ", ".join(repr(g.text(s.title, 30)) for s in ideals[:3])
            more = f" and {len(ideals) - 3} more" if len(ideals) > 3 else ""
            return (f"No ideal map linked: press l to link one, or cxmap link MAP IDEAL.\n"
                    f"Ideal maps of this experience: {names}{more}.")
        return ("No ideal map linked, and there is no ideal map of this experience yet. Make one in step 1 "
                "(an ideal template, or a blank map of kind 'ideal' in step 2) or with cxmap new TITLE "
                f"--scenario {current.experience} --kind ideal; then press l here to link it.")

    def _column(self) -> Column | None:
        cursor = self.query_one(FeelingCurve).cursor
        if self.comparison is None or cursor is None or not 0 <= cursor < len(self.comparison.columns):
            return None
        return self.comparison.columns[cursor]

    def _describe(self) -> None:
        g = cxmap(self).glyphs
        detail = self.query_one("#compare-detail", Static)
        column = self._column()
        c = self.comparison
        if column is None or c is None:
            return
        today, wish = column

        def feel(tp: Touchpoint) -> str:
            return f"{g.face(tp.feeling)} {feelings.signed(tp.feeling) or 'not rated'}"

        summary = gap_summary(c)
        note: list[str | tuple[str, str]] = [(self.note, "$text-warning"), "\n"] if self.note else []
        head = Content.assemble(
            *note,
            ((f"{len(c.pairs)} paired, {len(c.missing)} only in the ideal, {len(c.extra)} only today; "
              f"mean gap {mean_text(summary['mean'])}"), "$text-muted"), "\n")
        if today is not None and wish is not None:
            pair = next(p for p in c.pairs if p.current.id == today.id)
            gap = "" if pair.gap is None else f"   gap {pair.gap:+d}" if pair.gap else "   gap 0"
            body = Content.assemble((g.text(today.name, 40), "bold"), f"   today {feel(today)}",
                                    f"   ideal {feel(wish)}", gap,
                                    ("   (paired by " + ("you" if pair.by == "link" else "name") + ")",
                                     "$text-muted"))
        elif today is not None:
            body = Content.assemble((g.text(today.name, 40), "bold"), f"   today {feel(today)}",
                                    ("   not in the ideal (p pairs it with one of the ideal's)", "$text-muted"))
        elif wish is not None:
            body = Content.assemble((g.text(wish.name, 40), "bold"), f"   ideal {feel(wish)}",
                                    ("   missing today", "$text-warning"))
        else:  # a column has one side at least
            return
        detail.update(head + body)

    def action_move(self, delta: int) -> None:
        curve = self.query_one(FeelingCurve)
        if self.comparison is not None and curve.cursor is not None:
            curve.cursor = max(0, min(len(self.comparison.columns) - 1, curve.cursor + delta))
            self._describe()

    # -- changing the link and the pairs ---------------------------------------------------------

    def action_link(self) -> None:
        from ..modals.choose import ChooseDialog

        try:
            current = self.store.get(self.map_id)
        except CxmapError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if current.kind != "current":
            self.notify("Only a current-state map is compared with an ideal one.", timeout=4)
            return
        g = cxmap(self).glyphs
        ideals = [s for s in self.store.summaries() if s.kind == "ideal" and s.experience == current.experience]
        if not ideals:
            self.notify("There is no ideal map of this experience yet: start one in step 1 (kind: ideal).",
                        timeout=6)
            return
        options = [(s.id, f"{g.text(s.title, 50)}  ({counted(s.touchpoints, 'touchpoint')})") for s in ideals]
        options.append(("", "(compare with none)"))

        titles = {s.id: s.title for s in ideals}
        before = current.ideal

        def chosen(ideal_id: str | None) -> None:
            if ideal_id is None or ideal_id == before:
                return
            label = f"link the ideal map {titles[ideal_id]!r}" if ideal_id else "unlink the ideal map"
            self._save(label, LinkIdeal(self.map_id, ideal_id))

        dialog = ChooseDialog("Compare with which ideal map?", options, current=current.ideal or None)
        self.app.push_screen(dialog, chosen)

    def action_pair(self) -> None:
        from ..modals.choose import ChooseDialog

        column = self._column()
        c = self.comparison
        if c is None:
            self.action_link()
            return
        if column is None:
            return
        today, _ = column
        if today is None:
            self.notify("This moment is only in the ideal: move to today's touchpoint that stands for it, "
                        "then press p.", timeout=6)
            return
        g = cxmap(self).glyphs
        options = [(BY_NAME, "(pair by name)"), (NONE, "(no counterpart in the ideal)")] + [
            (tp.id, f"{g.face(tp.feeling)} {g.text(tp.name, 50)}") for tp in c.ideal.touchpoints
        ]
        current_choice = c.current.matches.get(today.id)
        current_key = BY_NAME if current_choice is None else NONE if current_choice == "" else current_choice
        tp_id = today.id

        def chosen(key: str | None) -> None:
            if key is None:
                return
            target = None if key == BY_NAME else "" if key == NONE else key

            self._save(f"pair {today.name!r}", OnMap(self.map_id, SetMatch(tp_id, target)))

        self.app.push_screen(
            ChooseDialog(f"In the ideal, {g.text(today.name, 40)!r} stands for...", options, current=current_key),
            chosen,
        )


def rating_note(current: ExperienceMap, ideal: ExperienceMap) -> str | None:
    """Why the comparison has no gaps to show yet, and what to do about it; None when it has."""
    if not current.touchpoints and not ideal.touchpoints:
        return "Neither map has touchpoints yet: add them in step 3 (F3), here and in the ideal map."
    today = any(tp.feeling is not None for tp in current.touchpoints)
    wish = any(tp.feeling is not None for tp in ideal.touchpoints)
    if not today and not wish:
        return "Nothing is rated yet, today or in the ideal: rate the touchpoints of each map in its step 4 (F4)."
    if not today:
        return "Today's touchpoints are not rated yet: rate them in step 4 (F4) to see the gaps."
    if not wish:
        return "The ideal map is not rated yet: open it and rate its touchpoints in step 4 (F4) to see the gaps."
    return None
