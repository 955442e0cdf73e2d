"""The PostgreSQL engine's schema and statements (the package's text says how they are used).

Everything lives in the schema `cxmap` of the database the user names, and every name is
written with its schema: the engine sets its search path to pg_catalog alone, so no table or
function someone else made in another schema is ever taken for one of these.

    cxmap.meta  (key text, value text)          the schema's version ('schema_version')
    cxmap.docs  (tbl, id, doc jsonb, rev)       one row a document; rev: the seq that saved it
    cxmap.log   (seq, at, os_user, participant, changes jsonb)
                                                one row a saved transaction: the history and
                                                the feed; seq 1, 2, 3, ... without gaps

A change in `changes` is {"table", "id", "removed", "fields", "doc"}: `doc` the whole new document
(null when removed), `fields` the top-level fields that changed (null for a new or removed one).
"""

from __future__ import annotations

SCHEMA_VERSION = 1
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
    ("CREATE TABLE cxmap.docs (tbl text NOT NULL, id text NOT NULL, doc jsonb NOT NULL, rev bigint NOT NULL,"
     " PRIMARY KEY (tbl, id))"),
    ("CREATE TABLE cxmap.log (seq bigint PRIMARY KEY CHECK (seq > 0), at timestamptz NOT NULL,"
     " os_user text NOT NULL, participant text, changes jsonb NOT NULL)"),
)
NEW_VERSION = "INSERT INTO cxmap.meta (key, value) VALUES ('schema_version', %s)"
# The statements that take a workspace at version n to n + 1, run in one transaction under the lock.
MIGRATIONS: dict[int, tuple[str, ...]] = {}
VERSION = "SELECT value FROM cxmap.meta WHERE key = 'schema_version'"
SET_VERSION = "UPDATE cxmap.meta SET value = %s WHERE key = 'schema_version'"

LOCK = f"SELECT pg_catalog.pg_advisory_xact_lock({LOCK_KEY})"
MAY_WRITE = ("SELECT pg_catalog.current_setting('transaction_read_only') = 'off',"
             " pg_catalog.has_table_privilege('cxmap.docs', 'INSERT')"
             " AND pg_catalog.has_table_privilege('cxmap.docs', 'UPDATE')"
             " AND pg_catalog.has_table_privilege('cxmap.docs', 'DELETE')"
             " AND pg_catalog.has_table_privilege('cxmap.log', 'INSERT'), current_user")

# Reading everything: the last log row, then every document (in one snapshot).
LAST = "SELECT seq, at FROM cxmap.log ORDER BY seq DESC LIMIT 1"
DOCS = "SELECT tbl, id, doc, rev FROM cxmap.docs"
# Reading what is new: the row last read (to see it is still the same) and those after it.
NEWS = ("SELECT seq, at, os_user, participant, CASE WHEN seq > %(last)s THEN changes END FROM cxmap.log"
        " WHERE seq >= %(last)s ORDER BY seq LIMIT %(limit)s")
# The feed: what the rows after a token changed, without the documents.
FEED = ("SELECT seq, at, os_user, participant, (SELECT pg_catalog.jsonb_agg(c OPERATOR(pg_catalog.-) 'doc'"
        " ORDER BY n) FROM pg_catalog.jsonb_array_elements(changes) WITH ORDINALITY AS x(c, n))"
        " FROM cxmap.log WHERE seq > %(since)s AND seq <= %(last)s ORDER BY seq LIMIT %(limit)s")

# Saving: each row only if it is still at the revision read, so a save that missed someone's
# change (one who wrote without the lock) changes nothing. A save's statements go to the server
# together, with its COMMIT (a pipeline): a row not as read cannot be told by a count read back
# before the COMMIT is sent, so each statement divides by the rows it changed, and one that
# changed none fails (division_by_zero), which rolls the whole transaction back (engine.Conflict).
INSERT = ("WITH w AS (INSERT INTO cxmap.docs (tbl, id, doc, rev) VALUES (%s, %s, %s::jsonb, %s)"
          " ON CONFLICT DO NOTHING RETURNING 1) SELECT 1 / (SELECT pg_catalog.count(*) FROM w)::int")
