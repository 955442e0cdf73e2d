"""Edits as data: every change to a map applies itself and gives back the edit that takes it away;
that one, applied, gives the change again. No closures anywhere: an edit is its values."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from cxmap_tui.domain import edits
from cxmap_tui.domain.edits import (
    AddImprovement,
    AddStage,
    AddTouchpoint,
    ChangeExperience,
    EditImprovement,
    EditMap,
    EditStages,
    EditTouchpoint,
    MapEdit,
    MoveStage,
    MoveTouchpoint,
    RemoveImprovement,
    RemoveStage,
    RemoveTouchpoint,
    RenameStage,
    SetMatch,
    UndoExperience,
    made,
)
from cxmap_tui.domain.errors import CxmapError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.domain.stage_sets import default_stages
from cxmap_tui.io.json_format import map_from_json

ROOT = Path(__file__).resolve().parents[2]


def _sample() -> ExperienceMap:
    m = map_from_json((ROOT / "sample_maps" / "insurance-claim-current.json").read_text())
    m.id = "m1"
    return m


def _cases(m: ExperienceMap) -> list[MapEdit]:
    first, second = m.touchpoints[0], m.touchpoints[1]
    imp = m.improvements[0]
    stage = m.stages[0]
    return [
        EditMap({"title": "Claims, again", "persona": "A tenant"}),
        ChangeExperience("store"),
        EditStages((AddStage("Aftercare", 99), RenameStage(stage, "Beginning"), MoveStage("Beginning", 2))),
        EditStages((RemoveStage(stage),)),
        AddTouchpoint("Letter from the insurer", 1, {"channel": "Mail", "feeling": -1}),
        AddTouchpoint("At the end"),
        RemoveTouchpoint(first.id),  # linked to improvements and maybe paired: all of it comes back
        EditTouchpoint(second.id, {"feeling": 2, "thoughts": "Finally someone listens"}),
        EditTouchpoint(second.id, {"name": "A new name", "stage": m.stages[-1]}),
        MoveTouchpoint(first.id, 3),
        MoveTouchpoint(second.id, -5),  # clamped at the start: undone, it is back where it was
        SetMatch(first.id, ""),  # no counterpart in the ideal
        SetMatch(first.id, "an-ideal-touchpoint"),
        AddImprovement("Call back within the hour", {"touchpoints": [second.id], "effort": 5}),
        RemoveImprovement(imp.id),
        EditImprovement(imp.id, {"title": "Renamed", "status": "done"}),
    ]


@pytest.mark.parametrize("index", range(len(_cases(_sample()))))
def test_an_edit_is_undone_by_its_inverse_and_redone_by_the_inverse_of_that(index: int) -> None:
    m = _sample()
    edit = _cases(m)[index]
    before = m.to_dict()
    inverse = edit.apply(m)
    after = m.to_dict()
    assert after != before, f"{edit} changed nothing"
    redo = inverse.apply(m)
    assert m.to_dict() == before
    again = redo.apply(m)
    assert m.to_dict() == after
    again.apply(m)
    assert m.to_dict() == before


def test_an_edit_that_cannot_be_made_leaves_the_map_as_it_was() -> None:
    m = _sample()
    before = m.to_dict()
    for edit in (EditTouchpoint("nope", {"feeling": 1}), RemoveImprovement("nope"),
                 EditStages((AddStage("Fresh", 0), RenameStage("no such stage", "x"))),
                 AddTouchpoint(m.touchpoints[0].name)):
        copy = m.copy()
        with pytest.raises(CxmapError):
            edit.apply(copy)
    assert m.to_dict() == before


def test_the_experience_change_says_what_it_did_in_its_inverse() -> None:
    m = ExperienceMap.new("Fresh", experience="service", stages=default_stages("service"))
    inverse = ChangeExperience("store").apply(m)
    assert isinstance(inverse, UndoExperience)
    assert inverse.change.previous == "service"
    assert inverse.change.stages_after == tuple(m.stages) == default_stages("store")
    assert default_stages("store") != default_stages("service")


def test_the_item_an_edit_made_or_changed_is_found_from_its_inverse() -> None:
    m = _sample()
    added = AddTouchpoint("New one")
    assert made(added, added.apply(m)) == m.touchpoints[-1].id
    imp = AddImprovement("New idea")
    assert made(imp, imp.apply(m)) == m.improvements[-1].id
    edit = EditTouchpoint(m.touchpoints[0].id, {"feeling": 1})
    assert made(edit, edit.apply(m)) == m.touchpoints[0].id
    assert made(EditMap({"scope": "x"}), EditMap({"scope": ""})) is None


def test_every_edit_is_a_frozen_dataclass_of_values() -> None:
    """Edits travel through queues and histories: they are values, never closures over screens."""
    classes = [c for _, c in inspect.getmembers(edits, inspect.isclass)
               if issubclass(c, (MapEdit, edits.StageOp)) and not inspect.isabstract(c)]
    assert len(classes) >= 17
    for cls in classes:
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls
    m = _sample()
    for edit in _cases(m):
        for f in dataclasses.fields(edit):
            assert not callable(getattr(edit, f.name)), (edit, f.name)
