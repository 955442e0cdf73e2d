"""Accounts, contacts and interactions in the store, on a memory storage and on a real file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.domain.accounts import TouchpointNames, at_risk
from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.domain.errors import NotFound, ValidationError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.store import CustomerStore, Store
from cxmap_tui.store.storage import MemoryStorage
from tests.helpers.factories import compacting, file_bytes, make_map, stored


def _workspace(store: Store) -> tuple[ExperienceMap, Account, Contact, Contact]:
    m = store.add(make_map("Onboarding", touchpoints=3))
    acme = store.customers.add_account(Account.new("Acme Vets", "2026-01-01", "Vets"))
    ann = store.customers.add_contact(Contact.new("Ann Lee", "2026-01-16", account=acme.id))
    bo = store.customers.add_contact(Contact.new("Bo Ek", "2026-01-01", account=acme.id))
    return m, acme, ann, bo


def test_recorded_interactions_are_kept_in_order(store: Store) -> None:
    m, acme, ann, bo = _workspace(store)
    first = store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 2, "Loved it")
    second = store.customers.record(bo.id, m.id, m.touchpoints[1].id, "2026-01-20", -2)
    assert (first.seq, second.seq) == (1, 2)
    got = store.customers.interactions()
    assert [(i.id, i.contact, i.date, i.feeling, i.note) for i in got] == [
        (first.id, ann.id, "2026-02-01", 2, "Loved it"),
        (second.id, bo.id, "2026-01-20", -2, ""),
    ]
    assert [i.id for i in store.customers.interactions(bo.id)] == [second.id]
    book = store.customers.book()
    assert set(book.contacts) == {ann.id, bo.id} and list(book.accounts) == [acme.id]
    assert [c.name for c in store.customers.contacts(acme.id)] == ["Ann Lee", "Bo Ek"]


def test_recorded_interactions_survive_reopening(db_path: Path) -> None:
    store = Store.open(db_path)
    m, _, ann, _ = _workspace(store)
    made = store.customers.record(ann.id, m.id, m.touchpoints[2].id, "2026-02-01", -1, "Invoice wrong")
    again = Store.open(db_path)
    assert again.customers.interactions() == [made]
    assert again.customers.get_contact(ann.id) == ann
    # Numbering goes on where it stopped, in another session too.
    assert again.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-02").seq == made.seq + 1


def test_a_second_session_sees_what_the_first_recorded(db_path: Path) -> None:
    one = Store.open(db_path)
    m, _, ann, bo = _workspace(one)
    two = Store.open(db_path)
    one.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 1)
    two.customers.record(bo.id, m.id, m.touchpoints[0].id, "2026-02-01", -1)
    assert [i.seq for i in Store.open(db_path).customers.interactions()] == [1, 2]


def test_recording_checks_the_contact_the_map_and_the_touchpoint(store: Store) -> None:
    m, _, ann, _ = _workspace(store)
    tp = m.touchpoints[0].id
    with pytest.raises(NotFound, match="no contact with id 'nobody'"):
        store.customers.record("nobody", m.id, tp, "2026-02-01")
    with pytest.raises(NotFound, match="that map is no longer in the database"):
        store.customers.record(ann.id, "nomap", tp, "2026-02-01")
    with pytest.raises(NotFound, match="'Onboarding' has no touchpoint with id 'nope'"):
        store.customers.record(ann.id, m.id, "nope", "2026-02-01")
    with pytest.raises(ValidationError, match="out of range"):
        store.customers.record(ann.id, m.id, tp, "2026-02-01", -3)
    with pytest.raises(ValidationError, match="not a date"):
        store.customers.record(ann.id, m.id, tp, "2026-13-01")
    assert store.customers.interactions() == []


def test_a_bulk_add_is_all_or_nothing(store: Store) -> None:
    m, _acme, ann, _ = _workspace(store)
    before = store.customers.book()
    globex = Account.new("Globex", "2026-03-01")
    gil = Contact.new("Gil", "2026-03-01", account=globex.id)
    good = Interaction.new(gil.id, m.id, m.touchpoints[0].id, "2026-03-02", 1)
    bad = Interaction.new(ann.id, m.id, "gone", "2026-03-02", 1)
    with pytest.raises(NotFound):
        store.customers.add_many(accounts=[globex], contacts=[gil], interactions=[good, bad])
    after = store.customers.book()
    assert (after.accounts, after.contacts, after.interactions) == (before.accounts, before.contacts, [])
    added = store.customers.add_many(accounts=[globex], contacts=[gil], interactions=[good])
    assert [a.name for a in store.customers.accounts()] == ["Acme Vets", "Globex"]
    assert store.customers.interactions() == added.interactions


def test_a_failed_change_leaves_the_file_as_it_was(db_path: Path) -> None:
    store = Store.open(db_path)
    m, acme, ann, _ = _workspace(store)
    store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 1)
    before = file_bytes(db_path)
    with pytest.raises(ValidationError):
        store.customers.add_many(contacts=[Contact.new("New", "2026-01-01"), Contact.new("Ann Lee", "2026-01-01",
                                                                                        account=acme.id)])
    with pytest.raises(ValidationError):
        store.customers.delete_account(acme.id)
    assert file_bytes(db_path) == before


def test_one_bulk_add_is_one_write(db_path: Path) -> None:
    store = Store.open(db_path)
    m = store.add(make_map("Onboarding", touchpoints=2))
    accounts = [Account.new(f"Account {n}", "2026-01-01") for n in range(20)]
    contacts = [Contact.new(f"Person {n}", "2026-01-01", account=accounts[n % 20].id) for n in range(100)]
    interactions = [Interaction.new(c.id, m.id, m.touchpoints[0].id, "2026-01-02", 1) for c in contacts]
    journal = db_path.with_name(db_path.name + ".journal")
    before = journal.read_bytes().count(b"\n")
    store.customers.add_many(accounts=accounts, contacts=contacts, interactions=interactions)
    assert journal.read_bytes().count(b"\n") == before + 1  # one save: one record in the journal
    assert len(Store.open(db_path).customers.interactions()) == 100


def test_names_are_unique_where_they_must_be(store: Store) -> None:
    _, acme, ann, _ = _workspace(store)
    with pytest.raises(ValidationError, match="already an account called 'Acme Vets'"):
        store.customers.add_account(Account.new("ACME VETS", "2026-01-01"))
    with pytest.raises(ValidationError, match="already a contact called 'Ann Lee' at Acme Vets"):
        store.customers.add_contact(Contact.new("ann lee", "2026-01-01", account=acme.id))
    other = store.customers.add_account(Account.new("Globex", "2026-01-01"))
    store.customers.add_contact(Contact.new("Ann Lee", "2026-01-01", account=other.id))  # another account
    store.customers.add_contact(Contact.new("Ann Lee", "2026-01-01"))  # on her own
    with pytest.raises(ValidationError, match="already an account called 'Acme Vets'"):
        store.customers.update_account(other.id, name="acme vets")
    with pytest.raises(ValidationError, match="already a contact called 'Ann Lee' at Globex"):
        store.customers.update_contact(ann.id, account=other.id)


def test_a_contacts_account_must_exist(store: Store) -> None:
    with pytest.raises(ValidationError, match="unknown account 'nope'"):
        store.customers.add_contact(Contact.new("Ann", "2026-01-01", account="nope"))
    _, _, ann, _ = _workspace(store)
    with pytest.raises(ValidationError, match="unknown account 'nope'"):
        store.customers.update_contact(ann.id, account="nope")


def test_updates(store: Store) -> None:
    _, acme, ann, _ = _workspace(store)
    store.customers.update_account(acme.id, name="Acme Veterinary", segment="Vet groups", start="2025-12-01")
    store.customers.update_contact(ann.id, name="Ann Lee-Berg", account="", segment="Solo")
    got = store.customers.get_account(acme.id)
    assert (got.name, got.segment, got.start) == ("Acme Veterinary", "Vet groups", "2025-12-01")
    person = store.customers.get_contact(ann.id)
    assert (person.name, person.account, person.segment, person.start) == ("Ann Lee-Berg", "", "Solo", "2026-01-16")
    with pytest.raises(ValidationError, match="not a date"):
        store.customers.update_account(acme.id, start="yesterday")
    assert store.customers.get_account(acme.id).start == "2025-12-01"


def test_an_account_with_contacts_is_not_deleted(store: Store) -> None:
    m, acme, ann, bo = _workspace(store)
    store.customers.record(bo.id, m.id, m.touchpoints[0].id, "2026-02-01", -2)
    store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 2)
    with pytest.raises(ValidationError, match="'Acme Vets' still has 2 contacts: move them"):
        store.customers.delete_account(acme.id)
    gone, theirs = store.customers.delete_contact(bo.id)
    assert gone == bo and [i.contact for i in theirs] == [bo.id]
    assert [i.contact for i in store.customers.interactions()] == [ann.id]
    store.customers.update_contact(ann.id, account="")
    assert store.customers.delete_account(acme.id) == acme
    assert store.customers.accounts() == []
    with pytest.raises(NotFound):
        store.customers.get_account(acme.id)


def test_interactions_at_a_deleted_touchpoint_are_kept(store: Store) -> None:
    m, _, _ann, bo = _workspace(store)
    invoice = m.touchpoints[1].id
    store.customers.record(bo.id, m.id, invoice, "2026-02-01", -2)
    store.change(m.id, lambda x: x.remove_touchpoint(invoice))
    assert [i.touchpoint for i in store.customers.interactions()] == [invoice]
    [risk] = at_risk(store.customers.book(), TouchpointNames(store.maps()))
    assert risk.worst is not None and risk.worst.moment.label() == "a touchpoint since removed from 'Onboarding'"
    store.delete(m.id)
    [risk] = at_risk(store.customers.book(), TouchpointNames(store.maps()))
    assert risk.worst is not None and risk.worst.moment.label() == "a map since deleted"


def test_find_by_id_prefix_and_name(store: Store) -> None:
    _, acme, ann, bo = _workspace(store)
    assert store.customers.find_account("acme").id == acme.id
    assert store.customers.find_account(acme.id[:5]).id == acme.id
    assert store.customers.find_contact("bo ek").id == bo.id
    store.customers.add_contact(Contact.new("Ann Lee", "2026-01-01"))
    with pytest.raises(NotFound, match="'Ann Lee' matches several contacts"):
        store.customers.find_contact("Ann Lee")
    assert store.customers.find_contact(ann.id).id == ann.id
    with pytest.raises(NotFound, match="no account matches 'Initech'"):
        store.customers.find_account("Initech")


def test_maps_are_untouched_by_customer_changes(store: Store) -> None:
    m, _, ann, _ = _workspace(store)
    store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 1)
    assert store.get(m.id).revision == 1
    assert [s.title for s in store.summaries()] == ["Onboarding"]


def test_ids_already_taken_are_replaced_and_references_in_the_same_call_follow(store: Store) -> None:
    m, acme, _, _ = _workspace(store)
    clash = Account(acme.id, "Globex", "2026-01-01")  # an id the database already has
    unnamed = Account("", "Initech", "2026-01-01")
    gil = Contact.new("Gil", "2026-01-01", account=acme.id)  # means the Globex of this call
    solo = Contact.new("Solo", "2026-01-01")
    said = Interaction.new(gil.id, m.id, m.touchpoints[0].id, "2026-01-02", 1)
    added = store.customers.add_many(accounts=[clash, unnamed], contacts=[gil, solo], interactions=[said])
    globex, initech = added.accounts
    assert globex.id not in (acme.id, "") and initech.id not in (acme.id, "")
    assert store.customers.get_account(acme.id).name == "Acme Vets"
    assert store.customers.get_contact(gil.id).account == globex.id
    assert store.customers.get_contact(solo.id).account == ""
    assert [i.contact for i in store.customers.interactions()] == [gil.id]


_RECORDER = """
import sys
from cxmap_tui.store import CustomerStore, Store
from cxmap_tui.store.storage import MemoryStorage
db, contact, map_id, tp, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
store = Store.open(db, lock_timeout=60)
for n in range(count):
    store.customers.record(contact, map_id, tp, "2026-02-01", n % 5 - 2, f"{contact} {n}")
