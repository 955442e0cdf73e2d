"""A table of the database as read: documents by id, each kept as the bytes of its line until it
is looked at (file_format lays the file out so), and a changed table holding only its changes."""

from __future__ import annotations

import secrets
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView

from ..domain.json_types import JSON
from .checked_json import MAX_DEPTH, NotJSON, parse_checked, shown
from .errors import UnreadableFile

Document = dict[str, JSON]


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
        separator = f',"{mark}",'.encode()
        joined = b"[" + separator.join(raw for _, raw in left) + b"]"
        try:
            docs = parse_checked(joined, MAX_DEPTH - 1, count_depth=not _shallow(joined, left, len(separator)))
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

    def changed(self, put: Mapping[str, Document | memoryview] | None = None, remove: Iterable[str] = ()) -> Table:
        """Another table: this one with `put` in (a document may be its bytes, parsed when looked
        at) and `remove` out (absent ids are no error here)."""
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
                                 f"{shown(doc_id)} is damaged ({e}). Nothing was changed.") from None
        if not isinstance(doc, dict):
            raise UnreadableFile(f"cannot read {self._where or 'the database'}: its document "
                                 f"{shown(doc_id)} is not an object. Nothing was changed.")
        return doc


def _shallow(joined: bytes, docs: list[tuple[str, memoryview]], gap: int) -> bool:
    """Whether every document in `joined` (each one of `docs`, `gap` bytes apart, after the "[")
    surely nests less deep than a table's documents may: a document opens no more lists and
    objects than its brackets (a bracket in a text only makes the count larger), so one with few
    needs no walk over its values. Counted in place, at C speed."""
    if joined.count(b"[") == 1 and joined.count(b"{") == len(docs):
        return True  # one object each, and no list: flat documents (summaries, contacts)
    limit = MAX_DEPTH - 2  # the list around them, and one level to spare
    start = 1
    for _, raw in docs:
        end = start + len(raw)
        if joined.count(b"{", start, end) + joined.count(b"[", start, end) > limit:
            return False
        start = end + gap
    return True
