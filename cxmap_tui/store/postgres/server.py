"""The connection to the server: made (and made again when lost), its errors as one line without
the password, and the schema made, upgraded or refused (schema.py holds the statements)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from psycopg import conninfo as pg_conninfo
from psycopg.adapt import Buffer, Loader
from psycopg.rows import TupleRow

from ..errors import NewerFormat, NoDatabase, ReadOnly, SaveFailed, StoreError, Unavailable, UnreadableFile
from . import schema as sql

_SECRETS = ("password", "sslpassword")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
Params = Sequence[object] | Mapping[str, object] | None


class _RawJSON(Loader):
    """jsonb as its bytes: documents are parsed when looked at, with cxmap's own checks."""

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


class Server:
    """One connection to the database at `conninfo`, in autocommit mode (transactions are
    explicit), its search path pg_catalog alone."""

    def __init__(self, conninfo: str) -> None:
        try:
            params = pg_conninfo.conninfo_to_dict(conninfo)
        except psycopg.Error:  # its message may quote the address, password and all
            raise StoreError("cannot read that PostgreSQL address: give a postgresql:// URL or "
                             "key=value pairs") from None
        self.location = shown(conninfo, params)
        self._secrets = [str(params[k]) for k in _SECRETS if params.get(k)]
        defaults = {} if "application_name" in params else {"application_name": "cxmap"}
        if "connect_timeout" not in params and "PGCONNECT_TIMEOUT" not in os.environ:
            defaults["connect_timeout"] = "10"  # else libpq waits for an unreachable server for ever
        self._conninfo = pg_conninfo.make_conninfo(conninfo, **defaults)
        self._db: psycopg.Connection[TupleRow] | None = None
        self.watch: Callable[[str], None] | None = None  # told each statement sent (tests count them)

    def live(self) -> psycopg.Connection[TupleRow]:
        """The connection, made again if it was lost. Only between transactions: a statement
        of a transaction on a new connection would run outside it."""
        if self._db is None or self._db.closed or self._db.broken:
            self._db = self.another()
            self._db.adapters.register_loader("jsonb", _RawJSON)
            self.run(sql.SEARCH_PATH)
        return self._db

    def another(self) -> psycopg.Connection[TupleRow]:
        """A new connection to the same database, in autocommit mode."""
        return psycopg.connect(self._conninfo, autocommit=True)

    @property
    def db(self) -> psycopg.Connection[TupleRow]:
        assert self._db is not None, "live() makes the connection first"
        return self._db

    def end_transaction(self) -> None:
        """Roll back a transaction still open on the connection (one that failed, or whose
        block raised before it committed); a connection that cannot is dropped (made anew next)."""
        db = self._db
        if db is None or db.closed or db.broken:
            return
        if db.info.transaction_status in (psycopg.pq.TransactionStatus.INTRANS, psycopg.pq.TransactionStatus.INERROR):
            try:
                db.execute("ROLLBACK", prepare=False)
            except psycopg.Error:
                self.close()

    def run(self, statement: str, params: Params = None, *, prepare: bool | None = None) -> psycopg.Cursor[TupleRow]:
        """Send a statement (in a pipeline: queue it). Those of a save (schema.PREPARED, and
        those `prepare` names) are prepared at their first use."""
        if self.watch is not None:
            self.watch(statement)
        if prepare is None and statement in sql.PREPARED:
            prepare = True
        return self.db.execute(statement, params, prepare=prepare)

    def run_many(self, statement: str, rows: list[tuple[object, ...]]) -> int:
        """`statement` once for each row (pipelined); how many rows it changed in all."""
        if self.watch is not None:
            self.watch(statement)
        with self.db.cursor() as cur:
            cur.executemany(statement, rows)
            return cur.rowcount

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextmanager
    def talking(self, doing: str) -> Iterator[None]:
        """psycopg's errors as one StoreError line, without the password. `doing`: "save", or
        what a line "cannot ... LOCATION" says was being done."""
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as e:
            if doing == "save":
                raise ReadOnly(f"{self.location} refused the change: {self.said(e)}; it was not saved") from None
            raise StoreError(f"cannot {doing} {self.location}: {self.said(e)}") from None
        except psycopg.OperationalError as e:  # the server down or gone, a timeout: may work later
            why = f"{self.location}: {self.said(e)}"
            if doing == "save":
                raise SaveFailed(f"could not save to {why}; the change was not saved", why=why) from None
            raise Unavailable(f"cannot {doing} {why}") from None
        except psycopg.Error as e:
            if doing == "save":
                raise StoreError(f"cannot save to {self.location}: {self.said(e)}; the change was not "
                                 "saved") from None
            raise StoreError(f"cannot {doing} {self.location}: {self.said(e)}") from None

    def said(self, error: Exception) -> str:
        """What went wrong, on one line, no password in it."""
        lines = str(error).strip().splitlines()
        text = lines[0] if lines else type(error).__name__
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _CONTROL.sub(" ", text)[:300]

    # -- the schema -------------------------------------------------------------------------------

    def make_schema(self, *, create: bool = True) -> None:
        """Make the schema if there is none (`create` false: NoDatabase), bring an older one up
        to date, refuse a newer one."""
        version = self._version()
        if version == sql.SCHEMA_VERSION:
            return
        if version is None and not create:
            raise NoDatabase(f"there is no cxmap workspace in {self.location} yet; cxmap new makes one")
        with self.db.transaction():
            self.run(sql.LOCK)  # one session makes or upgrades it; the others wait and find it done
            version = self._version()
            if version is None:
                try:
                    for statement in sql.CREATE:
                        self.run(statement)
                    self.run(sql.NEW_VERSION, (str(sql.SCHEMA_VERSION),))
                except psycopg.errors.InsufficientPrivilege:
                    raise StoreError(f"there is no cxmap workspace in {self.location} yet, and this role may not "
                                     "make one (it needs CREATE on the database); ask its owner") from None
                return
            try:
                while version < sql.SCHEMA_VERSION:
                    for statement in sql.MIGRATIONS[version]:
                        self.run(statement)
                    version += 1
                    self.run(sql.SET_VERSION, (str(version),))
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError(f"the cxmap workspace in {self.location} is from an older cxmap and must be "
                                 "brought up to date once, which only its owner may do: ask them to open it "
                                 "with this cxmap (cxmap --db ... list)") from None

    def _version(self) -> int | None:
        """The schema's version; None when there is no schema yet."""
        found = self.run(sql.FOUND).fetchone()
        assert found is not None
        tables, schema = set(found[0]), found[1]
        if not schema:
            return None
        not_ours = UnreadableFile(f"the schema cxmap in {self.location} is not a cxmap workspace (its tables "
                                  "are missing); cxmap leaves it as it is")
        if "meta" not in tables:
            raise not_ours
        row = self.run(sql.VERSION).fetchone()
        value = str(row[0]) if row is not None else ""
        if not (value.isascii() and value.isdigit()):
            raise UnreadableFile(f"the cxmap workspace in {self.location} has no schema version cxmap can read; "
                                 "cxmap leaves it as it is")
        if int(value) > sql.SCHEMA_VERSION:
            raise NewerFormat(f"the cxmap workspace in {self.location} was made by a newer cxmap (schema "
                              f"version {value[:10]}); update cxmap to use it")
        if int(value) not in sql.TABLES_AT or not sql.TABLES_AT[int(value)] <= tables:
            raise not_ours
        return int(value)

    def why_read_only(self) -> str:
        """Why this role may not change the workspace; "" when it may."""
        row = self.run(sql.MAY_WRITE).fetchone()
        assert row is not None
        writable, allowed, role = row
        if not writable:
            return "the server takes no changes (a read-only server, or default_transaction_read_only)"
        if not allowed:
            return (f"the role {role} may read this workspace but not change it (it needs INSERT, UPDATE "
                    "and DELETE on cxmap.docs and INSERT on cxmap.versions and cxmap.log)")
        return ""


