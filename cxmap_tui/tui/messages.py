"""What the panes tell the workshop screen. Panes never touch the store; they ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message
from textual.message_pump import MessagePump

from ..domain.edits import MapEdit
from ..domain.errors import CxmapError
from ..domain.method import Step
from ..domain.model import ExperienceMap
from ..editing.edits import StoreEdit


@dataclass
class ChangeMap(Message):
    """Change the open map: `edit` is saved after the changes before it, and u takes it back.

    `notice` is said once it is saved. `reply_to` is told EditSaved or EditFailed. `hold`: when the
    database cannot take the change just now, keep it (shown as not saved) until it can; a dialog
    says False, to be told at once and keep what was typed on screen."""

    label: str
    edit: MapEdit
    reply_to: MessagePump | None = None
    notice: str = ""
    hold: bool = True


@dataclass
class EditSaved(Message):
    """A change asked for with ChangeMap is saved; `undo` is the edit that takes it back."""

    bubble: ClassVar[bool] = False
    edit: MapEdit
    undo: MapEdit


@dataclass
class ChangeStore(Message):
    """A dialog's change beyond the open map (a customer record, say): saved after the changes
    before it, u takes it back; `reply_to` is told EditStored or EditFailed at once."""

    label: str
    edit: StoreEdit[object]
    reply_to: MessagePump


@dataclass
class EditStored(Message):
    """A change asked for with ChangeStore is saved; `result` is what it stored."""

    bubble: ClassVar[bool] = False
    edit: StoreEdit[object]
    result: object


@dataclass
class EditFailed(Message):
    """A change asked for with ChangeMap or ChangeStore was not saved."""

    bubble: ClassVar[bool] = False
    edit: MapEdit | StoreEdit[object]
    error: CxmapError


@dataclass
class CreateMap(Message):
    """Store a new map (blank or from a template) and open it at step 2."""

    new_map: ExperienceMap


@dataclass
class RemoveMap(Message):
    map_id: str
    title: str


@dataclass
class GotoStep(Message):
    step: Step


@dataclass
class Saved(Message):
    """A dialog's change was saved; `item_id` is the touchpoint or improvement it made or changed,
    so the list can put its cursor there."""

    item_id: str | None
