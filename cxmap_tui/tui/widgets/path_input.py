"""A file path field that completes with Tab, as a shell does: Tab fills in as much as the names
that match have in common (a folder gets its "/"); a Tab that cannot add anything lists the
matches, so the dialog can show them; a Tab with nothing left to do moves to the next field, and
so does a Tab on the path the dialog filled in (`offer`) before anything was typed: Tab completes
what you type, and still steps through an untouched form.

The field takes Tab before the app's own Tab (which moves the focus at once, see CxmapApp): it
says it consumes the key (`check_consume_key`), so the app's binding steps aside while it has the
focus, and it moves the focus itself when there is nothing to complete."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Unpack

from textual.binding import Binding, BindingType
from textual.message import Message

from .args import InputArgs
from .safe_input import SafeInput


@dataclass(frozen=True)
class Completion:
    value: str  # the field's text, completed as far as it goes
    matches: tuple[str, ...]  # the names that match, folders ending in "/"


def complete_path(value: str, cwd: Path) -> Completion:
    """Complete the last part of `value` among the names in its folder (relative to `cwd`).
    Hidden names only match a part that starts with a dot. Only names are read, never files."""
    cut = value.rfind("/") + 1
    head, stem = value[:cut], value[cut:]
    folder = Path(os.path.expanduser(head)) if head else Path(".")
    if not folder.is_absolute():
        folder = cwd / folder
    try:
        with os.scandir(folder) as entries:
            found = sorted(
                (entry.name, _is_dir(entry)) for entry in entries
                if entry.name.startswith(stem) and (stem.startswith(".") or not entry.name.startswith("."))
            )
    except OSError:
        return Completion(value, ())
    matches = tuple(name + "/" if is_dir else name for name, is_dir in found)
    if len(matches) == 1:
        return Completion(head + matches[0], matches)
    # What the names share, letter by letter (not a path's parts): what Tab can fill in.
    return Completion(head + os.path.commonprefix([name for name, _ in found]), matches)  # noqa: RUF071


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # a link to a folder counts as one, as in a shell
    except OSError:
        return False


class PathInput(SafeInput):
    """Tab completes the path (see the module's docstring). `cwd` says what a relative path is
    relative to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete the path", show=False, id="path-complete"),
    ]

    @dataclass
    class Listed(Message):
        """The names that match what is typed (empty: nothing to list any more)."""

        path_input: PathInput
        matches: tuple[str, ...]

        @property
        def control(self) -> PathInput:
            return self.path_input

    def __init__(self, value: str = "", *, cwd: Callable[[], Path] = Path.cwd, ascii: bool = False,
                 **kwargs: Unpack[InputArgs]) -> None:
        # Set before the value is: setting it tells watch_value.
        self._listed_for: str | None = None  # the text whose matches are on show
        self._offered = value  # the text the dialog put here, which Tab does not complete
        self.cwd = cwd
        super().__init__(value, ascii=ascii, **kwargs)

    def offer(self, value: str) -> None:
        """Fill in a path for the user (one they have not typed), with the cursor at its end."""
        self._offered = value
        self.value = value
        self.cursor_position = len(value)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return key == "tab" or super().check_consume_key(key, character)

    def action_complete(self) -> None:
        if self.value == self._offered:
            self.screen.focus_next()
            return
        done = complete_path(self.value, self.cwd())
        if done.value != self.value:
            self.value = done.value
            self.cursor_position = len(self.value)
            return
        if len(done.matches) > 1 and self._listed_for != self.value:
            self._listed_for = self.value
            self.post_message(self.Listed(self, done.matches))
            return
        self.screen.focus_next()

    def watch_value(self, value: str) -> None:
        if self._listed_for is not None and self._listed_for != value:
            self._listed_for = None
            self.post_message(self.Listed(self, ()))
