"""Export the open map to a file, or import a map from one, without leaving the app."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, Static

from ...domain.errors import CxmapError
from ...domain.model import ExperienceMap
from ...io.formats import FORMATS, export_file, suggested_filename
from ...io.reading import map_from_file
from ...store.atomic import write_atomic
from ..context import InApp, cxmap
from ..widgets.form_button import FormButton
from ..widgets.hints import Hints
from ..widgets.path_input import PathInput
from ..widgets.quick_select import QuickSelect
from ..widgets.safe_input import SafeInput
from .base import Dialog

T = TypeVar("T")


class ExportDialog(Dialog[str | None]):
    """Pick a format and a path; returns the path written. The path starts in `folder`, else in
    the folder last exported to or imported from, else in the user's home folder (not where cxmap
    was started: on a shared server that is often a folder of the team's, or one they cannot
    write to). A relative path typed is relative to where cxmap was started, as on the command
    line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter exports from the format's drop-down too, as from the path (see QuickSelect).
        Binding("enter", "export", "Export", show=False, id="export-enter"),
    ]

    def __init__(self, m: ExperienceMap, folder: Path | None = None) -> None:
        super().__init__()
        self.map = m
        self.folder = folder
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        folder = self.folder or last_folder(self)
        with Vertical(classes="dialog wide"):
            yield Static(Content(f"Export {g.text(self.map.title, 50)!r}"), classes="title")
            with Grid(classes="form"):
                yield Label("Format")
                yield QuickSelect([(Content(f"{f.name}: {f.description}"), f.name) for f in FORMATS.values()],
                                  value="markdown", allow_blank=False, id="format", compact=True)
                yield Label("File")
                yield PathInput(str(folder / suggested_filename(self.map, "markdown")), id="path",
                                ascii=g.ascii, compact=True)
            yield Static("", id="matches", classes="hints matches")
            yield Static("", id="message", classes="message")
            yield FormButton(Content("Export"), id="export", variant="primary", compact=True)
            yield Hints("Enter export", "Tab complete or next", "ctrl+u clears the path", "Esc twice cancels")

    def on_mount(self) -> None:
        self.query_one("#matches").display = False
        self.query_one("#format").focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        # The file follows the format: its extension (or the whole suggested name, if that is
        # what the field still holds), with the cursor at the end, ready for more typing.
        path = self.query_one("#path", PathInput)
        path.offer(with_format(path.value, self.map, str(event.value)))
        self._confirm_replace = None

    @on(SafeInput.Changed, "#path")
    def _path_changed(self) -> None:
        self._confirm_replace = None

    @on(PathInput.Listed)
    def _listed(self, event: PathInput.Listed) -> None:
        show_matches(self, event.matches)

    def action_export(self) -> None:
        self.export()

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#export")
    def export(self) -> None:
        message = self.query_one("#message", Static)
        raw = self.query_one("#path", SafeInput).value.strip()
        if not raw:
            message.update(Content("Type the file to write."))
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            message.update(Content("That is a folder: add a file name."))
            return
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            message.update(Content("That file exists. Press Enter again to replace it."))
            return
        fmt = str(self.query_one("#format", Select).value)
        try:
            write_atomic(path, export_file(self.map, fmt), mode=0o666 & ~_umask())
        except OSError as e:
            message.update(Content(self.shown(f"Cannot write {path}: {e.strerror or e}")))
            return
        remember_folder(self, path.parent)
        self.dismiss(str(path))


def with_format(value: str, m: ExperienceMap, fmt: str) -> str:
    """The file name in `value` for the format `fmt`: a name cxmap suggested becomes the one it
    suggests for `fmt`; a name the user typed keeps its name and gets `fmt`'s extension (in place
    of another format's extension, or after whatever it ends in)."""
    cut = value.rfind("/") + 1
    folder, name = value[:cut], value[cut:]
    if not name:
        return folder + suggested_filename(m, fmt)
    if name in {suggested_filename(m, other) for other in FORMATS}:
        return folder + suggested_filename(m, fmt)
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.casefold() in {f.extension for f in FORMATS.values()}:
        name = stem
    return f"{folder}{name}.{FORMATS[fmt].extension}"


