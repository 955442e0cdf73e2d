"""The workspace store: the one object that owns the database. Everything else speaks domain
objects to it; nothing else touches the storage (a TinyDB storage of cxmap's own)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import NamedTuple, TypeVar, cast

from ..domain.errors import NotFound, ValidationError
from ..domain.ids import new_id, resolve
from ..domain.model import ExperienceMap, now_iso
from ..domain.text import reading_order
from ..paths import resolve_db
from .chronicle import Entry, map_history
from .customers import CustomerStore
from .engine import Engine, Feed, attempts
from .errors import SaveInDoubt, StoreError
from .storage import JSONFileStorage, MemoryStorage
from .tables import JSON, Doc, DocTable, snapshot

T = TypeVar("T")

MAPS = "maps"
# Beside each map, what a list of maps shows of it, kept with every change to the map: so listing
# thousands of maps (and finding one by its title) parses none of them.
MAP_SUMMARIES = "map_summaries"


class MapSummary(NamedTuple):
    """What a list of maps shows, without loading every touchpoint into objects. (A named tuple:
    thousands are made to list a big workspace, each several times quicker than a frozen
    dataclass.)"""

    id: str
    title: str
    kind: str
    experience: str
    persona: str
    touchpoints: int
    rated: int
    improvements: int
    updated: str
    revision: int


class Store:
    """A workspace of experience maps in one database."""

    def __init__(self, storage: Engine) -> None:
        self.storage = storage  # the engine: the store uses nothing of it but engine.Engine
        self._maps = DocTable(storage, MAPS)
        self._summaries = DocTable(storage, MAP_SUMMARIES)
        self.customers = CustomerStore(storage, maps=self, location=self.location)
        # The map this session saved last, parsed, beside the very document it was saved as: the
        # next edit of it (most edits follow one another on one map) copies it instead of parsing
        # the document again. Never handed out itself; replaced whole, so a reader on another
        # thread copies either the old one or the new one.
        self._last: tuple[str, Doc, ExperienceMap] | None = None
        # A change whose save was lost with its COMMIT (SaveInDoubt): the map, the function, what
        # it returned and the map as it was sent; change_and_get settles it before the next.
        self._doubt: tuple[str, Callable[[ExperienceMap], object], object, ExperienceMap] | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, lock_timeout: float = 5.0,
             shared: bool = False, create: bool = True) -> Store:
        """The database at `path` (see paths.resolve_db): a file, made (with its folder) if
        missing, or a workspace on a PostgreSQL server, made (its schema) on first use; unless
        `create` is false: then a missing one raises NoDatabase and nothing is made. `shared` and
        `lock_timeout` are the file's (a server has its own rights and waits)."""
        where = resolve_db(path)
        if isinstance(where, str):
            from .postgres import PostgresEngine  # one line saying what to install, without psycopg

            return cls(PostgresEngine(where, create=create))
        return cls(JSONFileStorage(where, lock_timeout=lock_timeout, shared=shared, create=create))

    def close(self) -> None:
        """Let go of the database (a server's connection; a file holds nothing between changes)."""
        self.storage.close()

    @classmethod
    def in_memory(cls) -> Store:
        return cls(MemoryStorage())

    @property
    def location(self) -> str:
        return self.storage.location

    @property
    def read_only(self) -> str:
        """Why this user may not change the database ("" when they may)."""
        return self.storage.read_only

    @property
    def note(self) -> str:
        """What the database has to tell the user now (a save cut off, a fold put off); "" for none."""
        return self.storage.note

    def refresh(self) -> bool:
        """Pick up changes other sessions made; True if there were any."""
        return self.storage.refresh()

    def may_have_news(self) -> bool:
        """Whether others may have saved something since the last call (engine.Engine says how)."""
        return self.storage.may_have_news()

    def changes_since(self, token: str | None) -> Feed:
        """What was saved after `token`, as far as this session has read (see `refresh`)."""
        return self.storage.changes_since(token)

    # -- reading ---------------------------------------------------------------------------------

    def summaries(self) -> list[MapSummary]:
        """Every map's summary, by title. Read from the summaries kept beside the maps; a map
        without one (saved by a cxmap from before them) is read whole."""
        maps, kept = snapshot(self._maps, self._summaries)
        read = dict(kept.items())  # parsed in one go
        out: list[tuple[str, MapSummary]] = []
        for doc_id in maps:
            doc = read.get(doc_id)
            summary = _summary_from(doc_id, doc)
            if doc is None or summary is None:
                doc = summary_of(maps[doc_id])
                summary = _summary_from(doc_id, doc)
                assert summary is not None  # summary_of makes one _summary_from takes
            order = doc.get("order")
            out.append((order if isinstance(order, str) else reading_order(summary.title), summary))
        out.sort(key=lambda pair: pair[0])
        return [summary for _, summary in out]

    def maps(self) -> list[ExperienceMap]:
        return sorted((self._load(doc_id, doc) for doc_id, doc in self._maps.docs().items()),
                      key=lambda m: reading_order(m.title))

    def get(self, map_id: str) -> ExperienceMap:
        return self._stored(map_id)

    def find(self, ref: str) -> ExperienceMap:
        """A map by id, id prefix, title, or unique title prefix."""
        summary = resolve(self.summaries(), ref, what="map", id_of=lambda s: s.id, name_of=lambda s: s.title)
        return self.get(summary.id)

    def revision(self, map_id: str) -> int | None:
        doc = self._maps.get(map_id)
        return None if doc is None else _whole(doc.get("revision"))

    # -- changing --------------------------------------------------------------------------------

    def add(self, m: ExperienceMap, *, keep_id: bool = True) -> ExperienceMap:
        """Store a new map (from `ExperienceMap.new`, a template or an import). Its id is kept
        if it is free and `keep_id` is true; otherwise it gets a new one."""
        return self.add_many([m], keep_ids=keep_id)[0]

    def change(self, map_id: str, fn: Callable[[ExperienceMap], T]) -> T:
        """Apply `fn` to the freshest copy of a map and save the result, all under the lock.

        `fn` works on a copy: if it raises, nothing is saved and the error goes to the caller; if
        it changes nothing, nothing is saved either (no new revision, no record in the history).
        This is how every edit is made, so an edit never undoes one it has not seen."""
        result, _ = self.change_and_get(map_id, fn)
        return result

    def change_and_get(self, map_id: str, fn: Callable[[ExperienceMap], T]) -> tuple[T, ExperienceMap]:
        """Like `change`, and also return the map as saved.

        A save lost with its COMMIT (SaveInDoubt) is settled before the next: when that one is
        the same change tried again (the same `fn`, equal, on the same map: the app's save queue
        retries a held change so) and it was applied after all, its result is returned as it
        was and it is not applied twice."""
        doubt, self._doubt = self._doubt, None
        if doubt is not None:
            try:
                landed = self.storage.settle()
            except BaseException:
                self._doubt = doubt  # not known yet: asked again next time
                raise
            if landed and doubt[0] == map_id and doubt[1] == fn:
                return cast(T, doubt[2]), doubt[3].copy()  # what this same fn gave then
        return self._change(map_id, fn)

    def _change(self, map_id: str, fn: Callable[[ExperienceMap], T]) -> tuple[T, ExperienceMap]:
        for attempt in attempts():  # a server engine may find that someone saved first: again
            tried: list[tuple[object, ExperienceMap]] = []  # what fn gave, if the save is lost in doubt
            with attempt, self._in_doubt_kept(map_id, fn, tried), self.storage.transaction():
                before = self._maps.get(map_id)
                m = self._stored(map_id)
                old_title = m.title
                result = fn(m)
                tried.append((result, m))
                m.validate()
                if m.title.casefold() != old_title.casefold():
                    self._check_title_free(m.title, self._titles(), except_id=map_id)
                m.id = map_id
                doc = m.to_dict(before)
                if doc != before:  # an edit that changes nothing (a field left as it was) saves nothing
                    m.updated = now_iso()
                    m.revision += 1
                    doc["updated"], doc["revision"] = m.updated, m.revision
                    self._put_doc(map_id, doc)
                saved = self._maps.get(map_id)
            if attempt.done:  # else the engine refused it (Conflict): again, on what is new
                self._last = None if saved is None else (map_id, saved, m.copy())
                return result, m
        raise AssertionError("the last attempt's refusal is raised")

    @contextmanager
    def _in_doubt_kept(self, map_id: str, fn: Callable[[ExperienceMap], object],
                       tried: list[tuple[object, ExperienceMap]]) -> Iterator[None]:
        """A save that raised SaveInDoubt: what its `fn` gave (`tried`), kept for change_and_get
        to settle."""
        try:
            yield
        except SaveInDoubt:
            if tried:
                result, m = tried[-1]
                self._doubt = (map_id, fn, result, m.copy())
            raise

    def history(self, map_id: str) -> list[Entry]:
        """The saved changes to a map, oldest first, each in words (store/chronicle.py)."""
        return map_history(self.storage, map_id)

    def link_ideal(self, map_id: str, ideal_id: str, matches: Mapping[str, str] | None = None) -> ExperienceMap:
        """Compare a current-state map with an ideal map of the same experience ('' unlinks).
        `matches`: pairings to set with the link (those of its touchpoints still in the map), as
        when an unlink is taken back."""

        def link(m: ExperienceMap) -> None:
            if ideal_id:
                doc = self._maps.get(ideal_id)
                if doc is None:
                    raise NotFound("that ideal map is not in the database (any more)")
                ideal = self._load(ideal_id, doc)
                if ideal.kind != "ideal":
                    raise ValidationError(f"{ideal.title!r} is a current-state map, not an ideal one")
                if ideal.experience != m.experience:
                    raise ValidationError(
                        f"{ideal.title!r} covers another experience ({ideal.experience}, not {m.experience}); "
                        "compare maps of the same experience"
                    )
            m.set_ideal(ideal_id)
            if matches:
                known = {tp.id for tp in m.touchpoints}
                m.matches.update({k: v for k, v in matches.items() if k in known})

        return self.change_and_get(map_id, link)[1]

    def delete(self, map_id: str) -> ExperienceMap:
        """Remove a map; the returned copy can be given to `add` to undo."""
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self.storage.transaction():
                m = self._stored(map_id)
                self._maps.change(remove=[map_id])
                self._summaries_kept(removed=[map_id])
        return m

    def add_many(self, maps: Iterable[ExperienceMap], *, keep_ids: bool = True) -> list[ExperienceMap]:
        """Store several new maps in one write, all or nothing."""
        maps = list(maps)
        for attempt in attempts():  # a server engine may find that someone saved first: again
            with attempt, self.storage.transaction():
                out = []
                taken = self._titles()
                titles = {title.casefold() for title in taken.values()}
                ids = set(taken)
                for m in maps:
                    m = m.copy()
                    m.validate()
                    if m.title.casefold() in titles:
                        raise ValidationError(f"there is already a map called {m.title!r}; choose another title")
                    if not keep_ids or not m.id or m.id in ids:
                        m.id = new_id(ids)
                    # An imported map keeps its times, so export-import-export gives the same file.
                    m.created = m.created or now_iso()
                    m.updated = m.updated or m.created
                    m.revision = 1
                    self._put(m)
                    titles.add(m.title.casefold())
                    ids.add(m.id)
                    out.append(m)
        return out

    # -- helpers ---------------------------------------------------------------------------------

    def _put(self, m: ExperienceMap) -> None:
        self._put_doc(m.id, m.to_dict())

    def _put_doc(self, map_id: str, doc: Doc) -> None:
        self._maps.change(put={map_id: doc}, depth=ExperienceMap.DOC_DEPTH)
        self._summaries_kept(put={map_id: summary_of(doc)})

    def _summaries_kept(self, put: Mapping[str, Doc] | None = None, removed: Iterable[str] = ()) -> None:
        """Change the summaries with the maps, and make those missing (in a database from before
        them, the first change makes them all)."""
        maps, kept = snapshot(self._maps, self._summaries)
        put = dict(put or {})
        gone = {doc_id for doc_id in removed if doc_id in kept}
        if len(kept) + sum(1 for doc_id in put if doc_id not in kept) - len(gone) != len(maps):
            # Some are missing, or left over: compared whole only then, so that a change costs the
            # same at any number of maps.
            for doc_id in maps.keys() - kept.keys() - put.keys():
                put[doc_id] = summary_of(maps[doc_id])
            gone |= kept.keys() - maps.keys()
        self._summaries.change(put=put, remove=gone, depth=1)  # a summary holds only text and numbers

    def _stored(self, map_id: str) -> ExperienceMap:
        """The map as stored now (inside a transaction: as the transaction sees it)."""
        doc = self._maps.get(map_id)
        if doc is None:
            raise NotFound("that map is no longer in the database (someone may have deleted it)")
        last = self._last
        if last is not None and last[0] == map_id and last[1] is doc:
            return last[2].copy()
        return self._load(map_id, doc)

    def _load(self, doc_id: str, doc: Doc) -> ExperienceMap:
        try:
            m = ExperienceMap.from_dict(doc)
        except ValidationError as e:
            raise StoreError(f"map {doc_id} in {self.location} is damaged: {e}") from None
        m.id = doc_id
        return m

    def _titles(self) -> dict[str, str]:
        """Every map's title by id, from the summaries kept beside the maps (so that no map is
        parsed for it); a map without a summary gives its own."""
        maps, kept = snapshot(self._maps, self._summaries)
        read = dict(kept.items())  # parsed in one go
        out = {}
        for doc_id in maps:
            title = read.get(doc_id, {}).get("title")
            out[doc_id] = title if isinstance(title, str) else str(maps[doc_id].get("title", ""))
        return out

    @staticmethod
    def _check_title_free(title: str, titles: Mapping[str, str], *, except_id: str | None) -> None:
        folded = title.casefold()
        if any(doc_id != except_id and other.casefold() == folded for doc_id, other in titles.items()):
            raise ValidationError(f"there is already a map called {title!r}; choose another title")


