"""Bytes down the wire: what cxmap writes to an 80x24 terminal for each key, over a pty.

    python bench/wire_bench.py [--touchpoints 200]

Runs the real `cxmap` on a pseudo-terminal (no tmux in between), as it runs at the end of an SSH
connection, on a sample map with extra touchpoints, and counts the bytes written after each key
until the screen is quiet. Prints a table; nothing is asserted.

It runs twice: as over SSH (SSH_CONNECTION set: no animation, no cursor blink) and locally,
where the blinking text cursor also costs bytes while nothing happens.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers.pty_run import Pty  # noqa: E402  (the tests' pseudo-terminal)


def workspace(db: Path, touchpoints: int) -> None:
    m = ExperienceMap.new("Wire test", experience="service", scope="A customer calls support")
    for i in range(touchpoints):
        m.add_touchpoint(f"Touchpoint {i}", stage=m.stages[i * len(m.stages) // touchpoints], channel="Phone",
                         action="Explains the problem and waits", feeling=(i % 5) - 2,
                         thoughts="Why do I have to repeat my order number again?")
    m.add_improvement("Call-back option", touchpoints=[m.touchpoints[1].id], customer_value=5, effort=2)
    m.add_improvement("Shorter menu", touchpoints=[m.touchpoints[3].id])
    Store.open(db).add(m)


def run(label: str, extra_env: dict[str, str], touchpoints: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cx.json"
        workspace(db, touchpoints)
        env = {"HOME": d, "XDG_STATE_HOME": d, "LANG": "C.UTF-8", "TERM": "xterm-256color",
               "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **extra_env}
        pty = Pty([sys.executable, "-m", "cxmap_tui", "--db", str(db)], env)
        def key(name: str) -> int:
            return len(pty.key(name))

        rows: list[tuple[str, int]] = [("first screen", len(pty.read(first=3.0, quiet=1.0)))]
        rows.append(("idle, 3 s (step 1, the filter field)", len(pty.idle(3.0))))
        rows.append(("focus from the filter to the list", key("down")))
        rows.append(("cursor key, step 1 list", (key("down") + key("up")) // 2))
        rows.append(("open the map (enter; it opens at step 5)", key("enter")))
        rows.append(("step change to 3 (first visit)", key("f3")))
        rows.append(("cursor key, step 3 table", sum(key("down") for _ in range(5)) // 5))
        rows.append(("step change to 4 (first visit)", key("f4")))
        rows.append(("cursor key, step 4 list and curve", sum(key("down") for _ in range(5)) // 5))
        rows.append(("step change to 5 (first visit)", key("f5")))
        rows.append(("cursor key, step 5 backlog", key("down")))
        rows.append(("step change back to 3", key("f3")))
        rows.append(("step change back to 4", key("f4")))
        pty.close()
        print(f"\n{label}")
        for what, n in rows:
            print(f"  {what:<40} {n:>7} bytes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--touchpoints", type=int, default=200)
    args = ap.parse_args()
    run("over SSH (no animation, no blinking cursor)", {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"},
        args.touchpoints)
    run("local terminal", {}, args.touchpoints)


if __name__ == "__main__":
    main()
