"""The database file's bytes: a cxmap header, then the tables, as one UTF-8 JSON object.

The file is laid out one document to a line (the header first, each table opened and closed on
a line of its own), so that opening it costs a scan of its lines, not a parse of everything:
each document stays as its bytes until it is first looked at (`table.Table`). It is JSON all the same,
and any JSON reader (an older cxmap too) reads it whole; a file laid out otherwise, by hand or
by an older cxmap, is parsed whole.

`decode` takes any bytes at all, however hostile (nesting 200,000 deep, a 5,000-digit number,
NaN, a lone surrogate escape, invalid UTF-8: `checked_json`), and either returns the tables or raises one
UnreadableFile / NewerFormat line naming the file and the fix; it never changes the file. A
document kept as bytes gets the same checks when it is parsed, and the same one line (naming
the document) if it fails them. `encode` refuses data that `decode` would refuse, so cxmap never
writes a file it cannot read back; a document never parsed is written back as the bytes read.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from .. import __version__
from ..domain.json_types import JSON
from .checked_json import MAX_DEPTH, SURROGATE_ESCAPE, NotJSON, deeper_than, parse_checked, shown
from .errors import NewerFormat, StoreError, UnreadableFile
from .table import Document, Table

__all__ = ["FORMAT_VERSION", "HEADER", "LAYOUT", "MAX_DEPTH", "Document", "NotJSON", "Table", "Tables", "decode",
           "decode_with_header", "deeper_than", "encode", "parse_checked"]

# 2: the database may have a change journal beside it (docs/journal-format.md), which a cxmap
# reading format 1 would ignore; so it refuses a format-2 file rather than lose those changes.
# 3: the maps have a summary table beside them, kept with every change to a map (store.py); a
# cxmap reading format 2 would change maps without it, so it refuses a format-3 file.
FORMAT_VERSION = 3
HEADER = "cxmap"

LAYOUT = "lines"  # the header's "layout": one document to a line

# The database is tables of documents, each a JSON object (domain.json_types), by id.
Tables = dict[str, Mapping[str, Document]]

_TABLE_LINE = re.compile(rb',("(?:[^"\\\n]|\\.)*"):\{')
_PLAIN_KEY = re.compile(rb'"[^"\\\x00-\x1f]*"')  # no escape, no control character
_DOC_KEY = re.compile(rb',?("(?:[^"\\\n]|\\.)*"):(?=\{)')
# The usual document line's start: a plain id (no escape, no control character), its object next.
_PLAIN_DOC_KEY = re.compile(rb',?"([^"\\\x00-\x1f]+)":(?=\{)')


def checked_dumps(value: object) -> bytes:
    """`value` as compact UTF-8 JSON; StoreError, in words, for what cxmap could not read back."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError("cannot save: the change holds text that is not valid Unicode (a lone surrogate)") from None
    except RecursionError:
        raise StoreError("cannot save: the change is nested too deeply") from None
    except ValueError:  # what allow_nan=False raises
        raise StoreError("cannot save: the change holds a number that is not finite") from None
    except TypeError as e:  # a value that is not JSON at all (a set, an object)
        raise StoreError(f"cannot save: the change holds something that is not JSON ({e})") from None


def _document(doc: Document) -> bytes:
    if deeper_than(doc, MAX_DEPTH - 2):  # as decode would refuse it, two levels below the file's
        raise StoreError(f"cannot save: the change is nested too deeply (more than {MAX_DEPTH - 2} levels)")
    return checked_dumps(doc)


def encode(tables: Tables, generation: str, header: Mapping[str, JSON] | None = None) -> bytes:
    """The file's bytes for `tables`, one document to a line; `header`: more fields for the
    header. StoreError for data cxmap could not read back."""
    if HEADER in tables:
        raise StoreError(f"cannot save a table named {HEADER!r}: the name is reserved for the file's header")
    head: dict[str, JSON] = {"format": FORMAT_VERSION, "generation": generation, "layout": LAYOUT,
                             "written_by": f"cxmap {__version__}", **(header or {})}
    # The header goes first so that its generation token sits in the first bytes of the file.
    out: list[bytes | memoryview] = [b'{"' + HEADER.encode() + b'":', checked_dumps(head)]
    for name, table in tables.items():
        out += [b"\n,", checked_dumps(name), b":{"]
        items = table.encoded() if isinstance(table, Table) else ((k, None) for k in table)
        comma = b"\n"
        for doc_id, raw in items:
            out += [comma, checked_dumps(doc_id), b":", raw if raw is not None else _document(table[doc_id])]
            comma = b"\n,"
        out.append(b"\n}")
    out.append(b"\n}")
    return b"".join(out)


