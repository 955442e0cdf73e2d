"""Changes to one map, as data: each edit applies itself to a map and gives back the edit that
takes it away again (its inverse), worked out from the map as it was just before.

An edit holds ids and values, never callables, so it can be queued, shown while it waits to be
saved, undone, redone, and (in time) recorded, all from the same object. Applying an inverse gives
the edit that makes the change again: undo and redo are the same operation.

Every edit works on the freshest copy of the map (the store applies it under its lock), so an
inverse is computed from what is really there, not from what a screen showed a moment ago.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, replace
from typing import ClassVar, Generic, TypeVar

from .integrity import check_stages
from .model import ExperienceMap
from .parts import Improvement, ImprovementValue, RemovedTouchpoint, Touchpoint, TouchpointValue
from .stage_sets import ExperienceChange, change_experience, undo_experience_change

V = TypeVar("V")  # the kind of value a field edit sets


class MapEdit(ABC):
    """One change to a map."""

    @abstractmethod
    def apply(self, m: ExperienceMap) -> MapEdit:
        """Make the change to `m` (or raise CxmapError, leaving `m` as it was); return its inverse."""


class EditFields(MapEdit, Generic[V]):
    """Set some of the fields of one touchpoint or improvement, found by its id; the inverse is the
    same edit with the values those fields had just before. A subclass, a frozen dataclass with the
    item's id and `changes`, says how the item is found and how the change is made."""

    changes: Mapping[str, V]
    __dataclass_fields__: ClassVar[dict[str, Field[object]]]  # each subclass is a dataclass: `replace` takes it

    @abstractmethod
    def _item(self, m: ExperienceMap) -> Touchpoint | Improvement:
        """The item the edit changes (NotFound when it is no longer in the map)."""

    @abstractmethod
    def _set(self, m: ExperienceMap) -> None:
        """Make the change to the item, checking every value first."""

    def apply(self, m: ExperienceMap) -> MapEdit:
        item = self._item(m)
        before: dict[str, V] = {name: getattr(item, name) for name in self.changes}
        self._set(m)
        return replace(self, changes=before)


# -- the experience itself (step 2) ---------------------------------------------------------------


@dataclass(frozen=True)
class EditMap(MapEdit):
    """Set some of the map's own fields (title, scope, persona, kind, ...)."""

    changes: Mapping[str, str]

    def apply(self, m: ExperienceMap) -> MapEdit:
        before = {name: str(getattr(m, name)) for name in self.changes}
        m.edit(**self.changes)
        return EditMap(before)


@dataclass(frozen=True)
class ChangeExperience(MapEdit):
    """Set the experience, and with it the stages that fit it while the map's stages are still the
    untouched defaults of the one it had (see domain.stage_sets)."""

    experience: str

    def apply(self, m: ExperienceMap) -> MapEdit:
        return UndoExperience(change_experience(m, self.experience), self)


@dataclass(frozen=True)
class UndoExperience(MapEdit):
    """Takes a ChangeExperience back: `change` says what it did (and is what a screen says of it)."""

    change: ExperienceChange
    redo: ChangeExperience

    def apply(self, m: ExperienceMap) -> MapEdit:
        undo_experience_change(m, self.change)
        return self.redo


# -- stages -------------------------------------------------------------------------------------


class StageOp(ABC):
    """One step of an edit of the stages, as the stage editor collects them."""

    @abstractmethod
    def run(self, m: ExperienceMap) -> None: ...


@dataclass(frozen=True)
class AddStage(StageOp):
    name: str
    at: int

    def run(self, m: ExperienceMap) -> None:
        m.add_stage(self.name, min(self.at, len(m.stages)))


@dataclass(frozen=True)
class RenameStage(StageOp):
    old: str
    new: str

    def run(self, m: ExperienceMap) -> None:
        m.rename_stage(self.old, self.new)


@dataclass(frozen=True)
class RemoveStage(StageOp):
    name: str

    def run(self, m: ExperienceMap) -> None:
        m.remove_stage(self.name)


@dataclass(frozen=True)
class MoveStage(StageOp):
    name: str
    delta: int

    def run(self, m: ExperienceMap) -> None:
        m.move_stage(self.name, self.delta)


@dataclass(frozen=True)
class EditStages(MapEdit):
    """Several changes to the stages, applied together (and undone together)."""

    ops: tuple[StageOp, ...]

    def apply(self, m: ExperienceMap) -> MapEdit:
        stages = tuple(m.stages)
        before = {tp.id: tp.stage for tp in m.touchpoints}
        for op in self.ops:
            op.run(m)
        moved = tuple((tp.id, before[tp.id]) for tp in m.touchpoints
                      if tp.id in before and tp.stage != before[tp.id])
        return RestoreStages(stages, moved, self)


