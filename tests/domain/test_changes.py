"""What changed between two versions of a map, in words: hand-worked answers for moves (only
what moved is told), renames, feelings, improvements, and the map's own fields."""

from __future__ import annotations

from cxmap_tui.domain.changes import described
from cxmap_tui.domain.model import ExperienceMap


def _map(*names: str) -> ExperienceMap:
    m = ExperienceMap.new("Support call")
    for name in names:
        m.add_touchpoint(name)
    return m


def _order(m: ExperienceMap, *names: str) -> ExperienceMap:
    moved = m.copy()
    by_name = {tp.name: tp for tp in moved.touchpoints}
    moved.touchpoints = [by_name[n] for n in names]
    return moved


def test_one_touchpoint_moved_past_three_is_one_move() -> None:
    m = _map("A", "B", "C", "D", "E")
    assert described(m, _order(m, "B", "C", "D", "A", "E")) == ["moved 'A' before 'E'"]
    assert described(m, _order(m, "B", "C", "D", "E", "A")) == ["moved 'A' after 'E'"]
    assert described(m, _order(m, "E", "A", "B", "C", "D")) == ["moved 'E' before 'A'"]
    # Two swapped pairs: two moves, each said where it now stands.
    assert described(m, _order(m, "B", "A", "C", "E", "D")) == ["moved 'B' before 'A'", "moved 'E' before 'D'"]
    assert described(m, m.copy()) == []


def test_renames_feelings_thoughts_and_fields_are_told_by_name() -> None:
    m = _map("Hold music", "Invoice")
    after = m.copy()
    hold, invoice = after.touchpoints
    hold.name, hold.channel = "Waiting line", "Phone"
    invoice.feeling, invoice.thoughts = 1, "Clear"
    after.persona, after.title = "Busy parent", "Support call, 2027"
    m.touchpoints[1].feeling = -1
    assert described(m, after) == [
        "renamed the map 'Support call' to 'Support call, 2027'",
        "changed the persona (none) -> 'Busy parent'",
        "renamed 'Hold music' to 'Waiting line'",
        "changed the channel of 'Waiting line' (none) -> 'Phone'",
        "feeling at 'Invoice' -1 -> +1",
        "thoughts at 'Invoice' (none) -> 'Clear'",
    ]


def test_improvements_added_removed_and_moved_along() -> None:
    m = _map("Hold music")
    m.add_improvement("Call-back option", touchpoints=[m.touchpoints[0].id])
    m.add_improvement("Shorter menu")
    after = m.copy()
    callback, _menu = after.improvements
    after.improvements = [callback]
    callback.status, callback.effort = "planned", 2
    after.add_improvement("Hold-time estimate")
    assert described(m, after) == [
        "added the improvement 'Hold-time estimate'",
        "removed the improvement 'Shorter menu'",
        "improvement 'Call-back option' idea -> planned",
        "edited the improvement 'Call-back option': effort",
    ]
    assert described(None, m) == ["made the map 'Support call'"]
    assert described(m, None) == ["deleted the map 'Support call'"]
