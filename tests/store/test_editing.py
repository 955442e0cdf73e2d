"""The editing session without any UI: changes as data on the save queue, undo and redo, the map a
change left stored told to whoever shows it, and held changes shown while they wait."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.domain.edits import AddTouchpoint, EditTouchpoint, SetMatch
from cxmap_tui.domain.errors import CxmapError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.editing import EditingSession
from cxmap_tui.editing.edits import (
    AddAccount,
    AddContact,
    AddMap,
    DeleteMap,
    LinkIdeal,
    OnMap,
    Record,
    Resolve,
)
from cxmap_tui.editing.history import Entry
from cxmap_tui.io.json_format import map_from_json
from cxmap_tui.store import Store
from cxmap_tui.store.errors import Unavailable

ROOT = Path(__file__).resolve().parents[2]


class Inline:
    """Runs the save queue at once, on this thread: what a UI's worker and callbacks do, in order."""

    def start(self, work: Callable[[], None]) -> None:
        work()

    def call(self, fn: Callable[..., object], *args: object) -> None:
        fn(*args)


def _session(store: Store) -> tuple[EditingSession, list[ExperienceMap], list[str]]:
    session = EditingSession(store, Inline())
    stored: list[ExperienceMap] = []
    said: list[str] = []
    session.on_stored = stored.append
    return session, stored, said


def _undo(session: EditingSession, said: list[str]) -> None:
    def done(entry: Entry, redoable: bool) -> None:
        said.append(f"undone {entry.label}" + (" (redoable)" if redoable else ""))

    assert session.undo(done, lambda error: said.append(f"failed {error}")) is not None


def _redo(session: EditingSession, said: list[str]) -> None:
    def done(entry: Entry, undoable: bool) -> None:
        said.append(f"redone {entry.label}" + ("" if undoable else " (for good)"))

    assert session.redo(done, lambda error: said.append(f"failed {error}")) is not None


def test_a_change_is_saved_undone_and_redone_and_each_time_the_map_is_told() -> None:
    store = Store.in_memory()
    session, stored, said = _session(store)
    m = store.add(ExperienceMap.new("Support call"))
    results: list[object] = []
    session.apply("add 'Call'", OnMap(m.id, AddTouchpoint("Call", values={"feeling": -1})), results.append)
    [tp] = store.get(m.id).touchpoints
    assert tp.name == "Call" and tp.feeling == -1
    assert stored[-1].touchpoints[0].id == tp.id and stored[-1].revision == store.get(m.id).revision
    assert session.can_undo() and not session.can_redo()
    _undo(session, said)
    assert store.get(m.id).touchpoints == [] and stored[-1].touchpoints == []
    assert said == ["undone add 'Call' (redoable)"] and session.can_redo() and not session.can_undo()
    _redo(session, said)
    assert [t.id for t in store.get(m.id).touchpoints] == [tp.id]  # the same touchpoint, its id kept
    assert said[-1] == "redone add 'Call'" and session.can_undo() and not session.can_redo()


def test_a_new_change_forgets_what_could_be_redone() -> None:
    store = Store.in_memory()
    session, _, said = _session(store)
    m = store.add(ExperienceMap.new("Support call"))
    session.apply("add", OnMap(m.id, AddTouchpoint("Call")))
    _undo(session, said)
    session.apply("add another", OnMap(m.id, AddTouchpoint("Chat")))
    assert not session.can_redo()
    assert session.redo(lambda *_: None, lambda _: None) is None


def test_a_failed_change_is_told_and_not_remembered() -> None:
    store = Store.in_memory()
    session, stored, _ = _session(store)
    m = store.add(ExperienceMap.new("Support call"))
    errors: list[CxmapError] = []
    session.apply("feeling", OnMap(m.id, EditTouchpoint("gone", {"feeling": 1})), None, errors.append)
    assert len(errors) == 1 and not session.can_undo() and stored == []


