"""What changed between two versions of a map, in words a person reads: "moved 'Hold music'
before 'Callback'", "feeling at 'Invoice' -1 -> +1", "improvement 'Call-back option' idea ->
planned". The history (`cxmap history MAP`) says this of each saved change.

Touchpoints and improvements are followed by their ids, so a renamed one is renamed, not removed
and added. A move is told only of the touchpoints that moved: those outside the longest run
that kept its order (moving one touchpoint down past three is one move, not three).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from .feelings import signed
from .model import STATUSES, ExperienceMap
from .parts import Improvement, Touchpoint

# The map's own fields, as a sentence names them (title and stages are told apart).
_MAP_FIELDS = (("experience", "the experience"), ("scope", "the scope"), ("persona", "the persona"),
               ("kind", "the kind"))
_TOUCHPOINT_FIELDS = (("action", "the action"), ("stage", "the stage"), ("channel", "the channel"),
                      ("owner", "the owner"), ("notes", "the notes"))
_IMPROVEMENT_FIELDS = (("description", "description"), ("customer_value", "customer value"),
                       ("business_value", "business value"), ("effort", "effort"), ("owner", "owner"),
                       ("touchpoints", "touchpoints"))


def quoted(text: str) -> str:
    return f"'{text}'"


def _was(old: object, new: object) -> str:
    def one(value: object) -> str:
        return "(none)" if value in ("", None) else quoted(str(value))

    return f"{one(old)} -> {one(new)}"


def feeling(score: int | None) -> str:
    return "none" if score is None else signed(score)


def described(before: ExperienceMap | None, after: ExperienceMap | None) -> list[str]:
    """What happened to the map from `before` to `after` (None: it was not there), one phrase
    a thing that changed, in the map's order; [] when nothing a person sees changed."""
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return [f"made the map {quoted(after.title)}"]
    if after is None:
        return [f"deleted the map {quoted(before.title)}"]
    said: list[str] = []
    if before.title != after.title:
        said.append(f"renamed the map {quoted(before.title)} to {quoted(after.title)}")
    said += _fields(before, after, _MAP_FIELDS, "")
    said += _stages(before.stages, after.stages)
    said += _touchpoints(before.touchpoints, after.touchpoints)
    said += _improvements(before, after)
    if before.ideal != after.ideal:
        said.append("linked an ideal map" if after.ideal else "unlinked the ideal map")
    elif before.matches != after.matches:
        said.append("changed which ideal touchpoints match")
    return said


def _fields(old: object, new: object, fields: Sequence[tuple[str, str]], of: str) -> list[str]:
    """"changed the channel of 'Hold music' 'Phone' -> 'Web'", for each of `fields` that differs."""
    return [f"changed {words}{of} {_was(getattr(old, name), getattr(new, name))}" for name, words in fields
            if getattr(old, name) != getattr(new, name)]


def _stages(old: Sequence[str], new: Sequence[str]) -> list[str]:
    said = [f"added the stage {quoted(s)}" for s in new if s not in old]
    said += [f"removed the stage {quoted(s)}" for s in old if s not in new]
    kept_old = [s for s in old if s in new]
    kept_new = [s for s in new if s in old]
    if kept_old != kept_new:
        said.append("reordered the stages: " + ", ".join(kept_new))
    return said


def _touchpoints(old: Sequence[Touchpoint], new: Sequence[Touchpoint]) -> list[str]:
    was = {tp.id: tp for tp in old}
    now = {tp.id: tp for tp in new}
    said = [f"added {quoted(tp.name)}" for tp in new if tp.id not in was]
    said += [f"removed {quoted(tp.name)}" for tp in old if tp.id not in now]
    said += _moves(old, new)
    for tp in new:
        prior = was.get(tp.id)
        if prior is None:
            continue
        if prior.name != tp.name:
            said.append(f"renamed {quoted(prior.name)} to {quoted(tp.name)}")
        if prior.feeling != tp.feeling:
            said.append(f"feeling at {quoted(tp.name)} {feeling(prior.feeling)} -> {feeling(tp.feeling)}")
        if prior.thoughts != tp.thoughts:
            said.append(f"thoughts at {quoted(tp.name)} {_was(prior.thoughts, tp.thoughts)}")
        said += _fields(prior, tp, _TOUCHPOINT_FIELDS, f" of {quoted(tp.name)}")
    return said


def _moves(old: Sequence[Touchpoint], new: Sequence[Touchpoint]) -> list[str]:
    """The touchpoints in both versions that moved: those outside the longest run that kept its
    order, each said with where it now is (before the next one, or after the last)."""
    place = {tp.id: i for i, tp in enumerate(old)}
    both = [tp for tp in new if tp.id in place]
    stayed = _longest_in_order([place[tp.id] for tp in both])
    said = []
    for i, tp in enumerate(both):
        if i in stayed:
            continue
        if i + 1 < len(both):
            said.append(f"moved {quoted(tp.name)} before {quoted(both[i + 1].name)}")
        elif i > 0:
            said.append(f"moved {quoted(tp.name)} after {quoted(both[i - 1].name)}")
    return said


def _longest_in_order(values: Sequence[int]) -> set[int]:
    """The positions of one longest increasing run (not necessarily adjacent) in `values`."""
    tails: list[int] = []  # the smallest last value of a run of each length
    tail_at: list[int] = []  # where that last value is
    before: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = v, i
        before[i] = tail_at[k - 1] if k else -1
    kept: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(i)
        i = before[i]
    return kept


def _improvements(before: ExperienceMap, after: ExperienceMap) -> list[str]:
    was = {imp.id: imp for imp in before.improvements}
    now = {imp.id: imp for imp in after.improvements}
    said = [f"added the improvement {quoted(imp.title)}" for imp in after.improvements if imp.id not in was]
    said += [f"removed the improvement {quoted(imp.title)}" for imp in before.improvements if imp.id not in now]
    for imp in after.improvements:
        prior = was.get(imp.id)
        if prior is not None:
            said += _improvement(prior, imp)
    return said


def _improvement(prior: Improvement, imp: Improvement) -> list[str]:
    said = []
    if prior.title != imp.title:
        said.append(f"renamed the improvement {quoted(prior.title)} to {quoted(imp.title)}")
    if prior.status != imp.status:
        said.append(f"improvement {quoted(imp.title)} {STATUSES.get(prior.status, prior.status)} -> "
                    f"{STATUSES.get(imp.status, imp.status)}")
    edited = [words for name, words in _IMPROVEMENT_FIELDS if getattr(prior, name) != getattr(imp, name)]
    if edited:
        said.append(f"edited the improvement {quoted(imp.title)}: {', '.join(edited)}")
    return said
