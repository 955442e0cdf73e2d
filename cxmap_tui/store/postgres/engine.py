"""The PostgreSQL engine: the store's engine (`engine.Engine`) on a server (the package's text
says how it works)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import datetime

import psycopg
from psycopg.rows import TupleRow

from .. import transactional
from ..compaction import Pruned, check_prune
from ..engine import Conflict, Doc, Feed, Noted, Revision, Version, Whole, refuse_unless_empty
from ..errors import ReadOnly, SaveInDoubt, StoreError
from ..records import Change, Record, Who, utc_stamp
from ..table import Document, Table
from . import schema as sql
from .cache import Cache, adopted, decoded, decoded_version, encoded, with_docs
from .cache import news as news_of
from .server import Listener, Server

NEWS_ROWS = 1000  # more new log rows than this, and reading everything again is cheaper
_EMPTY = Table()


class PostgresEngine:
    """A cxmap workspace in the PostgreSQL database at `conninfo` (a postgresql:// URL or libpq
    key=value pairs; libpq's environment, service and password files apply). Connects at once,
    and makes the workspace's schema if there is none (unless `create` is false: then NoDatabase,
    and nothing is made)."""

    def __init__(self, conninfo: str, *, create: bool = True) -> None:
        self.server = Server(conninfo)
        self._mutex = threading.RLock()
        self._cache = Cache(self.server.location)
        self._loaded = False
        self._epoch = 0  # times the log was found gone back or cut: tokens from before are unknown
        self._in_transaction = False
        self._work: dict[str, Table] = {}
        self._written: dict[tuple[str, str], Document | None] = {}
        self._depths: dict[int, int] = {}  # how deeply a document written nests, by its id(), where its maker said
        self._doubt: tuple[int, str] | None = None  # a save lost as it committed: its seq and changes (settle)
        # Whether the next save is sent in one round trip, on the cache as it is and guarded by
        # the log's last row (false after such a save found someone had saved first, until a
        # save finds nothing new again).
        self._optimistic = True
        # Connected when first asked (a command that only reads or saves never is): that first
        # call says "maybe", and from then on every commit is announced.
        self._listener = Listener(self.server)
        try:
            with self._mutex, self.server.talking("open"):
                self.server.live()
                self.server.make_schema(create=create)
                self._access = self.server.why_read_only()
                self._catch_up()
        except BaseException:
            self.close()  # no connection left open by a session that did not open
            raise

    @classmethod
    def connect(cls, url: str) -> PostgresEngine:
        return cls(url)

    def close(self) -> None:
        with self._mutex:
            self._listener.close()
            self.server.close()

    # -- the engine (engine.Engine) -------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.server.location

    @property
    def read_only(self) -> str:
        return self._access

    @property
    def note(self) -> str:
        return ""

    def tables(self, *names: str) -> tuple[Mapping[str, Doc], ...]:
        with self._mutex:
            if self._in_transaction:
                return tuple(self._work.get(name, _EMPTY) for name in names)
            self._up_to_date()
            return tuple(self._cache.table(name) for name in names)

    def revision(self, table: str, doc_id: str) -> Revision | None:
        """The revision saved (inside a transaction: as the transaction found it)."""
        with self._mutex:
            if not self._in_transaction:
                self._up_to_date()
            rev = self._cache.revision(table, doc_id)
            return None if rev is None else str(rev)

    def refresh(self) -> bool:
        with self._mutex:
            if self._in_transaction:
                return False
            return self._up_to_date()

    def may_have_news(self) -> bool:
        """Whether a commit was announced on the workspace's channel since the last call (or
        the listener cannot tell): asks the server nothing, so a session may call it often."""
        with self._mutex:
            return self._listener.heard()

    def change(self, table: str, put: Mapping[str, Doc] | None = None, remove: Iterable[str] = (),
               expect: Mapping[str, Revision | None] | None = None, depth: int | None = None) -> None:
        with self._mutex:
            if not self._in_transaction:
                raise RuntimeError("cxmap writes to its database only inside a transaction")
            for doc_id, wanted in (expect or {}).items():
                rev = self._cache.revision(table, doc_id)
                if (None if rev is None else str(rev)) != wanted:
                    raise Conflict(f"{table} {doc_id} was changed by someone else since it was read; "
                                   "nothing was saved: read it again and make the change on that")
            current = self._work.get(table, _EMPTY)
            removed = list(remove)
            for doc_id in removed:
                if doc_id not in current:
                    raise KeyError(doc_id)
            docs = {doc_id: dict(doc) for doc_id, doc in (put or {}).items()}
            self._work[table] = current.changed(docs, removed)
            self._written.update({(table, doc_id): None for doc_id in removed})
            self._written.update({(table, doc_id): doc for doc_id, doc in docs.items()})
            if depth is not None:  # their text is then written without measuring them (cache.encoded)
                self._depths.update((id(doc), depth) for doc in docs.values())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._mutex:
            if self._in_transaction:
                raise RuntimeError("transactions do not nest")
            if self._access:
                raise ReadOnly(f"{self.location} is read-only for you: {self._access}. You can read and "
                               "export it, not change it; ask its owner for write access")
            sent: tuple[int, str] | None = None  # the save's seq and changes, once it is on its way
            answer: psycopg.Cursor[TupleRow] | None = None
            careful = not (self._optimistic and self._loaded)
            with self.server.talking("save"), self._conflicts(careful=careful):
                db = self.server.live()
                try:
                    with ExitStack() as talk:  # a careful save's pipeline; its end commits it
                        if careful:  # a round trip: the lock, then what is new
                            talk.enter_context(db.pipeline())
                            self.server.run(sql.LOCK)
                            self._optimistic = not self._catch_up(inside=True)
                        started = self._cache.tables
                        self._work, self._written, self._in_transaction = dict(started), {}, True
                        try:
                            try:
                                yield
                            except Exception:
                                if careful or not self._news_after_all():
                                    raise
                                raise self._saved_first() from None
                            changes = transactional.net_changes(started, self._written, self._depths)
                            if changes:
                                statement, params, sent = self._save(changes)
                                # Alone (not careful) it is its own transaction: committed as it answers.
                                answer = self.server.run(statement, params, prepare=True)
                        finally:
                            self._in_transaction = False
                            self._work, self._written, self._depths = {}, {}, {}
                except psycopg.OperationalError as e:
                    if sent is None or not (db.closed or db.broken):
                        raise  # lost before the save went, or refused by the server: nothing was saved
                    # Lost once the save was sent, and its commit with it: it may have been
                    # applied or not. Which one is found in the log before this session saves
                    # again (`settle`).
                    self._doubt = sent
                    why = f"{self.location}: {self.server.said(e)}"
                    raise SaveInDoubt(f"lost {why} while saving; the change may or may not have been saved, "
                                      "and cxmap finds out which before it saves again", why=why) from None
                finally:
                    self.server.end_transaction()  # rolled back if it failed (or the block raised)
                if answer is not None:  # committed: the cache takes it in, as the next log row
                    row = answer.fetchone()
                    assert row is not None and sent is not None
                    self._cache.apply(sent[0], row[1], changes)

    def _news_after_all(self) -> bool:
        """After a block that ran on what the session had read raised: whether that was out of
        date (then its error may come from what it missed, and the store runs it again under
        the lock). False when the server cannot say: the block's own error stands."""
        try:
            news = self._catch_up()
        except (psycopg.Error, StoreError):
            return False
        self._optimistic = not news
        return news

    def _saved_first(self) -> Conflict:
        """Someone saved first: the next try goes the careful way."""
        self._optimistic = False
        return Conflict(f"someone saved to {self.location} first; nothing was saved: read it again "
                        "and make the change on that")

    def settle(self) -> bool | None:
        """After a save lost as it committed (SaveInDoubt): whether it was applied, as the log
        says (True: it is there, as sent); None when no save is in doubt. Unavailable while the
        server cannot say; the doubt stays until it can."""
        with self._mutex:
            if self._doubt is None:
                return None
            seq, logged = self._doubt
            with self.server.talking("read"):
                self.server.live()
                row = self.server.run(sql.LANDED, (logged, seq)).fetchone()
            self._doubt, self._optimistic = None, False  # the cache may lack it: the next save reads first
            return row is not None and bool(row[0])

    @contextmanager
    def _conflicts(self, *, careful: bool) -> Iterator[None]:
        """A save refused as Conflict (nothing was saved; the store runs the block again). Sent
        on what the session had read (not `careful`) and refused by the guard or the log's key:
        someone saved first, and the next try takes the lock and reads what is new first. A row
        not as read when written (or, under the lock, the key): someone wrote without cxmap's
        lock, and everything is read anew."""
        try:
            yield
        except psycopg.errors.InvalidTextRepresentation as e:
            if careful or sql.STALE not in str(e):
                raise
            raise self._saved_first() from None
        except psycopg.errors.UniqueViolation:
            raise (self._read_anew() if careful else self._saved_first()) from None
        except psycopg.errors.DivisionByZero:
            raise self._read_anew() from None

    def _read_anew(self) -> Conflict:
        """Someone wrote without cxmap's lock: the next try reads everything."""
        self._loaded = False
        return Conflict(f"someone changed {self.location} without cxmap's lock; nothing was saved: "
                        "read it again and make the change on that")

    def changes_since(self, token: str | None) -> Feed:
        with self._mutex:
            last = self._cache.last
            mine = str(last) if self._epoch == 0 else f"{last}@{self._epoch}"
            if token is None:
                return Feed((), mine)
            since = _token_seq(token, self._epoch)
            if since is None or since > last:
                return Feed((), mine, whole=False)
            limit = transactional.FEED_MEMORY  # no more than the other engines' feeds remember
            with self.server.talking("read"):
                self.server.live()
                rows = self.server.run(sql.FEED, {"since": since, "last": last, "limit": limit + 1}).fetchall()
            if [r[0] for r in rows] != list(range(since + 1, last + 1)):
                return Feed((), mine, whole=False)  # history pruned meanwhile
            where = self.location
            told = [Noted(seq, c.table, c.id, c.doc is None, c.fields, utc_stamp(at), user, participant)
                    for seq, at, user, participant, raw in rows for c in decoded(raw, where, seq, docs=False)]
            if len(told) > limit:
                return Feed((), mine, whole=False)
            return Feed(tuple(told), mine)

    # -- the history -----------------------------------------------------------------------------

    @property
    def history_name(self) -> str:
        return f"the history on {self.location}"

    def prune_history(self, *, since: datetime | None = None, last: int | None = None,
                      dry_run: bool = False) -> Pruned:
        """Drop the log rows made before `since` and not among the `last` N (either may be left
        out), under the workspace's lock; the newest row always stays (see schema.PRUNABLE).
        `dry_run`: say what would go and change nothing. ReadOnly for a role that may not."""
        check_prune(since, last)
        with self._mutex:
            if self._in_transaction:
                raise RuntimeError("the history is pruned outside a transaction")
            if not dry_run and self._access:
                raise ReadOnly(f"{self.location} is read-only for you: {self._access}")
            with self.server.talking("read" if dry_run else "prune the history of"), \
                    self.server.live().transaction():
                if not dry_run:
                    self.server.run(sql.LOCK)
                rows = self.server.run(sql.PRUNABLE, {"keep": last, "before": since}).fetchall()
                gone = [(int(seq), at, int(size)) for seq, at, size, drop in rows if drop]
                if gone and not dry_run:
                    self.server.run(sql.PRUNE, {"seqs": [seq for seq, _, _ in gone]})
        before = sum(int(size) for _, _, size, _ in rows)
        after = before - sum(size for _, _, size in gone)
        moments = [at for _, at, _ in gone]
        return Pruned(len(rows) - len(gone), len(gone), (), before, after,
                      min(moments) if moments else None, max(moments) if moments else None)

    def versions(self, table: str, doc_id: str) -> list[Version]:
        """One document's versions the history keeps, oldest first (engine.Chronicled)."""
        with self._mutex, self.server.talking("read"):
            self.server.live()
            rows = self.server.run(sql.VERSIONS, {"t": table, "i": doc_id}).fetchall()
        out = []
        for seq, at, user, participant, raw, listed in rows:
            kept, named = (None, None) if raw is None else decoded_version(raw, listed, self.location, int(seq))
            out.append(Version(int(seq), "" if at is None else utc_stamp(at),
                               None if at is None else Who(user, participant), kept, named))
        return out

    # -- moving the workspace (engine.Movable) ----------------------------------------------------

    def whole(self) -> Whole:
        """Every document and every log row, read in one snapshot of the database."""
        where = self.location
        with self._mutex, self.server.talking("read"), self.server.live().transaction():
            self.server.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            docs = self.server.run(sql.DOCS).fetchall()
            log = self.server.run(sql.ALL_LOG).fetchall()
        tables: dict[str, dict[str, Document | memoryview]] = {}
        for table, doc_id, raw, _rev in docs:
            tables.setdefault(table, {})[doc_id] = memoryview(raw)
        records = tuple(Record(int(seq), "", utc_stamp(at), Who(user, participant), decoded(raw, where, int(seq)))
                        for seq, at, user, participant, raw in log)
        return Whole({name: Table(found, where) for name, found in tables.items()}, records)

    def adopt(self, whole: Whole) -> None:
        """In one transaction under the workspace's lock: the documents, each at the revision of
        the last recorded change that saved it, and the log rows as they were recorded."""
        heads, versions, log = adopted(whole)
        with self._mutex:
            if self._access:
                raise ReadOnly(f"{self.location} is read-only for you: {self._access}")
            with self.server.talking("save"), self.server.live().transaction():
                self.server.run(sql.LOCK)
                held = self.server.run(sql.HOLDS).fetchone()
                assert held is not None
                refuse_unless_empty(self.location, [range(int(held[0]))], int(held[1]))
                for statement, many in ((sql.ADOPT_DOC, heads), (sql.ADOPT_VERSION, versions), (sql.ADOPT_LOG, log)):
                    if many:
                        self.server.run_many(statement, many)
            self._loaded = False  # read everything anew next time
            self._epoch += 1

    # -- reading ----------------------------------------------------------------------------------

    def _up_to_date(self) -> bool:
        with self.server.talking("read"):
            self.server.live()
            return self._catch_up()

    def _catch_up(self, *, inside: bool = False) -> bool:
        """Take in the log rows after the last seen; everything the first time, when there are
        many, or when the row last seen is gone or not the same (the log went back, or was cut:
        the feed cannot tell what came before). True if anything was new. `inside`: in a
        transaction, under the lock."""
        cache = self._cache
        if self._loaded:
            rows, found = news_of(self.server.run(sql.NEWS, {"last": cache.last, "limit": NEWS_ROWS + 2}).fetchall())
            news = rows
            if cache.last:
                if not rows or rows[0][0] != cache.last or rows[0][1] != cache.last_at:
                    self._epoch += 1
                    self._load(inside=inside)
                    return True
                news = rows[1:]
            if len(news) <= NEWS_ROWS and [r[0] for r in news] == list(range(cache.last + 1,
                                                                             cache.last + 1 + len(news))):
                for row in news:
                    docs = found.get(row.seq, {})
                    changes = decoded(row.changes or b"null", self.location, row.seq, docs=False)
                    cache.apply(row.seq, row.at, with_docs(changes, docs, self.location, row.seq), docs)
                return bool(news)
        self._load(inside=inside)
        return True

    def _load(self, *, inside: bool = False) -> None:
        """Read every document, and the log row they stand at, in one snapshot (outside a
        transaction REPEATABLE READ; inside one, the lock keeps writers out)."""
        server = self.server
        if not inside:
            with server.db.transaction():
                server.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                top, rows = server.run(sql.LAST).fetchone(), server.run(sql.DOCS).fetchall()
        else:
            top, rows = server.run(sql.LAST).fetchone(), server.run(sql.DOCS).fetchall()
        last, at = (0, None) if top is None else (int(top[0]), top[1])
        self._cache.load(last, at, rows)
        self._loaded = True

    # -- saving -----------------------------------------------------------------------------------

    def _save(self, changes: tuple[Change, ...]) -> tuple[str, dict[str, object], tuple[int, str]]:
        """The statement that saves `changes` as the log row after the last one read, its
        parameters (schema.save says what it checks), and that row's seq and changes."""
        cache = self._cache
        seq = cache.last + 1
        docs, logged = encoded(changes)
        kinds: list[str] = []
        who = Who.current()
        row: dict[str, object] = {"seq": seq, "top": cache.last or None, "at": cache.last_at, "user": who.user,
                                  "participant": who.participant, "changes": logged}
        for k, (c, doc) in enumerate(zip(changes, docs, strict=True)):
            rev = cache.revision(c.table, c.id)
            kinds.append(sql.GONE if doc is None else sql.NEW if rev is None else sql.PUT)
            row.update({f"t{k}": c.table, f"i{k}": c.id, f"r{k}": rev, f"d{k}": doc})
        return sql.save(tuple(kinds)), row, (seq, logged)


def _token_seq(token: str, epoch: int) -> int | None:
    """The log row a feed token stands for; None when it is not one of this session's now."""
    seq, _, told_epoch = token.partition("@")
    if not seq.isascii() or not seq.isdigit() or (told_epoch or "0") != str(epoch):
        return None
    return int(seq)