def test_adding_and_deleting_maps_undo_each_other() -> None:
    store = Store.in_memory()
    session, _, said = _session(store)
    added: list[ExperienceMap] = []
    session.apply("create", AddMap(ExperienceMap.new("Web shop")), added.append)
    map_id = added[0].id
    session.apply("delete", DeleteMap(map_id))
    assert store.summaries() == []
    _undo(session, said)  # the deleted map is back, with its id
    assert store.get(map_id).title == "Web shop"
    _undo(session, said)  # and the create is taken back too
    assert store.summaries() == []
    _redo(session, said)
    assert store.get(map_id).title == "Web shop"


def test_unlinking_the_ideal_and_taking_it_back_brings_back_the_pairings() -> None:
    store = Store.in_memory()
    session, stored, said = _session(store)
    ideal = store.add(map_from_json((ROOT / "sample_maps" / "insurance-claim-ideal.json").read_text()))
    current = store.add(map_from_json((ROOT / "sample_maps" / "insurance-claim-current.json").read_text()))
    first = current.touchpoints[0].id
    session.apply("pair", OnMap(current.id, SetMatch(first, "")))
    session.apply("unlink", LinkIdeal(current.id, ""))
    assert store.get(current.id).ideal == "" and store.get(current.id).matches == {}
    assert stored[-1].ideal == ""
    _undo(session, said)
    back = store.get(current.id)
    assert back.ideal == ideal.id and back.matches == {first: ""}  # the link and the pairing made for it
    assert stored[-1].ideal == ideal.id
    _redo(session, said)
    assert store.get(current.id).ideal == ""


def test_customer_records_are_undone_and_redone() -> None:
    store = Store.in_memory()
    session, _, said = _session(store)
    m = store.add(ExperienceMap.new("Support call"))
    tp = store.change(m.id, lambda x: x.add_touchpoint("Call", feeling=-2))
    accounts: list[Account] = []
    session.apply("new account", AddAccount(Account.new("Acme", "2026-01-05")), accounts.append)
    contacts: list[Contact] = []
    session.apply("new contact", AddContact(Contact.new("Ann", "2026-01-05", account=accounts[0].id)),
                  contacts.append)
    ann = contacts[0].id
    recorded: list[Interaction] = []
    session.apply("record", Record(Interaction.new(ann, m.id, tp.id, "2026-02-01", -2)), recorded.append)
    session.apply("resolve", Resolve(ann, "2026-02-03", "called back", (recorded[0].id,)))
    assert [r.interaction for r in store.customers.resolutions(ann)] == [recorded[0].id]
    _undo(session, said)  # the problem is open again
    assert store.customers.resolutions(ann) == []
    _undo(session, said)  # and the interaction is gone
    assert store.customers.interactions(ann) == []
    _redo(session, said)
    _redo(session, said)
    assert [i.id for i in store.customers.interactions(ann)] == [recorded[0].id]
    assert [r.note for r in store.customers.resolutions(ann)] == ["called back"]
    assert said[-2:] == ["redone record", "redone resolve"]


def test_held_changes_show_on_their_map_until_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path / "cx.json")
    session, _, _ = _session(store)
    m = store.add(ExperienceMap.new("Support call"))
    failing = True
    real = Store.change_and_get

    def unavailable(self: Store, map_id: str, fn: Callable[[ExperienceMap], object]) -> object:
        if failing:
            raise Unavailable("the disk is full")
        return real(self, map_id, fn)

    monkeypatch.setattr(Store, "change_and_get", unavailable)
    session.apply("add", OnMap(m.id, AddTouchpoint("Typed while the disk was full")), hold=True)
    assert session.saver.held is not None
    assert store.get(m.id).touchpoints == []
    shown = session.saver.with_waiting(store.get(m.id))
    assert [tp.name for tp in shown.touchpoints] == ["Typed while the disk was full"]
    other = store.add(ExperienceMap.new("Another map"))
    assert session.saver.with_waiting(store.get(other.id)).touchpoints == []  # only on its own map
    failing = False
    assert session.saver.retry()
    assert [tp.name for tp in store.get(m.id).touchpoints] == ["Typed while the disk was full"]
    assert session.saver.held is None and session.can_undo()
