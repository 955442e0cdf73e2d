"""Bytes down the wire: what cxmap writes to an 80x24 terminal for each key, over a pty.

    python bench/wire_bench.py

Runs the real `cxmap` on a pseudo-terminal (no tmux in between), as it runs at the end of an SSH
connection, on a map with 200 touchpoints and a book of 30 contacts, and walks every step: each
key waits for a mark of its screen state in the bytes written, then for the screen to be quiet,
and counts the bytes (see tests/helpers/wire.py, which tests/e2e/test_slow_links.py shares).
Prints a table; nothing is asserted here (the test holds every cursor key to 1 KB over SSH).

It runs twice: as over SSH (SSH_CONNECTION set: no animation, no cursor blink) and locally,
where the blinking text cursor also costs bytes while a text field has the focus.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers.wire import walk  # noqa: E402  (the tests' walk through the app)

LIMIT = 1024  # the most a cursor key may write


def main() -> None:
    results = {}
    for label, ssh in (("over SSH", True), ("local", False)):
        with tempfile.TemporaryDirectory() as d:
            results[label] = walk(Path(d), ssh=ssh)
    (first_ssh, rows_ssh), (first_local, rows_local) = results["over SSH"], results["local"]
    print(f"{'key':<44} {'over SSH':>9} {'local':>9}")
    print(f"{'first screen':<44} {first_ssh:>9} {first_local:>9}")
    for (move, n_ssh), (_, n_local) in zip(rows_ssh, rows_local, strict=True):
        flag = "  > 1 KB" if move.cursor and n_ssh > LIMIT else ""
        print(f"{move.what + ' (' + move.key + ')':<44} {n_ssh:>9} {n_local:>9}{flag}")


if __name__ == "__main__":
    main()
