"""The domain on its own: maps, touchpoints, feelings, improvements and their checks."""

from __future__ import annotations

import pytest

from cxmap_tui.domain import AmbiguousRef, ExperienceMap, NotFound, ValidationError, feelings, parse_score
from cxmap_tui.domain.method import Step, progress
from tests.helpers.factories import make_map


def test_new_map_has_defaults_and_an_id() -> None:
    m = ExperienceMap.new("Web shop visit", experience="store", kind="ideal", persona="First-time buyer")
    assert m.id and len(m.id) == 8
    assert m.kind == "ideal"
    assert m.experience == "store"
    assert m.stages[0] == "Awareness" and m.stages[-1] == "Renewal"
    assert m.created and m.created == m.updated


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_blank_title_is_refused(title: str) -> None:
    with pytest.raises(ValidationError, match="title cannot be empty"):
        ExperienceMap.new(title)


def test_experience_and_kind_accept_labels_and_prefixes() -> None:
    m = ExperienceMap.new("x", experience="Talking to a customer-service agent", kind="cur")
    assert (m.experience, m.kind) == ("service", "current")
    with pytest.raises(ValidationError, match="unknown experience 'spaceship'"):
        m.edit(experience="spaceship")
    with pytest.raises(ValidationError, match="unknown kind"):
        m.edit(kind="dreamy")


def test_touchpoints_keep_order_and_insert_at_a_position() -> None:
    m = make_map(touchpoints=3)
    tp = m.add_touchpoint("Greeting", at=0)
    assert [t.name for t in m.touchpoints] == ["Greeting", "Step 1", "Step 2", "Step 3"]
    assert m.move_touchpoint(tp.id, 10) == 3
    assert [t.name for t in m.touchpoints][-1] == "Greeting"
    with pytest.raises(ValidationError, match="position 9 is outside"):
        m.add_touchpoint("Far", at=8)


def test_unknown_stage_is_refused_and_known_stage_is_canonical() -> None:
    m = make_map(touchpoints=0)
    tp = m.add_touchpoint("Welcome mail", stage="onboarding")
    assert tp.stage == "Onboarding"
    with pytest.raises(ValidationError, match=r"unknown stage 'Lunch'.*Awareness"):
        m.add_touchpoint("Lunch", stage="Lunch")
    assert [t.name for t in m.touchpoints] == ["Welcome mail"]


def test_duplicate_touchpoint_names_are_refused_case_insensitively() -> None:
    m = make_map(touchpoints=1)
    with pytest.raises(ValidationError, match="already has a touchpoint called 'step 1'"):
        m.add_touchpoint("step 1")
    other = m.add_touchpoint("Other")
    with pytest.raises(ValidationError):
        m.edit_touchpoint(other.id, name="STEP 1")
    m.edit_touchpoint(other.id, name="other")  # renaming to itself in another case is fine
    assert other.name == "other"


def test_feeling_scale_and_score_parsing() -> None:
    m = make_map(touchpoints=1)
    tp = m.touchpoints[0]
    m.set_feeling(tp.id, -2, "Why is this so slow?")
    assert (tp.feeling, tp.thoughts) == (-2, "Why is this so slow?")
    with pytest.raises(ValidationError, match=r"feeling \+3 is out of range"):
        m.set_feeling(tp.id, 3)
    with pytest.raises(ValidationError):
        m.set_feeling(tp.id, True)  # type: ignore[arg-type]
    assert tp.feeling == -2
    assert [parse_score(s) for s in ("-2", "+1", "0", "++", "--", "none", "satisfied")] == [-2, 1, 0, 2, -2, None, 1]
    with pytest.raises(ValueError, match="not a feeling"):
        parse_score("great")
    assert feelings.face(None, ascii=True) == "?"
    assert [feelings.face(s, ascii=True) for s in range(-2, 3)] == ["--", "-", "0", "+", "++"]
    assert len({feelings.face(s) for s in range(-2, 3)}) == 5


