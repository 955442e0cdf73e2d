"""A walk through every step of the app on a pseudo-terminal, counting the bytes each key writes.
Shared by tests/e2e/test_slow_links.py (which asserts) and bench/wire_bench.py (which prints).

Each key waits for a mark: a piece of text the key's screen state writes (the guidance of the
step it goes to, the name of the row it highlights), then for the screen to go quiet, so the
count does not depend on how fast the machine is. What a key leaves pending is written, at the
latest, with the next key, and is counted there."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.customers import Account, Contact
from cxmap_tui.store import Store
from tests.helpers.pty_run import KEYS, Pty

ROOT = Path(__file__).resolve().parent.parent.parent
SSH = {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}
QUIET = 0.3  # seconds without a byte after the mark: the screen is quiet (a blinking cursor blinks every 0.5 s)

WIRE_KEYS = {**KEYS, "f2": b"\x1bOQ", "f6": b"\x1b[17~", "tab": b"\t", "escape": b"\x1b", "v": b"v"}


def workspace(db: Path, touchpoints: int = 200, contacts: int = 30) -> None:
    """One map with many rated touchpoints and two improvements, and a book of customers."""
    m = ExperienceMap.new("Wire test", experience="service", scope="A customer calls support")
    for i in range(touchpoints):
        m.add_touchpoint(f"Touchpoint {i}", stage=m.stages[i * len(m.stages) // touchpoints], channel="Phone",
                         action="Explains the problem and waits", feeling=(i % 5) - 2,
                         thoughts="Why do I have to repeat my order number again?")
    m.add_improvement("Call-back option", touchpoints=[m.touchpoints[1].id], customer_value=5, effort=2)
    m.add_improvement("Shorter menu", touchpoints=[m.touchpoints[3].id])
    store = Store.open(db)
    store.add(m)
    accounts = [store.customers.add_account(Account.new(f"Account {a}", "2026-01-01", "Vets"))
                for a in range(max(1, contacts // 3))]
    for c in range(contacts):
        store.customers.add_contact(Contact.new(f"Contact {c:02}", "2026-01-05", account=accounts[c % len(accounts)].id))


@dataclass
class Move:
    what: str  # what the key does, for the table
    key: str
    mark: bytes  # written once the key's screen state is on the screen
    cursor: bool = False  # a cursor key (the ones held to at most 1 KB)


TOUR = [
    Move("step 1 list: cursor key", "down", b"Blank map", cursor=True),
    Move("step 1 list: cursor key back", "up", b"Wire test", cursor=True),
    Move("open the map (at step 5)", "enter", b"Plan changes"),
    Move("step 5 backlog: cursor key", "down", b"Shorter menu", cursor=True),
    Move("to step 3", "f3", b"List each touchpoint"),
    Move("step 3 table: cursor key", "down", b"Touchpoint 1", cursor=True),
    Move("step 3 table: cursor key again", "down", b"Touchpoint 2", cursor=True),
    Move("to step 4", "f4", b"Walk the touchpoints"),
    Move("step 4 list and curve: cursor key", "down", b"Touchpoint 1", cursor=True),
    Move("step 4 list and curve: again", "down", b"Touchpoint 2", cursor=True),
    Move("back to step 5", "f5", b"Plan changes"),
    Move("step 5 backlog: cursor key (again there)", "up", b"Call-back option", cursor=True),
    Move("to step 2", "f2", b"Name the one interaction"),
    Move("step 2 fields: Tab to the next field", "tab", b"Talking to a customer", cursor=True),
    Move("back to step 1", "f1", b"Open a map"),
    Move("step 1 list: cursor key (again there)", "down", b"Blank map", cursor=True),
    Move("customers (F6)", "f6", b"Accounts and contacts"),
    Move("customers: cursor key", "down", b"Contact", cursor=True),
    Move("customers: cursor key again", "down", b"Contact", cursor=True),
    Move("back from the customers", "escape", b"Open a map"),
    Move("to step 4 (via step 1's map)", "f4", b"Walk the touchpoints"),
    Move("whole map (v)", "v", b"q/v/Esc"),
    Move("whole map: cursor key (scrolls)", "down", b"\x1b["),
]


def walk(tmp: Path, *, ssh: bool = True, tour: list[Move] = TOUR) -> tuple[int, list[tuple[Move, int]]]:
    """Run the app on a pty at 80x24 and take the tour: the first screen's bytes, and each
    move with the bytes its key wrote."""
    db = tmp / "cx.json"
    if not db.exists():
        workspace(db)
    env = {"HOME": str(tmp), "XDG_STATE_HOME": str(tmp / "state"), "LANG": "C.UTF-8", "TERM": "xterm-256color",
           "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **(SSH if ssh else {})}
    pty = Pty([sys.executable, "-m", "cxmap_tui", "--db", str(db)], env)
    rows: list[tuple[Move, int]] = []
    try:
        first = pty.until(b"Open a map (", timeout=20)
        first += pty.read(first=QUIET, quiet=QUIET)
        for move in tour:
            os.write(pty.master, WIRE_KEYS.get(move.key, move.key.encode()))
            data = pty.until(move.mark, timeout=20)
            data += pty.read(first=QUIET, quiet=QUIET)
            rows.append((move, len(data)))
    finally:
        pty.close()
    return len(first), rows
