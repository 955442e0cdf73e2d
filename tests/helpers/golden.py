"""Golden files: expected export output, checked in under tests/golden/.

Run the tests with CXMAP_UPDATE_GOLDEN=1 to rewrite them from the current code, then read the
diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def assert_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("CXMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {path}; run with CXMAP_UPDATE_GOLDEN=1 to write it"
    expected = path.read_bytes()
    if data != expected:
        # Show the first differing line rather than two walls of bytes.
        got_lines, want_lines = data.splitlines(keepends=True), expected.splitlines(keepends=True)
        for n, (got, want) in enumerate(zip(got_lines, want_lines, strict=False), start=1):
            if got != want:
                raise AssertionError(f"{name} line {n} differs:\n  golden: {want!r}\n  now:    {got!r}")
        raise AssertionError(f"{name}: {len(want_lines)} lines in the golden file, {len(got_lines)} now")
