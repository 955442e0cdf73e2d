"""A saved edit reuses what it can of the edit before it (the map parsed, the touchpoints'
documents as they were): what it saves and what others see must be exactly what a fresh parse
would give."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from tests.helpers.factories import make_map, stored


def test_a_copy_is_equal_and_shares_nothing_that_can_change() -> None:
    m = make_map(touchpoints=2)
    m.add_improvement("Call back", touchpoints=[m.touchpoints[0].id])
    c = m.copy()
    assert c == m
    c.touchpoints[0].name = "Renamed"
    c.improvements[0].touchpoints.append(m.touchpoints[1].id)
    c.stages.append("Later")
    c.matches["x"] = "y"
    assert m.touchpoints[0].name == "Step 1"
    assert m.improvements[0].touchpoints == [m.touchpoints[0].id]
    assert "Later" not in m.stages and m.matches == {}


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["feel", "rename", "add", "remove", "move", "notes"]), st.integers(0, 5), st.integers(-2, 2)
    ),
    min_size=1,
    max_size=8,
)


def _edit(m: ExperienceMap, kind: str, n: int, score: int, step: int) -> None:
    tps = m.touchpoints
    if kind == "add" or not tps:
        m.add_touchpoint(f"New {step}", stage=m.stages[0])
        return
    tp = tps[n % len(tps)]
    if kind == "feel":
        m.set_feeling(tp.id, score, f"thought {n}")
    elif kind == "rename":
        m.edit_touchpoint(tp.id, name=f"{tp.name} again")
    elif kind == "remove":
        m.remove_touchpoint(tp.id)
    elif kind == "move":
        m.move_touchpoint(tp.id, (n + 1) % len(tps))
    else:
        m.edit_touchpoint(tp.id, notes=f"note {n}")


@settings(max_examples=60, deadline=None)
@given(EDITS)
def test_a_document_built_like_the_one_before_is_the_same_document(edits: list[tuple[str, int, int]]) -> None:
    m = make_map(touchpoints=4)
    for step, (kind, n, score) in enumerate(edits):
        before = m.to_dict()
        _edit(m, kind, n, score, step)
        assert m.to_dict(like=before) == m.to_dict()
        assert ExperienceMap.from_dict(m.to_dict(like=before)) == m


def test_edits_one_after_another_save_what_a_fresh_session_reads(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = store.add(make_map(touchpoints=5))
    for i in range(12):
        tp_id = m.touchpoints[i % 5].id
        store.change(m.id, lambda x, i=i, tp_id=tp_id: x.set_feeling(tp_id, i % 5 - 2, f"t{i}"))
    mine, fresh = store.get(m.id), Store.open(db).get(m.id)
    assert mine == fresh
    assert [tp.thoughts for tp in fresh.touchpoints] == ["t10", "t11", "t7", "t8", "t9"]
    assert stored(db)["maps"][m.id] == fresh.to_dict()


def test_an_edit_after_another_sessions_edit_starts_from_that_edit(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    mine, theirs = Store.open(db), Store.open(db)
    m = mine.add(make_map(touchpoints=3))
    first, second = m.touchpoints[0].id, m.touchpoints[1].id
    mine.change(m.id, lambda x: x.set_feeling(first, 1, "fine"))  # parsed and kept by this session
    theirs.change(m.id, lambda x: x.edit_touchpoint(second, name="Hold music"))
    mine.change(m.id, lambda x: x.set_feeling(second, -2, "endless"))
    got = Store.open(db).get(m.id)
    assert [(tp.name, tp.feeling) for tp in got.touchpoints] == [("Step 1", 1), ("Hold music", -2), ("Step 3", None)]


def test_a_failed_edit_leaves_nothing_behind_for_the_next(store: Store) -> None:
    m = store.add(make_map(touchpoints=2))
    tp_id = m.touchpoints[0].id
    store.change(m.id, lambda x: x.set_feeling(tp_id, 1, "ok"))

    def half_then_fail(x: ExperienceMap) -> None:
        x.edit_touchpoint(tp_id, name="Half done")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        store.change(m.id, half_then_fail)
    store.change(m.id, lambda x: x.edit_touchpoint(tp_id, notes="after"))
    got = store.get(m.id)
    assert (got.touchpoints[0].name, got.touchpoints[0].notes, got.touchpoints[0].feeling) == ("Step 1", "after", 1)


def test_a_map_handed_out_and_changed_by_its_reader_changes_nothing_stored(store: Store) -> None:
    m = store.add(make_map(touchpoints=2))
    tp_id = m.touchpoints[0].id
    _, saved = store.change_and_get(m.id, lambda x: x.set_feeling(tp_id, 2, "great"))
    saved.touchpoints[0].name = "Scribbled on"
    got = store.get(m.id)
    got.touchpoints[0].notes = "also scribbled"
    store.change(m.id, lambda x: x.set_feeling(tp_id, -1, "worse"))
    after = store.get(m.id)
    assert (after.touchpoints[0].name, after.touchpoints[0].notes, after.touchpoints[0].feeling) == ("Step 1", "", -1)


def test_an_edit_that_changes_nothing_saves_nothing(store: Store) -> None:
    m = store.add(make_map(touchpoints=2))
    tp_id = m.touchpoints[0].id
    store.change(m.id, lambda x: x.set_feeling(tp_id, 1, "ok"))
    token = store.changes_since(None).token
    revision = store.get(m.id).revision
    _, same = store.change_and_get(m.id, lambda x: x.set_feeling(tp_id, 1, "ok"))  # as it is already
    store.change(m.id, lambda x: x.edit(scope=x.scope))
    assert same.revision == revision and store.get(m.id).revision == revision
    assert store.changes_since(token).changes == ()  # no record: nothing to tell, nothing in the history
    store.change(m.id, lambda x: x.set_feeling(tp_id, 2, "ok"))
    assert store.get(m.id).revision == revision + 1
    assert sorted((n.table, n.id) for n in store.changes_since(token).changes) == [("map_summaries", m.id), ("maps", m.id)]
