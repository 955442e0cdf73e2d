"""A Select you can type into: letters jump to the first option that starts with them, closed (the
value changes at once) or open (the highlight moves; Enter takes it).

Textual's own Select searches only in the open list, by substring, and only options whose label
is a string or a Rich Text (ours are Content). Here, as in a native drop-down:
- the letters typed add up to a prefix ("ph" finds "Phone" past "Post"); punctuation at the start
  of a label is skipped, so "n" finds "(no stage)";
- the same letter again goes to the next option that starts with it, and round again;
- the prefix starts over after a pause of `PAUSE` seconds on `clock` (tests set the clock), or
  at any key that is not a letter (an arrow, Tab, Enter, space), or when the focus leaves."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from rich.console import RenderableType
from textual import events
from textual.actions import SkipAction
from textual.widgets import OptionList, Select, Static

from .in_order import KeysInOrder

PAUSE = 1.0  # seconds without a letter after which the next one starts a new prefix

clock: Callable[[], float] = time.monotonic  # what the pause is measured on (tests replace it)

T = TypeVar("T", bound=Hashable)

_LEADING = re.compile(r"^[\W_]+")


def match_key(label: object) -> str:
    """What typed letters are matched against: the label's text, folded, without leading
    punctuation or spaces."""
    plain = label if isinstance(label, str) else getattr(label, "plain", "")
    return _LEADING.sub("", str(plain)).casefold()


class TypeAhead:
    """The prefix typed so far, and where it leads."""

    def __init__(self, pause: float = PAUSE) -> None:
        self.pause = pause
        self.prefix = ""
        self._last = 0.0

    def reset(self) -> None:
        self.prefix = ""

    def feed(self, char: str, keys: Sequence[str], current: int | None) -> int | None:
        """The index `char` leads to among `keys` (see match_key), from option `current`."""
        now = clock()
        if now - self._last > self.pause:
            self.prefix = ""
        self._last = now
        char = char.casefold()
        prefix = self.prefix + char
        if len(prefix) > 1 and set(prefix) == {char}:
            # The same letter again: the next option that starts with it, round to the first.
            hits = [i for i, key in enumerate(keys) if key.startswith(char)]
            if hits:
                self.prefix = prefix
                later = [i for i in hits if current is not None and i > current]
                return (later or hits)[0]
        # A longer prefix first; if nothing starts with it, the letter alone starts a new one.
        for candidate in (prefix, char):
            for i, key in enumerate(keys):
                if key.startswith(candidate):
                    self.prefix = candidate
                    return i
        self.prefix = ""
        return None


class QuickSelect(KeysInOrder, Select[T], Generic[T]):
    """A Select with type-ahead; otherwise the same widget (same messages, same value)."""

    def __init__(self, options: Iterable[tuple[RenderableType, T]], *, prompt: str = "Select",
                 allow_blank: bool = True, **kwargs: Any) -> None:
        options = list(options)
        # Our type-ahead replaces the open list's own search (see the module's docstring).
        kwargs["type_to_search"] = False
        super().__init__(options, prompt=prompt, allow_blank=allow_blank, **kwargs)
        self.type_ahead = TypeAhead()
        self._blank = allow_blank
        self._keep(options)

    def _keep(self, options: list[tuple[RenderableType, T]]) -> None:
        # The options in the order the open list shows them: the blank one (its prompt) first.
        choices: list[tuple[str, Any]] = [(match_key(self.prompt), Select.NULL)] if self._blank else []
        choices += [(match_key(label), value) for label, value in options]
        self._choice_keys = [key for key, _ in choices]
        self._choice_values = [value for _, value in choices]

    def set_options(self, options: Iterable[tuple[RenderableType, T]]) -> None:
        options = list(options)
        super().set_options(options)
        self._keep(options)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and not character.isspace()

    def action_show_overlay(self) -> None:
        if self.expanded:
            # A key bubbling up from the open list (down, Enter, ...) is the list's to handle.
            raise SkipAction()
        super().action_show_overlay()

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
        char = event.character
        if not (event.is_printable and char and not char.isspace()):
            self.type_ahead.reset()
            return
        event.stop()  # a letter here picks an option; it is never a shortcut of the form
        open_list = self.query_one(OptionList) if self.expanded else None
        current = open_list.highlighted if open_list is not None else self._index_of_value()
        index = self.type_ahead.feed(char, self._choice_keys, current)
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
