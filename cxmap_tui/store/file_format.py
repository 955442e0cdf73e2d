"""The database file's bytes: a cxmap header, then the tables, as one UTF-8 JSON object.

The file is laid out one document to a line (the header first, each table opened and closed on
a line of its own), so that opening it costs a scan of its lines, not a parse of everything:
each document stays as its bytes until it is first looked at (`Table`). It is JSON all the same,
and any JSON reader (an older cxmap too) reads it whole; a file laid out otherwise, by hand or
by an older cxmap, is parsed whole.

`decode` takes any bytes at all, however hostile (nesting 200,000 deep, a 5,000-digit number,
NaN, a lone surrogate escape, invalid UTF-8), and either returns the tables or raises one
UnreadableFile / NewerFormat line naming the file and the fix; it never changes the file. A
document kept as bytes gets the same checks when it is parsed, and the same one line (naming
the document) if it fails them. `encode` refuses data that `decode` would refuse, so cxmap never
writes a file it cannot read back; a document never parsed is written back as the bytes read.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import stat
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from pathlib import Path

from .. import __version__
from ..domain.json_types import JSON
from .errors import NewerFormat, StoreError, UnreadableFile

# 2: the database may have a change journal beside it (docs/journal-format.md), which a cxmap
# reading format 1 would ignore; so it refuses a format-2 file rather than lose those changes.
# 3: the maps have a summary table beside them, kept with every change to a map (store.py); a
# cxmap reading format 2 would change maps without it, so it refuses a format-3 file.
FORMAT_VERSION = 3
HEADER = "cxmap"
MAX_DEPTH = 64  # cxmap's own data nests about 6 deep
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

LAYOUT = "lines"  # the header's "layout": one document to a line

# The database is tables of documents, each a JSON object (domain.json_types), by id.
Document = dict[str, JSON]
Tables = dict[str, Mapping[str, Document]]

_TABLE_LINE = re.compile(rb',("(?:[^"\\\n]|\\.)*"):\{')
_PLAIN_KEY = re.compile(rb'"[^"\\\x00-\x1f]*"')  # no escape, no control character
_DOC_KEY = re.compile(rb',?("(?:[^"\\\n]|\\.)*"):(?=\{)')


class _NotANumber(ValueError):
    """NaN, Infinity, or a number too large for a float: not JSON, and not cxmap's."""