class Listener:
    """A second connection that LISTENs on the workspace's channel, where every commit NOTIFYs:
    a session learns that something is new without asking the server anything. Checking it
    reads what has already arrived on its socket and never waits."""

    def __init__(self, server: Server) -> None:
        self._server = server
        self._db: psycopg.Connection[TupleRow] | None = None

    def heard(self) -> bool:
        """Whether anything may be new since the last call: a commit was announced, or the
        listening connection was (re)made or lost, when announcements may have been missed."""
        db = self._db
        try:
            if db is None or db.closed or db.broken:
                self._db = None
                db = self._server.another()
                db.execute(f"LISTEN {sql.CHANNEL}")
                self._db = db
                return True
            return bool(list(db.notifies(timeout=0)))  # every one waiting taken: the next call starts afresh
        except psycopg.Error:
            self.close()
            return True  # cannot tell: the caller asks the log itself

    def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            db.close()


def shown(conninfo: str, params: Mapping[str, object]) -> str:
    """The address to show: as given (a URL, or key=value pairs), without any password."""
    kept = {k: str(v) for k, v in params.items() if k not in _SECRETS}
    if not re.match(r"postgres(ql)?://", conninfo):
        return pg_conninfo.make_conninfo("", **kept)
    user, host, port, dbname = (kept.pop(k, "") for k in ("user", "host", "port", "dbname"))
    hosts, ports = host.split(","), port.split(",")
    ports = ports * len(hosts) if len(ports) == 1 else ports
    where = ",".join((f"[{h}]" if ":" in h else quote(h, safe="")) + (f":{p}" if p else "")
                     for h, p in zip(hosts, ports, strict=False))
    rest = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in sorted(kept.items()))
    return f"postgresql://{quote(user, safe='') + '@' if user else ''}{where}/{quote(dbname, safe='')}" + (
        f"?{rest}" if rest else "")
