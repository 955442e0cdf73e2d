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
import fcntl
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store

ROOT = Path(__file__).resolve().parent.parent

KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "enter": b"\r", "f3": b"\x1bOR", "f4": b"\x1bOS",
        "f5": b"\x1b[15~", "f1": b"\x1bOP", "ctrl+q": b"\x11"}


class Pty:
    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)

    def read_until_quiet(self, quiet: float = 0.4, limit: float = 10.0, first: float = 3.0) -> bytes:
        """Wait up to `first` seconds for output to begin, then read until `quiet` seconds pass
        with nothing more."""
        data = b""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet if data else first)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        return data

    def key(self, name: str) -> int:
        os.write(self.master, KEYS.get(name, name.encode()))
        return len(self.read_until_quiet())

    def idle(self, seconds: float) -> int:
        """Bytes written while nobody touches a key."""
        data = b""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], max(0.0, end - time.monotonic()))
            if ready:
                data += os.read(self.master, 65536)
        return len(data)

    def close(self) -> None:
        try:
            os.write(self.master, KEYS["ctrl+q"])
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        os.close(self.master)


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
        rows: list[tuple[str, int]] = [("first screen", len(pty.read_until_quiet(quiet=1.0)))]
        rows.append(("idle, 3 s (step 1, the filter field)", pty.idle(3.0)))
        rows.append(("focus from the filter to the list", pty.key("down")))
        rows.append(("cursor key, step 1 list", (pty.key("down") + pty.key("up")) // 2))
        rows.append(("open the map (enter; it opens at step 5)", pty.key("enter")))
        rows.append(("step change to 3 (first visit)", pty.key("f3")))
        rows.append(("cursor key, step 3 table", sum(pty.key("down") for _ in range(5)) // 5))
        rows.append(("step change to 4 (first visit)", pty.key("f4")))
        rows.append(("cursor key, step 4 list and curve", sum(pty.key("down") for _ in range(5)) // 5))
        rows.append(("step change to 5 (first visit)", pty.key("f5")))
        rows.append(("cursor key, step 5 backlog", pty.key("down")))
        rows.append(("step change back to 3", pty.key("f3")))
        rows.append(("step change back to 4", pty.key("f4")))
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
