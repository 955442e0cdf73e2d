"""A Select you can type into: letters jump to the first option that starts with them, closed (the
value changes at once) or open (the highlight moves; Enter takes it).

Textual's own Select searches only in the open list, by substring, and only options whose label
is a string or a Rich Text (ours are Content). Here, as in a file manager:
- one letter, pressed again and again, goes round the options that start with it, however slowly
  it is typed;
- different letters typed quickly add up to a prefix ("ph" finds "Phone" past "Post"); the prefix
  starts over after a pause of `PAUSE` seconds on `clock` (tests set the clock), at any key that
  is not a letter (an arrow, Tab, Enter, space), or when the focus leaves;
- a label in brackets, a stand-in such as "(no stage)", is matched by its words but comes after
  the real options: "n" goes to "Need" first, then to "(no stage)".

Space or Down (or Up) open the list; in the open list Enter takes the highlighted option (and
only closes the list) and Escape closes it unchanged. Closed, Escape leaves it as it leaves a text
field. (Alt+Down is not bound: terminals send it as Escape then Down.) Closed, Enter belongs to a
dialog that binds it (a form: Enter saves it from any field, as in its text fields); elsewhere
Enter opens the list too."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import ClassVar, Generic, TypeVar, Unpack

from rich.console import RenderableType
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Select, Static
from textual.widgets.select import NoSelection

from .args import ControlArgs
from .in_order import KeysInOrder
from .safe_input import leave_field

PAUSE = 1.0  # seconds without a letter after which the next one starts a new prefix

clock: Callable[[], float] = time.monotonic  # what the pause is measured on (tests replace it)

T = TypeVar("T", bound=Hashable)

_LEADING = re.compile(r"^[\W_]+")


def _plain(label: object) -> str:
    return str(label if isinstance(label, str) else getattr(label, "plain", ""))


def match_key(label: object) -> str:
    """What typed letters are matched against: the label's text, folded, without leading
    punctuation or spaces."""
    return _LEADING.sub("", _plain(label)).casefold()


def search_order(labels: Sequence[object]) -> list[int]:
    """The order options are searched in: those that start with a letter or digit, then the
    stand-ins that start with punctuation ("(no stage)", "(none)"), each in list order."""
    stand_in = [bool(_LEADING.match(_plain(label))) for label in labels]
    return [i for i, s in enumerate(stand_in) if not s] + [i for i, s in enumerate(stand_in) if s]


class TypeAhead:
    """The prefix typed so far, and where it leads."""

    def __init__(self, pause: float = PAUSE) -> None:
        self.pause = pause
        self.prefix = ""
        self._last = 0.0

    def reset(self) -> None:
        self.prefix = ""

    def feed(self, char: str, keys: Sequence[str], current: int | None,
             order: Sequence[int] | None = None) -> int | None:
        """The index `char` leads to among `keys` (see match_key), from option `current`;
        `order` is the order to search them in (see search_order; by default the list's)."""
        searched = list(range(len(keys))) if order is None else list(order)
        char = char.casefold()
        now = clock()
        again = self.prefix != "" and set(self.prefix) == {char}
        if not again and now - self._last > self.pause:
            self.prefix = ""
        self._last = now
        if again:
            # The same letter again, however long after: round the options that start with it.
            return self._letter(char, keys, searched, current)
        prefix = self.prefix + char
        if len(prefix) > 1:
            found = next((i for i in searched if keys[i].startswith(prefix)), None)
            if found is not None:
                self.prefix = prefix
                return found
        # A first letter, or nothing starts with the longer prefix: the letter alone starts anew.
        return self._letter(char, keys, searched, None)

    def _letter(self, char: str, keys: Sequence[str], searched: list[int], current: int | None) -> int | None:
        """The option after `current` that starts with `char`, round to the first; the first
        one if `current` does not start with it (or is None)."""
        hits = [i for i in searched if keys[i].startswith(char)]
        self.prefix = char if hits else ""
        if not hits:
            return None
        if current in hits:
            return hits[(hits.index(current) + 1) % len(hits)]
        return hits[0]


class QuickSelect(KeysInOrder, Select[T], Generic[T], inherit_bindings=False):
    """A Select with type-ahead; otherwise the same widget (same messages, same value), but for
    Enter, which it leaves to the form (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,down,up", "show_overlay", "Open list", key_display="space",
                id="select-open", tooltip="Open the list (also Down); letters pick without opening it"),
        Binding("enter", "enter", "Open list", show=False),
        # As in a text field: leaves the list for its pane or dialog (a second Escape closes a dialog).
        Binding("escape,ctrl+g", "leave_field", "Done", key_display="Esc", id="select-done"),
    ]

    def __init__(self, options: Iterable[tuple[RenderableType, T]], *, prompt: str = "Select",
                 allow_blank: bool = True, value: T | NoSelection = Select.NULL,
                 **kwargs: Unpack[ControlArgs]) -> None:
        options = list(options)
        # Our type-ahead replaces the open list's own search (see the module's docstring).
        super().__init__(options, prompt=prompt, allow_blank=allow_blank, value=value, type_to_search=False,
                         **kwargs)
        self.type_ahead = TypeAhead()
        self._blank = allow_blank
        self._keep(options)

    def _keep(self, options: list[tuple[RenderableType, T]]) -> None:
        # The options in the order the open list shows them: the blank one (its prompt) first.
        choices: list[tuple[RenderableType, T | NoSelection]] = [(self.prompt, Select.NULL)] if self._blank else []
        choices += options
        self._choice_keys = [match_key(label) for label, _ in choices]
        self._choice_values = [value for _, value in choices]
        self._search_order = search_order([label for label, _ in choices])

    def set_options(self, options: Iterable[tuple[RenderableType, T]]) -> None:
        options = list(options)
        super().set_options(options)
        self._keep(options)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and not character.isspace()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Open, the keys are the list's: the key bar shows its keys, not "open" or "done".
        return not (self.expanded and action in ("show_overlay", "enter", "leave_field"))

    def action_show_overlay(self) -> None:
        if self.expanded:
            # A key bubbling up from the open list (down, Enter, ...) is the list's to handle.
            raise SkipAction()
        super().action_show_overlay()

    def action_enter(self) -> None:
        """Closed, Enter belongs to a dialog that takes it (a form saves); elsewhere it opens."""
        if self.expanded or "enter" in self.screen._bindings.key_to_bindings:
            raise SkipAction()
        super().action_show_overlay()

    def action_leave_field(self) -> None:
        if self.expanded:
            raise SkipAction()  # Escape in the open list closes the list, and only that
        leave_field(self)

    def on_mount(self) -> None:
        terminal = getattr(self.app, "terminal", None)
        if terminal is not None and terminal.ascii:
            # The open/closed marker, in ASCII (Textual draws a triangle).
            for arrow, text in ((".down-arrow", "v"), (".up-arrow", "^")):
                for static in self.query(arrow).results(Static):
                    static.update(text)

    def on_blur(self, _event: events.Blur) -> None:
        self.type_ahead.reset()

    def on_key(self, event: events.Key) -> None:
        if self.expanded and event.key == "ctrl+g":
            # As Escape in the open list (Escape's stand-in): the list closes, not the dialog.
            event.stop()
            event.prevent_default()
            self.expanded = False
            self.focus()
            return
        char = event.character
        if not (event.is_printable and char and not char.isspace()):
            self.type_ahead.reset()
            return
        event.stop()  # a letter here picks an option; it is never a shortcut of the form
        open_list = self.query_one(OptionList) if self.expanded else None
        current = open_list.highlighted if open_list is not None else self._index_of_value()
        index = self.type_ahead.feed(char, self._choice_keys, current, self._search_order)
        if index is None:
            return
        if open_list is not None:
            open_list.highlighted = index
            open_list.scroll_to_highlight()
        else:
            self.value = self._choice_values[index]

    def _index_of_value(self) -> int | None:
        try:
            return self._choice_values.index(self.value)
        except ValueError:
            return None
