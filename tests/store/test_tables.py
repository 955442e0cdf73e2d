"""The table layer (store/tables.py): documents by cxmap's string ids, on a memory storage and on a
real file. What maps and customers rely on: a read inside a transaction sees its earlier writes,
what was read never changes under the reader, and a snapshot reads several tables at one moment."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.store.file_format import Tables
from cxmap_tui.store.storage import JSONFileStorage, MemoryStorage, TransactionalStorage
from cxmap_tui.store.tables import DocTable, snapshot


@pytest.fixture(params=["memory", "file"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> TransactionalStorage:
    if request.param == "memory":
        return MemoryStorage()
    return JSONFileStorage(tmp_path / "cx.json")


def test_documents_are_kept_by_their_string_ids(storage: TransactionalStorage) -> None:
    table = DocTable(storage, "things")
    assert table.docs() == {} and table.get("a1") is None
    with storage.transaction():
        table.change(put={"a1": {"name": "One", "tags": ["x", "y"]}, "007": {"name": "Bond", "n": None}})
    assert table.docs() == {"a1": {"name": "One", "tags": ["x", "y"]}, "007": {"name": "Bond", "n": None}}
    assert table.get("007") == {"name": "Bond", "n": None}
    with storage.transaction():
        table.change(put={"a1": {"name": "Uno"}}, remove=["007"])
    assert table.docs() == {"a1": {"name": "Uno"}}
    assert DocTable(storage, "others").docs() == {}


def test_removing_an_id_that_is_not_there_is_refused_and_saves_nothing(storage: TransactionalStorage) -> None:
    table = DocTable(storage, "things")
    with storage.transaction():
        table.change(put={"a1": {"name": "One"}})
    with pytest.raises(KeyError), storage.transaction():
        table.change(put={"b2": {"name": "Two"}}, remove=["nope"])
    assert table.docs() == {"a1": {"name": "One"}}


def test_a_change_outside_a_transaction_is_refused_and_changes_nothing(storage: TransactionalStorage) -> None:
    table = DocTable(storage, "things")
    with storage.transaction():
        table.change(put={"a1": {"name": "One"}})
    with pytest.raises(RuntimeError, match="only inside a transaction"):
        table.change(put={"a1": {"name": "Changed"}})
    assert table.docs() == {"a1": {"name": "One"}}


def test_a_read_inside_a_transaction_sees_its_earlier_writes(storage: TransactionalStorage) -> None:
    things, others = DocTable(storage, "things"), DocTable(storage, "others")
    with storage.transaction():
        things.change(put={"a1": {"n": 1}})
        assert things.get("a1") == {"n": 1}
        things.change(put={"b2": {"n": 2}})  # a second change keeps the first
        others.change(put={"c3": {"n": 3}})
        assert things.docs() == {"a1": {"n": 1}, "b2": {"n": 2}}
        assert snapshot(things, others) == ({"a1": {"n": 1}, "b2": {"n": 2}}, {"c3": {"n": 3}})
        things.change(remove=["a1"])
        assert things.get("a1") is None
    assert (things.docs(), others.docs()) == ({"b2": {"n": 2}}, {"c3": {"n": 3}})


def test_what_was_read_never_changes_under_the_reader(storage: TransactionalStorage) -> None:
    things, others = DocTable(storage, "things"), DocTable(storage, "others")
    with storage.transaction():
        things.change(put={"a1": {"n": 1}})
    before = things.docs()
    taken = snapshot(things, others)
    with storage.transaction():
        things.change(put={"a1": {"n": 2}, "b2": {"n": 2}})
        others.change(put={"c3": {"n": 3}})
    assert before == {"a1": {"n": 1}}
    assert taken == ({"a1": {"n": 1}}, {})
    assert things.docs() == {"a1": {"n": 2}, "b2": {"n": 2}}


def test_a_change_that_fails_leaves_no_trace_in_what_was_read_or_is_read_next(storage: TransactionalStorage) -> None:
    things, others = DocTable(storage, "things"), DocTable(storage, "others")
    with storage.transaction():
        things.change(put={"a1": {"n": 1}})
    before = snapshot(things, others)

    def change_both_then_fail() -> None:
        with storage.transaction():
            things.change(put={"a1": {"n": 2}})
            others.change(put={"c3": {"n": 3}})
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        change_both_then_fail()
    assert before == ({"a1": {"n": 1}}, {})
    assert snapshot(things, others) == ({"a1": {"n": 1}}, {})


def test_a_document_put_in_is_copied_so_changing_it_later_changes_nothing_stored(
    storage: TransactionalStorage,
) -> None:
    table = DocTable(storage, "things")
    doc = {"name": "One"}
    with storage.transaction():
        table.change(put={"a1": doc})
    doc["name"] = "Changed after"
    assert table.get("a1") == {"name": "One"}


class _BusyStorage(MemoryStorage):
    """A database someone else keeps changing: before every read from outside a transaction,
    another session saves a change that numbers both tables "a" and "b" alike."""

    def __init__(self) -> None:
        super().__init__()
        self.saves = 0
        self._saving = False

    def read(self) -> Tables | None:
        if not self._in_transaction and not self._saving:
            self._saving = True
            try:
                self.saves += 1
                with self.transaction():
                    for name in ("a", "b"):
                        DocTable(self, name).change(put={"n": {"save": self.saves}})
            finally:
                self._saving = False
        return super().read()


def test_a_snapshot_reads_several_tables_at_one_moment() -> None:
    storage = _BusyStorage()
    a, b = DocTable(storage, "a"), DocTable(storage, "b")
    # Read one after the other, the two tables can come from two different saves...
    assert a.docs()["n"] != b.docs()["n"]
    # ...read in one snapshot, never.
    for _ in range(3):
        got_a, got_b = snapshot(a, b)
        assert got_a["n"] == got_b["n"] == {"save": storage.saves}


def test_a_snapshot_sees_what_another_session_saved_to_the_file(tmp_path: Path) -> None:
    mine, theirs = JSONFileStorage(tmp_path / "cx.json"), JSONFileStorage(tmp_path / "cx.json")
    with theirs.transaction():
        DocTable(theirs, "a").change(put={"x": {"n": 1}})
        DocTable(theirs, "b").change(put={"y": {"n": 2}})
    assert snapshot(DocTable(mine, "a"), DocTable(mine, "b")) == ({"x": {"n": 1}}, {"y": {"n": 2}})


def test_a_snapshot_is_of_one_database() -> None:
    assert snapshot() == ()
    with pytest.raises(ValueError, match="one database"):
        snapshot(DocTable(MemoryStorage(), "a"), DocTable(MemoryStorage(), "b"))
