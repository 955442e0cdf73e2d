"""The app on a workspace on a PostgreSQL server: what another session commits reaches it by the
server's announcement (LISTEN/NOTIFY), and an app with nothing new sends the server nothing; two
apps on one workspace see each other's edits; a save while the server is gone is held, shown as
not saved, and saved once when the server is back."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.store import Store
from cxmap_tui.store.postgres import PostgresEngine
from tests.helpers import pg_databases
from tests.helpers.factories import make_map
from tests.helpers.tcp_proxy import Relay
from tests.helpers.tui import make_app, open_map, screen_text, settle, toasts, type_text, wait_until


@pytest.fixture
def engines() -> list[PostgresEngine]:
    return []


@pytest.fixture(autouse=True)
def _closed(engines: list[PostgresEngine]) -> object:
    yield
    for engine in engines:
        engine.close()


def _store(url: str, engines: list[PostgresEngine]) -> Store:
    engines.append(PostgresEngine(url))
    return Store(engines[-1])


def test_news_is_heard_without_asking_the_server(pg_url: str, engines: list[PostgresEngine]) -> None:
    mine, theirs = _store(pg_url, engines), _store(pg_url, engines)
    sent: list[str] = []
    theirs.storage.server.watch = sent.append  # type: ignore[attr-defined]
    assert theirs.may_have_news() is True  # the first time: it was not listening before
    assert theirs.may_have_news() is False
    m = mine.add(make_map())
    _wait(lambda: theirs.may_have_news(), "the announcement of the commit")
    assert sent == []  # only the listener's own connection heard it; nothing was asked
    assert theirs.may_have_news() is False  # told once
    assert theirs.refresh() is True and theirs.get(m.id).title == m.title


def test_a_listener_cut_off_says_maybe_and_listens_again(pg_url: str, engines: list[PostgresEngine]) -> None:
    mine, theirs = _store(pg_url, engines), _store(pg_url, engines)
    theirs.may_have_news()
    listener = theirs.storage._listener  # type: ignore[attr-defined]
    pid = listener._db.info.backend_pid
    pg_databases.admin(pg_url, f"SELECT pg_terminate_backend({pid}, 10000)")
    mine.add(make_map())  # announced while no one listened
    _wait(lambda: theirs.may_have_news(), "a maybe from the lost listener")
    assert theirs.refresh() is True
    _wait(lambda: not theirs.may_have_news(), "the listener made again, with nothing new")
    assert listener._db is not None and listener._db.info.backend_pid != pid
    mine.add(make_map("Second map"))
    _wait(lambda: theirs.may_have_news(), "the next announcement, on the new connection")


def _wait(ready: object, what: str, timeout: float = 15.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not ready():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.01)


async def test_two_apps_on_one_server_see_each_others_edits(pg_url: str, engines: list[PostgresEngine],
                                                           tmp_path: Path) -> None:
    first, second = _store(pg_url, engines), _store(pg_url, engines)
    m = first.add(make_map())
    ann = make_app(first, tmp_path / "ann", poll_seconds=0.1)
    bob = make_app(second, tmp_path / "bob", poll_seconds=0.1)
    async with ann.run_test(size=(80, 24)) as a, bob.run_test(size=(80, 24)) as b:
        await settle(a)
        await settle(b)
        await open_map(a, "Support call")
        await open_map(b, "Support call")
        await a.press("f2")  # step 2, the experience: its scope is a field
        await b.press("f2")
        await settle(a)
        await settle(b)
        first.change(m.id, lambda x: x.edit(scope="Ann changed the scope"))
        await wait_until(b, lambda: "Ann changed the scope" in screen_text(bob), what="Ann's edit on Bob's screen")
        second.change(m.id, lambda x: x.edit(persona="Bob changed the persona"))
        await wait_until(a, lambda: "Bob changed the persona" in screen_text(ann), what="Bob's edit on Ann's screen")


async def test_an_app_with_nothing_new_asks_the_server_nothing(pg_url: str, engines: list[PostgresEngine],
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(pg_url, engines)
    store.add(make_map())
    asked: list[bool] = []
    heard = store.storage.may_have_news

    def counted() -> bool:
        asked.append(heard())
        return asked[-1]

    monkeypatch.setattr(store.storage, "may_have_news", counted)
    app = make_app(store, tmp_path / "state", poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await wait_until(pilot, lambda: len(asked) >= 2, what="the app to look for news")
        sent: list[str] = []
        store.storage.server.watch = sent.append  # type: ignore[attr-defined]
        looked = len(asked)
        await wait_until(pilot, lambda: len(asked) >= looked + 5, what="five more looks")
        assert sent == [] and not any(asked[looked:])


async def test_fields_typed_while_the_server_is_gone_are_kept_and_saved_once_it_is_back(
        pg_url: str, pg_relay: Relay, engines: list[PostgresEngine], tmp_path: Path) -> None:
    store = _store(pg_relay.address(pg_url), engines)
    m = _map_with_touchpoints(store)
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("tab", "tab")  # title, experience, scope
        pg_relay.cut()
        await pilot.press("ctrl+u")
        await type_text(pilot, "A parent calls about a lost parcel")
        await pilot.press("enter")  # saves the scope, on to the persona
        await type_text(pilot, "Busy parent")
        await pilot.press("enter")
        await settle(pilot)
        assert "NOT saved" in screen_text(app).splitlines()[1]
        assert "Not saved yet" in toasts(app) and "password" not in toasts(app).lower()
        assert app.screen.query_one("#f-scope").value == "A parent calls about a lost parcel"
        assert app.screen.query_one("#f-persona").value == "Busy parent"
        assert Store(PostgresEngine(pg_url)).get(m.id).persona == ""
        pg_relay.mend()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Store(PostgresEngine(pg_url)).get(m.id).persona == "Busy parent",
                         what="ctrl+s to save the held fields once the server is back")
        await settle(pilot)
        assert "NOT" not in screen_text(app).splitlines()[1]
    saved = Store(PostgresEngine(pg_url)).get(m.id)
    assert (saved.scope, saved.persona) == ("A parent calls about a lost parcel", "Busy parent")
    # Each held change saved once: the map's own log rows are its making and the two fields.
    rows = pg_databases.admin(pg_url, "SELECT count(*) FROM cxmap.log")
    assert rows == [(3,)]


def _map_with_touchpoints(store: Store) -> object:
    from cxmap_tui.domain import ExperienceMap

    m = ExperienceMap.new("Support call", scope="A customer calls about a late order")
    for name in ("Order page", "Hold music", "Agent answers"):
        m.add_touchpoint(name, stage="Use")
    return store.add(m)


def test_a_server_restarted_in_the_middle_of_a_session_loses_nothing_and_the_session_goes_on(
        pg_url: str, pg_relay: Relay, engines: list[PostgresEngine]) -> None:
    from cxmap_tui.store import Unavailable

    mine = _store(pg_relay.address(pg_url), engines)
    theirs = _store(pg_url, engines)  # another session, on the server directly
    m = mine.add(make_map())
    pg_relay.cut()
    with pytest.raises(Unavailable) as caught:
        mine.change(m.id, lambda x: x.edit(scope="while it was down"))
    assert "\n" not in str(caught.value)
    theirs.change(m.id, lambda x: x.edit(persona="saved meanwhile"))
    pg_relay.mend()
    mine.change(m.id, lambda x: x.edit(scope="after the restart"))
    got = Store(PostgresEngine(pg_url)).get(m.id)
    assert (got.scope, got.persona) == ("after the restart", "saved meanwhile")
    assert mine.get(m.id).persona == "saved meanwhile"  # the session read what it missed
    assert pg_databases.admin(pg_url, "SELECT count(*) FROM cxmap.log") == [(3,)]


async def test_a_server_gone_is_said_once_and_its_return_is_said(pg_url: str, pg_relay: Relay,
                                                                 engines: list[PostgresEngine], tmp_path: Path) -> None:
    store = _store(pg_relay.address(pg_url), engines)
    store.add(make_map())
    looks: list[bool] = []
    heard = store.storage.may_have_news

    def counted() -> bool:
        looks.append(True)
        return heard()

    store.storage.may_have_news = counted  # type: ignore[method-assign]
    app = make_app(store, tmp_path / "state", poll_seconds=0.05)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        pg_relay.cut()
        await wait_until(pilot, lambda: "Database problem" in toasts(app), what="the server's absence said")
        looked = len(looks)
        await wait_until(pilot, lambda: len(looks) >= looked + 5, what="five more looks while it is gone")
        assert toasts(app).count("Database problem") == 1 and "keeps trying" in toasts(app)
        pg_relay.mend()
        await wait_until(pilot, lambda: "answers again" in toasts(app), what="the server's return said")
        assert toasts(app).count("answers again") == 1
