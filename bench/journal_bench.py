"""What one saved change costs as a journal record, beside rewriting a 10 MB database.

    python bench/journal_bench.py [--mb 10] [--repeat 30]

In one temporary folder (BENCH_DIR to choose its disk), in one run:

1. append one record (one changed map of 30 touchpoints) to the journal with O_APPEND + fsync,
   through `journal.append_record` (encode, checksum, check, open through the folder, write,
   fsync);
2. the same record's bytes written with a bare os.write + fsync (the floor of an append);
3. rewriting a database of about MB megabytes atomically (serialise, write, fsync, rename,
   fsync the folder), which is what every save costs today;
4. reading back only the newest record from the journal's last offset.

Medians are printed with the ratios; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from timing import timed

from cxmap_tui.domain.json_types import JSON
from cxmap_tui.store.atomic import write_atomic_in
from cxmap_tui.store.file_format import Document, Tables, encode
from cxmap_tui.store.journal import append_record, journal_name, read_in
from cxmap_tui.store.records import Change, Who, encode_record, new_record
from cxmap_tui.store.safe_files import Folder


def a_map(n: int) -> Document:
    touchpoints: list[JSON] = [
        {"id": f"{n:04x}{i:04x}", "name": f"Touchpoint {i}", "stage": "Use", "channel": "Phone",
         "action": "Explains the problem to the agent and waits for an answer", "owner": "Support desk",
         "notes": "Script v3; agents can see the order history", "feeling": (i % 5) - 2,
         "thoughts": "Why do I have to repeat my order number again?"}
        for i in range(30)
    ]
    return {"id": f"{n:08x}", "title": f"Map {n}: customer calls support about order {n}", "touchpoints": touchpoints}
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    one = len(encode({"maps": {"x": a_map(0)}}, "0" * 16))
    tables: Tables = {"maps": {f"{n:08x}": a_map(n) for n in range(max(1, int(args.mb * 1e6 / one)))}}
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d, Folder(Path(d)) as folder:
        data = encode(tables, "0" * 16)
        print(f"database: {len(tables['maps'])} maps, {len(data) / 1e6:.1f} MB")
        seq = [0]
        end = [0]
        clock = lambda: datetime(2026, 1, 1, tzinfo=UTC)  # noqa: E731

        change = Change("maps", "00000000", a_map(1), ("touchpoints",))

        def record() -> None:
            seq[0] += 1
            r = new_record(seq[0], "0" * 16, Who("bench"), [change], clock)
            end[0] = append_record(folder, journal_name("cx.json"), r, end[0], mode=0o600, gid=None)

        line = encode_record(new_record(1, "0" * 16, Who("bench"), [Change("maps", "0", a_map(1))], clock))
        fd = os.open(Path(d) / "floor.journal", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

        def floor() -> None:
            os.write(fd, line)
            os.fsync(fd)

        def rewrite() -> None:
            write_atomic_in(folder, "cx.json", encode(tables, "0" * 16))

        def read_new() -> None:
            read_in(folder, journal_name("cx.json"), end[0] - len(line))

        a = timed(record, args.repeat)
        f = timed(floor, args.repeat)
        w = timed(rewrite, max(3, args.repeat // 3))
        r = timed(read_new, args.repeat)
        os.close(fd)
        print(f"record size:                               {len(line):8,d} bytes")
        print(f"append one record (journal.append_record): {a:8.2f} ms  ({a / f:.2f}x the bare append)")
        print(f"bare os.write + fsync of the same bytes:   {f:8.2f} ms")
        print(f"rewrite the whole database atomically:     {w:8.2f} ms  ({w / a:.1f}x one record)")
        print(f"read the newest record from an offset:     {r:8.2f} ms")


if __name__ == "__main__":
    main()