def last_folder(dialog: InApp) -> Path:
    """Where the file field starts: the folder last exported to or imported from (kept in the
    user's own state folder), else their home folder."""
    return cxmap(dialog).session.last_folder() or home_folder()


def home_folder() -> Path:
    """The user's home folder ($HOME), or where cxmap was started if there is none."""
    try:
        home = Path.home()
    except (KeyError, RuntimeError):  # no $HOME and no entry in the password database
        return Path.cwd()
    return home if home.is_absolute() and home.is_dir() else Path.cwd()


def remember_folder(dialog: InApp, folder: Path) -> None:
    cxmap(dialog).session.remember_folder(folder)


MATCHES_SHOWN = 240  # characters of the list of matches, about three lines of the dialog


def show_matches(dialog: Dialog[T], matches: tuple[str, ...]) -> None:
    """The names a Tab found, under the path field (nothing: the list goes away)."""
    shown = dialog.query_one("#matches", Static)
    shown.display = bool(matches)
    listed: list[str] = []
    length = 0
    for name in matches:
        length += len(name) + 2
        if length > MATCHES_SHOWN:
            listed.append(f"... and {len(matches) - len(listed)} more")
            break
        listed.append(name)
    shown.update(Content(dialog.shown(f"{len(matches)} matches: " + "  ".join(listed))))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class ImportDialog(Dialog[None]):
    """Read a map from a file and hand it to `add`, which stores it; stays open on errors. The
    path starts as in the export dialog (see ExportDialog)."""

    def __init__(self, add: Callable[[ExperienceMap, Callable[[ExperienceMap], object], Callable[[CxmapError], None]],
                                     None],
                 folder: Path | None = None) -> None:
        super().__init__()
        self.add = add
        self.folder = folder

    def compose(self) -> ComposeResult:
        g = cxmap(self).glyphs
        folder = self.folder or last_folder(self)
        with Vertical(classes="dialog wide"):
            yield Static(Content("Import a map"), classes="title")
            yield Static(Content("A cxmap JSON export, or a CSV of touchpoints with a 'name' column (and "
                                 "action, stage, channel, owner, notes, feeling, thoughts)."), classes="hints")
            with Grid(classes="form"):
                yield Label("File")
                yield PathInput(str(folder).rstrip(os.sep) + os.sep, id="path", ascii=g.ascii, compact=True)
                yield Label("Title")
                yield SafeInput(placeholder="needed for a CSV; renames a JSON map", id="title", ascii=g.ascii,
                                compact=True)
            yield Static("", id="matches", classes="hints matches")
            yield Static("", id="message", classes="message")
            yield FormButton(Content("Import"), id="import", variant="primary", compact=True)
            yield Hints("Enter import", "Tab complete or next", "ctrl+u clears the path", "Esc twice cancels")

    def on_mount(self) -> None:
        self.query_one("#matches").display = False
        path = self.query_one("#path", SafeInput)
        path.focus()
        path.action_end()

    @on(PathInput.Listed)
    def _listed(self, event: PathInput.Listed) -> None:
        show_matches(self, event.matches)

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#import")
    def do_import(self) -> None:
        message = self.query_one("#message", Static)
        raw = self.query_one("#path", SafeInput).value.strip()
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        title = self.query_one("#title", SafeInput).value
        try:
            m = map_from_file(path, title=title or None, source=raw)
        except CxmapError as error:
            # The file is the one in the field above; the message says where in it, and why.
            message.update(Content(self.shown(_said(error.line(file=False)))))
            return
        remember_folder(self, path.parent)
        message.update(Content("Importing..."))
        self.add(m, lambda _: self.dismiss(None),
                 lambda error: message.update(Content(self.shown(_said(f"Not imported: {error}")))))


MESSAGE_LIMIT = 300


def _said(text: str) -> str:
    """An error as the dialog shows it: a sentence, cut short enough to leave the dialog on
    screen (an error may quote a long value from the file)."""
    text = text[:1].upper() + text[1:]
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT - 3] + "..."