def decode(raw: bytes, where: str, backup: Path | None = None) -> tuple[Tables, str]:
    """Parse a database file, or raise UnreadableFile / NewerFormat naming the file and the fix."""
    tables, header = decode_with_header(raw, where, backup)
    generation = header.get("generation")
    return tables, generation if isinstance(generation, str) else ""


def decode_with_header(raw: bytes, where: str, backup: Path | None = None) -> tuple[Tables, dict[str, object]]:
    """The tables and the header of a database file (see `decode`)."""

    def unreadable(why: str) -> UnreadableFile:
        return UnreadableFile(_cannot_open(where, why, backup))

    if not raw.strip():
        raise unreadable("it is empty")
    doc: object = _in_lines(raw, where)
    if doc is None:
        try:
            doc = parse_checked(raw)
        except NotJSON as e:
            raise unreadable(str(e)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get(HEADER), dict):
        raise unreadable("it is not a cxmap database (no cxmap header)")
    header: dict[str, object] = doc[HEADER]
    version = header.get("format")
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
        if isinstance(table, Table):
            tables[name] = table
        elif not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise unreadable(f"its {shown(name)} table is damaged")
        else:
            tables[name] = Table(table, where)
    return tables, header


_CLOSE = ord("}")


def _in_lines(raw: bytes, where: str) -> dict[str, object] | None:
    """The file read line by line, its documents left as bytes (`Table`); None when it is not
    laid out as `encode` lays it out, or holds what only a whole parse judges: it is parsed whole."""
    end = raw.find(b"\n")
    prefix = b'{"' + HEADER.encode() + b'":'
    if end < 0 or not raw.startswith(prefix) or b'"layout":"' + LAYOUT.encode() + b'"' not in raw[:end]:
        return None
    try:
        header = parse_checked(raw[len(prefix):end])
    except NotJSON:
        return None
    out: dict[str, object] = {HEADER: header}
    view = memoryview(raw)  # each document a view of the bytes read: no copy until it is parsed
    docs: dict[str, Document | memoryview] | None = None
    name = ""
    size = len(raw)
    while end < size:
        start = end + 1
        end = raw.find(b"\n", start)
        if end < 0:
            end = size
        # A line is looked at where it starts and ends: slicing it whole would copy every document.
        closing = end - start == 1 and raw[start] == _CLOSE
        if docs is None:
            if closing:
                return out if not raw[end:].strip() else None
            table = _TABLE_LINE.fullmatch(raw, start, end)
            if table is None:
                return None
            name, docs = _key(table.group(1)), {}
            if not name or name in out:
                return None
        elif closing:
            out[name] = Table(docs, where)
            docs = None
        else:
            if raw[end - 1] != _CLOSE:
                return None
            plain = _PLAIN_DOC_KEY.match(raw, start, end)
            if plain is not None:
                try:
                    doc_id = plain.group(1).decode("utf-8")
                except UnicodeDecodeError:
                    return None
                docs[doc_id] = view[plain.end():end]
                continue
            key = _DOC_KEY.match(raw, start, end)
            if key is None:
                return None
            doc_id = _key(key.group(1))
            if not doc_id:
                return None
            docs[doc_id] = view[key.end():end]
    return None  # the file ends inside a table: not whole


def _key(quoted: bytes) -> str:
    """A quoted name from a line, or "" for one a whole parse should judge (an escape that is no
    valid Unicode, or an empty name)."""
    if _PLAIN_KEY.fullmatch(quoted):
        try:
            return quoted[1:-1].decode("utf-8")
        except UnicodeDecodeError:
            return ""
    if SURROGATE_ESCAPE.search(quoted.decode("utf-8", "replace")):
        return ""
    try:
        key = json.loads(quoted)
    except (ValueError, UnicodeDecodeError):
        return ""
    return key if isinstance(key, str) else ""


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
