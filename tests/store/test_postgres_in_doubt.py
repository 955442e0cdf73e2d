"""A save whose connection is lost once its COMMIT was sent may or may not have been applied: it
is reported as such (SaveInDoubt, one line), settled from the log before the session saves again,
and the same change tried again is applied once, whichever way it went."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxmap_tui.domain.edits import AddTouchpoint
from cxmap_tui.store import Store
from cxmap_tui.store.errors import SaveInDoubt
from cxmap_tui.store.postgres import PostgresEngine
from tests.helpers import pg_databases
from tests.helpers.factories import make_map
from tests.helpers.tcp_proxy import Relay


@pytest.fixture
def relayed(pg_url: str, pg_relay: Relay) -> Iterator[tuple[Store, str]]:
    """A store on the test's database through the relay, and a map of two touchpoints in it."""
    engine = PostgresEngine(pg_relay.address(pg_url))
    try:
        store = Store(engine)
        yield store, store.add(make_map(touchpoints=2)).id
    finally:
        engine.close()


def _names_on_server(pg_url: str, map_id: str) -> list[str]:
    """The map's touchpoints as a fresh session on the server reads them."""
    engine = PostgresEngine(pg_url)
    try:
        return [tp.name for tp in Store(engine).get(map_id).touchpoints]
    finally:
        engine.close()


@pytest.mark.parametrize("lost", ["before", "after"])
def test_a_change_lost_with_its_commit_is_applied_once_when_tried_again(pg_url: str, pg_relay: Relay,
                                                                         relayed: tuple[Store, str],
                                                                         lost: str) -> None:
    store, map_id = relayed
    edit = AddTouchpoint("Callback")
    pg_relay.at_next_commit(lost)
    with pytest.raises(SaveInDoubt) as caught:
        store.change_and_get(map_id, edit.apply)
    assert "\n" not in str(caught.value) and "may or may not have been saved" in str(caught.value)
    landed = pg_databases.admin(pg_url, "SELECT count(*) FROM cxmap.log")[0][0] == 2
    assert landed is (lost == "after")
    inverse, saved = store.change_and_get(map_id, edit.apply)  # the save queue tries it again
    assert [tp.name for tp in saved.touchpoints].count("Callback") == 1
    assert _names_on_server(pg_url, map_id).count("Callback") == 1
    assert pg_databases.admin(pg_url, "SELECT count(*) FROM cxmap.log") == [(2,)]  # one save of it in all
    store.change(map_id, inverse.apply)  # and its undo takes that one away
    assert "Callback" not in _names_on_server(pg_url, map_id)


def test_a_different_change_after_one_in_doubt_is_applied_on_what_was_saved(pg_url: str, pg_relay: Relay,
                                                                             relayed: tuple[Store, str]) -> None:
    store, map_id = relayed
    pg_relay.at_next_commit("after")
    with pytest.raises(SaveInDoubt):
        store.change(map_id, AddTouchpoint("Callback").apply)
    store.change(map_id, AddTouchpoint("Survey").apply)
    names = _names_on_server(pg_url, map_id)
    assert names.count("Callback") == 1 and names.count("Survey") == 1


def test_while_the_server_cannot_say_the_doubt_stays(pg_url: str, pg_relay: Relay,
                                                      relayed: tuple[Store, str]) -> None:
    from cxmap_tui.store import Unavailable

    store, map_id = relayed
    edit = AddTouchpoint("Callback")
    pg_relay.at_next_commit("after")
    with pytest.raises(SaveInDoubt):
        store.change_and_get(map_id, edit.apply)
    pg_relay.cut()
    with pytest.raises(Unavailable):
        store.change_and_get(map_id, edit.apply)
    pg_relay.mend()
    store.change_and_get(map_id, edit.apply)
    assert _names_on_server(pg_url, map_id).count("Callback") == 1
