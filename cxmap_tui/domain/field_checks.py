"""Checking one change to a map, a touchpoint or an improvement, field by field, before any of it
is applied: each value cleaned, parsed or refused with a message a person can act on. The map's
operations (domain.model) set what these give back, so a map never holds half a change. A whole
map that comes from outside is checked at once by domain.integrity instead."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from .errors import ValidationError
from .feelings import check_score
from .parts import (
    IMPROVEMENT_FIELDS,
    TOUCHPOINT_FIELDS,
    Improvement,
    ImprovementValue,
    Touchpoint,
    TouchpointValue,
    check_due_day,
)
from .text import clean, clean_line
from .vocabulary import CLOCKS, EXPERIENCES, KINDS, STATUSES, check_rating, needs_text, parse_choice

if TYPE_CHECKING:
    from .model import ExperienceMap

MAP_FIELDS = frozenset({"title", "experience", "scope", "persona", "kind", "template"})


def check_field_names(changes: Collection[str], known: Collection[str], what: str) -> None:
    """Refuse a change that names a field `what` (an account, a map, ...) does not have."""
    unknown = set(changes) - set(known)
    if unknown:
        raise ValidationError(f"{what} has no field {sorted(unknown)[0]!r}")


def checked_map_fields(changes: Mapping[str, str]) -> dict[str, str]:
    """The map's own fields (title, experience, ...) as `changes` sets them, checked."""
    check_field_names(changes, MAP_FIELDS, "a map")
    checked: dict[str, str] = {}
    for key, value in changes.items():
        if key == "title":
            checked[key] = needs_text(value, "the map's title")
        elif key == "experience":
            checked[key] = parse_choice(value, EXPERIENCES, "experience")
        elif key == "kind":
            checked[key] = parse_choice(value, KINDS, "kind")
        else:
            checked[key] = clean(value).strip()
    return checked


def touchpoint_named(m: ExperienceMap, name: str) -> Touchpoint | None:
    """The map's touchpoint called `name` (case aside), if it has one."""
    folded = name.casefold()
    for tp in m.touchpoints:
        if tp.name.casefold() == folded:
            return tp
    return None


def checked_touchpoint_fields(
    m: ExperienceMap, tp: Touchpoint, changes: Mapping[str, TouchpointValue]
) -> dict[str, TouchpointValue]:
    """The fields of `tp` (a touchpoint of `m`, or one about to be added) as `changes` sets them,
    checked: its name told apart from the others', its stage one of the map's."""
    check_field_names(changes, TOUCHPOINT_FIELDS, "a touchpoint")
    checked: dict[str, TouchpointValue] = {}
    for key, value in changes.items():
        if key == "name":
            value = needs_text(value, "a touchpoint's name")
            other = touchpoint_named(m, value)
            if other is not None and other is not tp:
                raise ValidationError(
                    f"this map already has a touchpoint called {value!r}; give this one a name "
                    "that tells them apart"
                )
        elif key == "stage":
            value = m.canonical_stage(clean(value))
        elif key == "feeling":
            try:
                value = check_score(value)
            except ValueError as e:
                raise ValidationError(str(e)) from None
        elif key in ("channel", "owner"):
            value = clean_line(value)
        elif key == "due_day":
            value = check_due_day(value)
        elif key == "clock":
            value = parse_choice(value, CLOCKS, "clock")
        else:
            value = clean(value)
        checked[key] = value
    return checked


def checked_improvement_fields(
    m: ExperienceMap, imp: Improvement, changes: Mapping[str, ImprovementValue]
) -> dict[str, ImprovementValue]:
    """The fields of `imp` (an improvement of `m`, or one about to be added) as `changes` sets them,
    checked: its title told apart from the others', its touchpoints (by id or name) as ids."""
    check_field_names(changes, IMPROVEMENT_FIELDS, "an improvement")
    checked: dict[str, ImprovementValue] = {}
    for key, value in changes.items():
        if key == "title":
            value = needs_text(value, "an improvement's title")
            folded = value.casefold()
            if any(o is not imp and o.title.casefold() == folded for o in m.improvements):
                raise ValidationError(f"this map already has an improvement called {value!r}")
        elif key == "touchpoints":
            if isinstance(value, int):
                raise TypeError(f"expected touchpoints, got {type(value).__name__}")
            ids = []
            for ref in value:
                tp = m.touchpoint(ref)
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
    return checked