def test_remove_and_restore_a_touchpoint_with_its_links() -> None:
    m = make_map(touchpoints=3)
    second = m.touchpoints[1]
    imp = m.add_improvement("Shorter queue", touchpoints=[second.id, "Step 3"])
    removed = m.remove_touchpoint(second.id)
    assert second.id not in imp.touchpoints
    assert [t.name for t in m.touchpoints] == ["Step 1", "Step 3"]
    m.restore_touchpoint(removed)
    assert [t.name for t in m.touchpoints] == ["Step 1", "Step 2", "Step 3"]
    assert second.id in imp.touchpoints
    with pytest.raises(ValidationError, match="already back"):
        m.restore_touchpoint(removed)


def test_stages_rename_remove_and_move() -> None:
    m = make_map(touchpoints=2)
    m.rename_stage("use", "Daily use")
    assert {t.stage for t in m.touchpoints} == {"Daily use"}
    with pytest.raises(ValidationError, match="already a stage called 'Renewal'"):
        m.rename_stage("Daily use", "renewal")
    assert m.remove_stage("Daily use") == 2
    assert {t.stage for t in m.touchpoints} == {""}
    m.move_stage("Renewal", -100)
    assert m.stages[0] == "Renewal"
    with pytest.raises(NotFound):
        m.remove_stage("Nope")


def test_improvements_link_to_touchpoints_by_name_or_id_and_check_values() -> None:
    m = make_map(touchpoints=3)
    imp = m.add_improvement(
        "Call-back option", touchpoints=["step 2", m.touchpoints[0].id], customer_value=5,
        business_value=2, effort=4, status="in progress", owner="Support",
    )
    assert imp.touchpoints == [m.touchpoints[1].id, m.touchpoints[0].id]
    assert imp.status == "in-progress"
    with pytest.raises(ValidationError, match="effort 6 is out of range"):
        m.add_improvement("Other", effort=6)
    with pytest.raises(NotFound, match="no touchpoint matches 'Step 9'"):
        m.add_improvement("Other", touchpoints=["Step 9"])
    with pytest.raises(ValidationError, match="already has an improvement"):
        m.add_improvement("call-back OPTION")
    with pytest.raises(ValidationError, match="unknown status"):
        m.edit_improvement(imp.id, status="someday")
    assert len(m.improvements) == 1
    assert m.improvements_for(m.touchpoints[1].id) == [imp]


def test_references_by_id_prefix_and_name_and_ambiguity() -> None:
    m = make_map(touchpoints=0)
    a = m.add_touchpoint("Order page")
    m.add_touchpoint("Order confirmation")
    assert m.touchpoint(a.id) is a
    assert m.touchpoint(a.id[:4]) is a
    assert m.touchpoint("order page") is a
    with pytest.raises(AmbiguousRef, match="matches several touchpoints"):
        m.touchpoint("Order")
    with pytest.raises(NotFound):
        m.touchpoint("Checkout")


def test_round_trip_through_dict_and_validate_catches_damage() -> None:
    m = make_map(touchpoints=2)
    m.add_improvement("Fix", touchpoints=["Step 1"])
    again = ExperienceMap.from_dict(m.to_dict())
    assert again == m
    broken = m.to_dict()
    broken["touchpoints"][0]["stage"] = "Nowhere"
    with pytest.raises(ValidationError, match="unknown stage 'Nowhere'"):
        ExperienceMap.from_dict(broken).validate()
    broken = m.to_dict()
    broken["touchpoints"][1]["feeling"] = 9
    with pytest.raises(ValidationError, match="out of range"):
        ExperienceMap.from_dict(broken)
    broken = m.to_dict()
    broken["improvements"][0]["touchpoints"] = ["gone"]
    with pytest.raises(ValidationError, match="unknown touchpoint 'gone'"):
        ExperienceMap.from_dict(broken).validate()


