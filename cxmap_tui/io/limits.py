"""How much a file to import may hold, and the text in it that cxmap refuses.

A file to import (a map's JSON export, a CSV of touchpoints, accounts, contacts or interactions)
is at most MAX_FILE_BYTES long, and each text field in it (a name, a note, an id, a CSV cell) at
most MAX_TEXT characters. Past either, the file is refused in one line that names the limit,
instead of taking seconds to read, store and draw. README.md and docs/json-format.md say so.
"""

from __future__ import annotations

MAX_FILE_BYTES = 20_000_000
MAX_TEXT = 100_000


def too_big(size: int | None = None) -> str:
    """Why a file of `size` bytes (None: more than the limit, counted no further) is refused."""
    said = f"{size:,} bytes" if size is not None else f"more than {MAX_FILE_BYTES:,} bytes"
    return f"{said}; a file to import holds at most {MAX_FILE_BYTES:,} bytes (20 MB)"


def text_problem(value: str) -> str | None:
    """Why `value` cannot be imported as text, or None when it can."""
    if len(value) > MAX_TEXT:
        return f"{len(value):,} characters; a text field holds at most {MAX_TEXT:,}"
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        # JSON can write half of a UTF-16 surrogate pair ("\ud800"): it is not a character, and
        # no UTF-8 file, the database included, can hold it.
        return f"{value[e.start]!r} is half of a surrogate pair, not a character"
    return None


def shown(text: str, limit: int = 40) -> str:
    """User text quoted for an error message: escapes visible, cut after `limit` characters."""
    if len(text) > limit:
        return repr(text[:limit]) + "..."
    return repr(text)
