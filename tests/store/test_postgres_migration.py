"""A workspace made by an older cxmap (schema version 1: each document in cxmap.docs and again in
every log row that saved it) is brought up to date in place by its owner the first time this
cxmap opens it: the maps, the history and the team's rights are as they were; a member who is not
the owner is told, in one line, that the owner must open it first, and nothing is changed."""

from __future__ import annotations

import json

import psycopg
import pytest

from cxmap_tui.store import Store
from cxmap_tui.store.errors import StoreError
from cxmap_tui.store.postgres import PostgresEngine
from cxmap_tui.store.postgres import schema as sql
from cxmap_tui.store.store import MAP_SUMMARIES, MAPS, summary_of
from tests.helpers import pg_databases
from tests.helpers.factories import make_map
from tests.helpers.pg_databases import MakeRole

# The schema as version 1 made it.
VERSION_1 = (
    "CREATE SCHEMA cxmap",
    "CREATE TABLE cxmap.meta (key text PRIMARY KEY, value text NOT NULL)",
    ("CREATE TABLE cxmap.docs (tbl text NOT NULL, id text NOT NULL, doc jsonb NOT NULL, rev bigint NOT NULL,"
     " PRIMARY KEY (tbl, id))"),
    ("CREATE TABLE cxmap.log (seq bigint PRIMARY KEY CHECK (seq > 0), at timestamptz NOT NULL,"
     " os_user text NOT NULL, participant text, changes jsonb NOT NULL)"),
    "INSERT INTO cxmap.meta VALUES ('schema_version', '1')",
)
MEMBER = ("GRANT USAGE ON SCHEMA cxmap TO {role}; GRANT SELECT ON cxmap.meta TO {role};"
          " GRANT SELECT, INSERT, UPDATE, DELETE ON cxmap.docs TO {role}; GRANT SELECT, INSERT ON cxmap.log TO {role}")


def _version_1_workspace(url: str) -> tuple[str, dict[str, object], dict[str, object]]:
    """A map made (log row 1) and its scope changed (row 2), as version 1 stored them: the map's
    id, its first document and its second."""
    m = make_map()
    first = m.to_dict()
    m.edit(scope="A parent calls about a lost parcel")
    m.revision += 1
    second = m.to_dict()

    def change(table: str, doc: dict[str, object], fields: list[str] | None) -> dict[str, object]:
        return {"table": table, "id": m.id, "removed": False, "fields": fields, "doc": doc}

    row1 = [change(MAPS, first, None), change(MAP_SUMMARIES, dict(summary_of(first)), None)]
    row2 = [change(MAPS, second, ["revision", "scope"])]
    pg_databases.admin(url, *VERSION_1)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("INSERT INTO cxmap.docs VALUES (%s, %s, %s::jsonb, 2), (%s, %s, %s::jsonb, 1)",
                   (MAPS, m.id, json.dumps(second), MAP_SUMMARIES, m.id, json.dumps(summary_of(first))))
        db.execute("INSERT INTO cxmap.log VALUES (1, '2026-11-02 10:00+00', 'ann', NULL, %s::jsonb),"
                   " (2, '2026-11-03 10:00+00', 'bob', 'Bob', %s::jsonb)", (json.dumps(row1), json.dumps(row2)))
    return m.id, first, second


def test_the_owner_opening_it_brings_it_up_to_date_with_maps_history_and_rights_kept(pg_url: str,
                                                                                     role: MakeRole) -> None:
    map_id, first, second = _version_1_workspace(pg_url)
    member_url = role(MEMBER)
    owner = PostgresEngine(pg_url)
    try:
        assert pg_databases.admin(pg_url, "SELECT value FROM cxmap.meta") == [(str(sql.SCHEMA_VERSION),)]
        store = Store(owner)
        assert store.get(map_id).scope == "A parent calls about a lost parcel"
        assert [s.title for s in store.summaries()] == ["Support call"]
        history = owner.whole().records  # each log row with the document it saved, as before
        assert [(r.seq, r.by.user, [c.table for c in r.changes]) for r in history] == [
            (1, "ann", [MAPS, MAP_SUMMARIES]), (2, "bob", [MAPS])]
        assert history[0].changes[0].doc == first and history[1].changes[0].doc == second
        feed = owner.changes_since("0")
        assert [(n.seq, n.id, n.fields) for n in feed.changes] == [
            (1, map_id, None), (1, map_id, None), (2, map_id, ("revision", "scope"))]
        # Each document once: the log rows no longer hold them.
        assert "doc" not in json.dumps(pg_databases.admin(pg_url, "SELECT changes FROM cxmap.log ORDER BY seq"))
        store.change(map_id, lambda x: x.edit(persona="Busy parent"))
    finally:
        owner.close()
    member = PostgresEngine(member_url)  # the team's rights carried over to the new table
    try:
        assert member.read_only == ""
        Store(member).change(map_id, lambda x: x.edit(persona="Busy vet"))
        assert Store(member).get(map_id).persona == "Busy vet"
    finally:
        member.close()


def test_a_member_who_is_not_the_owner_is_told_the_owner_must_open_it_first(pg_url: str, role: MakeRole) -> None:
    _version_1_workspace(pg_url)
    member_url = role(MEMBER)
    before = pg_databases.admin(pg_url, "SELECT seq, changes::text FROM cxmap.log ORDER BY seq")
    with pytest.raises(StoreError) as caught:
        PostgresEngine(member_url)
    said = str(caught.value)
    assert "\n" not in said and "only its owner may" in said and "password" not in said
    assert pg_databases.admin(pg_url, "SELECT value FROM cxmap.meta") == [("1",)]
    assert pg_databases.admin(pg_url, "SELECT seq, changes::text FROM cxmap.log ORDER BY seq") == before
    assert pg_databases.admin(pg_url, "SELECT to_regclass('cxmap.versions')") == [(None,)]
