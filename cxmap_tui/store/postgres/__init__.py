"""The workspace on a PostgreSQL server: the store's engine (`engine.Engine`) through psycopg 3,
which only this package imports (`pip install 'cxmap[postgres]'`; without it, importing this
package is one StoreError line saying so).

* **The schema** (schema.py) is cxmap's own, in the schema `cxmap` of the database named: made on
  first use, in one transaction, by a role allowed to; versioned by a row in cxmap.meta and
  brought up to date in place by its owner (a member who comes first is told so); a newer one is
  refused. Every version of a document saved is a row of cxmap.versions (table, id, revision,
  jsonb), written once; cxmap.docs names the revision each document there is now is at; every
  saved transaction is one row of cxmap.log (seq, when, the OS user and participant, and its
  changes: table, id, removed, the fields changed). The log and the versions are the history and
  the feed.
* **Reading** (cache.py): a session keeps the workspace in memory and moves it forward only by
  log rows. The first read loads the tables whole; every later one (and `refresh`) asks for the
  log rows after the last seen, one indexed query that answers one short row when nothing is
  new, so a read or a save costs what changed since, never the workspace. What was read never
  changes under a reader, as in the file engine.
* **A transaction** is one statement, in one round trip, when the session has no reason to think
  it is behind: the block runs on the tables in memory (it sees its own changes), then one
  statement, its own transaction (schema.save), takes the workspace's transaction-scoped
  advisory lock (commits are ordered: the file engine's lock, on the server); checks the guard
  (the log's last row is still the one the session read last); writes only the documents that
  changed, each only where its row is still at the revision read; appends the log row at the
  seq after the last one read (the log's key refuses it if someone saved that seq meanwhile, so
  the log has no gaps and its order is the commits'); and NOTIFYs channel `cxmap` with its seq
  (for a session that waits for news). A block that changes nothing sends nothing. Refused by
  the guard or the key (someone saved first), or a block that raised on tables found out of
  date, is Conflict, and the store runs the block again; that try, and each after it while
  others keep saving, goes the careful way: the lock and the new log rows first (a round trip,
  in a pipeline whose end commits: no BEGIN or COMMIT to send), then the block, then the same
  statement. Either way nobody's change is saved over one it had not seen.
  A document put back as it was is no change. A document's revision is the seq of the
  transaction that saved it (its `Revision` is that number as text): it only grows, so a
  document removed and made again never comes back at a revision someone read before.
  `change(expect=)` compares with those revisions; a mismatch, or a row not at its revision
  when written (someone wrote without the lock), raises Conflict, and nothing is saved.
* **A log that went back or was cut** (the database put back from an older copy, history
  pruned past what a session read): the row a session read last is gone or not the same, so it
  reads everything again and its feed says it is not whole. Pruning must keep the newest row.
* **Faults**: `location` is the address without its password; every psycopg error becomes one
  StoreError line with the password taken out (Unavailable or SaveFailed when the server may
  take it later). A lost connection is made again at the next read or transaction, never in
  the middle of one; the log tells the session what it missed.
"""

from ..errors import StoreError

try:
    import psycopg  # noqa: F401  (only to say so now, in one line, when it is missing)
except ImportError:
    raise StoreError("a workspace on a PostgreSQL server needs psycopg: pip install 'cxmap[postgres]'") from None

import logging

# psycopg logs a warning when a pipeline it ends after an error fails again (it does after a
# refused save); the error itself reaches the user as one line, the warning never should.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

from .engine import PostgresEngine  # noqa: E402

__all__ = ["PostgresEngine"]
