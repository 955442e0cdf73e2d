"""The customers screen (F6) on a book of hundreds of contacts and thousands of interactions: the
whole list is there, accounts by name each followed by its contacts by name and then those of no
account, each account showing its worst contact's latest feeling; keys move through it; and the
app collects garbage again once the list is read (it is held off while the book is read)."""

from __future__ import annotations

import gc
from datetime import timedelta
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.store import Store
from cxmap_tui.tui.screens.customer_data import CustomerTable
from tests.helpers.tui import TODAY, make_app, open_map, settle, wait_until

ACCOUNTS, PER_ACCOUNT, ALONE, MET = 30, 8, 10, 12


def build(path: Path) -> tuple[Store, list[str]]:
    """ACCOUNTS accounts named in reverse order of making, PER_ACCOUNT contacts at each (named
    in reverse too), ALONE contacts of no account, and MET interactions for each contact, each
    later than the one before; the last one of the first contact at each account is -2. Returns
    the rows the list should show, by key, in order."""
    store = Store.open(path)
    m = ExperienceMap.new("Onboarding", experience="product")
    for n in range(4):
        m.add_touchpoint(f"Step {n + 1}")
    m = store.add(m)
    start = TODAY - timedelta(days=200)
    accounts = [Account.new(f"Clinic {ACCOUNTS - n:03d}", start) for n in range(ACCOUNTS)]
    contacts = [Contact.new(f"Person {PER_ACCOUNT - k:02d} of {a.name}", start, account=a.id)
                for a in accounts for k in range(PER_ACCOUNT)]
    contacts += [Contact.new(f"Loner {ALONE - k:02d}", start) for k in range(ALONE)]
    interactions = []
    for c in contacts:
        for k in range(MET):
            worst = k == MET - 1 and c.name.startswith(f"Person {PER_ACCOUNT:02d}")
            interactions.append(Interaction.new(c.id, m.id, m.touchpoints[k % 4].id, start + timedelta(days=k),
                                                -2 if worst else 1))
    store.customers.add_many(accounts=accounts, contacts=contacts, interactions=interactions)
    keys = []
    for a in sorted(accounts, key=lambda a: a.name):
        keys.append(f"acc:{a.id}")
        keys += [f"con:{c.id}" for c in sorted((c for c in contacts if c.account == a.id), key=lambda c: c.name)]
    keys += [f"con:{c.id}" for c in sorted((c for c in contacts if not c.account), key=lambda c: c.name)]
    return store, keys


async def test_the_whole_list_in_order_and_keys_move_through_it(tmp_path: Path) -> None:
    store, keys = build(tmp_path / "cx.json")
    assert len(keys) == ACCOUNTS * (PER_ACCOUNT + 1) + ALONE
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Onboarding")
        await pilot.press("f6")

        def table() -> CustomerTable | None:
            found = app.screen.query(CustomerTable)
            return found.first() if found else None

        await wait_until(pilot, lambda: (t := table()) is not None and t.option_count == len(keys),
                         what="the whole list")
        t = table()
        assert t is not None
        assert [t.get_option_at_index(n).id for n in range(t.option_count)] == keys
        first = str(t.get_option_at_index(0).prompt)
        assert first.startswith("Clinic 001") and "-2  Person 08 of" in first  # its worst contact names it
        assert gc.isenabled()

        await pilot.press("G")
        await wait_until(pilot, lambda: t.highlighted == len(keys) - 1, what="the last row")
        assert app.screen.current_key() == keys[-1]  # type: ignore[attr-defined]
        await pilot.press("g", "j", "j")
        await wait_until(pilot, lambda: t.highlighted == 2, what="the third row")
        assert app.screen.current_key() == keys[2]  # type: ignore[attr-defined]
