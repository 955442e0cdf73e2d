"""The PostgreSQL engine's schema and statements (the package's text says how they are used).

Everything lives in the schema `cxmap` of the database the user names, and every name is
written with its schema: the engine sets its search path to pg_catalog alone, so no table or
function someone else made in another schema is ever taken for one of these.

    cxmap.meta      (key text, value text)      the schema's version ('schema_version')
    cxmap.docs      (tbl, id, rev)              one row a document there is now: the revision
                                                it is at (the seq that saved it)
    cxmap.versions  (tbl, id, rev, doc jsonb)   every version of a document saved (rev: the seq
                                                that saved it), the one a docs row names among
                                                them: a saved document is written once
    cxmap.log       (seq, at, os_user, participant, changes jsonb)
                                                one row a saved transaction: the history and
                                                the feed; seq 1, 2, 3, ... without gaps

A change in `changes` is {"table", "id", "removed", "fields"}: `fields` the top-level fields that
changed (null for a new or removed one); the new document is the version (table, id, seq).
Read back, a log row's changes carry their documents again as "doc" (LOGGED), as cache.decoded
reads them.

Version 1 kept the documents in cxmap.docs and again in each log row; MIGRATIONS[1] moves them
into cxmap.versions, once each, and gives that table the rights the log had.
"""

from __future__ import annotations

import functools

SCHEMA_VERSION = 2
# Every writer of a workspace holds this transaction-scoped advisory lock ('cxmap' in ASCII) from
# before it reads what is new until it commits: commits are ordered and the log has no gaps.
LOCK_KEY = 0x63786D6170
CHANNEL = "cxmap"  # each commit NOTIFYs it with its seq, for a session that waits for news

SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', 'pg_catalog', false)"

# The schema and its tables, read from the catalogs themselves (not their caches), so a session
# that waited for the lock while another made them sees them.
FOUND = ("SELECT ARRAY(SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
         " ON n.oid = c.relnamespace WHERE n.nspname = 'cxmap' AND c.relkind = 'r'),"
         " EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'cxmap')")
CREATE = (
    "CREATE SCHEMA IF NOT EXISTS cxmap",
    "CREATE TABLE cxmap.meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE cxmap.docs (tbl text NOT NULL, id text NOT NULL, rev bigint NOT NULL, PRIMARY KEY (tbl, id))",
    ("CREATE TABLE cxmap.versions (tbl text NOT NULL, id text NOT NULL, rev bigint NOT NULL, doc jsonb NOT NULL,"
     " PRIMARY KEY (tbl, id, rev))"),
    ("CREATE TABLE cxmap.log (seq bigint PRIMARY KEY CHECK (seq > 0), at timestamptz NOT NULL,"
     " os_user text NOT NULL, participant text, changes jsonb NOT NULL)"),
)
TABLES = frozenset({"meta", "docs", "versions", "log"})
NEW_VERSION = "INSERT INTO cxmap.meta (key, value) VALUES ('schema_version', %s)"
# The statements that take a workspace at version n to n + 1, run in one transaction under the lock
# by its owner; TABLES_AT[n]: the tables a workspace at version n has.
_CHANGE = ("(CASE WHEN pg_catalog.jsonb_typeof(l.changes) = 'array' THEN l.changes ELSE '[]' END)")
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        ("CREATE TABLE cxmap.versions (tbl text NOT NULL, id text NOT NULL, rev bigint NOT NULL, doc jsonb NOT NULL,"
         " PRIMARY KEY (tbl, id, rev))"),
        # Whoever could read and append to the log may read and add versions (and prune them).
        ("DO $$ DECLARE g record; BEGIN FOR g IN SELECT grantee, privilege_type"
         " FROM information_schema.role_table_grants WHERE table_schema = 'cxmap' AND table_name = 'log'"
         " AND grantee <> current_user"
         " AND privilege_type IN ('SELECT', 'INSERT', 'DELETE') LOOP"
         " EXECUTE pg_catalog.format('GRANT %s ON cxmap.versions TO %s', g.privilege_type,"
         " CASE WHEN g.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE pg_catalog.quote_ident(g.grantee) END);"
         " END LOOP; END $$"),
        "INSERT INTO cxmap.versions (tbl, id, rev, doc) SELECT tbl, id, rev, doc FROM cxmap.docs",
        ("INSERT INTO cxmap.versions (tbl, id, rev, doc) SELECT c->>'table', c->>'id', l.seq, c->'doc'"
         f" FROM cxmap.log l CROSS JOIN LATERAL pg_catalog.jsonb_array_elements({_CHANGE}) AS c"
         " WHERE pg_catalog.jsonb_typeof(c) = 'object' AND pg_catalog.jsonb_typeof(c->'table') = 'string'"
         " AND pg_catalog.jsonb_typeof(c->'id') = 'string' AND pg_catalog.jsonb_typeof(c->'doc') = 'object'"
         " ON CONFLICT DO NOTHING"),
        ("UPDATE cxmap.log AS l SET changes = (SELECT pg_catalog.jsonb_agg(CASE"
         " WHEN pg_catalog.jsonb_typeof(c) = 'object' THEN c - 'doc' ELSE c END ORDER BY n)"
         f" FROM pg_catalog.jsonb_array_elements({_CHANGE})"
         " WITH ORDINALITY AS x(c, n)) WHERE pg_catalog.jsonb_typeof(l.changes) = 'array'"
         " AND pg_catalog.jsonb_array_length(l.changes) > 0"),
        "ALTER TABLE cxmap.docs DROP COLUMN doc",
    ),
}
TABLES_AT = {1: frozenset({"meta", "docs", "log"}), 2: TABLES}
VERSION = "SELECT value FROM cxmap.meta WHERE key = 'schema_version'"
SET_VERSION = "UPDATE cxmap.meta SET value = %s WHERE key = 'schema_version'"

