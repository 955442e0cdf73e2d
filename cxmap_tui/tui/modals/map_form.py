"""What the touchpoint and improvement forms share: a change to the open map, asked of the pane
that opened the form; the form stays open until the store has it (and says why if it has not), so
nothing typed is lost."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ...domain.edits import MapEdit, made
from ...domain.model import ExperienceMap
from ...store.errors import Unavailable
from ..messages import ChangeMap, EditFailed, EditSaved, Saved
from .base import Dialog

V = TypeVar("V")


class MapForm(Dialog[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_now", "Save", id="form-save"),
        # Enter saves from any field: a text field submits, and a closed list leaves Enter to the form.
        Binding("enter", "save_now", "Save", show=False, id="form-save-enter"),
    ]

    def __init__(self, origin: Widget, m: ExperienceMap) -> None:
        super().__init__()
        self.origin = origin
        self.map = m

    def save(self) -> None:
        """Check what was typed and `send` the change (or say what is wrong)."""
        raise NotImplementedError

    def action_save_now(self) -> None:
        self.save()

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(Content(self.shown(text)))

    def send(self, label: str, edit: MapEdit) -> None:
        self.say("Saving...")
        self.origin.post_message(ChangeMap(label, edit, reply_to=self, hold=False))

    def saved(self, item_id: str | None) -> None:
        """The change is stored (`item_id`: the touchpoint or improvement it made or changed)."""

    @on(EditSaved)
    def _saved(self, message: EditSaved) -> None:
        item_id = made(message.edit, message.undo)
        self.saved(item_id)
        self.origin.post_message(Saved(item_id))
        self.dismiss(True)

    @on(EditFailed)
    def _failed(self, message: EditFailed) -> None:
        again = " Enter or ctrl+s tries again." if isinstance(message.error, Unavailable) else ""
        self.say(f"Not saved: {str(message.error).rstrip('.')}.{again}")


def changed(values: Mapping[str, V], item: object) -> dict[str, V]:
    """The fields of `values` that differ from `item`'s."""
    return {k: v for k, v in values.items() if v != getattr(item, k)}
