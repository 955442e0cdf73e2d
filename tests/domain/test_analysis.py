"""Reading a map's curve: friction points, highlights, stages and the peak-end moments, on small
maps whose answers are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from cxmap_tui.domain.analysis import analyze, mean_text
from cxmap_tui.domain.model import ExperienceMap


def curve(*scores: int | None, stages: list[str] | None = None) -> ExperienceMap:
    """A map with touchpoints A, B, C, ... felt as given (None: not rated)."""
    m = ExperienceMap.new("Curve", stages=stages)
    for i, score in enumerate(scores):
        m.add_touchpoint(chr(ord("A") + i), feeling=score)
    return m


def names(tps: object) -> list[str]:
    return [getattr(x, "touchpoint", x).name for x in tps]  # type: ignore[attr-defined]


def test_friction_by_low_feeling_and_by_drop() -> None:
    # A +2, B 0 (falls 2 from A), C -1 (dissatisfied, falls 1), D +1 (rises), E -2 (falls 3 from D)
    a = analyze(curve(2, 0, -1, 1, -2))
    assert names(a.friction) == ["E", "C", "B"]  # by feeling: -2, -1, 0
    e, c, b = a.friction
    assert (e.index, e.reasons, e.drop) == (4, ("very dissatisfied", "drops 3 from 'D'"), 3)
    assert (c.index, c.reasons, c.drop) == (2, ("dissatisfied",), 1)
    assert (b.index, b.reasons, b.drop) == (1, ("drops 2 from 'A'",), 2)


def test_a_fall_of_one_is_not_friction_and_a_rise_never_is() -> None:
    # +2 +1 0 : each step falls by 1 only; 0 -> +2 rises
    assert analyze(curve(2, 1, 0, 2)).friction == ()


def test_a_drop_is_measured_from_the_previous_rated_touchpoint_across_unrated_ones() -> None:
    # A +2, B and C unrated, D 0: D falls 2 from A
    a = analyze(curve(2, None, None, 0))
    [f] = a.friction
    assert (f.touchpoint.name, f.index, f.reasons, f.drop) == ("D", 3, ("drops 2 from 'A'",), 2)
    assert names(a.unrated) == ["B", "C"]
    # A +1, B unrated, C -1: dissatisfied, and a fall of 2 from A
    [f] = analyze(curve(1, None, -1)).friction
    assert f.reasons == ("dissatisfied", "drops 2 from 'A'") and f.drop == 2


def test_the_first_touchpoint_has_no_drop() -> None:
    [f] = analyze(curve(-1, 0)).friction
    assert (f.touchpoint.name, f.reasons, f.drop) == ("A", ("dissatisfied",), 0)


def test_ties_go_to_the_bigger_drop_then_to_map_order() -> None:
    # A -1 (no drop), B -2 (falls 1), C 0 (rises), D -2 (falls 2 from C)
    a = analyze(curve(-1, -2, 0, -2))
    assert names(a.friction) == ["D", "B", "A"]
    assert a.worst is not None and a.worst.name == "B"  # the first of the two lowest
    # equal feelings and equal drops: map order
    assert names(analyze(curve(0, -1, 0, -1)).friction) == ["B", "D"]


def test_highlights_are_peaks_and_every_touchpoint_of_a_top_plateau() -> None:
    # A +1 (B is higher), B +2 and C +2 (a plateau), D +1 (C is higher), E unrated, F +2 (D is lower)
    a = analyze(curve(1, 2, 2, 1, None, 2))
    assert [(h.touchpoint.name, h.index) for h in a.highlights] == [("B", 1), ("C", 2), ("F", 5)]
    assert names(analyze(curve(1, 1, 1)).highlights) == ["A", "B", "C"]  # flat at +1
    assert analyze(curve(0, 0, -1)).highlights == ()  # nothing reaches +1
    # a peak at +1 between lower neighbours, even when the map's top is elsewhere
    assert names(analyze(curve(2, -1, 1, 0)).highlights) == ["A", "C"]


def test_an_empty_map() -> None:
    m = ExperienceMap.new("Empty")
    a = analyze(m)
    assert (a.friction, a.highlights, a.unrated, a.unaddressed) == ((), (), (), ())
    assert (a.worst, a.end, a.remembered, a.average) == (None, None, None, None)
    # every stage of the map, empty, and no "no stage" row
    assert [s.stage for s in a.stages] == list(m.stages)
    assert all((s.touchpoints, s.rated, s.average, s.worst) == (0, 0, None, None) for s in a.stages)


def test_a_map_with_nothing_rated() -> None:
    a = analyze(curve(None, None, None))
    assert names(a.unrated) == ["A", "B", "C"]
    assert (a.friction, a.highlights) == ((), ())
    assert (a.worst, a.end, a.remembered, a.average) == (None, None, None, None)
    [none] = [s for s in a.stages if s.touchpoints]
    assert (none.stage, none.touchpoints, none.rated, none.average, none.worst) == ("", 3, 0, None, None)


@pytest.mark.parametrize("score", [-2, -1])
def test_one_low_touchpoint_is_the_worst_point_the_end_and_friction(score: int) -> None:
    a = analyze(curve(score))
    assert names(a.friction) == ["A"] and a.friction[0].drop == 0
    assert a.worst is a.end and a.worst is not None and a.worst.name == "A"
    assert a.remembered == a.average == score
    assert a.highlights == ()


def test_one_high_touchpoint_is_a_highlight() -> None:
    a = analyze(curve(1))
    assert names(a.highlights) == ["A"] and a.friction == ()


def test_remembered_is_the_mean_of_the_worst_point_and_the_end() -> None:
    # worst B -2, end C +1: (-2 + 1) / 2; the average is (2 - 2 + 1) / 3
    a = analyze(curve(2, -2, 1))
    assert (a.worst and a.worst.name, a.end and a.end.name) == ("B", "C")
    assert a.remembered == -0.5 and a.average == pytest.approx(1 / 3)
    # the end is the last *rated* touchpoint
    a = analyze(curve(1, -1, 2, None))
    assert a.end is not None and a.end.name == "C" and a.remembered == 0.5


def test_stage_summaries_in_the_maps_stage_order() -> None:
    m = ExperienceMap.new("Stages", stages=["First", "Second", "Third"])
    m.add_touchpoint("a1", stage="First", feeling=-1)
    m.add_touchpoint("a2", stage="First", feeling=1)
    m.add_touchpoint("loose", feeling=0)
    m.add_touchpoint("c1", stage="Third")
    m.add_touchpoint("a3", stage="First", feeling=-1)  # the stage comes back later
    first, second, third, loose = analyze(m).stages
    assert (first.stage, first.touchpoints, first.rated) == ("First", 3, 3)
    assert first.average == pytest.approx(-1 / 3)
    assert first.worst is not None and first.worst.name == "a1"  # the first of the two at -1
    assert (second.stage, second.touchpoints, second.rated, second.average, second.worst) == ("Second", 0, 0, None, None)
    assert (third.stage, third.touchpoints, third.rated, third.average, third.worst) == ("Third", 1, 0, None, None)
    assert (loose.stage, loose.touchpoints, loose.rated, loose.average) == ("", 1, 1, 0.0)
    assert loose.worst is not None and loose.worst.name == "loose"


def test_unaddressed_friction_ignores_dropped_improvements() -> None:
    m = curve(-2, -1, -1)
    a, b, c = (tp.id for tp in m.touchpoints)
    x = m.add_improvement("X", touchpoints=[a], status="idea")
    m.add_improvement("Y", touchpoints=[b, c], status="dropped")
    z = m.add_improvement("Z", touchpoints=[c], status="done")
    result = analyze(m)
    addressed = {f.touchpoint.name: f.addressed_by for f in result.friction}
    assert addressed == {"A": (x.id,), "B": (), "C": (z.id,)}
    assert names(result.unaddressed) == ["B"]


def test_the_fixed_export_map_read_by_hand() -> None:
    from tests.helpers.fixed_map import fixed_map

    # Feelings: +1, -, +2, -1, 0, -2, +1, -, +2, -1, 0 (- is not rated)
    a = analyze(fixed_map())
    assert [(f.index + 1, f.drop) for f in a.friction] == [(6, 2), (4, 3), (10, 3)]
    assert [h.index + 1 for h in a.highlights] == [3, 9]
    assert names(a.unrated) == ["Search result", "Order confirmation"]
    assert (a.worst and a.worst.name, a.end and a.end.name) == ("Account wall", "Review request")
    assert a.remembered == -1.0 and a.average == pytest.approx(2 / 9)
    assert a.unaddressed == ()
    assert [(s.stage, s.touchpoints, s.rated) for s in a.stages] == [
        ("Awareness", 2, 1), ("Consideration", 2, 2), ("Purchase", 4, 3), ("Use", 2, 2), ("", 1, 1)]


def test_mean_text() -> None:
    assert [mean_text(x) for x in (None, 0.0, -0.001, 2 / 9, -1 / 3, 1.0)] == [
        "none rated", "0.00", "0.00", "+0.22", "-0.33", "+1.00"]