LOCK = f"SELECT pg_catalog.pg_advisory_xact_lock({LOCK_KEY})"
MAY_WRITE = ("SELECT pg_catalog.current_setting('transaction_read_only') = 'off',"
             " pg_catalog.has_table_privilege('cxmap.docs', 'INSERT')"
             " AND pg_catalog.has_table_privilege('cxmap.docs', 'UPDATE')"
             " AND pg_catalog.has_table_privilege('cxmap.docs', 'DELETE')"
             " AND pg_catalog.has_table_privilege('cxmap.versions', 'INSERT')"
             " AND pg_catalog.has_table_privilege('cxmap.log', 'INSERT'), current_user")

# Reading everything: the last log row, then every document (in one snapshot).
LAST = "SELECT seq, at FROM cxmap.log ORDER BY seq DESC LIMIT 1"
DOCS = ("SELECT d.tbl, d.id, v.doc, d.rev FROM cxmap.docs d JOIN cxmap.versions v"
        " ON v.tbl = d.tbl AND v.id = d.id AND v.rev = d.rev")
# A log row's changes with their documents (the versions it saved; null for a removal, and for a
# version missing, which cache.decoded reports), as written before version 2: for a copy.
LOGGED = ("(SELECT COALESCE(pg_catalog.jsonb_agg(CASE WHEN pg_catalog.jsonb_typeof(c) = 'object'"
          " THEN c || pg_catalog.jsonb_build_object('doc', v.doc) ELSE c END ORDER BY n), '[]')"
          " FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(l.changes) = 'array'"
          " THEN l.changes ELSE pg_catalog.jsonb_build_array(l.changes) END) WITH ORDINALITY AS x(c, n)"
          " LEFT JOIN cxmap.versions v ON pg_catalog.jsonb_typeof(c) = 'object' AND v.tbl = c->>'table'"
          " AND v.id = c->>'id' AND v.rev = l.seq)")
# Reading what is new: the row last read (to see it is still the same) and those after it.
# Then, in the same answer, the versions those rows saved, each as stored (a session parses a
# document only when it looks at it): rows whose `at` is null, with (seq, table, id, document).
NEWS = ("(SELECT seq, at, os_user, participant, CASE WHEN seq > %(last)s THEN changes END, NULL::text, NULL::text,"
        " NULL::jsonb FROM cxmap.log WHERE seq >= %(last)s ORDER BY seq LIMIT %(limit)s) UNION ALL"
        " (SELECT l.seq, NULL, NULL, NULL, NULL, c->>'table', c->>'id', v.doc FROM cxmap.log l"
        " CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(l.changes) = 'array'"
        " THEN l.changes ELSE '[]' END) AS c JOIN cxmap.versions v ON v.tbl = c->>'table' AND v.id = c->>'id'"
        " AND v.rev = l.seq WHERE l.seq > %(last)s AND l.seq < %(last)s + %(limit)s)")
# The feed: what the rows after a token changed, without the documents.
FEED = ("SELECT seq, at, os_user, participant, changes FROM cxmap.log WHERE seq > %(since)s AND seq <= %(last)s"
        " ORDER BY seq LIMIT %(limit)s")

