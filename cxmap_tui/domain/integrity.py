"""Checking a whole map that comes from outside (a file, an import), and reading a map's fields
from stored data. The map's own operations check each change as it is made; these check
everything at once, for data nobody has checked yet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypedDict

from .errors import ValidationError
from .feelings import MAX_SCORE, MIN_SCORE, check_score
from .parts import Improvement, Touchpoint, check_due_day, get_int, get_str
from .vocabulary import CLOCKS, DEFAULT_STAGES, EXPERIENCES, KINDS, STATUSES, check_rating, needs_text

if TYPE_CHECKING:
    from .model import ExperienceMap


def check_stages(stages: Iterable[str]) -> list[str]:
    """The stage names, each present once (case aside)."""
    out: list[str] = []
    seen: set[str] = set()
    for s in stages:
        s = needs_text(s, "a stage name")
        if s.casefold() in seen:
            raise ValidationError(f"the stage {s!r} is listed twice")
        seen.add(s.casefold())
        out.append(s)
    return out


def check_map(m: ExperienceMap) -> None:
    needs_text(m.title, "the map's title")
    if m.experience not in EXPERIENCES:
        raise ValidationError(f"unknown experience {m.experience!r}: use one of {', '.join(EXPERIENCES)}")
    if m.kind not in KINDS:
        raise ValidationError(f"unknown kind {m.kind!r}: use one of {', '.join(KINDS)}")
    check_stages(m.stages)
    ids = _check_touchpoints(m)
    for tp_id, ideal_tp_id in m.matches.items():
        if tp_id not in ids or not isinstance(ideal_tp_id, str):
            raise ValidationError(f"a pairing with the ideal map names unknown touchpoint {tp_id!r}")
    if m.ideal and m.kind != "current":
        raise ValidationError("only a current-state map is compared with an ideal map")
    _check_improvements(m, ids)


def _check_touchpoints(m: ExperienceMap) -> set[str]:
    # Every saved edit checks every touchpoint of its map, so the usual case (plain text, a
    # feeling in range, no due day) is tested inline and only the rest goes through the checks
    # that say what is wrong.
    ids: set[str] = set()
    names: set[str] = set()
    stages = set(m.stages)
    for tp in m.touchpoints:
        if not tp.id or tp.id in ids:
            raise ValidationError(f"touchpoint {tp.name!r} has a missing or repeated id {tp.id!r}")
        ids.add(tp.id)
        raw = tp.name
        name = raw.strip() if type(raw) is str and raw.isascii() else needs_text(raw, "a touchpoint's name")
        if not name:
            needs_text(name, "a touchpoint's name")  # says it cannot be empty
        name = name.casefold()
        if name in names:
            raise ValidationError(f"two touchpoints are called {tp.name!r}")
        names.add(name)
        if tp.stage and tp.stage not in stages:
            raise ValidationError(f"touchpoint {tp.name!r} is in unknown stage {tp.stage!r}")
        feeling = tp.feeling
        if feeling is not None and not (type(feeling) is int and MIN_SCORE <= feeling <= MAX_SCORE):
            try:
                check_score(feeling)
            except ValueError as e:
                raise ValidationError(f"touchpoint {tp.name!r}: {e}") from None
        if tp.due_day is not None:
            check_due_day(tp.due_day)
        if tp.clock not in CLOCKS:
            raise ValidationError(f"touchpoint {tp.name!r} has unknown clock {tp.clock!r}")
    return ids


def _check_improvements(m: ExperienceMap, touchpoint_ids: set[str]) -> None:
    ids: set[str] = set()
    titles: set[str] = set()
    for imp in m.improvements:
        if not imp.id or imp.id in ids:
            raise ValidationError(f"improvement {imp.title!r} has a missing or repeated id {imp.id!r}")
        ids.add(imp.id)
        title = needs_text(imp.title, "an improvement's title").casefold()
        if title in titles:
            raise ValidationError(f"two improvements are called {imp.title!r}")
        titles.add(title)
        for tp_id in imp.touchpoints:
            if tp_id not in touchpoint_ids:
                raise ValidationError(f"improvement {imp.title!r} links to unknown touchpoint {tp_id!r}")
        for key in ("customer_value", "business_value", "effort"):
            check_rating(getattr(imp, key), f"improvement {imp.title!r}: {key.replace('_', ' ')}")
        if imp.status not in STATUSES:
            raise ValidationError(f"improvement {imp.title!r} has unknown status {imp.status!r}")


class MapFields(TypedDict):
    """An ExperienceMap's constructor arguments, as `map_fields` reads them."""

    id: str
    title: str
    experience: str
    scope: str
    persona: str
    kind: str
    template: str
    stages: list[str]
    touchpoints: list[Touchpoint]
    improvements: list[Improvement]
    ideal: str
    matches: dict[str, str]
    created: str
    updated: str
    revision: int


def map_fields(data: object) -> MapFields:
    """An ExperienceMap's constructor arguments from stored data (anything JSON gives), each of the
    right type."""
    if not isinstance(data, Mapping):
        raise ValidationError("a map must be a JSON object")
    stages = data.get("stages", list(DEFAULT_STAGES))
    if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
        raise ValidationError("a map's stages must be a list of names")
    tps = data.get("touchpoints", [])
    imps = data.get("improvements", [])
    matches = data.get("matches", {})
    if not isinstance(matches, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                   for k, v in matches.items()):
        raise ValidationError("a map's matches must map touchpoint ids to ideal touchpoint ids")
    if not isinstance(tps, list) or not all(isinstance(t, Mapping) for t in tps):
        raise ValidationError("a map's touchpoints must be a list of objects")
    if not isinstance(imps, list) or not all(isinstance(i, Mapping) for i in imps):
        raise ValidationError("a map's improvements must be a list of objects")
    return {
        "id": get_str(data, "id", "map"),
        "title": get_str(data, "title", "map"),
        "experience": get_str(data, "experience", "map") or "custom",
        "scope": get_str(data, "scope", "map"),
        "persona": get_str(data, "persona", "map"),
        "kind": get_str(data, "kind", "map") or "current",
        "template": get_str(data, "template", "map"),
        "stages": list(stages),
        "touchpoints": [Touchpoint.from_dict(t) for t in tps],
        "improvements": [Improvement.from_dict(i) for i in imps],
        "ideal": get_str(data, "ideal", "map"),
        "matches": dict(matches),
        "created": get_str(data, "created", "map"),
        "updated": get_str(data, "updated", "map"),
        "revision": get_int(data, "revision", 0),
    }