UPDATE = ("WITH w AS (UPDATE cxmap.docs SET doc = %s::jsonb, rev = %s WHERE tbl = %s AND id = %s AND rev = %s"
          " RETURNING 1) SELECT 1 / (SELECT pg_catalog.count(*) FROM w)::int")
DELETE = ("WITH w AS (DELETE FROM cxmap.docs WHERE tbl = %s AND id = %s AND rev = %s RETURNING 1)"
          " SELECT 1 / (SELECT pg_catalog.count(*) FROM w)::int")
# A save sent in one round trip, on what the session had read: it goes on only if the log's last
# row is still the one read last (seq and time; NULL, NULL for an empty log), else the transaction
# fails with an error of its own (STALE, as an integer that is not one: invalid_text_representation)
# and the store runs it again. Under the lock, so nobody with cxmap can move the log meanwhile.
STALE = "cxmap: someone saved first"
GUARD = ("SELECT (CASE WHEN (SELECT seq FROM cxmap.log ORDER BY seq DESC LIMIT 1) IS NOT DISTINCT FROM"
         " %(top)s::bigint AND (SELECT at FROM cxmap.log ORDER BY seq DESC LIMIT 1) IS NOT DISTINCT FROM"
         " %(at)s::timestamptz THEN '1' ELSE 'cxmap: someone saved first' END)::int")
assert STALE in GUARD
APPEND = ("INSERT INTO cxmap.log (seq, at, os_user, participant, changes)"
          " VALUES (%s, pg_catalog.clock_timestamp(), %s, %s, %s::jsonb) RETURNING at")
NOTIFY = f"SELECT pg_catalog.pg_notify('{CHANNEL}', %s)"
# Whether a save whose COMMIT's answer was lost went in: its log row there, with its changes.
LANDED = "SELECT changes OPERATOR(pg_catalog.=) %s::jsonb FROM cxmap.log WHERE seq = %s"

# Pruning the history: the rows to drop are those made before a moment (NULL: any) and not among
# the newest N (NULL: none kept for that); the newest row always stays, since a session checks
# that the row it read last is still there (and the sequence goes on from it). Sizes as stored.
PRUNABLE = ("WITH ranked AS (SELECT seq, at, pg_catalog.pg_column_size(changes) AS size,"
            " pg_catalog.row_number() OVER (ORDER BY seq DESC) AS n FROM cxmap.log)"
            " SELECT seq, at, size, n > 1 AND (%(keep)s::bigint IS NULL OR n > %(keep)s::bigint)"
            " AND (%(before)s::timestamptz IS NULL OR at < %(before)s::timestamptz) FROM ranked ORDER BY seq")
PRUNE = "DELETE FROM cxmap.log WHERE seq = ANY(%s)"

# Moving a workspace: all of the log, oldest first; how much there is (a copy goes only into an
# empty workspace); a log row taken in as it was recorded elsewhere.
ALL_LOG = "SELECT seq, at, os_user, participant, changes FROM cxmap.log ORDER BY seq"
HOLDS = "SELECT (SELECT count(*) FROM cxmap.docs), (SELECT count(*) FROM cxmap.log)"
ADOPT_LOG = ("INSERT INTO cxmap.log (seq, at, os_user, participant, changes)"
             " VALUES (%s, %s::timestamptz, %s, %s, %s::jsonb)")

# The statements a save sends in its pipeline, prepared at their first use. Left to psycopg, a
# statement is prepared at its fifth, and one whose preparing was sent in a pipeline that failed
# before it (a refused guard) would then be taken for prepared: "prepared statement does not
# exist" ever after. Prepared from the first, a failed preparing is known as such. Transaction
# control (BEGIN, COMMIT, ROLLBACK) is never prepared.
PREPARED = frozenset({LOCK, GUARD, NEWS, INSERT, UPDATE, DELETE, APPEND, NOTIFY})
CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK"})