# Saving: one statement is the whole save. It takes the workspace's lock, then writes each
# document put as its new version, each document's row only where it is still at the revision
# read (so a save that missed someone's change, or one who wrote without the lock, changes
# nothing), and the log row at the seq after the last one read, and announces it on the channel
# (at the commit). Sent on its own it is its own transaction, in one round trip; a careful save
# sends it after the lock and what is new, in the same pipeline. It fails itself when it must not
# go on, which rolls everything back, in this order: the guard (the log's last row is still the
# one the session read last: seq and time, NULL and NULL for an empty log) with an error of its
# own (STALE, an integer that is not one: invalid_text_representation); the log row, refused by
# the log's key (unique_violation) where someone saved that seq meanwhile: the guard reads the
# log as the statement found it, which may be before it got the lock, and the key is the guard
# that holds in that race; then a row not as read (division_by_zero), which only a writer without
# cxmap's lock leaves. engine.Conflict each. Every write reads the lock's row first, so the lock
# is held before anything is written (two saves never wait for each other's rows).
STALE = "cxmap: someone saved first"
_GUARD = ("(CASE WHEN (SELECT seq FROM cxmap.log ORDER BY seq DESC LIMIT 1) IS NOT DISTINCT FROM %(top)s::bigint"
          " AND (SELECT at FROM cxmap.log ORDER BY seq DESC LIMIT 1) IS NOT DISTINCT FROM %(at)s::timestamptz"
          " THEN '1' ELSE 'cxmap: someone saved first' END)::int")
assert STALE in _GUARD
NEW, PUT, GONE = "new", "put", "gone"  # a document made, one put over the version read, one removed


@functools.cache
def save(kinds: tuple[str, ...]) -> str:
    """The statement that saves documents of these kinds (NEW, PUT, GONE), the k-th with the
    parameters tK, iK (its table and id), rK (the revision read) and dK (its JSON), beside top
    and at (the guard's), seq (the log row's, and the revision they are saved at), user,
    participant and changes (the log row's). Its answer: the guard's 1, and the log row's time."""
    parts = [f"lk AS (SELECT pg_catalog.pg_advisory_xact_lock({LOCK_KEY})::text AS held)"]
    counted: list[str] = []
    for k, kind in enumerate(kinds):
        if kind == NEW:
            parts.append(f"w{k} AS (INSERT INTO cxmap.docs (tbl, id, rev) SELECT %(t{k})s::text, %(i{k})s::text,"
                         " %(seq)s::bigint FROM lk ON CONFLICT DO NOTHING RETURNING 1)")
        elif kind == PUT:
            parts.append(f"w{k} AS (UPDATE cxmap.docs SET rev = %(seq)s::bigint FROM lk WHERE tbl = %(t{k})s::text"
                         f" AND id = %(i{k})s::text AND rev = %(r{k})s::bigint RETURNING 1)")
        else:
            parts.append(f"w{k} AS (DELETE FROM cxmap.docs USING lk WHERE tbl = %(t{k})s::text"
                         f" AND id = %(i{k})s::text AND rev = %(r{k})s::bigint RETURNING 1)")
        counted.append(f"w{k}")
        if kind != GONE:
            parts.append(f"v{k} AS (INSERT INTO cxmap.versions (tbl, id, rev, doc) SELECT %(t{k})s::text,"
                         f" %(i{k})s::text, %(seq)s::bigint, %(d{k})s::jsonb FROM lk"
                         " ON CONFLICT DO NOTHING RETURNING 1)")
            counted.append(f"v{k}")
    parts.append("a AS (INSERT INTO cxmap.log (seq, at, os_user, participant, changes) SELECT %(seq)s::bigint,"
                 " pg_catalog.clock_timestamp(), %(user)s::text, %(participant)s::text, %(changes)s::jsonb FROM lk"
                 f" RETURNING at, pg_catalog.pg_notify('{CHANNEL}', seq::text))")
    written = " + ".join(f"(SELECT pg_catalog.count(*) FROM {name})" for name in counted)
    # CASE sets the order: the guard, then the log row, then the documents.
    return (f"WITH {', '.join(parts)} SELECT CASE WHEN {_GUARD} = 1 THEN CASE WHEN (SELECT at FROM a) IS NOT NULL"
            f" THEN 1 / (CASE WHEN {written} = {len(counted)} THEN 1 ELSE 0 END) END END, (SELECT at FROM a)")