@dataclass(frozen=True)
class RestoreStages(MapEdit):
    """The stages as they were, then each touchpoint the edit moved back in its stage (those still in
    the map). A touchpoint put meanwhile in a stage this takes away is left without a stage."""

    stages: tuple[str, ...]
    touchpoints: tuple[tuple[str, str], ...]  # (touchpoint id, its stage before)
    redo: EditStages

    def apply(self, m: ExperienceMap) -> MapEdit:
        m.stages = check_stages(self.stages)
        old = dict(self.touchpoints)
        for tp in list(m.touchpoints):
            if tp.id in old:
                m.edit_touchpoint(tp.id, stage=old[tp.id])
            elif tp.stage and tp.stage not in m.stages:
                m.edit_touchpoint(tp.id, stage="")
        return self.redo


# -- touchpoints (steps 3 and 4) ------------------------------------------------------------------


@dataclass(frozen=True)
class AddTouchpoint(MapEdit):
    """A new touchpoint, at position `at` (clamped to the list) or at the end."""

    name: str
    at: int | None = None
    values: Mapping[str, TouchpointValue] = field(default_factory=dict)

    def apply(self, m: ExperienceMap) -> MapEdit:
        at = None if self.at is None else min(self.at, len(m.touchpoints))
        return RemoveTouchpoint(m.add_touchpoint(self.name, at=at, **self.values).id)


@dataclass(frozen=True)
class RemoveTouchpoint(MapEdit):
    """Delete a touchpoint, with its links to improvements and its pairing with the ideal."""

    tp_id: str

    def apply(self, m: ExperienceMap) -> MapEdit:
        return RestoreTouchpoint(m.remove_touchpoint(self.tp_id))


@dataclass(frozen=True)
class RestoreTouchpoint(MapEdit):
    """A deleted touchpoint back where it was, with its id, links and pairing."""

    removed: RemovedTouchpoint

    def apply(self, m: ExperienceMap) -> MapEdit:
        return RemoveTouchpoint(m.restore_touchpoint(self.removed).id)


@dataclass(frozen=True)
class EditTouchpoint(EditFields[TouchpointValue]):
    """Set some of a touchpoint's fields (a feeling and thoughts in step 4, any in the form)."""

    tp_id: str
    changes: Mapping[str, TouchpointValue]

    def _item(self, m: ExperienceMap) -> Touchpoint:
        return m.touchpoints[m.touchpoint_index(self.tp_id)]

    def _set(self, m: ExperienceMap) -> None:
        m.edit_touchpoint(self.tp_id, **self.changes)


@dataclass(frozen=True)
class MoveTouchpoint(MapEdit):
    """Move a touchpoint `delta` places (clamped to the list)."""

    tp_id: str
    delta: int

    def apply(self, m: ExperienceMap) -> MapEdit:
        was = m.touchpoint_index(self.tp_id)
        now = m.move_touchpoint(self.tp_id, was + self.delta)
        return MoveTouchpoint(self.tp_id, was - now)


@dataclass(frozen=True)
class SetMatch(MapEdit):
    """Pair a touchpoint with one of the ideal's (by id), with none (""), or by name again (None)."""

    tp_id: str
    ideal_tp_id: str | None

    def apply(self, m: ExperienceMap) -> MapEdit:
        m.touchpoint_index(self.tp_id)
        before = m.matches.get(self.tp_id)
        m.set_match(self.tp_id, self.ideal_tp_id)
        return SetMatch(self.tp_id, before)


# -- improvements (step 5) ------------------------------------------------------------------------


@dataclass(frozen=True)
class AddImprovement(MapEdit):
    title: str
    values: Mapping[str, ImprovementValue] = field(default_factory=dict)

    def apply(self, m: ExperienceMap) -> MapEdit:
        return RemoveImprovement(m.add_improvement(self.title, **self.values).id)


@dataclass(frozen=True)
class RemoveImprovement(MapEdit):
    imp_id: str

    def apply(self, m: ExperienceMap) -> MapEdit:
        return RestoreImprovement(*m.remove_improvement(self.imp_id))


@dataclass(frozen=True)
class RestoreImprovement(MapEdit):
    """A deleted improvement back in its place, linked to those of its touchpoints still there."""

    improvement: Improvement
    index: int

    def apply(self, m: ExperienceMap) -> MapEdit:
        return RemoveImprovement(m.restore_improvement(self.improvement, self.index).id)


@dataclass(frozen=True)
class EditImprovement(EditFields[ImprovementValue]):
    imp_id: str
    changes: Mapping[str, ImprovementValue]

    def _item(self, m: ExperienceMap) -> Improvement:
        return m.improvements[m.improvement_index(self.imp_id)]

    def _set(self, m: ExperienceMap) -> None:
        m.edit_improvement(self.imp_id, **self.changes)


def made(edit: MapEdit, inverse: MapEdit) -> str | None:
    """The id of the touchpoint or improvement an applied edit made or changed (for a list to put
    its cursor on), given the inverse it returned."""
    if isinstance(inverse, RemoveTouchpoint):
        return inverse.tp_id
    if isinstance(inverse, RemoveImprovement):
        return inverse.imp_id
    if isinstance(edit, EditTouchpoint):
        return edit.tp_id
    if isinstance(edit, EditImprovement):
        return edit.imp_id
    return None
