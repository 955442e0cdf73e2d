"""Step 4: walk the touchpoints one by one; a single key sets the feeling, then the customer's
thoughts are typed; Enter saves them and moves on. The curve above grows as you go."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from ...domain import feelings
from ...domain.edits import EditTouchpoint
from ...domain.model import ExperienceMap, Touchpoint
from ...present.curve import points
from ...present.display import shorten_words
from ..messages import ChangeMap
from ..widgets.curve import FeelingCurve
from ..widgets.light import update_if_changed
from ..widgets.list_keys import LIST_KEYS, ListKeys
from ..widgets.safe_input import SafeInput
from ..widths import styled_width, width_to_come
from .base import StepPane
from .rows import Rows

CARD_LINES = ("name", "where", "action", "feeling")
THOUGHTS_LABEL = "Thoughts, in the customer's words:"
NARROW_THOUGHTS_LABEL = "Thoughts, in their words:"  # where the card is narrower than the label


class FeelingList(ListKeys, DataTable[Text]):
    """The touchpoints with their faces. A table, not an option list: moving the cursor repaints
    two rows instead of the whole list, which matters over a slow link."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_KEYS,
        # 1 to 5, from the feelings themselves; one item on the key bar for all five.
        Binding("1", "feel(-2)", "Feel", key_display="1-5", id="feel-1"),
        *(Binding(f.key, f"feel({f.score})", f.label, show=False, id=f"feel-{f.key}")
          for f in feelings.FEELINGS.values() if f.key != "1"),
        Binding("0", "feel(None)", "Clear", id="feel-clear"),
        Binding("t", "thoughts", "Thoughts", id="feel-thoughts"),
        Binding("u", "screen.undo", "Undo", show=False, id="feel-undo"),
    ]

    def action_feel(self, score: int | None) -> None:
        self.query_ancestor(FeelingsPane).set_feeling(score)

    def action_thoughts(self) -> None:
        thoughts = self.query_ancestor(FeelingsPane).query_one("#thoughts", SafeInput)
        self.screen.set_focus(thoughts)
        thoughts.action_end()