# One document's history, oldest first: each version kept (with its log row's time and who, or
# NULLs where history pruned the row and kept the version a document is at), and each removal of
# it (a log row whose changes say so, without a version).
VERSIONS = ("(SELECT v.rev AS seq, l.at, l.os_user, l.participant, v.doc, c->'fields' FROM cxmap.versions v"
            " LEFT JOIN cxmap.log l ON l.seq = v.rev LEFT JOIN LATERAL (SELECT c FROM"
            " pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(l.changes) = 'array'"
            " THEN l.changes ELSE '[]' END) AS c WHERE c->>'table' = %(t)s AND c->>'id' = %(i)s LIMIT 1) x ON true"
            " WHERE v.tbl = %(t)s AND v.id = %(i)s) UNION ALL"
            " (SELECT l.seq, l.at, l.os_user, l.participant, NULL, NULL FROM cxmap.log l"
            " CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(l.changes)"
            " = 'array' THEN l.changes ELSE '[]' END) AS c WHERE c->>'table' = %(t)s AND c->>'id' = %(i)s"
            " AND c->>'removed' = 'true') ORDER BY 1")
# Whether a save whose commit's answer was lost went in: its log row there, with its changes.
LANDED = "SELECT changes OPERATOR(pg_catalog.=) %s::jsonb FROM cxmap.log WHERE seq = %s"

# Pruning the history: the rows to drop are those made before a moment (NULL: any) and not among
# the newest N (NULL: none kept for that); the newest row always stays, since a session checks
# that the row it read last is still there (and the sequence goes on from it). A row's size: its
# own and that of the versions it saved that are not a document's current one (which go with it).
_OLD_VERSIONS = ("FROM cxmap.versions v WHERE v.rev = l.seq AND NOT EXISTS (SELECT FROM cxmap.docs d"
                 " WHERE d.tbl = v.tbl AND d.id = v.id AND d.rev = v.rev)")
PRUNABLE = ("WITH ranked AS (SELECT l.seq, l.at, pg_catalog.pg_column_size(l.changes)"
            f" + (SELECT COALESCE(pg_catalog.sum(pg_catalog.pg_column_size(v.doc)), 0) {_OLD_VERSIONS})"
            " AS size, pg_catalog.row_number() OVER (ORDER BY l.seq DESC) AS n FROM cxmap.log l)"
            " SELECT seq, at, size, n > 1 AND (%(keep)s::bigint IS NULL OR n > %(keep)s::bigint)"
            " AND (%(before)s::timestamptz IS NULL OR at < %(before)s::timestamptz) FROM ranked ORDER BY seq")
PRUNE = ("WITH l AS (DELETE FROM cxmap.log WHERE seq = ANY(%(seqs)s) RETURNING seq)"
         " DELETE FROM cxmap.versions v USING l WHERE v.rev = l.seq AND NOT EXISTS (SELECT FROM cxmap.docs d"
         " WHERE d.tbl = v.tbl AND d.id = v.id AND d.rev = v.rev)")

# Moving a workspace: all of the log, oldest first (with its documents); how much there is (a
# copy goes only into an empty workspace); a document, a version and a log row taken in as they
# were recorded elsewhere.
ALL_LOG = f"SELECT l.seq, l.at, l.os_user, l.participant, {LOGGED} FROM cxmap.log l ORDER BY l.seq"
HOLDS = "SELECT (SELECT count(*) FROM cxmap.docs), (SELECT count(*) FROM cxmap.log)"
ADOPT_DOC = "INSERT INTO cxmap.docs (tbl, id, rev) VALUES (%s, %s, %s)"
ADOPT_VERSION = "INSERT INTO cxmap.versions (tbl, id, rev, doc) VALUES (%s, %s, %s, %s::jsonb) ON CONFLICT DO NOTHING"
ADOPT_LOG = ("INSERT INTO cxmap.log (seq, at, os_user, participant, changes)"
             " VALUES (%s, %s::timestamptz, %s, %s, %s::jsonb)")

# The statements a save sends in its pipeline, prepared at their first use. Left to psycopg, a
# statement is prepared at its fifth, and one whose preparing was sent in a pipeline that failed
# before it (a refused guard) would then be taken for prepared: "prepared statement does not
# exist" ever after. Prepared from the first, a failed preparing is known as such.
PREPARED = frozenset({LOCK, NEWS})  # and save's (engine.py says so as it sends them)
