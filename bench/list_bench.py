"""`cxmap list` on a large workspace: the real command, to a pipe at 80 columns, beside
`cxmap list --json` (the same reading, no table) and a bare Python start, medians of one run.

    python bench/list_bench.py [--maps 5000] [--touchpoints 30] [--repeat 5]

The list's own cost is what it takes beyond --json; the target (issue: reads at scale) is the
whole command under 0.5 s at 5,000 maps, which also needs the store's reading to get cheaper."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from store_bench import build
from timing import command_ms

from cxmap_tui.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", type=int, default=5000)
    parser.add_argument("--touchpoints", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cx.json"
        build(Store.open(db), args.maps, args.touchpoints)
        env = dict(os.environ, CXMAP_DB=str(db), COLUMNS="80")

        def run(cmd: list[str]) -> float:
            return command_ms(cmd, env, args.repeat)

        bare = run([sys.executable, "-c", "pass"])
        as_json = run([sys.executable, "-m", "cxmap_tui", "list", "--json"])
        listing = run([sys.executable, "-m", "cxmap_tui", "list"])
        print(f"{args.maps} maps of {args.touchpoints} touchpoints, {db.stat().st_size / 1e6:.1f} MB")
        print(f"python -c pass:      {bare:7.0f} ms")
        print(f"cxmap list --json:   {as_json:7.0f} ms")
        print(f"cxmap list:          {listing:7.0f} ms  ({listing / as_json:.2f}x --json; "
              f"the list itself {listing - as_json:+.0f} ms)")


if __name__ == "__main__":
    main()
