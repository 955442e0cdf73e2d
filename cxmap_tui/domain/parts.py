"""The parts of a map: touchpoints and improvements, and reading them from stored data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter, itemgetter

from .errors import ValidationError
from .feelings import MAX_SCORE, MIN_SCORE, check_score
from .json_types import JSONDict

# What `add_touchpoint` and `edit_touchpoint` take for a field: text, a feeling or a due day
# (a number or None). Each value is checked there, field by field.
TouchpointValue = str | int | None
# What `add_improvement` and `edit_improvement` take: text, a rating, or the touchpoints (by
# id or name) it addresses.
ImprovementValue = str | int | Iterable[str]


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
    # For ideal maps used as checklists: the day the moment is due, counted on whose clock.
    due_day: int | None = None
    clock: str = "contact"
    id: str = ""

    def to_dict(self) -> JSONDict:
        return dict(zip(_TOUCHPOINT_NAMES, _touchpoint_values(self), strict=True))

    def copy(self) -> Touchpoint:
        new = object.__new__(Touchpoint)
        new.__dict__ = self.__dict__.copy()  # every field is text, a number or None
        return new

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Touchpoint:
        # Every map opened reads each of its touchpoints through here. A document as cxmap
        # writes it (every field, each of its type) is taken as it is; anything else goes
        # through the checks that say what is wrong.
        if type(data) is dict and len(data) == len(_TOUCHPOINT_NAMES):
            try:
                values = _touchpoint_items(data)
            except KeyError:
                pass
            else:
                name, action, stage, channel, owner, notes, feeling, thoughts, due_day, clock, tp_id = values
                if (type(name) is type(action) is type(stage) is type(channel) is type(owner) is type(notes)
                        is type(thoughts) is type(clock) is type(tp_id) is str and clock
                        and (feeling is None or (type(feeling) is int and MIN_SCORE <= feeling <= MAX_SCORE))
                        and (due_day is None or (type(due_day) is int and due_day >= 0))):
                    return cls(*values)
        return cls(
            id=get_str(data, "id", "touchpoint"),
            name=get_str(data, "name", "touchpoint"),
            action=get_str(data, "action", "touchpoint"),
            stage=get_str(data, "stage", "touchpoint"),
            channel=get_str(data, "channel", "touchpoint"),
            owner=get_str(data, "owner", "touchpoint"),
            notes=get_str(data, "notes", "touchpoint"),
            feeling=get_score(data),
            thoughts=get_str(data, "thoughts", "touchpoint"),
            due_day=get_due_day(data),
            clock=get_str(data, "clock", "touchpoint") or "contact",
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

    def to_dict(self) -> JSONDict:
        d: JSONDict = dict(zip(_IMPROVEMENT_NAMES, _improvement_values(self), strict=True))
        d["touchpoints"] = list(self.touchpoints)
        return d

    def copy(self) -> Improvement:
        new = Improvement(*_improvement_values(self))
        new.touchpoints = list(self.touchpoints)  # the only field that can change in place
        return new

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Improvement:
        links = data.get("touchpoints", [])
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            raise ValidationError("an improvement's touchpoints must be a list of touchpoint ids")
        return cls(
            id=get_str(data, "id", "improvement"),
            title=get_str(data, "title", "improvement"),
            description=get_str(data, "description", "improvement"),
            touchpoints=list(links),
            customer_value=get_int(data, "customer_value", 3),
            business_value=get_int(data, "business_value", 3),
            effort=get_int(data, "effort", 3),
            status=get_str(data, "status", "improvement") or "idea",
            owner=get_str(data, "owner", "improvement"),
        )


TOUCHPOINT_FIELDS = frozenset(f.name for f in fields(Touchpoint)) - {"id"}
IMPROVEMENT_FIELDS = frozenset(f.name for f in fields(Improvement)) - {"id"}
# The fields in order, read in one go by to_dict (a map of hundreds of touchpoints is turned into
# a document at every change saved).
_TOUCHPOINT_NAMES = tuple(f.name for f in fields(Touchpoint))
_touchpoint_values = attrgetter(*_TOUCHPOINT_NAMES)
_touchpoint_items = itemgetter(*_TOUCHPOINT_NAMES)
_IMPROVEMENT_NAMES = tuple(f.name for f in fields(Improvement))
_improvement_values = attrgetter(*_IMPROVEMENT_NAMES)


@dataclass(frozen=True)
class RemovedTouchpoint:
    """What `remove_touchpoint` took out, so that undo can put it back where it was."""

    touchpoint: Touchpoint
    index: int
    improvements: tuple[str, ...]
    match: str | None = None  # its entry in the map's matches, if it had one


def get_str(data: Mapping[str, object], key: str, what: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"a {what}'s {key} must be text, not {type(value).__name__}")
    return value


def get_int(data: Mapping[str, object], key: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{key} must be a whole number, not {value!r}")
    return value


def get_score(data: Mapping[str, object]) -> int | None:
    try:
        return check_score(data.get("feeling"))
    except ValueError as e:
        raise ValidationError(str(e)) from None


def check_due_day(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"a due day is a whole number of days from 0 up, not {value!r}")
    return value


def get_due_day(data: Mapping[str, object]) -> int | None:
    return check_due_day(data.get("due_day"))
