"""What other sessions changed, for the screens to redraw only that: read from the store's feed
of changes (store/engine.py) since this session last looked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class Elsewhere:
    """The documents other sessions changed, by table; None when that is not known (the feed
    could not go back so far): then anything may have changed."""

    docs: Mapping[str, frozenset[str]] | None = None

    def touched(self, table: str, doc_id: str | None = None) -> bool:
        """Whether a document of `table` (or that one document) may have changed."""
        if self.docs is None:
            return True
        ids = self.docs.get(table)
        return ids is not None and (doc_id is None or doc_id in ids)


EVERYTHING = Elsewhere()


class Following:
    """Where this session has read the store's feed to."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._token = store.changes_since(None).token

    def news(self) -> Elsewhere:
        """What was saved since the last call (this session's own changes among it)."""
        feed = self.store.changes_since(self._token)
        self._token = feed.token
        if not feed.whole:
            return EVERYTHING
        docs: dict[str, set[str]] = {}
        for noted in feed.changes:
            docs.setdefault(noted.table, set()).add(noted.id)
        return Elsewhere({table: frozenset(ids) for table, ids in docs.items()})
