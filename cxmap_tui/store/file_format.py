"""The database file's bytes: a cxmap header, then the tables, as one UTF-8 JSON object.

`decode` takes any bytes at all, however hostile (nesting 200,000 deep, a 5,000-digit number,
NaN, a lone surrogate escape, invalid UTF-8), and either returns the tables or raises one
UnreadableFile / NewerFormat line naming the file and the fix; it never changes the file. Its
checks cost about what parsing does. `encode` refuses data that `decode` would refuse, so cxmap
never writes a file it cannot read back.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path

from .. import __version__
from ..domain.json_types import JSON
from .errors import NewerFormat, StoreError, UnreadableFile

# 2: the database may have a change journal beside it (docs/journal-format.md), which a cxmap
# reading format 1 would ignore; so it refuses a format-2 file rather than lose those changes.
FORMAT_VERSION = 2
HEADER = "cxmap"
MAX_DEPTH = 64  # cxmap's own data nests about 6 deep
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

# The database is tables of documents, each a JSON object (domain.json_types), by id.
Document = dict[str, JSON]
Tables = dict[str, dict[str, Document]]


class _NotANumber(ValueError):
    """NaN, Infinity, or a number too large for a float: not JSON, and not cxmap's."""


def _refuse_constant(text: str) -> float:
    raise _NotANumber(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotANumber(text)
    return value


def encode(tables: Tables, generation: str) -> bytes:
    """The file's bytes for `tables`; StoreError for data cxmap could not read back."""
    if HEADER in tables:
        raise StoreError(f"cannot save a table named {HEADER!r}: the name is reserved for the file's header")
    header = {"format": FORMAT_VERSION, "generation": generation, "written_by": f"cxmap {__version__}"}
    # The header goes first so that its generation token sits in the first bytes of the file.
    payload: dict[str, object] = {HEADER: header}
    payload.update(tables)
    try:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError("cannot save: the change holds text that is not valid Unicode (a lone surrogate)") from None
    except RecursionError:
        raise StoreError("cannot save: the change is nested too deeply") from None
    except ValueError:  # what allow_nan=False raises
        raise StoreError("cannot save: the change holds a number that is not finite") from None


def decode(raw: bytes, where: str, backup: Path | None = None) -> tuple[Tables, str]:
    """Parse a database file, or raise UnreadableFile / NewerFormat naming the file and the fix."""

    def unreadable(why: str) -> UnreadableFile:
        return UnreadableFile(_cannot_open(where, why, backup))

    if not raw.strip():
        raise unreadable("it is empty")
    try:
        doc = parse_checked(raw)
    except NotJSON as e:
        raise unreadable(str(e)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get(HEADER), dict):
        raise unreadable("it is not a cxmap database (no cxmap header)")
    version = doc[HEADER].get("format")
    if isinstance(version, bool) or not isinstance(version, int):
        raise unreadable("its format version is missing or damaged")
    if version > FORMAT_VERSION:
        raise NewerFormat(
            f"cannot open {where}: it was written by a newer cxmap (file format {str(version)[:20]}, "
            f"this cxmap reads up to {FORMAT_VERSION}); upgrade cxmap (pip install -U cxmap). "
            "The file was left as it is."
        )
    tables: Tables = {}
    for name, table in doc.items():
        if name == HEADER:
            continue
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise unreadable(f"its {_shown(name)} table is damaged")
        tables[name] = table
    generation = doc[HEADER].get("generation")
    return tables, generation if isinstance(generation, str) else ""


class NotJSON(ValueError):
    """Bytes that are not JSON as cxmap writes it; the message says why, in a few words."""


def parse_checked(raw: bytes, max_depth: int = MAX_DEPTH) -> object:
    """`raw` parsed as UTF-8 JSON, refusing what cxmap never writes and what would cost far more
    than parsing to take in (NaN, a number too long to convert, nesting beyond `max_depth`, a lone
    surrogate): NotJSON, never another error, whatever the bytes."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotJSON(f"it is not UTF-8 text (byte {e.start})") from None
    text = text.removeprefix("\ufeff")  # the byte order mark some editors put first
    try:
        doc: object = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except _NotANumber as e:
        raise NotJSON(f"it holds {_shown(str(e))}, which is not a number cxmap reads") from None
    except json.JSONDecodeError as e:
        raise NotJSON(f"it is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise NotJSON("it is nested too deeply") from None
    except ValueError:  # an integer longer than Python converts
        raise NotJSON("it holds a number with too many digits") from None
    if deeper_than(doc, max_depth):
        raise NotJSON(f"it is nested too deeply (more than {max_depth} levels)")
    if _SURROGATE_ESCAPE.search(text) and not _valid_unicode(doc):
        raise NotJSON("it holds text that is not valid Unicode (a lone surrogate escape)")
    return doc


def deeper_than(doc: object, limit: int) -> bool:
    """Whether `doc` nests lists and objects more than `limit` deep; without recursion."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        values = node.values() if type(node) is dict else node if type(node) is list else ()
        stack.extend((value, depth + 1) for value in values if type(value) is dict or type(value) is list)
    return False


def _valid_unicode(doc: object) -> bool:
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """A name or number from the file, in ASCII on one line and not too long."""
    return ascii(text[:40] + "...") if len(text) > 40 else ascii(text)


def _cannot_open(where: str, why: str, backup: Path | None) -> str:
    fix = (
        f"restore the last good copy ({backup}) over it, or move it aside to start a new database"
        if backup is not None and _is_regular_file(backup)
        else "move it aside to start a new database, or point cxmap at another file with --db"
    )
    return f"cannot open {where}: {why}. It was left as it is; {fix}."


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
