"""The store's engine contract (store/engine.py), the same tests for every engine: tables of
documents by id, all-or-nothing transactions, revisions checked on saving, and a feed of the
changes since a token. A new engine is added to ENGINES and must pass them all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cxmap_tui.domain.customers import Account, Contact
from cxmap_tui.store import Store
from cxmap_tui.store.engine import Conflict, Engine
from cxmap_tui.store.postgres import PostgresEngine
from cxmap_tui.store.storage import JSONFileStorage, MemoryStorage
from tests.helpers import pg_databases
from tests.helpers.factories import make_map


class Sessions:
    """Sessions on one database (calling it opens another), and what a test may do to the
    database behind them as a person or another program might: prune its history, put back an
    older copy. The memory engine is one session: a second is the same, and neither can be done."""

    def __init__(self, kind: str, opener: Callable[[], Engine]) -> None:
        self.kind = kind
        self._opener = opener
        self.prune_history: Callable[[], None] | None = None  # drop the history of changes kept
        self.keep_copy: Callable[[], Callable[[], None]] | None = None  # returns: put that copy back

    def __call__(self) -> Engine:
        return self._opener()


Opener = Sessions


def _file_sessions(folder: Path) -> Sessions:
    sessions = Sessions("file", lambda: JSONFileStorage(folder / "cx.json", compact_records=7))

    def keep_copy() -> Callable[[], None]:
        old = {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith("cx.json") and p.is_file()}

        def put_back() -> None:  # as the message for a damaged file advises
            for name, data in old.items():
                (folder / name).write_bytes(data)

        return put_back

    sessions.prune_history = lambda: (folder / "cx.json.history").unlink()
    sessions.keep_copy = keep_copy
    return sessions


def _postgres_sessions(url: str, opened: list[PostgresEngine]) -> Sessions:
    def opener() -> Engine:
        opened.append(PostgresEngine(url))
        return opened[-1]

    sessions = Sessions("postgres", opener)

    def keep_copy() -> Callable[[], None]:
        pg_databases.admin(url, "CREATE SCHEMA kept", "CREATE TABLE kept.docs AS TABLE cxmap.docs",
                           "CREATE TABLE kept.versions AS TABLE cxmap.versions",
                           "CREATE TABLE kept.log AS TABLE cxmap.log")
        return lambda: pg_databases.admin(url, "TRUNCATE cxmap.docs, cxmap.versions, cxmap.log",
                                          "INSERT INTO cxmap.docs SELECT * FROM kept.docs",
                                          "INSERT INTO cxmap.versions SELECT * FROM kept.versions",
                                          "INSERT INTO cxmap.log SELECT * FROM kept.log")

    # Pruning keeps the newest row (postgres.py): the sequence goes on from it.
    sessions.prune_history = lambda: pg_databases.admin(
        url, "DELETE FROM cxmap.log WHERE seq < (SELECT max(seq) FROM cxmap.log)")
    sessions.keep_copy = keep_copy
    return sessions


@pytest.fixture(params=["memory", "file", "postgres"])
def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Sessions]:
    if request.param == "memory":
        engine = MemoryStorage()
        yield Sessions("memory", lambda: engine)
    elif request.param == "file":
        yield _file_sessions(tmp_path)
    else:
        opened: list[PostgresEngine] = []
        yield _postgres_sessions(request.getfixturevalue("pg_url"), opened)
        for engine in opened:
            engine.close()


@pytest.fixture
def engine(sessions: Opener) -> Engine:
    return sessions()


def _put(engine: Engine, table: str, **docs: dict[str, object]) -> None:
    with engine.transaction():
        engine.change(table, put=docs)  # type: ignore[arg-type]


def test_documents_by_id_put_replaced_and_removed(engine: Engine) -> None:
    _put(engine, "notes", a={"text": "one"}, b={"text": "two"})
    _put(engine, "notes", a={"text": "one, again"})
    with engine.transaction():
        engine.change("notes", remove=["b"])
    (notes,) = engine.tables("notes")
    assert dict(notes) == {"a": {"text": "one, again"}}
    assert engine.tables("nothing") == ({},)
    with engine.transaction(), pytest.raises(KeyError):
        engine.change("notes", remove=["never there"])


def test_a_change_is_made_only_inside_a_transaction(engine: Engine) -> None:
    with pytest.raises(RuntimeError, match="only inside a transaction"):
        engine.change("notes", put={"a": {"text": "no"}})
    assert engine.tables("notes") == ({},)


def test_a_transaction_is_all_or_nothing(sessions: Opener) -> None:
    engine = sessions()
    _put(engine, "notes", a={"text": "kept"})
    seen: list[dict[str, object]] = []

    def stopped() -> None:
        with engine.transaction():
            engine.change("notes", put={"a": {"text": "changed"}, "b": {"text": "new"}})
            engine.change("other", put={"c": {"n": 1}})
            seen.append(dict(engine.tables("notes")[0]))
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        stopped()
    assert seen == [{"a": {"text": "changed"}, "b": {"text": "new"}}]  # the transaction saw its own changes
    for session in (engine, sessions()):
        assert engine.tables("notes", "other") == ({"a": {"text": "kept"}}, {})
        assert session.tables("notes", "other") == ({"a": {"text": "kept"}}, {})


def test_what_was_read_does_not_change_under_the_reader(engine: Engine) -> None:
    _put(engine, "notes", a={"text": "before"})
    (read,) = engine.tables("notes")
    _put(engine, "notes", a={"text": "after"}, b={"text": "new"})
    assert dict(read) == {"a": {"text": "before"}}


def test_a_revision_names_a_version_and_changes_with_it(sessions: Opener) -> None:
    engine = sessions()
    assert engine.revision("notes", "a") is None
    _put(engine, "notes", a={"text": "one"}, b={"text": "one"})
    first = engine.revision("notes", "a")
    assert first is not None and first == sessions().revision("notes", "a")  # every session says the same
    _put(engine, "notes", b={"text": "two"})
    assert engine.revision("notes", "a") == first
    _put(engine, "notes", a={"text": "changed"})
    assert engine.revision("notes", "a") not in (None, first)


def test_a_change_expecting_a_revision_is_refused_once_another_changed_the_document(sessions: Opener) -> None:
    mine, theirs = sessions(), sessions()
    _put(mine, "notes", a={"text": "one"})
    theirs.refresh()
    read = theirs.revision("notes", "a")
    _put(mine, "notes", a={"text": "mine"})
    def stale() -> None:
        with theirs.transaction():
            theirs.change("notes", put={"b": {"text": "also theirs"}})
            theirs.change("notes", put={"a": {"text": "theirs"}}, expect={"a": read})

    with pytest.raises(Conflict):
        stale()
    assert dict(sessions().tables("notes")[0]) == {"a": {"text": "mine"}}  # nothing of theirs was saved
    with theirs.transaction():  # read again, then it saves
        theirs.change("notes", put={"a": {"text": "theirs"}}, expect={"a": theirs.revision("notes", "a")})
    assert dict(sessions().tables("notes")[0]) == {"a": {"text": "theirs"}}


def test_a_new_document_expected_absent_is_refused_if_another_made_it(sessions: Opener) -> None:
    mine, theirs = sessions(), sessions()
    _put(mine, "notes", a={"text": "mine"})
    with pytest.raises(Conflict), theirs.transaction():
        theirs.change("notes", put={"a": {"text": "theirs"}}, expect={"a": None})
    assert dict(sessions().tables("notes")[0]) == {"a": {"text": "mine"}}


def test_the_feed_tells_what_was_saved_since_a_token_who_and_when(engine: Engine) -> None:
    _put(engine, "notes", a={"text": "before the token"})
    token = engine.changes_since(None).token
    assert engine.changes_since(token).changes == ()
    _put(engine, "notes", a={"text": "one"}, b={"text": "two"})
    between = engine.changes_since(None).token
    with engine.transaction():
        engine.change("notes", remove=["b"])
        engine.change("other", put={"c": {"n": 1}})
    feed = engine.changes_since(token)
    assert feed.whole
    assert [(n.table, n.id, n.removed) for n in feed.changes] == [
        ("notes", "a", False), ("notes", "b", False), ("notes", "b", True), ("other", "c", False)]
    assert feed.changes[0].fields == ("text",) and feed.changes[1].fields is None
    assert feed.changes[0].seq < feed.changes[2].seq and feed.changes[2].seq == feed.changes[3].seq  # one save
    assert all(n.user and n.at.endswith("Z") for n in feed.changes)
    assert engine.changes_since(feed.token).changes == ()
    assert [n.id for n in engine.changes_since(between).changes] == ["b", "c"]


def test_another_sessions_changes_reach_the_feed_after_a_refresh(sessions: Opener) -> None:
    mine, theirs = sessions(), sessions()
    token = theirs.changes_since(None).token
    for n in range(0, 30, 3):  # past compactions in the file engine (every 7 records here)
        for k in range(n, n + 3):
            _put(mine, "notes", **{f"n{k}": {"n": k}})
        theirs.refresh()
        feed = theirs.changes_since(token)
        assert feed.whole and [c.id for c in feed.changes] == [f"n{k}" for k in range(n, n + 3)], n
        token = feed.token


def test_the_feed_says_when_it_cannot_go_back_to_a_token(sessions: Opener) -> None:
    mine, theirs = sessions(), sessions()
    if sessions.prune_history is None:
        pytest.skip("one session: it sees every change it makes")
    _put(mine, "notes", first={"n": 0})
    theirs.refresh()
    token = theirs.changes_since(None).token
    for n in range(9):  # folded into the database by a compaction before `theirs` reads them
        _put(mine, "notes", **{f"n{n}": {"n": n}})
    sessions.prune_history()  # and the history pruned meanwhile
    theirs.refresh()
    feed = theirs.changes_since(token)
    assert not feed.whole  # so the reader reads everything again
    assert len(theirs.tables("notes")[0]) == 10
    assert theirs.changes_since("not a token").whole is False


def test_maps_and_customers_stand_on_the_engine(engine: Engine) -> None:
    store = Store(engine)
    m = store.add(make_map())
    acme = store.customers.add_account(Account.new("Acme Vets", "2026-01-01", "Vets"))
    ann = store.customers.add_contact(Contact.new("Ann Lee", "2026-01-16", account=acme.id))
    store.customers.record(ann.id, m.id, m.touchpoints[0].id, "2026-02-01", -2, "Wrong VAT")
    token = store.changes_since(None).token
    store.change(m.id, lambda x: x.edit(scope="changed"))
    assert {(n.table, n.id) for n in store.changes_since(token).changes} == {("maps", m.id), ("map_summaries", m.id)}
    assert Store(engine).get(m.id).scope == "changed"
    assert [i.note for i in Store(engine).customers.interactions()] == ["Wrong VAT"]


class _RefusingOnce(MemoryStorage):
    """An engine that, as a server engine may, refuses a commit because someone saved first: the
    first `refusals` commits fail with Conflict, after another session's change was saved."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals
        self.commits = 0

    def _save(self, tables: object, changes: object) -> None:  # type: ignore[override]
        self.commits += 1
        if self.refusals:
            self.refusals -= 1
            raise Conflict("someone saved first")
        super()._save(tables, changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("refusals", [1, 4])
def test_a_transaction_refused_for_a_conflict_runs_again_on_fresh_data(refusals: int) -> None:
    engine = _RefusingOnce(0)
    store = Store(engine)
    m = store.add(make_map())
    acme = store.customers.add_account(Account.new("Acme Vets", "2026-01-01", "Vets"))
    engine.refusals, engine.commits = refusals, 0
    tried: list[int] = []

    def edit(x: object) -> str:
        tried.append(1)
        x.edit(scope="after the conflicts")  # type: ignore[attr-defined]
        return "done"

    assert store.change(m.id, edit) == "done"
    assert (len(tried), engine.commits) == (refusals + 1, refusals + 1)
    assert store.get(m.id).scope == "after the conflicts" and store.get(m.id).revision == 2  # saved once
    engine.refusals = refusals
    added = store.customers.add_many(contacts=[Contact.new("Ann Lee", "2026-01-16", account=acme.id)])
    assert len(added.contacts) == 1 and [c.name for c in store.customers.contacts()] == ["Ann Lee"]


def test_a_transaction_refused_every_time_says_so_and_saves_nothing() -> None:
    engine = _RefusingOnce(0)
    store = Store(engine)
    m = store.add(make_map())
    engine.refusals, engine.commits = 99, 0
    with pytest.raises(Conflict):
        store.change(m.id, lambda x: x.edit(scope="never"))
    assert engine.commits == 5 and store.get(m.id).scope != "never"


def test_a_refused_transaction_does_not_make_the_feed_tell_a_change_twice(engine: Engine) -> None:
    _put(engine, "notes", a={"n": 1})
    token = engine.changes_since(None).token
    _put(engine, "notes", b={"n": 2})
    with pytest.raises(KeyError), engine.transaction():  # refused: the data is read anew after it
        engine.change("notes", remove=["never there"])
    _put(engine, "notes", c={"n": 3})
    feed = engine.changes_since(token)
    assert feed.whole and [n.id for n in feed.changes] == ["b", "c"]


def test_one_save_larger_than_the_feed_remembers_is_told_as_not_whole(engine: Engine,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from cxmap_tui.store import transactional

    monkeypatch.setattr(transactional, "FEED_MEMORY", 10)
    token = engine.changes_since(None).token
    _put(engine, "notes", **{f"n{n}": {"n": n} for n in range(12)})
    assert not engine.changes_since(token).whole
    after = engine.changes_since(None).token
    _put(engine, "notes", last={"n": 0})
    feed = engine.changes_since(after)
    assert feed.whole and [n.id for n in feed.changes] == ["last"]


def test_a_database_put_back_from_an_older_copy_is_told_as_not_whole(sessions: Opener) -> None:
    mine, theirs = sessions(), sessions()
    if sessions.keep_copy is None:
        pytest.skip("one session: no one else can put a copy in its place")
    _put(mine, "notes", a={"n": 1})
    put_back = sessions.keep_copy()
    for n in range(9):  # past a compaction
        _put(mine, "notes", **{f"n{n}": {"n": n}})
    theirs.refresh()
    token = theirs.changes_since(None).token
    put_back()
    assert theirs.refresh() is True
    feed = theirs.changes_since(token)
    assert not feed.whole and dict(theirs.tables("notes")[0]) == {"a": {"n": 1}}
