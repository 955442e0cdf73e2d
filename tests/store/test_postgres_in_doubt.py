"""A save whose connection is lost once its COMMIT was sent may or may not have been applied: it
is reported as such (SaveInDoubt, one line), settled from the log before the session saves again,
and the same change tried again is applied once, whichever way it went."""

from __future__ import annotations

import pytest

from cxmap_tui.domain.edits import AddTouchpoint
from cxmap_tui.store import Store
from cxmap_tui.store.errors import SaveInDoubt
from cxmap_tui.store.postgres import PostgresEngine
from tests.helpers import pg_databases
from tests.helpers.factories import make_map
from tests.helpers.tcp_proxy import Relay


@pytest.mark.parametrize("lost", ["before", "after"])
def test_a_change_lost_with_its_commit_is_applied_once_when_tried_again(pg_url: str, pg_relay: Relay,
                                                                         lost: str) -> None:
    engine = PostgresEngine(pg_relay.address(pg_url))
    try:
        store = Store(engine)
        m = store.add(make_map(touchpoints=2))
        edit = AddTouchpoint("Callback")
        pg_relay.at_next_commit(lost)
        with pytest.raises(SaveInDoubt) as caught:
            store.change_and_get(m.id, edit.apply)
        assert "\n" not in str(caught.value) and "may or may not have been saved" in str(caught.value)
        landed = pg_databases.admin(pg_url, "SELECT count(*) FROM cxmap.log")[0][0] == 2
        assert landed is (lost == "after")
        inverse, saved = store.change_and_get(m.id, edit.apply)  # the save queue tries it again
        assert [tp.name for tp in saved.touchpoints].count("Callback") == 1
        fresh = Store(PostgresEngine(pg_url)).get(m.id)
        assert [tp.name for tp in fresh.touchpoints].count("Callback") == 1
        assert pg_databases.admin(pg_url, "SELECT count(*) FROM cxmap.log") == [(2,)]  # one save of it in all
        store.change(m.id, inverse.apply)  # and its undo takes that one away
        assert "Callback" not in [tp.name for tp in Store(PostgresEngine(pg_url)).get(m.id).touchpoints]
    finally:
        engine.close()


def test_a_different_change_after_one_in_doubt_is_applied_on_what_was_saved(pg_url: str, pg_relay: Relay) -> None:
    engine = PostgresEngine(pg_relay.address(pg_url))
    try:
        store = Store(engine)
        m = store.add(make_map(touchpoints=2))
        pg_relay.at_next_commit("after")
        with pytest.raises(SaveInDoubt):
            store.change(m.id, AddTouchpoint("Callback").apply)
        store.change(m.id, AddTouchpoint("Survey").apply)
        names = [tp.name for tp in Store(PostgresEngine(pg_url)).get(m.id).touchpoints]
        assert names.count("Callback") == 1 and names.count("Survey") == 1
    finally:
        engine.close()


def test_while_the_server_cannot_say_the_doubt_stays(pg_url: str, pg_relay: Relay) -> None:
    from cxmap_tui.store import Unavailable

    engine = PostgresEngine(pg_relay.address(pg_url))
    try:
        store = Store(engine)
        m = store.add(make_map(touchpoints=2))
        edit = AddTouchpoint("Callback")
        pg_relay.at_next_commit("after")
        with pytest.raises(SaveInDoubt):
            store.change_and_get(m.id, edit.apply)
        pg_relay.cut()
        with pytest.raises(Unavailable):
            store.change_and_get(m.id, edit.apply)
        pg_relay.mend()
        store.change_and_get(m.id, edit.apply)
        names = [tp.name for tp in Store(PostgresEngine(pg_url)).get(m.id).touchpoints]
        assert names.count("Callback") == 1
    finally:
        engine.close()
