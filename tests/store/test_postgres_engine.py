"""The PostgreSQL engine beyond the contract every engine passes (test_engine_contract.py): what
it reads from the server and when, revisions that never come back, writers that race, and the
workspace's maps and customers through a Store. Each test has a database of its own (pg_url)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from cxmap_tui.domain.customers import Account, Contact
from cxmap_tui.store import Store
from cxmap_tui.store.engine import Conflict, attempts
from cxmap_tui.store.postgres import PostgresEngine
from cxmap_tui.store.postgres import schema as sql
from tests.helpers import pg_databases
from tests.helpers.factories import make_map


@pytest.fixture
def opened(pg_url: str) -> Iterator[list[PostgresEngine]]:
    """Engines a test opens on its database, closed after it."""
    engines: list[PostgresEngine] = []
    yield engines
    for engine in engines:
        engine.close()


Open = Callable[[], PostgresEngine]  # a new session on the test's database


@pytest.fixture
def session(pg_url: str, opened: list[PostgresEngine]) -> Open:
    def open_one() -> PostgresEngine:
        opened.append(PostgresEngine(pg_url))
        return opened[-1]

    return open_one


def _put(engine: PostgresEngine, table: str, **docs: object) -> None:
    for attempt in attempts():  # as the stores do: a save sent on what was read may be refused
        with attempt, engine.transaction():
            engine.change(table, put=docs)  # type: ignore[arg-type]


def _log_rows(url: str) -> int:
    (count,), = pg_databases.admin(url, "SELECT count(*) FROM cxmap.log")
    return int(str(count))


def test_another_sessions_change_is_taken_in_from_the_log_alone(session: Open) -> None:
    mine, theirs = session(), session()
    _put(mine, "notes", **{f"n{k}": {"n": k} for k in range(50)})
    assert len(theirs.tables("notes")[0]) == 50
    asked: list[str] = []
    theirs.server.watch = asked.append
    _put(mine, "notes", n7={"n": "seven"})
    assert theirs.refresh() is True
    assert theirs.tables("notes")[0]["n7"] == {"n": "seven"} and len(theirs.tables("notes")[0]) == 50
    assert asked and all(statement == sql.NEWS for statement in asked), asked  # no table read whole
    asked.clear()
    assert theirs.refresh() is False and asked == [sql.NEWS]  # nothing new: one short question


def test_a_session_that_has_read_everything_sends_its_save_whole_after_the_block(session: Open) -> None:
    mine = session()
    _put(mine, "notes", a={"n": 1}, b={"n": 2}, c={"n": 3})
    asked: list[str] = []
    mine.server.watch = asked.append
    with mine.transaction():
        assert mine.tables("notes")[0]["b"] == {"n": 2}
        mine.change("notes", put={"a": {"n": 1}, "c": {"n": 30}})  # a put back as it was is no change
        assert asked == []  # nothing asked before the block: the save goes in one round trip
    # One statement, its own transaction: the lock, the guard, the one document, the log row.
    assert asked == [sql.save((sql.PUT,))]
    asked.clear()
    with mine.transaction():
        mine.change("notes", put={"a": {"n": 1}})
    assert asked == []  # a transaction that changes nothing does not talk to the server at all
    assert mine.changes_since("1").changes[0].fields == ("n",)


def test_a_save_sent_on_what_was_read_is_refused_when_someone_saved_since_and_tried_again_under_the_lock(
        session: Open, pg_url: str) -> None:
    mine, theirs = session(), session()
    _put(mine, "notes", a={"n": 1}, b={"n": 2}, c={"n": 3})
    theirs.refresh()
    _put(mine, "notes", b={"n": 20})
    asked: list[str] = []
    theirs.server.watch = asked.append
    seen: list[object] = []
    for attempt in attempts():
        with attempt, theirs.transaction():
            seen.append(theirs.tables("notes")[0]["b"])
            theirs.change("notes", put={"a": {"n": 1}, "c": {"n": 30}})
    # The first try saw b as it had read it and was refused by the guard; the second read what
    # is new under the lock, saw b as the other saved it, and wrote only c.
    assert seen == [{"n": 2}, {"n": 20}]
    one = sql.save((sql.PUT,))
    assert asked == [one, sql.LOCK, sql.NEWS, one]  # no ROLLBACK: a statement refused is rolled back
    assert _log_rows(pg_url) == 3
    asked.clear()
    _put(theirs, "notes", a={"n": 10})  # the careful save found something new: careful once more,
    _put(theirs, "notes", a={"n": 11})  # then, nothing new found, sent whole again
    assert asked == [sql.LOCK, sql.NEWS, one, one]
    mine.refresh()
    assert mine.tables("notes")[0] == {"a": {"n": 11}, "b": {"n": 20}, "c": {"n": 30}}
    feed = mine.changes_since("2")
    assert [(n.id, n.fields) for n in feed.changes] == [("c", ("n",)), ("a", ("n",)), ("a", ("n",))]


def test_a_save_that_read_the_log_before_someone_saved_under_the_lock_is_refused_by_the_log_key(
        session: Open, pg_url: str) -> None:
    import psycopg

    mine = session()
    _put(mine, "notes", a={"n": 1})
    holder = psycopg.connect(pg_url)  # someone holding the workspace's lock, in a transaction
    try:
        holder.execute(sql.LOCK)
        tries: list[object] = []
        failed: list[BaseException] = []

        def save() -> None:
            try:
                for attempt in attempts():
                    with attempt, mine.transaction():
                        tries.append(mine.tables("notes")[0].get("b"))
                        mine.change("notes", put={"a": {"n": 2}})
            except BaseException as e:  # seen by the test below
                failed.append(e)

        saver = threading.Thread(target=save)
        saver.start()
        # The save's one statement took its snapshot, and its guard passed on it; it waits for the lock.
        pg_databases.wait_for(pg_url, "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE wait_event = 'advisory'"
                              " AND query LIKE 'WITH lk AS%'")
        holder.execute("INSERT INTO cxmap.versions VALUES ('notes', 'b', 2, '{\"n\": \"theirs\"}')")
        holder.execute("INSERT INTO cxmap.docs VALUES ('notes', 'b', 2)")
        holder.execute("""INSERT INTO cxmap.log VALUES (2, pg_catalog.clock_timestamp(), 'them', NULL,"""
                       """ '[{"table": "notes", "id": "b", "removed": false, "fields": ["n"]}]')""")
        holder.commit()
        saver.join(timeout=30)
        assert not saver.is_alive() and failed == []
    finally:
        holder.close()
    # Refused by the log's key (their row 2 came after its snapshot), then made on what they saved.
    assert tries == [None, {"n": "theirs"}]
    assert pg_databases.admin(pg_url, "SELECT seq, os_user <> 'them' FROM cxmap.log ORDER BY seq") == [
        (1, True), (2, False), (3, True)]
    assert session().tables("notes")[0] == {"a": {"n": 2}, "b": {"n": "theirs"}}


def test_a_revision_is_the_saving_seq_and_never_comes_back(session: Open) -> None:
    mine, theirs = session(), session()
    _put(mine, "notes", a={"text": "same"})
    read = theirs.revision("notes", "a")
    with mine.transaction():
        mine.change("notes", remove=["a"])
    _put(mine, "notes", a={"text": "same"})  # made again, just as it was
    assert read == "1" and mine.revision("notes", "a") == "3"
    with pytest.raises(Conflict), theirs.transaction():
        theirs.change("notes", put={"a": {"text": "theirs"}}, expect={"a": read})
    assert dict(session().tables("notes")[0]) == {"a": {"text": "same"}}


def test_a_conflicting_expect_saves_nothing_of_the_transaction(session: Open, pg_url: str) -> None:
    mine, theirs = session(), session()
    _put(mine, "notes", a={"n": 1})
    read = theirs.revision("notes", "a")
    _put(mine, "notes", a={"n": 2})

    def stale() -> None:
        with theirs.transaction():
            theirs.change("other", put={"x": {"n": 0}})
            theirs.change("notes", put={"a": {"n": 3}}, expect={"a": read})

    with pytest.raises(Conflict):
        stale()
    assert _log_rows(pg_url) == 2 and session().tables("notes", "other") == ({"a": {"n": 2}}, {})
    with theirs.transaction():  # the transaction's changes are gone with it; the session carries on
        assert theirs.tables("other")[0] == {}
        theirs.change("notes", put={"a": {"n": 3}}, expect={"a": theirs.revision("notes", "a")})
    assert session().tables("notes")[0]["a"] == {"n": 3}


def test_a_row_changed_without_the_lock_is_not_written_over(session: Open, pg_url: str) -> None:
    mine = session()
    _put(mine, "notes", a={"n": 1}, b={"n": 1})
    pg_databases.admin(pg_url, """INSERT INTO cxmap.versions VALUES ('notes', 'a', 99, '{"n": "by hand"}')""",
                       "UPDATE cxmap.docs SET rev = 99 WHERE id = 'a'")
    with pytest.raises(Conflict), mine.transaction():
        mine.change("notes", put={"a": {"n": 2}, "b": {"n": 2}})
    rows = pg_databases.admin(pg_url, "SELECT d.id, v.doc->>'n' FROM cxmap.docs d JOIN cxmap.versions v"
                                      " USING (tbl, id, rev) ORDER BY d.id")
    assert rows == [("a", "by hand"), ("b", "1")] and _log_rows(pg_url) == 1  # b was not saved either
    store_like = 0
    for attempt in attempts():  # as the stores do: again, on everything read anew
        with attempt, mine.transaction():
            store_like += 1
            assert mine.tables("notes")[0]["a"] == {"n": "by hand"}
            mine.change("notes", put={"a": {"n": 3}})
    assert store_like == 1 and session().tables("notes")[0]["a"] == {"n": 3}


def test_writers_at_once_lose_nothing(session: Open, pg_url: str) -> None:
    writers, each = 4, 15
    engines = [session() for _ in range(writers)]
    _put(engines[0], "counters", c={"n": 0, "by": []})
    failures: list[BaseException] = []

    def write(engine: PostgresEngine, name: str) -> None:
        try:
            for k in range(each):
                for attempt in attempts():
                    with attempt, engine.transaction():
                        c = engine.tables("counters")[0]["c"]
                        engine.change("counters", put={"c": {"n": c["n"] + 1, "by": [*c["by"], f"{name}{k}"]}})
        except BaseException as e:  # reported below, in the test's thread
            failures.append(e)

    threads = [threading.Thread(target=write, args=(e, f"w{i}-")) for i, e in enumerate(engines)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == [] and not any(t.is_alive() for t in threads)
    c = session().tables("counters")[0]["c"]
    assert c["n"] == writers * each and len(set(c["by"])) == writers * each
    seqs = [r[0] for r in pg_databases.admin(pg_url, "SELECT seq FROM cxmap.log ORDER BY seq")]
    assert seqs == list(range(1, writers * each + 2))  # one row a save, no gaps


def test_a_new_session_reads_the_whole_history_from_the_log(session: Open) -> None:
    mine = session()
    _put(mine, "notes", a={"n": 1})
    _put(mine, "notes", a={"n": 2}, b={"n": 1})
    late = session()
    feed = late.changes_since("0")
    assert feed.whole and [(n.seq, n.id, n.removed) for n in feed.changes] == [(1, "a", False), (2, "a", False),
                                                                               (2, "b", False)]
    assert feed.changes[1].fields == ("n",) and feed.changes[0].user == feed.changes[2].user != ""
    assert late.changes_since(feed.token).changes == () and late.changes_since("3").whole is False
    assert late.changes_since("-1").whole is False and late.changes_since("2@7").whole is False


def test_maps_and_customers_round_trip_through_a_store(session: Open) -> None:
    store = Store(session())
    other = Store(session())
    assert other.summaries() == []
    maps = store.add_many([make_map("Support call"), make_map("Web shop", touchpoints=5), make_map("Onboarding")])
    acme = store.customers.add_account(Account.new("Acme Vets", "2026-01-01", "Vets"))
    ann = store.customers.add_contact(Contact.new("Ann Lee", "2026-01-16", account=acme.id))
    bob = store.customers.add_contact(Contact.new("Bob Ray", "2026-01-17", account=acme.id))
    tp = maps[1].touchpoints[2]
    store.customers.record(ann.id, maps[1].id, tp.id, "2026-02-01", -2, "Wrong VAT")
    store.customers.record(bob.id, maps[1].id, tp.id, "2026-02-02", 1, "Fine")
    store.customers.resolve(ann.id, "2026-02-05", "Credit note sent")
    store.change(maps[0].id, lambda m: m.edit(scope="changed"))
    store.delete(maps[2].id)
    assert other.refresh() is True
    for seen in (other, Store(session())):  # an open session, and one opened now
        assert [s.title for s in seen.summaries()] == ["Support call", "Web shop"]
        assert [m.to_dict() for m in seen.maps()] == [m.to_dict() for m in store.maps()]
        assert seen.get(maps[0].id).scope == "changed"
        assert [i.to_dict() for i in seen.customers.interactions()] == [
            i.to_dict() for i in store.customers.interactions()]
        assert [(c.name, c.account) for c in seen.customers.contacts()] == [("Ann Lee", acme.id),
                                                                           ("Bob Ray", acme.id)]
        assert [r.note for r in seen.customers.resolutions()] == ["Credit note sent"]
    other.change(maps[1].id, lambda m: m.edit(persona="Busy vet"))  # and back the other way
    assert store.get(maps[1].id).persona == "Busy vet"


def test_an_older_copy_put_back_and_written_past_where_a_session_read_is_read_anew(session: Open, pg_url: str) -> None:
    mine, theirs = session(), session()
    _put(mine, "notes", a={"n": 1})
    pg_databases.admin(pg_url, "CREATE SCHEMA kept", "CREATE TABLE kept.docs AS TABLE cxmap.docs",
                       "CREATE TABLE kept.versions AS TABLE cxmap.versions",
                       "CREATE TABLE kept.log AS TABLE cxmap.log")
    for n in range(3):
        _put(mine, "notes", **{f"n{n}": {"n": n}})
    theirs.refresh()
    token = theirs.changes_since(None).token
    pg_databases.admin(pg_url, "TRUNCATE cxmap.docs, cxmap.versions, cxmap.log", "INSERT INTO cxmap.docs SELECT * FROM kept.docs",
                       "INSERT INTO cxmap.versions SELECT * FROM kept.versions",
                       "INSERT INTO cxmap.log SELECT * FROM kept.log")
    writer = session()  # someone who goes on from the copy, past where `theirs` had read
    for n in range(5):
        _put(writer, "notes", **{f"m{n}": {"n": n}})
    assert theirs.refresh() is True
    assert sorted(theirs.tables("notes")[0]) == ["a", "m0", "m1", "m2", "m3", "m4"]
    assert not theirs.changes_since(token).whole
    after = theirs.changes_since(None).token
    _put(writer, "notes", last={"n": 0})
    theirs.refresh()
    assert [n.id for n in theirs.changes_since(after).changes] == ["last"]


def test_saves_refused_by_the_guard_leave_the_session_able_to_save(session: Open) -> None:
    """Saves refused by their guard, again and again, at varying points of the statements' use
    (psycopg prepares those a save sends at their first use, schema.PREPARED): the session goes
    on saving, and everything refused was saved once on its next try."""
    mine, theirs = session(), session()
    for k in range(12):
        _put(theirs, "notes", b={"n": k})
        for _ in range(1 + k % 3):  # the first refused and tried again, the others not: uses vary
            for attempt in attempts():
                with attempt, mine.transaction():
                    n = int(str(mine.tables("notes")[0].get("a", {"n": 0})["n"])) + 1  # type: ignore[index]
                    mine.change("notes", put={"a": {"n": n}, "a2": {"n": n}})  # two rows, as a map and its summary
    assert session().tables("notes")[0] == {"a": {"n": 24}, "a2": {"n": 24}, "b": {"n": 11}}


def test_two_sessions_making_the_same_document_at_once_are_told_apart_by_the_guard(session: Open) -> None:
    """Both send version (notes, x) at the same seq: the second is refused as out of date (and
    tried again on what the first saved), not failed on the first's version."""
    mine, theirs = session(), session()
    _put(mine, "notes", a={"n": 1})
    theirs.refresh()
    _put(mine, "notes", x={"by": "mine"})
    tries = 0
    for attempt in attempts():
        with attempt, theirs.transaction():
            tries += 1
            theirs.change("notes", put={"x": {"by": "theirs"}})
    assert tries == 2 and session().tables("notes")[0]["x"] == {"by": "theirs"}
