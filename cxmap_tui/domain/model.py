"""Experience maps: one interaction, its stages, its touchpoints in order and the improvements
planned for it, with the operations the method needs.

Every operation checks its input and raises ValidationError or NotFound with a message a person
can act on; a map never holds a half-applied change because each operation checks before it
touches anything. The parts (touchpoints, improvements) are in domain.parts, the checks of one
change's fields in domain.field_checks, the checks of a whole map from outside in domain.integrity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

from .errors import NotFound, ValidationError
from .field_checks import checked_improvement_fields, checked_map_fields, checked_touchpoint_fields, touchpoint_named
from .ids import new_id, resolve
from .integrity import check_map, check_stages, map_fields
from .json_types import JSONDict
from .parts import Improvement, ImprovementValue, RemovedTouchpoint, Touchpoint, TouchpointValue
from .text import clean_line
from .vocabulary import (
    CHANNELS,
    CLOCKS,
    DEFAULT_STAGES,
    EXPERIENCES,
    KINDS,
    STATUSES,
    needs_text,
    now_iso,
    parse_choice,
)

# Names other modules import from here.
__all__ = [
    "CHANNELS", "CLOCKS", "DEFAULT_STAGES", "EXPERIENCES", "KINDS", "STATUSES", "ExperienceMap",
    "Improvement", "RemovedTouchpoint", "Touchpoint", "now_iso", "parse_choice",
]


@dataclass
class ExperienceMap:
    """One specific interaction, its touchpoints in order, and the improvements planned for it."""

    title: str
    experience: str = "custom"
    scope: str = ""
    persona: str = ""
    kind: str = "current"
    stages: list[str] = field(default_factory=lambda: list(DEFAULT_STAGES))
    touchpoints: list[Touchpoint] = field(default_factory=list)
    improvements: list[Improvement] = field(default_factory=list)
    template: str = ""
    # A current-state map can be compared with the ideal map of the same experience. Its
    # touchpoints pair with the ideal's by name, unless `matches` says otherwise: current
    # touchpoint id -> ideal touchpoint id, or "" for "no counterpart in the ideal".
    ideal: str = ""
    matches: dict[str, str] = field(default_factory=dict)
    id: str = ""
    created: str = ""
    updated: str = ""
    revision: int = 0

    # -- creation ------------------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        title: str,
        *,
        experience: str = "custom",
        scope: str = "",
        persona: str = "",
        kind: str = "current",
        stages: Iterable[str] | None = None,
    ) -> ExperienceMap:
        m = cls(title="")
        m.edit(title=title, experience=experience, scope=scope, persona=persona, kind=kind)
        if stages is not None:
            m.stages = check_stages(stages)
        m.id = new_id()
        m.created = m.updated = now_iso()
        return m

    def copy(self) -> ExperienceMap:
        """An independent copy: nothing done to it changes this map."""
        return replace(self, stages=list(self.stages), touchpoints=[tp.copy() for tp in self.touchpoints],
                       improvements=[imp.copy() for imp in self.improvements], matches=dict(self.matches))

    # -- the experience itself (step 2) ----------------------------------------------------------

    def edit(self, **changes: str) -> None:
        for key, value in checked_map_fields(changes).items():
            setattr(self, key, value)

    # -- stages ----------------------------------------------------------------------------------

    def add_stage(self, name: str, at: int | None = None) -> None:
        name = needs_text(name, "a stage name")
        other = self._stage_index(name)
        if other is not None:
            raise ValidationError(f"there is already a stage called {self.stages[other]!r}")
        self.stages.insert(len(self.stages) if at is None else at, name)

    def rename_stage(self, old: str, new: str) -> None:
        i = self._require_stage(old)
        new = needs_text(new, "a stage name")
        other = self._stage_index(new)
        if other is not None and other != i:
            raise ValidationError(f"there is already a stage called {self.stages[other]!r}")
        old_name = self.stages[i]
        self.stages[i] = new
        for tp in self.touchpoints:
            if tp.stage == old_name:
                tp.stage = new

    def remove_stage(self, name: str) -> int:
        """Remove a stage; its touchpoints keep their place but lose the stage. Returns how many."""
        i = self._require_stage(name)
        old = self.stages.pop(i)
        moved = 0
        for tp in self.touchpoints:
            if tp.stage == old:
                tp.stage = ""
                moved += 1
        return moved

    def move_stage(self, name: str, delta: int) -> None:
        i = self._require_stage(name)
        j = max(0, min(len(self.stages) - 1, i + delta))
        self.stages.insert(j, self.stages.pop(i))

    def canonical_stage(self, name: str) -> str:
        """The stage as the map spells it; '' for no stage. Unknown stages are an error."""
        name = clean_line(name)
        if not name:
            return ""
        i = self._stage_index(name)
        if i is None:
            known = ", ".join(self.stages) if self.stages else "none yet"
            raise ValidationError(f"unknown stage {name!r} (this map's stages: {known})")
        return self.stages[i]

    def _stage_index(self, name: str) -> int | None:
        folded = name.strip().casefold()
        for i, s in enumerate(self.stages):
            if s.casefold() == folded:
                return i
        return None

    def _require_stage(self, name: str) -> int:
        i = self._stage_index(name)
        if i is None:
            raise NotFound(f"no stage called {name!r}")
        return i

    # -- touchpoints (step 3) --------------------------------------------------------------------

    def touchpoint(self, ref: str) -> Touchpoint:
        return resolve(self.touchpoints, ref, what="touchpoint", id_of=lambda t: t.id, name_of=lambda t: t.name)

    def touchpoint_index(self, tp_id: str) -> int:
        for i, tp in enumerate(self.touchpoints):
            if tp.id == tp_id:
                return i
        raise NotFound("that touchpoint is no longer in the map (someone may have deleted it)")

    def add_touchpoint(self, name: str, *, at: int | None = None, **attrs: TouchpointValue) -> Touchpoint:
        tp = Touchpoint(name="", id=new_id(t.id for t in self.touchpoints))
        self._apply_touchpoint(tp, {"name": name, **attrs})
        if at is None:
            at = len(self.touchpoints)
        if not 0 <= at <= len(self.touchpoints):
            raise ValidationError(f"position {at + 1} is outside the list (1 to {len(self.touchpoints) + 1})")
        self.touchpoints.insert(at, tp)
        return tp

    def edit_touchpoint(self, tp_id: str, **changes: TouchpointValue) -> Touchpoint:
        tp = self.touchpoints[self.touchpoint_index(tp_id)]
        self._apply_touchpoint(tp, changes)
        return tp

    def set_feeling(self, tp_id: str, score: int | None, thoughts: str | None = None) -> Touchpoint:
        changes: dict[str, TouchpointValue] = {"feeling": score}
        if thoughts is not None:
            changes["thoughts"] = thoughts
        return self.edit_touchpoint(tp_id, **changes)

    def remove_touchpoint(self, tp_id: str) -> RemovedTouchpoint:
        """Remove a touchpoint and its links; the result can put it all back (undo)."""
        i = self.touchpoint_index(tp_id)
        tp = self.touchpoints.pop(i)
        linked = []
        for imp in self.improvements:
            if tp.id in imp.touchpoints:
                imp.touchpoints = [t for t in imp.touchpoints if t != tp.id]
                linked.append(imp.id)
        return RemovedTouchpoint(tp, i, tuple(linked), self.matches.pop(tp.id, None))

    def restore_touchpoint(self, removed: RemovedTouchpoint) -> Touchpoint:
        tp = replace(removed.touchpoint)
        if any(t.id == tp.id for t in self.touchpoints):
            raise ValidationError(f"touchpoint {tp.name!r} is already back in the map")
        if touchpoint_named(self, tp.name) is not None:
            raise ValidationError(f"another touchpoint is now called {tp.name!r}; rename it first")
        if tp.stage and self._stage_index(tp.stage) is None:
            tp.stage = ""
        self.touchpoints.insert(min(removed.index, len(self.touchpoints)), tp)
        for imp in self.improvements:
            if imp.id in removed.improvements and tp.id not in imp.touchpoints:
                imp.touchpoints.append(tp.id)
        if removed.match is not None:
            self.matches[tp.id] = removed.match
        return tp

    def move_touchpoint(self, tp_id: str, to: int) -> int:
        """Move a touchpoint to position `to` (clamped to the list); returns where it ended up."""
        i = self.touchpoint_index(tp_id)
        to = max(0, min(len(self.touchpoints) - 1, to))
        self.touchpoints.insert(to, self.touchpoints.pop(i))
        return to

    def _apply_touchpoint(self, tp: Touchpoint, changes: Mapping[str, TouchpointValue]) -> None:
        for key, value in checked_touchpoint_fields(self, tp, changes).items():
            setattr(tp, key, value)

    # -- the ideal this map is compared with ---------------------------------------------------

    def set_ideal(self, ideal_id: str) -> None:
        """Compare this current-state map with an ideal map ('' to stop). The store checks that
        the ideal exists and is an ideal map of the same experience."""
        if ideal_id and self.kind != "current":
            raise ValidationError("only a current-state map is compared with an ideal map")
        if ideal_id and ideal_id == self.id:
            raise ValidationError("a map cannot be its own ideal")
        if ideal_id != self.ideal:
            self.matches.clear()  # pairs made for another ideal mean nothing for this one
        self.ideal = ideal_id

    def set_match(self, tp_id: str, ideal_tp_id: str | None) -> None:
        """Pair a touchpoint with one of the ideal's (by id), with none ("" ), or go back to
        pairing by name (None)."""
        self.touchpoint_index(tp_id)
        if ideal_tp_id is None:
            self.matches.pop(tp_id, None)
        else:
            if ideal_tp_id and any(v == ideal_tp_id for k, v in self.matches.items() if k != tp_id):
                raise ValidationError("that ideal touchpoint is already paired with another touchpoint")
            self.matches[tp_id] = ideal_tp_id

    # -- improvements (step 5) -------------------------------------------------------------------

    def improvement(self, ref: str) -> Improvement:
        return resolve(self.improvements, ref, what="improvement", id_of=lambda i: i.id, name_of=lambda i: i.title)

    def improvement_index(self, imp_id: str) -> int:
        for i, imp in enumerate(self.improvements):
            if imp.id == imp_id:
                return i
        raise NotFound("that improvement is no longer in the map (someone may have deleted it)")

    def add_improvement(self, title: str, **attrs: ImprovementValue) -> Improvement:
        imp = Improvement(title="", id=new_id(i.id for i in self.improvements))
        self._apply_improvement(imp, {"title": title, **attrs})
        self.improvements.append(imp)
        return imp

    def edit_improvement(self, imp_id: str, **changes: ImprovementValue) -> Improvement:
        imp = self.improvements[self.improvement_index(imp_id)]
        self._apply_improvement(imp, changes)
        return imp

    def remove_improvement(self, imp_id: str) -> tuple[Improvement, int]:
        i = self.improvement_index(imp_id)
        return self.improvements.pop(i), i

    def restore_improvement(self, imp: Improvement, index: int) -> Improvement:
        if any(i.id == imp.id for i in self.improvements):
            raise ValidationError(f"improvement {imp.title!r} is already back in the map")
        imp = replace(imp, touchpoints=[t for t in imp.touchpoints if self._has_touchpoint(t)])
        self.improvements.insert(min(index, len(self.improvements)), imp)
        return imp

    def improvements_for(self, tp_id: str) -> list[Improvement]:
        return [imp for imp in self.improvements if tp_id in imp.touchpoints]

    def _has_touchpoint(self, tp_id: str) -> bool:
        return any(t.id == tp_id for t in self.touchpoints)

    def _apply_improvement(self, imp: Improvement, changes: Mapping[str, ImprovementValue]) -> None:
        for key, value in checked_improvement_fields(self, imp, changes).items():
            setattr(imp, key, value)

    # -- checks and (de)serialisation ------------------------------------------------------------

    def validate(self) -> None:
        """Check the whole map; used on maps that come from outside (a file, an import)."""
        check_map(self)

    # How deeply to_dict's document nests lists and objects: the map, its improvements, one
    # improvement, the touchpoints it addresses (validate keeps every field to its type).
    DOC_DEPTH: ClassVar[int] = 4

    def to_dict(self, like: Mapping[str, object] | None = None) -> JSONDict:
        """The map as a document. `like`: a document of this map from before (never changed
        since, as stored documents are not): each touchpoint still as it was there is its dict
        from there, so that saving an edit of one touchpoint builds one."""
        return {
            "id": self.id,
            "title": self.title,
            "experience": self.experience,
            "scope": self.scope,
            "persona": self.persona,
            "kind": self.kind,
            "template": self.template,
            "stages": list(self.stages),
            "touchpoints": self._touchpoint_docs(like),
            "improvements": [imp.to_dict() for imp in self.improvements],
            "ideal": self.ideal,
            "matches": dict(self.matches),
            "created": self.created,
            "updated": self.updated,
            "revision": self.revision,
        }

    def _touchpoint_docs(self, like: Mapping[str, object] | None) -> list[JSONDict]:
        before = like.get("touchpoints") if like is not None else None
        if not isinstance(before, list) or len(before) != len(self.touchpoints):
            return [tp.to_dict() for tp in self.touchpoints]
        # A touchpoint's dict holds its fields, so a dict equal to its own __dict__ is its document.
        return [was if type(was) is dict and was == tp.__dict__ else tp.to_dict()
                for was, tp in zip(before, self.touchpoints, strict=True)]

    @classmethod
    def from_dict(cls, data: object) -> ExperienceMap:
        return cls(**map_fields(data))
