"""A separate process that adds touchpoints to one map, reporting each one once it is saved.

usage: python -m tests.helpers.writer DB MAP_ID PREFIX COUNT
Prints "ready", then "saved NAME" once the store has reported that touchpoint saved.
"""

from __future__ import annotations

import sys

from cxmap_tui.store import Store


def main() -> None:
    db, map_id, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = Store.open(db, lock_timeout=60)
    print("ready", flush=True)
    for i in range(count):
        name = f"{prefix}-{i}"
        # Grow the file, then shrink it: a save that shrinks a file written in place is the one
        # that leaves stray bytes at its end when the writer dies mid-save.
        tp = store.change(map_id, lambda m, name=name: m.add_touchpoint(name, stage="Use", thoughts="x" * 3000))
        store.change(map_id, lambda m, tp_id=tp.id: m.edit_touchpoint(tp_id, thoughts="short"))
        print(f"saved {name}", flush=True)


if __name__ == "__main__":
    main()