def summary_of(doc: Doc) -> Doc:
    """What a list of maps shows of the map `doc`."""
    tps = _list(doc.get("touchpoints"))
    title = str(doc.get("title", ""))
    return {
        "title": title,
        "kind": str(doc.get("kind", "")),
        "experience": str(doc.get("experience", "")),
        "persona": str(doc.get("persona", "")),
        "touchpoints": len(tps),
        "rated": sum(1 for t in tps if isinstance(t, dict) and t.get("feeling") is not None),
        "improvements": len(_list(doc.get("improvements"))),
        "updated": str(doc.get("updated", "")),
        "revision": _whole(doc.get("revision")),
        "order": reading_order(title),  # the list's order, worked out once, when the map is saved
    }


def _summary_from(doc_id: str, doc: Doc | None) -> MapSummary | None:
    """The summary kept as `doc`; None if there is none or it is not one (then the map is read)."""
    if doc is None:
        return None
    get = doc.get
    title, kind, experience, persona, updated = get("title"), get("kind"), get("experience"), get("persona"), \
        get("updated")
    touchpoints, rated, improvements, revision = get("touchpoints"), get("rated"), get("improvements"), \
        get("revision")
    if not (type(title) is str and type(kind) is str and type(experience) is str and type(persona) is str
            and type(updated) is str and type(touchpoints) is int and type(rated) is int
            and type(improvements) is int and type(revision) is int):
        return None
    return MapSummary(doc_id, title, kind, experience, persona, touchpoints, rated, improvements, updated, revision)


def _list(value: JSON) -> list[JSON]:
    """A list the summary counts: a missing one (or one so damaged that it is no list) is empty;
    opening the map reports the damage."""
    return value if isinstance(value, list) else []


def _whole(value: JSON) -> int:
    """A stored revision; 0 if missing (or damaged: opening the map reports it)."""
    return int(value) if isinstance(value, int | float) else 0