def test_user_text_is_kept_exactly_and_lone_surrogates_become_replacement_chars() -> None:
    m = make_map(touchpoints=0)
    hostile = "[bold]x[/bold] \\ \x1b[31m <script> ; : # \u05e9\u05dc\u05d5\u05dd \U0001f600"
    tp = m.add_touchpoint("Hostile", thoughts=hostile, notes=hostile)
    assert tp.thoughts == hostile and tp.notes == hostile
    tp2 = m.add_touchpoint("caf\udce9")
    assert tp2.name == "caf\ufffd"


def test_method_progress_follows_the_map() -> None:
    assert progress(None)[Step.TEMPLATE] is False
    m = ExperienceMap.new("x")
    p = progress(m)
    assert p[Step.TEMPLATE] and not p[Step.EXPERIENCE] and not p[Step.TOUCHPOINTS]
    m.edit(scope="Calling support")
    tp = m.add_touchpoint("Call")
    assert progress(m)[Step.EXPERIENCE] and progress(m)[Step.TOUCHPOINTS]
    assert not progress(m)[Step.FEELINGS]
    m.set_feeling(tp.id, 1)
    assert progress(m)[Step.FEELINGS] and not progress(m)[Step.IMPROVEMENTS]
    m.add_improvement("Faster")
    assert all(progress(m).values())


def test_backlog_priority_sorting_and_unaddressed_lows() -> None:
    from cxmap_tui.domain.backlog import priority, sorted_backlog, unaddressed_lows

    m = make_map(touchpoints=4)
    a, b, c, d = m.touchpoints
    m.set_feeling(a.id, -1)
    m.set_feeling(b.id, -2)
    m.set_feeling(c.id, 1)
    m.set_feeling(d.id, -2)
    quick = m.add_improvement("Quick win", customer_value=5, business_value=5, effort=1, touchpoints=[b.id])
    slow = m.add_improvement("Slow", customer_value=1, business_value=1, effort=5, status="dropped",
                             touchpoints=[d.id])
    mid = m.add_improvement("Middle", customer_value=4, business_value=2, effort=3)
    assert (priority(quick), priority(slow), priority(mid)) == (100, 4, 20)
    assert [i.title for i in sorted_backlog(m)] == ["Quick win", "Middle", "Slow"]
    assert [i.title for i in sorted_backlog(m, "effort")] == ["Quick win", "Middle", "Slow"]
    assert [i.title for i in sorted_backlog(m, "title")] == ["Middle", "Quick win", "Slow"]
    # b is addressed; d's only improvement was dropped, so it still counts as unaddressed
    assert [tp.name for tp in unaddressed_lows(m)] == [d.name, a.name]


def test_every_field_of_a_touchpoint_and_an_improvement_survives_its_document() -> None:
    from dataclasses import fields

    from cxmap_tui.domain.parts import Improvement, Touchpoint

    # Each field a value of its own, so that two fields read into each other's place would show.
    tp = Touchpoint(name="n", action="a", stage="s", channel="c", owner="o", notes="no", feeling=-1,
                    thoughts="t", due_day=7, clock="order", id="i")
    assert Touchpoint.from_dict(tp.to_dict()) == tp
    assert list(tp.to_dict()) == [f.name for f in fields(Touchpoint)]
    assert Touchpoint.from_dict({**tp.to_dict(), "clock": ""}).clock == "contact"
    with pytest.raises(ValidationError, match="feeling"):
        Touchpoint.from_dict({**tp.to_dict(), "feeling": True})
    imp = Improvement(title="t", description="d", touchpoints=["i"], customer_value=5, business_value=4, effort=2,
                      status="doing", owner="o", id="x")
    assert Improvement.from_dict(imp.to_dict()) == imp
    assert imp.to_dict()["touchpoints"] is not imp.touchpoints


def test_a_maps_document_nests_exactly_as_deep_as_it_says() -> None:
    from cxmap_tui.store.checked_json import deeper_than

    m = make_map(touchpoints=2)
    m.add_improvement("Call back", touchpoints=[m.touchpoints[0].id])
    doc = m.to_dict()
    assert not deeper_than(doc, ExperienceMap.DOC_DEPTH)
    assert deeper_than(doc, ExperienceMap.DOC_DEPTH - 1)