"""


def test_processes_recording_at_once_lose_nothing_and_share_one_numbering(db_path: Path) -> None:
    import subprocess
    import sys

    store = Store.open(db_path)
    m = store.add(make_map("Onboarding", touchpoints=1))
    people = [store.customers.add_contact(Contact.new(f"P{n}", "2026-01-01")) for n in range(3)]
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen([sys.executable, "-c", _RECORDER, str(db_path), p.id, m.id, m.touchpoints[0].id, "25"],
                         cwd=root, stderr=subprocess.PIPE, text=True)
        for p in people
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    got = Store.open(db_path).customers.interactions()
    assert sorted(i.seq for i in got) == list(range(1, 76))
    for p in people:  # each process's interactions, in the order it recorded them
        assert [i.note for i in got if i.contact == p.id] == [f"{p.id} {n}" for n in range(25)]


def test_interactions_are_stored_per_contact_as_rows(db_path: Path) -> None:

    store = Store.open(db_path)
    m, _, ann, bo = _workspace(store)
    first = store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", -2, "Wrong VAT")
    store.customers.record(bo.id, m.id, m.touchpoints[1].id, "2026-02-02")
    doc = stored(db_path)["interactions"]
    assert set(doc) == {ann.id, bo.id}
    assert doc[ann.id] == {
        "columns": ["id", "map", "touchpoint", "date", "feeling", "note", "seq"],
        "rows": [[first.id, m.id, m.touchpoints[0].id, "2026-02-01", -2, "Wrong VAT", 1]],
    }


def test_deleting_one_interaction(store: Store) -> None:
    m, _, ann, _ = _workspace(store)
    keep = store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 1)
    drop = store.customers.record(ann.id, m.id, m.touchpoints[1].id, "2026-02-02", -1)
    assert store.customers.delete_interaction(drop.id) == drop
    assert store.customers.interactions() == [keep]
    store.customers.delete_interaction(keep.id)
    assert store.customers.interactions() == []
    with pytest.raises(NotFound, match="that interaction is not in the database"):
        store.customers.delete_interaction(keep.id)


def test_a_damaged_history_is_reported_in_one_line(db_path: Path) -> None:
    import json

    from cxmap_tui.store import StoreError

    store = compacting(db_path)  # all of it in the file itself, to be edited by hand
    m, _, ann, _ = _workspace(store)
    store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", 1)
    data = json.loads(db_path.read_text())
    data["interactions"][ann.id]["rows"][0][4] = 9  # a feeling out of range
    db_path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match=rf"the interactions of contact {ann.id} in .* are damaged: row 1: "
                                         r"feeling 9 is not one of -2..\+2"):
        Store.open(db_path).customers.book()


class _OneMap:
    """The maps, as the customer store asks for them, without a workspace store around them."""

    def __init__(self, m: ExperienceMap) -> None:
        self.m = m

    def get(self, map_id: str) -> ExperienceMap:
        if map_id != self.m.id:
            raise NotFound("no such map")
        return self.m

    def maps(self) -> list[ExperienceMap]:
        return [self.m]


def test_the_customer_store_needs_only_a_storage_and_the_maps() -> None:
    storage = MemoryStorage()
    m = make_map("Onboarding", touchpoints=2)
    customers = CustomerStore(storage, maps=_OneMap(m), location="a test database")
    ann = customers.add_contact(Contact.new("Ann Lee", "2026-01-16"))
    made = customers.record(ann.id, m.id, m.touchpoints[1].id, "2026-02-01", -2, "Lost")
    with pytest.raises(NotFound, match="no such map"):
        customers.record(ann.id, "elsewhere", m.touchpoints[1].id, "2026-02-01")
    [(problem, resolution)] = customers.resolve(ann.id, "2026-02-03", "Found", by="tester")
    assert (problem.id, resolution.by) == (made.id, "tester")
    # A second customer store on the same storage sees it all: it is all in the storage.
    again = CustomerStore(storage, maps=_OneMap(m), location="a test database")
    assert [i.id for i in again.interactions(ann.id)] == [made.id]
    assert [r.interaction for r in again.resolutions(ann.id)] == [made.id]
