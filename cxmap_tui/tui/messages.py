"""What the panes tell the workshop screen. Panes never touch the store; they ask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from ..domain.errors import CxmapError
from ..domain.method import Step
from ..domain.model import ExperienceMap

Apply = Callable[[ExperienceMap], Any]
Undo = Callable[[ExperienceMap, Any], Any]


@dataclass
class ChangeMap(Message):
    """Apply a change to the open map and save it. `undo(map, result)` reverses it, given what
    `apply` returned; `done(result)` runs once the change is saved, `failed(error)` if it was not."""

    label: str
    apply: Apply
    undo: Undo | None = None
    done: Callable[[Any], None] | None = field(default=None, repr=False)
    failed: Callable[[CxmapError], None] | None = field(default=None, repr=False)


@dataclass
class CreateMap(Message):
    """Store a new map (blank or from a template) and open it at step 2."""

    new_map: ExperienceMap


@dataclass
class DeleteMap(Message):
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
