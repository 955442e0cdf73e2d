"""Step 2: a change of experience brings the stages that fit it, while the map's stages are still
the untouched defaults; stages the team made its own, or that hold touchpoints, stay."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from cxmap_tui.domain import DEFAULT_STAGES, ExperienceMap
from cxmap_tui.domain.stage_sets import (
    KEPT_EDITED,
    KEPT_IN_USE,
    change_experience,
    default_stages,
    undo_experience_change,
)
from cxmap_tui.domain.vocabulary import SERVICE_STAGES
from cxmap_tui.store import Store
from cxmap_tui.templates import load_templates
from tests.helpers.tui import make_app, open_map, settle, toasts, wait_until

SIZE = (80, 24)


def test_a_service_experience_has_stages_of_its_own() -> None:
    assert default_stages("service") == SERVICE_STAGES
    assert SERVICE_STAGES == ("Notice need", "Get in touch", "Wait", "Get help", "Resolve", "Follow-up")
    assert {default_stages(e) for e in ("website", "store", "product", "sales", "custom")} == {DEFAULT_STAGES}


def test_untouched_default_stages_follow_the_experience_and_undo_puts_them_back() -> None:
    m = ExperienceMap.new("Desk")
    m.add_touchpoint("Calls")  # no stage: nothing of the team's is in the stages
    change = change_experience(m, "service")
    assert (m.experience, m.stages, change.stages_after) == ("service", list(SERVICE_STAGES), SERVICE_STAGES)
    assert change_experience(m.copy(), "website").stages_after == DEFAULT_STAGES  # and back again
    m.add_touchpoint("Waits", stage="Wait")  # put in a new stage, then the change is undone
    undo_experience_change(m, change)
    assert (m.experience, m.stages) == ("custom", list(DEFAULT_STAGES))
    assert [tp.stage for tp in m.touchpoints] == ["", ""]
    # Between two experiences whose stages are the same, nothing is said about the stages.
    same = change_experience(m, "store")
    assert (same.previous, same.stages_after, same.kept, m.stages) == ("custom", None, "", list(DEFAULT_STAGES))


def test_stages_that_hold_touchpoints_or_were_edited_or_came_from_a_template_stay() -> None:
    used = ExperienceMap.new("Used")
    used.add_touchpoint("Calls", stage="Use")
    edited = ExperienceMap.new("Edited")
    edited.rename_stage("Use", "Using it")
    template = next(t for t in load_templates() if t.name == "website-blog-to-pricing").map.copy()
    for m, kept in ((used, KEPT_IN_USE), (edited, KEPT_EDITED), (template, KEPT_EDITED)):
        before = list(m.stages)
        change = change_experience(m, "service")
        assert (m.experience, m.stages, change.stages_after, change.kept) == ("service", before, None, kept), m.title


def _desk(store: Store, *, stage: str = "") -> ExperienceMap:
    m = ExperienceMap.new("Desk", scope="A customer asks for help")
    m.add_touchpoint("Calls", stage=stage)
    return store.add(m)


def _stages_shown(app) -> str:  # type: ignore[no-untyped-def]
    """The Stages field's label (a toast may lie over it on the screen)."""
    return str(app.screen.query_one("#f-stages", Button).label)


async def _choose_service(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_map(pilot, "Desk")
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("tab")  # from the title to the experience
    assert pilot.app.screen.focused is not None and pilot.app.screen.focused.id == "f-experience"
    await pilot.press("t")  # "Talking to a customer-service agent"
    await settle(pilot)


async def test_choosing_a_service_experience_in_step_2_brings_its_stages_and_u_takes_both_back(
        tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = _desk(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await _choose_service(pilot)
        await wait_until(pilot, lambda: store.get(m.id).stages == list(SERVICE_STAGES), what="the service stages")
        assert store.get(m.id).experience == "service"
        assert _stages_shown(app).startswith("Notice need \u203a Get in touch \u203a Wait")
        assert ("The stages now fit the experience: Notice need \u203a Get in touch \u203a Wait \u203a Get help "
                "\u203a Resolve \u203a Follow-up. Esc, then u undoes it.") in toasts(app)
        await pilot.press("escape", "u")
        await wait_until(pilot, lambda: store.get(m.id).experience == "custom", what="the undo")
        await settle(pilot)
        assert store.get(m.id).stages == list(DEFAULT_STAGES)
        assert _stages_shown(app).startswith("Awareness \u203a Consideration")
        assert "Undone: change the experience and its stages" in toasts(app)


async def test_step_2_never_changes_stages_that_hold_touchpoints_and_says_so(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cx.json")
    m = _desk(store, stage="Use")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await _choose_service(pilot)
        await wait_until(pilot, lambda: store.get(m.id).experience == "service", what="the experience")
        await settle(pilot)
        assert "The stages stay as they are: touchpoints are in them." in toasts(app)
        await pilot.press("escape", "u")
        await wait_until(pilot, lambda: store.get(m.id).experience == "custom", what="the undo")
        await settle(pilot)
        assert "Undone: change the experience" in toasts(app)
    saved = store.get(m.id)
    assert (saved.stages, saved.touchpoints[0].stage) == (list(DEFAULT_STAGES), "Use")
