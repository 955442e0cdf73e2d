"""Resolutions in the store, on a memory storage and on a real file: kept with their date, note and
who (the OS user), all or nothing, gone with their interaction or contact, and a damaged one
reported in one line."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest

from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.domain.errors import ValidationError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.domain.problems import is_problem
from cxmap_tui.store import Store
from cxmap_tui.store.errors import StoreError
from tests.helpers.factories import file_bytes, stored


def workspace(store: Store) -> dict[str, str]:
    """Acme: Ann (+2), Bo (-2 at Invoice, then +1 at Reminder). Dee alone: -1 at Invoice."""
    m = ExperienceMap.new("Billing")
    for name in ("Invoice", "Reminder"):
        m.add_touchpoint(name)
    m = store.add(m)
    invoice, reminder = (tp.id for tp in m.touchpoints)
    acme = Account.new("Acme Vets", "2026-01-01")
    ann = Contact.new("Ann Lee", "2026-01-01", account=acme.id)
    bo = Contact.new("Bo Ek", "2026-01-01", account=acme.id)
    dee = Contact.new("Dee", "2026-01-01")
    bad = Interaction.new(bo.id, m.id, invoice, "2026-02-03", -2, "Wrong VAT number")
    store.customers.add_many(accounts=[acme], contacts=[ann, bo, dee], interactions=[
        Interaction.new(ann.id, m.id, invoice, "2026-02-01", 2), bad,
        Interaction.new(bo.id, m.id, reminder, "2026-02-05", 1),
        Interaction.new(dee.id, m.id, invoice, "2026-02-04", -1),
    ])
    return {"map": m.id, "acme": acme.id, "ann": ann.id, "bo": bo.id, "dee": dee.id, "bad": bad.id}


def _open(store: Store) -> list[str]:
    """The names of the contacts with a problem still open."""
    book = store.customers.book()
    still = {i.contact for i in book.interactions if is_problem(i) and i.id not in book.resolutions}
    return sorted(book.contacts[c].name for c in still)


# -- the store ----------------------------------------------------------------------------------------


def test_a_resolution_is_saved_at_once_with_date_note_and_the_os_user(db_path: Path) -> None:
    store = Store.open(db_path)
    ids = workspace(store)
    assert _open(store) == ["Bo Ek", "Dee"]
    done = store.customers.resolve(ids["bo"], "2026-02-10", "Credit note sent")
    assert [(i.id, r.date, r.note) for i, r in done] == [(ids["bad"], "2026-02-10", "Credit note sent")]
    again = Store.open(db_path)  # what another session (or the next run) sees
    [kept] = again.customers.resolutions()
    assert (kept.interaction, kept.contact, kept.date, kept.note) == (ids["bad"], ids["bo"], "2026-02-10",
                                                                     "Credit note sent")
    assert kept.by == pwd.getpwuid(os.getuid()).pw_name
    assert _open(again) == ["Dee"]
    assert stored(db_path)["resolutions"] == {ids["bad"]: {"contact": ids["bo"], "date": "2026-02-10", "note": "Credit note sent",
                                   "by": kept.by}}


def test_a_refused_resolution_leaves_the_file_as_it_was(db_path: Path) -> None:
    store = Store.open(db_path)
    ids = workspace(store)
    before = file_bytes(db_path)
    with pytest.raises(ValidationError, match="cannot be resolved before it happened"):
        store.customers.resolve(ids["bo"], "2026-02-02", by="jo")
    with pytest.raises(ValidationError, match="nothing to resolve: 'Ann Lee' has no open problem"):
        store.customers.resolve(ids["ann"], "2026-02-10", by="jo")
    assert file_bytes(db_path) == before


def test_unresolving_and_deleting_take_the_resolution_away(store: Store) -> None:
    ids = workspace(store)
    store.customers.resolve(ids["bo"], "2026-02-10", by="jo")
    store.customers.resolve(ids["dee"], "2026-02-10", by="jo")
    assert [r.contact for r in store.customers.unresolve([ids["bad"], "not-one"])] == [ids["bo"]]
    assert _open(store) == ["Bo Ek"]  # open again; Dee's is still resolved
    store.customers.delete_contact(ids["dee"])
    assert store.customers.resolutions() == []
    store.customers.resolve(ids["bo"], "2026-02-10", by="jo")
    store.customers.delete_interaction(ids["bad"])
    assert store.customers.resolutions() == []


def test_a_damaged_resolution_is_reported_in_one_line(db_path: Path) -> None:
    store = Store.open(db_path)
    ids = workspace(store)
    data = json.loads(db_path.read_text())
    data["resolutions"] = {ids["bad"]: {"contact": ids["bo"], "date": 20260210}}
    db_path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match=f"resolution {ids['bad']} in .* is damaged: a resolution's date must be text"):
        Store.open(db_path).customers.book()