class ThoughtsInput(SafeInput):
    """The thoughts field. Enter, Escape and the arrows save the thoughts and go back to the list
    in the order the keys came (SafeInput runs its own keys in order), and the focus moves at
    once (screen.set_focus; Widget.focus would wait its turn behind the keys already typed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "leave(1)", "Save, next", show=False, id="thoughts-down"),
        Binding("up", "leave(-1)", "Save, previous", show=False, id="thoughts-up"),
        Binding("escape", "leave(0)", "Save, back to the list", show=False, id="thoughts-back"),
    ]

    async def action_submit(self) -> None:
        self.action_leave(1)

    def action_leave(self, delta: int) -> None:
        self.query_ancestor(FeelingsPane).leave_thoughts(delta)


class FeelingsPane(StepPane):
    STEP = 4

    _list_rows: Rows | None = None
    _width = 0
    _shown_thoughts_for: str | None = None

    def compose(self) -> ComposeResult:
        g = self.glyphs
        yield FeelingCurve(g, id="curve")
        with Horizontal(id="feel-row"):
            yield FeelingList(id="feel-list", cursor_type="row", show_header=False)
            with Vertical(id="feel-card"):
                with Vertical(id="card"):  # a line each: a move repaints only the lines that change
                    for line in CARD_LINES:
                        yield Static(id=f"card-{line}", classes="card-line")
                keys = "  ".join(f"{f.key} {g.face(f.score)}" for f in feelings.FEELINGS.values())
                yield Static(Content(f"{keys}   0 clear"), id="face-keys")
                yield Label(THOUGHTS_LABEL, id="thoughts-label")
                yield ThoughtsInput(id="thoughts", placeholder="e.g. Why do I have to repeat myself?",
                                    ascii=g.ascii, compact=True)
                yield Static(Content("Enter: save, next touchpoint"), classes="hints")

    def entered(self) -> None:
        self.focus_now(self.query_one(FeelingList))
        self.restore_row(self.select, self.current_id)
        if self.map is not None and not self.map.touchpoints:
            self.notify("There are no touchpoints to rate yet: add them in step 3 (F3).", timeout=5)

    # -- showing ---------------------------------------------------------------------------------

    def _row(self, tp: Touchpoint) -> Text:
        g = self.glyphs
        return Text(f"{g.face(tp.feeling)} {self._words(tp.name, self._width - 3)}")

    @property
    def rows(self) -> Rows:
        if self._list_rows is None:
            self._list_rows = Rows(self.query_one(FeelingList))
        return self._list_rows

    def show_map(self, m: ExperienceMap | None) -> None:
        super().show_map(m)
        feel_list = self.query_one(FeelingList)
        tps = m.touchpoints if m is not None else []
        # The column, plus the table's padding of one cell each side, fills the list exactly.
        self._width = max(10, self._list_width(feel_list) - 2)
        self.rows.fill([("Touchpoint", self._width)], {tp.id: (self._row(tp),) for tp in tps})
        self.query_one(FeelingCurve).set_points(points(tps))
        self._show_card()

    @staticmethod
    def _list_width(feel_list: FeelingList) -> int:
        """The list's inner width; before it is first laid out (filled while the step is hidden;
        see tui.widths), the one its style gives."""

        def planned() -> int:
            width = styled_width(feel_list)
            if width is None:
                return 34
            # Its scroll bar's room is kept whether it scrolls or not (scrollbar-gutter: stable).
            return width - feel_list.styles.gutter.width - feel_list.styles.scrollbar_size_vertical

        return width_to_come(feel_list.scrollable_content_region.width, planned)

    def on_resize(self) -> None:
        if self.map is not None:
            self.show_map(self.map)

    def current_id(self) -> str | None:
        return self.rows.cursor_id()

    def select(self, tp_id: str) -> None:
        """Put the cursor on a touchpoint."""
        if tp_id in self.rows.order:
            self.rows.move_to(tp_id)

    def current(self) -> Touchpoint | None:
        tp_id = self.current_id()
        if self.map is None or tp_id is None:
            return None
        return next((tp for tp in self.map.touchpoints if tp.id == tp_id), None)

    def _words(self, text: str, width: int) -> str:
        """User text made safe to show, cut at the end of a word to fit `width` cells."""
        return shorten_words(self.glyphs.text(text), width, ascii=self.glyphs.ascii)

    @on(DataTable.RowHighlighted, "#feel-list")
    def _row_moved(self) -> None:
        self.remember_row(self.current_id())

    @on(DataTable.RowHighlighted, "#feel-list")
    def _show_card(self) -> None:
        g = self.glyphs
        tp = self.current()
        lines = [self.query_one(f"#card-{line}", Static) for line in CARD_LINES]
        curve = self.query_one(FeelingCurve)
        thoughts = self.query_one("#thoughts", SafeInput)
        if tp is None:
            texts = [Content("No touchpoints yet:"), Content("add them in step 3 (F3)."), Content(""), Content("")]
            for line, text in zip(lines, texts, strict=True):
                update_if_changed(line, text, layout=False)
            curve.cursor = None
            return
        curve.cursor = self.rows.order.index(tp.id)
        width = max(20, lines[0].size.width or 40)
        label = THOUGHTS_LABEL if cell_len(THOUGHTS_LABEL) <= width else NARROW_THOUGHTS_LABEL
        update_if_changed(self.query_one("#thoughts-label", Label), Content(label))
        where = " - ".join(x for x in (tp.stage, tp.channel) if x) or "no stage"
        feeling = f"{g.face(tp.feeling)} {feelings.label(tp.feeling)}"
        texts = [
            Content.styled(self._words(tp.name, width), "bold"),
            Content.styled(self._words(where, width), "$text-muted"),
            Content.assemble(("Customer: ", "$text-muted"), self._words(tp.action or "-", width - 10)),
            # Narrow, the feeling goes without its label rather than lose the end of its words.
            Content.assemble(("Feeling:  ", "$text-muted"), feeling) if cell_len(feeling) + 10 <= width
            else Content(feeling),
        ]
        for line, text in zip(lines, texts, strict=True):  # each line's height is fixed: no layout pass
            update_if_changed(line, text, layout=False)
        # Don't overwrite thoughts being typed; do show the thoughts of the touchpoint under the cursor.
        if not thoughts.has_focus or self._shown_thoughts_for != tp.id:
            if thoughts.value != tp.thoughts:
                thoughts.value = tp.thoughts
                thoughts.cursor_position = 0  # show the beginning of a long thought
            self._shown_thoughts_for = tp.id

    # -- changing --------------------------------------------------------------------------------

    def set_feeling(self, score: int | None) -> None:
        tp = self.current()
        if tp is None:
            return
        self.post_message(ChangeMap(f"feeling at {tp.name!r}", EditTouchpoint(tp.id, {"feeling": score})))
        if score is not None:
            # Straight on to the thoughts, adding to any already there (never in front of them).
            thoughts = self.query_one("#thoughts", SafeInput)
            self.screen.set_focus(thoughts)
            thoughts.action_end()

    def _save_thoughts(self) -> None:
        tp = self.current()
        value = self.query_one("#thoughts", SafeInput).value
        if tp is None or self._shown_thoughts_for != tp.id or value == tp.thoughts:
            return
        self.post_message(ChangeMap(f"thoughts at {tp.name!r}", EditTouchpoint(tp.id, {"thoughts": value})))

    def _move(self, delta: int) -> None:
        feel_list = self.query_one(FeelingList)
        self.rows.move_to(None, fallback=feel_list.cursor_row + delta)
        self.screen.set_focus(feel_list)

    def leave_thoughts(self, delta: int) -> None:
        """Save the thoughts and go back to the list, `delta` rows on."""
        self._save_thoughts()
        self._move(delta)

    @on(SafeInput.Blurred, "#thoughts")
    def _thoughts_left(self) -> None:
        self._save_thoughts()

    @on(DataTable.RowSelected, "#feel-list")
    def _selected(self) -> None:
        thoughts = self.query_one("#thoughts", SafeInput)
        self.screen.set_focus(thoughts)
        thoughts.action_end()

    def can_leave(self) -> bool:
        self._save_thoughts()
        return True
