"""Experience maps, touchpoints and improvements.

Plain dataclasses with the operations the method needs. Every operation checks its input and
raises ValidationError or NotFound with a message a person can act on; a map never holds a
half-applied change because each operation checks before it touches anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from typing import Any

from .errors import NotFound, ValidationError
from .feelings import check_score
from .ids import new_id, resolve
from .text import clean, clean_line

EXPERIENCES: dict[str, str] = {
    "website": "Reading the blog or exploring the website",
    "service": "Talking to a customer-service agent",
    "store": "Visiting the store or the web shop",
    "product": "Using the product at home or at work",
    "sales": "Dealing with sales while becoming a customer",
    "custom": "Another interaction (say which in the scope)",
}

KINDS: dict[str, str] = {
    "current": "Current state: what customers go through today",
    "ideal": "Ideal: every moment we want each customer to have",
}

DEFAULT_STAGES: tuple[str, ...] = (
    "Awareness",
    "Consideration",
    "Purchase",
    "Onboarding",
    "Use",
    "Check-in",
    "Renewal",
)

CHANNELS: tuple[str, ...] = (
    "Web",
    "E-mail",
    "Phone",
    "Chat",
    "Video call",
    "SMS",
    "Store",
    "In-product",
    "Social media",
    "Post",
    "In person",
    "Event",
)

STATUSES: dict[str, str] = {
    "idea": "idea",
    "planned": "planned",
    "in-progress": "in progress",
    "done": "done",
    "dropped": "dropped",
}

MIN_RATING = 1
MAX_RATING = 5


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_choice(value: str, choices: Mapping[str, str], what: str) -> str:
    """Accept a key or its label, any case, spaces or hyphens."""
    v = value.strip().casefold().replace(" ", "-").replace("_", "-")
    for key, text in choices.items():
        if v in (key, text.casefold().replace(" ", "-")):
            return key
    # Allow a unique prefix ("cur" for current, "in-p" for in-progress).
    hits = [k for k in choices if k.startswith(v)] if v else []
    if len(hits) == 1:
        return hits[0]
    raise ValidationError(f"unknown {what} {value!r}: use one of {', '.join(choices)}")


def check_rating(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{what} is a whole number from {MIN_RATING} to {MAX_RATING}, not {value!r}")
    if not MIN_RATING <= value <= MAX_RATING:
        raise ValidationError(f"{what} {value} is out of range: use {MIN_RATING} (low) to {MAX_RATING} (high)")
    return value


def _needs_text(value: str, what: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValidationError(f"{what} cannot be empty")
    return value


@dataclass
class Touchpoint:
    name: str
    action: str = ""
    stage: str = ""
    channel: str = ""
    owner: str = ""
    notes: str = ""
    feeling: int | None = None
    thoughts: str = ""
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Touchpoint:
        return cls(
            id=_get_str(data, "id", "touchpoint"),
            name=_get_str(data, "name", "touchpoint"),
            action=_get_str(data, "action", "touchpoint"),
            stage=_get_str(data, "stage", "touchpoint"),
            channel=_get_str(data, "channel", "touchpoint"),
            owner=_get_str(data, "owner", "touchpoint"),
            notes=_get_str(data, "notes", "touchpoint"),
            feeling=_get_score(data),
            thoughts=_get_str(data, "thoughts", "touchpoint"),
        )


@dataclass
class Improvement:
    title: str
    description: str = ""
    touchpoints: list[str] = field(default_factory=list)
    customer_value: int = 3
    business_value: int = 3
    effort: int = 3
    status: str = "idea"
    owner: str = ""
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["touchpoints"] = list(self.touchpoints)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Improvement:
        links = data.get("touchpoints", [])
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            raise ValidationError("an improvement's touchpoints must be a list of touchpoint ids")
        return cls(
            id=_get_str(data, "id", "improvement"),
            title=_get_str(data, "title", "improvement"),
            description=_get_str(data, "description", "improvement"),
            touchpoints=list(links),
            customer_value=_get_int(data, "customer_value", 3),
            business_value=_get_int(data, "business_value", 3),
            effort=_get_int(data, "effort", 3),
            status=_get_str(data, "status", "improvement") or "idea",
            owner=_get_str(data, "owner", "improvement"),
        )


TOUCHPOINT_FIELDS = frozenset(f.name for f in fields(Touchpoint)) - {"id"}
IMPROVEMENT_FIELDS = frozenset(f.name for f in fields(Improvement)) - {"id"}
MAP_FIELDS = frozenset({"title", "experience", "scope", "persona", "kind", "template"})


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
            m.stages = _check_stages(stages)
        m.id = new_id()
        m.created = m.updated = now_iso()
        return m

    def copy(self) -> ExperienceMap:
        return ExperienceMap.from_dict(self.to_dict())

    # -- the experience itself (step 2) ----------------------------------------------------------

    def edit(self, **changes: Any) -> None:
        unknown = set(changes) - MAP_FIELDS
        if unknown:
            raise ValidationError(f"a map has no field {sorted(unknown)[0]!r}")
        checked: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "title":
                checked[key] = _needs_text(value, "the map's title")
            elif key == "experience":
                checked[key] = parse_choice(value, EXPERIENCES, "experience")
            elif key == "kind":
                checked[key] = parse_choice(value, KINDS, "kind")
            else:
                checked[key] = clean(value).strip()
        for key, value in checked.items():
            setattr(self, key, value)

    # -- stages ----------------------------------------------------------------------------------

    def add_stage(self, name: str, at: int | None = None) -> None:
        name = _needs_text(name, "a stage name")
        other = self._stage_index(name)
        if other is not None:
            raise ValidationError(f"there is already a stage called {self.stages[other]!r}")
        self.stages.insert(len(self.stages) if at is None else at, name)

    def rename_stage(self, old: str, new: str) -> None:
        i = self._require_stage(old)
        new = _needs_text(new, "a stage name")
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

    def add_touchpoint(self, name: str, *, at: int | None = None, **attrs: Any) -> Touchpoint:
        tp = Touchpoint(name="", id=new_id(t.id for t in self.touchpoints))
        self._apply_touchpoint(tp, {"name": name, **attrs})
        if at is None:
            at = len(self.touchpoints)
        if not 0 <= at <= len(self.touchpoints):
            raise ValidationError(f"position {at + 1} is outside the list (1 to {len(self.touchpoints) + 1})")
        self.touchpoints.insert(at, tp)
        return tp

    def edit_touchpoint(self, tp_id: str, **changes: Any) -> Touchpoint:
        tp = self.touchpoints[self.touchpoint_index(tp_id)]
        self._apply_touchpoint(tp, changes)
        return tp

    def set_feeling(self, tp_id: str, score: int | None, thoughts: str | None = None) -> Touchpoint:
        changes: dict[str, Any] = {"feeling": score}
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
        return RemovedTouchpoint(tp, i, tuple(linked))

    def restore_touchpoint(self, removed: RemovedTouchpoint) -> Touchpoint:
        tp = replace(removed.touchpoint)
        if any(t.id == tp.id for t in self.touchpoints):
            raise ValidationError(f"touchpoint {tp.name!r} is already back in the map")
        if self._touchpoint_named(tp.name) is not None:
            raise ValidationError(f"another touchpoint is now called {tp.name!r}; rename it first")
        if tp.stage and self._stage_index(tp.stage) is None:
            tp.stage = ""
        self.touchpoints.insert(min(removed.index, len(self.touchpoints)), tp)
        for imp in self.improvements:
            if imp.id in removed.improvements and tp.id not in imp.touchpoints:
                imp.touchpoints.append(tp.id)
        return tp

    def move_touchpoint(self, tp_id: str, to: int) -> int:
        """Move a touchpoint to position `to` (clamped to the list); returns where it ended up."""
        i = self.touchpoint_index(tp_id)
        to = max(0, min(len(self.touchpoints) - 1, to))
        self.touchpoints.insert(to, self.touchpoints.pop(i))
        return to

    def _touchpoint_named(self, name: str) -> Touchpoint | None:
        folded = name.casefold()
        for tp in self.touchpoints:
            if tp.name.casefold() == folded:
                return tp
        return None

    def _apply_touchpoint(self, tp: Touchpoint, changes: Mapping[str, Any]) -> None:
        unknown = set(changes) - TOUCHPOINT_FIELDS
        if unknown:
            raise ValidationError(f"a touchpoint has no field {sorted(unknown)[0]!r}")
        checked: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "name":
                value = _needs_text(value, "a touchpoint's name")
                other = self._touchpoint_named(value)
                if other is not None and other is not tp:
                    raise ValidationError(
                        f"this map already has a touchpoint called {value!r}; give this one a name "
                        "that tells them apart"
                    )
            elif key == "stage":
                value = self.canonical_stage(value)
            elif key == "feeling":
                try:
                    value = check_score(value)
                except ValueError as e:
                    raise ValidationError(str(e)) from None
            elif key in ("channel", "owner"):
                value = clean_line(value)
            else:
                value = clean(value)
            checked[key] = value
        for key, value in checked.items():
            setattr(tp, key, value)

    # -- improvements (step 5) -------------------------------------------------------------------

    def improvement(self, ref: str) -> Improvement:
        return resolve(self.improvements, ref, what="improvement", id_of=lambda i: i.id, name_of=lambda i: i.title)

    def improvement_index(self, imp_id: str) -> int:
        for i, imp in enumerate(self.improvements):
            if imp.id == imp_id:
                return i
        raise NotFound("that improvement is no longer in the map (someone may have deleted it)")

    def add_improvement(self, title: str, **attrs: Any) -> Improvement:
        imp = Improvement(title="", id=new_id(i.id for i in self.improvements))
        self._apply_improvement(imp, {"title": title, **attrs})
        self.improvements.append(imp)
        return imp

    def edit_improvement(self, imp_id: str, **changes: Any) -> Improvement:
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

    def _apply_improvement(self, imp: Improvement, changes: Mapping[str, Any]) -> None:
        unknown = set(changes) - IMPROVEMENT_FIELDS
        if unknown:
            raise ValidationError(f"an improvement has no field {sorted(unknown)[0]!r}")
        checked: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "title":
                value = _needs_text(value, "an improvement's title")
                folded = value.casefold()
                if any(o is not imp and o.title.casefold() == folded for o in self.improvements):
                    raise ValidationError(f"this map already has an improvement called {value!r}")
            elif key == "touchpoints":
                ids = []
                for ref in value:
                    tp = self.touchpoint(ref)
                    if tp.id not in ids:
                        ids.append(tp.id)
                value = ids
            elif key in ("customer_value", "business_value", "effort"):
                value = check_rating(value, key.replace("_", " "))
            elif key == "status":
                value = parse_choice(value, STATUSES, "status")
            elif key == "owner":
                value = clean_line(value)
            else:
                value = clean(value)
            checked[key] = value
        for key, value in checked.items():
            setattr(imp, key, value)

    # -- checks and (de)serialisation ------------------------------------------------------------

    def validate(self) -> None:
        """Check the whole map; used on maps that come from outside (a file, an import)."""
        _needs_text(self.title, "the map's title")
        if self.experience not in EXPERIENCES:
            raise ValidationError(f"unknown experience {self.experience!r}: use one of {', '.join(EXPERIENCES)}")
        if self.kind not in KINDS:
            raise ValidationError(f"unknown kind {self.kind!r}: use one of {', '.join(KINDS)}")
        _check_stages(self.stages)
        seen_ids: set[str] = set()
        seen_names: set[str] = set()
        for tp in self.touchpoints:
            if not tp.id or tp.id in seen_ids:
                raise ValidationError(f"touchpoint {tp.name!r} has a missing or repeated id {tp.id!r}")
            seen_ids.add(tp.id)
            name = _needs_text(tp.name, "a touchpoint's name").casefold()
            if name in seen_names:
                raise ValidationError(f"two touchpoints are called {tp.name!r}")
            seen_names.add(name)
            if tp.stage and tp.stage not in self.stages:
                raise ValidationError(f"touchpoint {tp.name!r} is in unknown stage {tp.stage!r}")
            try:
                check_score(tp.feeling)
            except ValueError as e:
                raise ValidationError(f"touchpoint {tp.name!r}: {e}") from None
        seen_imp: set[str] = set()
        titles: set[str] = set()
        for imp in self.improvements:
            if not imp.id or imp.id in seen_imp:
                raise ValidationError(f"improvement {imp.title!r} has a missing or repeated id {imp.id!r}")
            seen_imp.add(imp.id)
            title = _needs_text(imp.title, "an improvement's title").casefold()
            if title in titles:
                raise ValidationError(f"two improvements are called {imp.title!r}")
            titles.add(title)
            for tp_id in imp.touchpoints:
                if tp_id not in seen_ids:
                    raise ValidationError(f"improvement {imp.title!r} links to unknown touchpoint {tp_id!r}")
            for key in ("customer_value", "business_value", "effort"):
                check_rating(getattr(imp, key), f"improvement {imp.title!r}: {key.replace('_', ' ')}")
            if imp.status not in STATUSES:
                raise ValidationError(f"improvement {imp.title!r} has unknown status {imp.status!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "experience": self.experience,
            "scope": self.scope,
            "persona": self.persona,
            "kind": self.kind,
            "template": self.template,
            "stages": list(self.stages),
            "touchpoints": [tp.to_dict() for tp in self.touchpoints],
            "improvements": [imp.to_dict() for imp in self.improvements],
            "created": self.created,
            "updated": self.updated,
            "revision": self.revision,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExperienceMap:
        if not isinstance(data, Mapping):
            raise ValidationError("a map must be a JSON object")
        stages = data.get("stages", list(DEFAULT_STAGES))
        if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
            raise ValidationError("a map's stages must be a list of names")
        tps = data.get("touchpoints", [])
        imps = data.get("improvements", [])
        if not isinstance(tps, list) or not all(isinstance(t, Mapping) for t in tps):
            raise ValidationError("a map's touchpoints must be a list of objects")
        if not isinstance(imps, list) or not all(isinstance(i, Mapping) for i in imps):
            raise ValidationError("a map's improvements must be a list of objects")
        return cls(
            id=_get_str(data, "id", "map"),
            title=_get_str(data, "title", "map"),
            experience=_get_str(data, "experience", "map") or "custom",
            scope=_get_str(data, "scope", "map"),
            persona=_get_str(data, "persona", "map"),
            kind=_get_str(data, "kind", "map") or "current",
            template=_get_str(data, "template", "map"),
            stages=list(stages),
            touchpoints=[Touchpoint.from_dict(t) for t in tps],
            improvements=[Improvement.from_dict(i) for i in imps],
            created=_get_str(data, "created", "map"),
            updated=_get_str(data, "updated", "map"),
            revision=_get_int(data, "revision", 0),
        )


@dataclass(frozen=True)
class RemovedTouchpoint:
    """What `remove_touchpoint` took out, so that undo can put it back where it was."""

    touchpoint: Touchpoint
    index: int
    improvements: tuple[str, ...]


def _check_stages(stages: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for s in stages:
        s = _needs_text(s, "a stage name")
        if s.casefold() in seen:
            raise ValidationError(f"the stage {s!r} is listed twice")
        seen.add(s.casefold())
        out.append(s)
    return out


def _get_str(data: Mapping[str, Any], key: str, what: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"a {what}'s {key} must be text, not {type(value).__name__}")
    return value


def _get_int(data: Mapping[str, Any], key: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{key} must be a whole number, not {value!r}")
    return value


def _get_score(data: Mapping[str, Any]) -> int | None:
    try:
        return check_score(data.get("feeling"))
    except ValueError as e:
        raise ValidationError(str(e)) from None
