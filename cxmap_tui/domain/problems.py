"""Problems and their resolutions.

An interaction at -1 or lower **opens a problem**: that contact had a bad time there, and the
team owes them an answer. The problem stays open until someone **resolves** it, on a date, with
a note, under their name. A later interaction that went well does not close it by itself: a good
invoice after a wrong one does not mean anyone called the customer back.

A resolution is kept apart from the interaction it resolves (keyed by its id), so the record of
what the customer went through stays as it was. A problem is resolved on or after the day it
happened, never before: a resolution dated earlier is refused, since nothing can be put right
before it went wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from .customers import DateLike, Interaction, check_date
from .errors import NotFound, ValidationError
from .feelings import signed
from .parts import get_str
from .text import clean, clean_line

PROBLEM = -1  # an interaction at this feeling or lower opens a problem


def is_problem(i: Interaction) -> bool:
    return i.feeling is not None and i.feeling <= PROBLEM


@dataclass(slots=True)
class Resolution:
    """The problem opened by interaction `interaction` (of contact `contact`) was resolved on
    `date` by `by` (an OS user name), with `note` saying how."""

    interaction: str
    contact: str
    date: str  # YYYY-MM-DD
    note: str = ""
    by: str = ""

    def validate(self) -> None:
        if not self.interaction or not self.contact:
            raise ValidationError("a resolution needs the interaction it resolves and its contact")
        check_date(self.date, "the resolution's date")

    def to_dict(self) -> dict[str, str]:
        """As stored: keyed by the interaction's id, so that field is left out."""
        return {"contact": self.contact, "date": self.date, "note": self.note, "by": self.by}

    @classmethod
    def from_dict(cls, interaction_id: str, data: Mapping[str, object]) -> Resolution:
        made = cls(
            interaction=interaction_id,
            contact=get_str(data, "contact", "resolution"),
            date=get_str(data, "date", "resolution"),
            note=get_str(data, "note", "resolution"),
            by=get_str(data, "by", "resolution"),
        )
        made.validate()
        return made


def _named(i: Interaction, names: Mapping[str, str]) -> str:
    """"'Invoice' (-2) on 2026-02-03", the touchpoint's name quoted (it is user text)."""
    where = repr(names[i.id]) if i.id in names else "a touchpoint since removed"
    feeling = f" ({signed(i.feeling)})" if i.feeling is not None else ""
    return f"{where}{feeling} on {i.date}"


def plan_resolutions(
    history: Iterable[Interaction],
    resolved: Mapping[str, Resolution],
    when: DateLike,
    note: str,
    by: str,
    *,
    only: Collection[str] | None = None,
    where: Mapping[str, str] | None = None,
    name: str = "this contact",
) -> list[Resolution]:
    """The resolutions to store for one contact, whose interactions are `history`.

    With `only` (interaction ids), those interactions' problems (each must be one of theirs, a
    problem, and still open); without, every open problem of theirs. `where` names the touchpoint of an
    interaction by id, and `name` the contact, for the messages (quoted, so no control code in
    a name reaches a terminal). Raises ValidationError (or NotFound) with one line when there
    is nothing to resolve, or when the date is before a problem it would resolve: then nothing
    is resolved."""
    day = check_date(when, "the resolution's date")
    text, who = clean(note), clean_line(by)
    names = where or {}
    mine = list(history)
    if only is not None:
        by_id = {i.id: i for i in mine}
        targets = []
        for wanted in only:
            if wanted not in by_id:
                raise NotFound(f"{name!r} has no interaction {wanted!r}")
            i = by_id[wanted]
            label = f"{name!r} at {_named(i, names)}"
            if not is_problem(i):
                raise ValidationError(f"{label} is not a problem: only a feeling of -1 or lower opens one")
            if i.id in resolved:
                r = resolved[i.id]
                raise ValidationError(f"{label} was already resolved on {r.date}" + (f" by {r.by!r}" if r.by else ""))
            targets.append(i)
        if not targets:
            raise ValidationError("nothing to resolve: no problem was named")
    else:
        targets = [i for i in mine if is_problem(i) and i.id not in resolved]
        if not targets:
            raise ValidationError(f"nothing to resolve: {name!r} has no open problem")
    for i in targets:
        if i.date > day:
            raise ValidationError(
                f"a problem cannot be resolved before it happened: {name!r} at "
                f"{_named(i, names)}, the resolution is dated {day}; nothing was resolved"
            )
    return [Resolution(i.id, i.contact, day, text, who) for i in targets]
