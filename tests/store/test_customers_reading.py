"""Reading every contact's interactions at once (the book the analyses run on): the rows as cxmap
writes them are checked a column at a time; anything else is read row by row. Both ways give the
same interactions in the order recorded, and refuse the same damage with the same message. And
garbage collection is held off while they are read, and left as it was found."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from cxmap_tui.domain.customers import Contact, Interaction
from cxmap_tui.domain.json_types import JSON
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.store import CustomerStore, StoreError
from cxmap_tui.store.collecting import collection_paused
from cxmap_tui.store.storage import MemoryStorage
from cxmap_tui.store.tables import DocTable
from tests.helpers.factories import make_map

COLUMNS = ["id", "map", "touchpoint", "date", "feeling", "note", "seq"]


class _OneMap:
    def __init__(self, m: ExperienceMap) -> None:
        self.m = m

    def get(self, map_id: str) -> ExperienceMap:
        return self.m

    def maps(self) -> list[ExperienceMap]:
        return [self.m]


MAP = make_map("Onboarding", touchpoints=3)


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def customers(storage: MemoryStorage) -> CustomerStore:
    return CustomerStore(storage, maps=_OneMap(MAP), location="a test database")


def _recorded(customers: CustomerStore) -> tuple[list[Contact], list[Interaction]]:
    """Three contacts, their interactions recorded interleaved (so that the order recorded is
    not the order of the contacts), each on an earlier date than the one before."""
    m = MAP
    people = customers.add_many(contacts=[Contact.new(name, "2026-01-01") for name in ("Ann", "Bo", "Cy")]).contacts
    made = []
    for n in range(9):
        person = people[(n * 2) % 3]
        made += customers.add_many(interactions=[Interaction.new(
            person.id, m.id, m.touchpoints[n % 3].id, f"2026-02-{10 - n:02d}", [None, -2, 1][n % 3],
            f"note {n}" if n % 2 else "")]).interactions
    return people, made


def _plant(storage: MemoryStorage, contact_id: str, columns: list[str], rows: list[JSON]) -> None:
    """One contact's history as stored, replaced by hand."""
    with storage.transaction():
        DocTable(storage, "interactions").change(put={contact_id: {"columns": list(columns), "rows": rows}})


def test_the_book_has_every_interaction_in_the_order_recorded(customers: CustomerStore) -> None:
    people, made = _recorded(customers)
    assert [i.seq for i in made] == list(range(1, 10))
    assert customers.book().interactions == made
    assert customers.interactions() == made
    assert [customers.interactions(p.id) for p in people] == [[i for i in made if i.contact == p.id] for p in people]


def test_columns_in_another_order_read_the_same(storage: MemoryStorage, customers: CustomerStore) -> None:
    """A history written with its columns in another order (by another tool, say) is read by
    name, row by row, and gives the same interactions."""
    people, made = _recorded(customers)
    before = customers.book().interactions
    theirs = [i for i in made if i.contact == people[1].id]
    shuffled = ["seq", "note", "feeling", "date", "touchpoint", "map", "id"]
    _plant(storage, people[1].id, shuffled,
           [[i.seq, i.note, i.feeling, i.date, i.touchpoint, i.map, i.id] for i in theirs])
    assert customers.book().interactions == before == made


def _row(i: Interaction) -> list[JSON]:
    return [i.id, i.map, i.touchpoint, i.date, i.feeling, i.note, i.seq]


def _cell(at: int, value: JSON) -> Callable[[list[JSON]], JSON]:
    return lambda row: [*row[:at], value, *row[at + 1:]]


TEXT = "row 2: id, map, touchpoint, date and note must be text, seq a whole number"
DAMAGE: list[tuple[str, Callable[[list[JSON]], JSON], str]] = [
    ("a feeling out of range", _cell(4, 9), r"row 2: feeling 9 is not one of -2..\+2"),
    ("a feeling that is true", _cell(4, True), r"row 2: feeling True is not one of -2..\+2"),
    ("a feeling as a fraction", _cell(4, 1.0), r"row 2: feeling 1.0 is not one of -2..\+2"),
    ("a number as the date", _cell(3, 20260201), TEXT),
    ("no note", _cell(5, None), TEXT),
    ("a fraction as the number", _cell(6, 2.0), TEXT),
    ("true as the number", _cell(6, True), TEXT),
    ("a cell missing", lambda row: row[:6], "row 2 does not have 7 cells"),
    ("a cell too many", lambda row: [*row, "x"], "row 2 does not have 7 cells"),
    ("a row that is no list", lambda row: dict(zip(COLUMNS, row, strict=True)), "row 2 does not have 7 cells"),
]


@pytest.mark.parametrize(("damage", "message"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_damage_is_refused_as_row_by_row(storage: MemoryStorage, customers: CustomerStore,
                                        damage: Callable[[list[JSON]], JSON], message: str) -> None:
    people, made = _recorded(customers)
    theirs = [i for i in made if i.contact == people[0].id]
    rows: list[JSON] = [_row(i) for i in theirs]
    rows[1] = damage(_row(theirs[1]))
    _plant(storage, people[0].id, COLUMNS, rows)
    expected = rf"the interactions of contact {people[0].id} in a test database are damaged: {message}"
    with pytest.raises(StoreError, match=expected):
        customers.book()
    with pytest.raises(StoreError, match=expected):
        customers.interactions()


def test_a_history_without_rows_is_refused(storage: MemoryStorage, customers: CustomerStore) -> None:
    people, _ = _recorded(customers)
    with storage.transaction():
        DocTable(storage, "interactions").change(put={people[2].id: {"columns": list(COLUMNS)}})
    with pytest.raises(StoreError, match="need a list of columns and a list of rows"):
        customers.book()


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each garbage collection while the test runs."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def _cycles(n: int) -> list[object]:
    """`n` objects a collector would look at (each in a reference cycle)."""
    made: list[object] = []
    for _ in range(n):
        cycle: list[object] = []
        cycle.append(cycle)
        made.append(cycle)
    return made


def test_nothing_is_collected_while_paused_and_collection_comes_back_on(collections: list[int]) -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        kept = _cycles(20_000)  # far past the first generation's threshold
        assert collections == []
    assert gc.isenabled()
    # What survived walked once, in one collection of the young generations, before collection
    # is back on (after it, another thread may set off one of its own).
    assert collections[:1] == [1]
    del kept


def test_collection_comes_back_on_when_the_block_fails() -> None:
    with pytest.raises(ZeroDivisionError), collection_paused():
        _ = 1 / 0
    assert gc.isenabled()


def test_collection_that_was_off_stays_off(collections: list[int]) -> None:
    gc.disable()
    try:
        with collection_paused():
            _cycles(5000)
        assert not gc.isenabled()
        assert collections == []
    finally:
        gc.enable()


def test_reading_the_book_leaves_collection_as_it_was(customers: CustomerStore) -> None:
    _recorded(customers)
    customers.book()
    assert gc.isenabled()
    gc.disable()
    try:
        customers.book()
        assert not gc.isenabled()
    finally:
        gc.enable()