def _refuse_constant(text: str) -> float:
    raise _NotANumber(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotANumber(text)
    return value


class Table(Mapping[str, Document]):
    """One table's documents by id, as read: a document read from a file stays as its bytes until
    it is looked at, then it is parsed and checked once. A Table is never changed (`changed` makes
    another), so a reader may go on using one while a change is saved.

    A changed table holds only what changed, over the table it was made from, so that a change
    costs what it changes, not the size of the table; what iterates it (rarely on a save) first
    lays it out whole, and every MAX_LAYERS changes a table is laid out whole anyway."""

    __slots__ = ("_base", "_docs", "_gone", "_layers", "_len", "_where")
    MAX_LAYERS = 32

    def __init__(self, docs: Mapping[str, Document | memoryview] | None = None, where: str = "") -> None:
        self._docs: dict[str, Document | memoryview] = dict(docs or {})
        self._where = where  # for the line that says a document is damaged
        self._base: Table | None = None  # what this table changes, when it holds only the changes
        self._gone: frozenset[str] = frozenset()  # ids of `_base` removed here
        self._len = len(self._docs)
        self._layers = 0

    @classmethod
    def of(cls, docs: Mapping[str, Document]) -> Table:
        return docs if isinstance(docs, Table) else cls(docs)

    def _holder(self, doc_id: str) -> dict[str, Document | memoryview] | None:
        """The dict that holds `doc_id` in this table's layers; None when it is not here."""
        table: Table | None = self
        while table is not None:
            docs = table._docs
            if doc_id in docs:
                return docs
            if doc_id in table._gone:
                return None
            table = table._base
        return None

    def _whole(self) -> dict[str, Document | memoryview]:
        """This table laid out in one dict, its layers folded (once: it is kept so)."""
        if self._base is None:
            return self._docs
        layers: list[Table] = []
        table: Table | None = self
        while table is not None and table._base is not None:
            layers.append(table)
            table = table._base
        docs = dict(table._docs) if table is not None else {}
        for layer in reversed(layers):  # the oldest change first; the tables below are left as they are
            for doc_id in layer._gone:
                docs.pop(doc_id, None)
            docs.update(layer._docs)
        # In this order, so that a reader on another thread meanwhile finds what the table holds.
        self._docs = docs
        self._base = None
        self._gone = frozenset()
        self._layers = 0
        return docs

    def __getitem__(self, doc_id: str) -> Document:
        docs = self._holder(doc_id)
        if docs is None:
            raise KeyError(doc_id)
        doc = docs[doc_id]
        if isinstance(doc, memoryview):
            doc = docs[doc_id] = self._parse(doc_id, doc)
        return doc

    def values(self) -> ValuesView[Document]:
        self._parse_all()
        return super().values()

    def items(self) -> ItemsView[str, Document]:
        self._parse_all()
        return super().items()

    def _parse_all(self) -> None:
        """Parse every document still kept as bytes, in one go (much faster than one by one);
        where that fails, one by one, so that the damaged one is named."""
        whole = self._whole()
        left = [(doc_id, raw) for doc_id, raw in whole.items() if isinstance(raw, memoryview)]
        if len(left) < 2:
            return
        # Between two documents a text no file can hold (made at random now): bytes that are not
        # one document each (a bracket opened in one, closed in the next) take a separator in, or
        # break the whole, so a document can never be read under another's id.
        mark = secrets.token_hex(12)
        joined = b"[" + f',"{mark}",'.encode().join(raw for _, raw in left) + b"]"
        try:
            docs = parse_checked(joined, MAX_DEPTH - 1)
        except NotJSON:
            docs = None
        if not isinstance(docs, list) or len(docs) != 2 * len(left) - 1 or docs[1::2] != [mark] * (len(left) - 1) \
                or not all(type(d) is dict for d in docs[::2]):
            for doc_id, _ in left:
                self.__getitem__(doc_id)  # raises, naming the first damaged document
            return
        for (doc_id, _), doc in zip(left, docs[::2], strict=True):
            whole[doc_id] = doc

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return self._len

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._holder(doc_id) is not None

    def keys(self) -> KeysView[str]:
        return self._whole().keys()  # the dict's own: set operations on it run at C speed

    def changed(self, put: Mapping[str, Document] | None = None, remove: Iterable[str] = ()) -> Table:
        """Another table: this one with `put` in and `remove` out (absent ids are no error here)."""
        put = dict(put or {})
        gone = frozenset(doc_id for doc_id in remove if doc_id not in put and doc_id in self)
        out = Table.__new__(Table)
        out._docs, out._where, out._base, out._gone = dict(put), self._where, self, gone
        out._len = self._len - len(gone) + sum(1 for doc_id in put if doc_id not in self)
        out._layers = self._layers + 1
        if out._layers >= self.MAX_LAYERS:
            out._whole()
            out._layers = 0
        return out

    def encoded(self) -> Iterator[tuple[str, memoryview | None]]:
        """Each id with its bytes as read, or None where the document was parsed or made anew."""
        for doc_id, doc in self._whole().items():
            yield doc_id, doc if isinstance(doc, memoryview) else None

    def _parse(self, doc_id: str, raw: memoryview) -> Document:
        try:
            doc = parse_checked(bytes(raw), MAX_DEPTH - 2)  # the file and the table are the two levels above
        except NotJSON as e:
            raise UnreadableFile(f"cannot read {self._where or 'the database'}: its document "
                                 f"{_shown(doc_id)} is damaged ({e}). Nothing was changed.") from None
        if not isinstance(doc, dict):
            raise UnreadableFile(f"cannot read {self._where or 'the database'}: its document "
                                 f"{_shown(doc_id)} is not an object. Nothing was changed.")
        return doc


def _dumps(value: object) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError("cannot save: the change holds text that is not valid Unicode (a lone surrogate)") from None
    except RecursionError:
        raise StoreError("cannot save: the change is nested too deeply") from None
    except ValueError:  # what allow_nan=False raises
        raise StoreError("cannot save: the change holds a number that is not finite") from None


def _document(doc: Document) -> bytes:
    if deeper_than(doc, MAX_DEPTH - 2):  # as decode would refuse it, two levels below the file's
        raise StoreError(f"cannot save: the change is nested too deeply (more than {MAX_DEPTH - 2} levels)")
    return _dumps(doc)


def encode(tables: Tables, generation: str, header: Mapping[str, JSON] | None = None) -> bytes:
    """The file's bytes for `tables`, one document to a line; `header`: more fields for the
    header. StoreError for data cxmap could not read back."""
    if HEADER in tables:
        raise StoreError(f"cannot save a table named {HEADER!r}: the name is reserved for the file's header")
    head: dict[str, JSON] = {"format": FORMAT_VERSION, "generation": generation, "layout": LAYOUT,
                             "written_by": f"cxmap {__version__}", **(header or {})}
    # The header goes first so that its generation token sits in the first bytes of the file.
    out: list[bytes | memoryview] = [b'{"' + HEADER.encode() + b'":', _dumps(head)]
    for name, table in tables.items():
        out += [b"\n,", _dumps(name), b":{"]
        items = table.encoded() if isinstance(table, Table) else ((k, None) for k in table)
        comma = b"\n"
        for doc_id, raw in items:
            out += [comma, _dumps(doc_id), b":", raw if raw is not None else _document(table[doc_id])]
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
            raise unreadable(f"its {_shown(name)} table is damaged")
        else:
            tables[name] = Table(table, where)
    return tables, header


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
        if docs is None:
            if raw[start:end] == b"}":
                return out if not raw[end:].strip() else None
            table = _TABLE_LINE.fullmatch(raw, start, end)
            if table is None:
                return None
            name, docs = _key(table.group(1)), {}
            if not name or name in out:
                return None
        elif raw[start:end] == b"}":
            out[name] = Table(docs, where)
            docs = None
        else:
            key = _DOC_KEY.match(raw, start, end)
            if key is None or raw[end - 1:end] != b"}":
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
    if _SURROGATE_ESCAPE.search(quoted.decode("utf-8", "replace")):
        return ""
    try:
        key = json.loads(quoted)
    except (ValueError, UnicodeDecodeError):
        return ""
    return key if isinstance(key, str) else ""


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
