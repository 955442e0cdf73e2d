"""How fast the customer analyses and recording are in a big workspace.

    python bench/customers_bench.py [--accounts 1000] [--contacts 5000] [--interactions 50000] [--repeat 15]

A workspace is built in a temporary folder: ACCOUNTS accounts in a few segments, CONTACTS contacts
spread over them (a few without an account), and INTERACTIONS interactions recorded on three
maps (an ideal map with due days, two current-state maps), with feelings mostly positive and
some dissatisfied. It is stored in one bulk add, and the file is opened again. Then, each the way
the CLI does it (read the customers and the maps from the store, then compute, with garbage
collection held off as the command holds it: see cxmap_tui/store/collecting.py):

1. the at-risk accounts;
2. the review candidates and everyone left out;
3. one account's checklist against the ideal map;
4. one segment's curve on a current-state map;
5. recording one more interaction (lock, check, save);
6. in the app (80x24, started as `cxmap` starts it): from F6 until the whole customers list is
   filled, and the longest time the app could not have taken a key meanwhile.

Each figure is printed beside its target (issue 15, at 50,000 interactions: at-risk and review
candidates under 100 ms each, recording under 20 ms, F6 to the whole list under 0.5 s with no
key waiting over 50 ms), and as a ratio against a floor measured in the same run: for reading
and the analyses, making one tuple of each stored interaction's row, unchecked (what any reading
of them costs); for recording, appending one JSON line and fsyncing it (the journal's floor), and
serialising and writing the whole file (what a save cost before the journal). Medians; nothing is
asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from timing import timed

from cxmap_tui.domain.accounts import (
    TouchpointNames,
    at_risk,
    review_candidates,
)
from cxmap_tui.domain.checklist import account_checklist
from cxmap_tui.domain.customers import Account, Contact, Interaction
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.domain.segments import segment_curve
from cxmap_tui.store import Store
from cxmap_tui.store.collecting import collection_paused
from cxmap_tui.store.storage import encode

SEGMENTS = ("Vet groups", "Dental chains", "Care homes", "Pharmacies", "Physio practices")
TODAY = date(2026, 6, 1)


def build_maps(store: Store) -> list[ExperienceMap]:
    ideal = ExperienceMap.new("Ideal first year", kind="ideal", experience="custom")
    for name, day, clock in [
        ("Welcome e-mail", 0, "contact"), ("Kick-off call", 3, "account"), ("Admin setup", 7, "contact"),
        ("First rota", 14, "contact"), ("30-day check-in", 30, "account"), ("Review request", 45, "contact"),
        ("Quarterly review", 90, "account"), ("Renewal call", 300, "account"), ("Newsletter", None, "contact"),
    ]:
        ideal.add_touchpoint(name, due_day=day, clock=clock)
    support = ExperienceMap.new("Support call", experience="service")
    for n in range(12):
        support.add_touchpoint(f"Support step {n + 1}", feeling=(n % 5) - 2)
    billing = ExperienceMap.new("Billing", experience="custom")
    for n in range(8):
        billing.add_touchpoint(f"Billing step {n + 1}")
    return store.add_many([ideal, support, billing])


def build_customers(store: Store, maps: list[ExperienceMap], accounts: int, contacts: int, interactions: int) -> None:
    rnd = random.Random(7)
    first = date(2025, 1, 1)
    made_accounts = [
        Account.new(f"Clinic group {n:04d}", first + timedelta(days=rnd.randrange(500)), SEGMENTS[n % len(SEGMENTS)])
        for n in range(accounts)
    ]
    made_contacts = []
    for n in range(contacts):
        account = made_accounts[n % accounts] if n % 50 else None  # one in fifty on their own
        start = date.fromisoformat(account.start if account else "2025-06-01") + timedelta(days=rnd.randrange(60))
        made_contacts.append(Contact.new(f"Person {n:05d}", start, account=account.id if account else ""))
    touchpoints = [(m.id, tp.id) for m in maps for tp in m.touchpoints]
    made = []
    for n in range(interactions):
        c = made_contacts[rnd.randrange(contacts)]
        map_id, tp_id = touchpoints[rnd.randrange(len(touchpoints))]
        when = date.fromisoformat(c.start) + timedelta(days=rnd.randrange(120))
        feeling = rnd.choice([None, -2, -1, 0, 1, 1, 2, 2, 2])
        made.append(Interaction.new(c.id, map_id, tp_id, when, feeling, "note" if n % 10 == 0 else ""))
    store.customers.add_many(accounts=made_accounts, contacts=made_contacts, interactions=made)

async def in_the_app(db: Path, state: Path) -> tuple[float, float, int]:
    """F6 to the whole list filled, and the event loop's longest stall meanwhile (seconds)."""
    from cxmap_tui.tui.app import CxmapApp
    from cxmap_tui.tui.screens.customer_data import CustomerTable
    from cxmap_tui.tui.session import Session

    gc.disable()  # as `cxmap` does while starting; the app turns collection back on when ready
    app = CxmapApp(Store.open(db), session=Session(str(db), state), poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        stalls: list[float] = [0.0]
        watching = True

        async def watch() -> None:  # how late a 5 ms sleep wakes up is how long a key would wait
            while watching:
                t = time.perf_counter()
                await asyncio.sleep(0.005)
                stalls.append(time.perf_counter() - t - 0.005)

        watcher = asyncio.create_task(watch())
        start = time.perf_counter()
        await pilot.press("f6")
        rows = 0
        while time.perf_counter() - start < 20:
            await asyncio.sleep(0.005)
            tables = app.screen.query(CustomerTable)
            if tables and tables.first().option_count and tables.first().option_count == rows:
                break
            rows = tables.first().option_count if tables else 0
        filled = time.perf_counter() - start
        watching = False
        await watcher
    gc.unfreeze()
    return filled, max(stalls), rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--contacts", type=int, default=5000)
    ap.add_argument("--interactions", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        db = Path(d) / "cx.json"
        store = Store.open(db)
        t0 = time.perf_counter()
        maps = build_maps(store)
        build_customers(store, maps, args.accounts, args.contacts, args.interactions)
        print(f"workspace: {args.accounts} accounts, {args.contacts} contacts, {args.interactions} interactions "
              f"on {len(maps)} maps; file {db.stat().st_size / 1e6:.1f} MB (built in {time.perf_counter() - t0:.1f} s)")
        # Time a store opened on the file, as the CLI and the app are: the data as read from disk.
        del store
        store = Store.open(db)

        ideal, support = maps[0], maps[1]
        some_account = store.customers.accounts()[len(maps)].id
        some_contact = store.customers.contacts()[0]

        # As the commands run: collection held off, the result dropped before it is back on.
        @collection_paused()
        def risk() -> int:
            return len(at_risk(store.customers.book(), TouchpointNames(store.maps())))

        @collection_paused()
        def reviews() -> int:
            return len(review_candidates(store.customers.book(), TouchpointNames(store.maps())).candidates)

        @collection_paused()
        def checklist() -> int:
            return len(account_checklist(store.customers.book(), store.get(ideal.id), some_account, TODAY).items)

        @collection_paused()
        def segment() -> int:
            return len(segment_curve(store.customers.book(), store.get(support.id), SEGMENTS[0]).points)

        tps = [tp.id for tp in support.touchpoints]
        n = iter(range(10**9))

        def record() -> object:
            return store.customers.record(some_contact.id, support.id, tps[next(n) % len(tps)], TODAY, 1, "bench")

        tables = store.storage.read() or {}
        histories = tables.get("interactions", {})

        @collection_paused()
        def read_floor() -> int:
            # One object per stored interaction, nothing checked, nothing else.
            return len([tuple(row) for doc in histories.values() for row in doc["rows"]])

        def rewrite_floor() -> None:
            # What a save of this file cost before the journal: serialise it all, write, fsync, rename.
            data = encode(tables, "0" * 16)
            tmp = db.with_name(".floor.tmp")
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, db.with_name("floor.json"))

        line = (json.dumps({"table": "interactions", "id": some_contact.id, "doc": histories[some_contact.id]})
                + "\n").encode()
        fd = os.open(Path(d) / "floor.journal", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

        def append_floor() -> None:
            # The journal's floor: one JSON line of the document changed, appended and fsynced.
            os.write(fd, line)
            os.fsync(fd)

        floor = timed(read_floor, args.repeat)

        def show(what: str, ms: float, target: float | None = None, extra: str = "") -> None:
            aim = f"target < {target:.0f} ms, {'met' if ms < target else 'NOT met'}" if target else "no target"
            print(f"{what:<33}{ms:7.1f} ms  {ms / floor:5.1f}x floor  ({aim}{extra})")

        print(f"floor: one tuple per stored interaction, unchecked: {floor:.1f} ms")
        show("read the customers (the book):", timed(store.customers.book, args.repeat))
        show("at-risk accounts:", timed(risk, args.repeat), 100, f"; {risk()} accounts")
        found = review_candidates(store.customers.book(), TouchpointNames(store.maps()))
        show("review candidates:", timed(reviews, args.repeat), 100,
             f"; {len(found.candidates)} candidates, {len(found.left_out)} left out")
        show("one account's checklist:", timed(checklist, args.repeat))
        show("one segment's curve:", timed(segment, args.repeat))
        append_ms, rewrite_ms = timed(append_floor, args.repeat), timed(rewrite_floor, args.repeat)
        os.close(fd)
        record_ms = timed(record, args.repeat)
        print(f"{'record one interaction (saved):':<33}{record_ms:7.1f} ms  (target < 20 ms, "
              f"{'met' if record_ms < 20 else 'NOT met'})")
        print(f"  floors: append one JSON line + fsync {append_ms:.1f} ms (recording is {record_ms / append_ms:.1f}x); "
              f"serialise + write + fsync + rename of the file {rewrite_ms:.1f} ms ({record_ms / rewrite_ms:.2f}x)")
        runs = [asyncio.run(in_the_app(db, Path(d))) for _ in range(3)]
        filled = statistics.median(r[0] for r in runs) * 1000
        waited = statistics.median(r[1] for r in runs) * 1000
        print(f"in the app, F6 to the whole list ({runs[0][2]} rows): {filled:.0f} ms (target < 500 ms, "
              f"{'met' if filled < 500 else 'NOT met'}); the longest a key waited meanwhile: {waited:.0f} ms "
              f"(target < 50 ms, {'met' if waited < 50 else 'NOT met'}); median of {len(runs)}")

if __name__ == "__main__":
    main()
