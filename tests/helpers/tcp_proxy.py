"""A TCP relay on loopback between cxmap and a test server, which a test can cut off and put back:
the server gone (a restart, the network down) for the sessions that connect through it, and for
them alone, while the server itself and the other tests go on."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading

SYNC = b"S\x00\x00\x00\x04"  # the protocol's Sync message: the end of a statement sent alone, or of a pipeline
EXECUTE = ord("E")


def _commits(data: bytes) -> bool:
    """Whether what a client sent ends a transaction: a COMMIT, or a Sync after an Execute (a
    statement sent on its own, or a pipeline, is committed by its Sync). Preparing a statement
    (Parse, then Sync) is not. A chunk that does not hold whole messages is taken for one."""
    if b"COMMIT" in data:
        return True
    if SYNC not in data:
        return False
    kinds, i = set(), 0
    while i + 5 <= len(data):
        kinds.add(data[i])
        i += 1 + int.from_bytes(data[i + 1:i + 5], "big")
    return i != len(data) or EXECUTE in kinds


class Relay:
    """Relays connections on 127.0.0.1:`port` to (`host`, `target_port`). `cut()` drops every
    connection and refuses new ones; `mend()` takes them again."""

    def __init__(self, host: str, target_port: int) -> None:
        self._target = (host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._open = True
        self._closed = False
        # At the next commit a client sends (a COMMIT, or the Sync that ends a statement or a
        # pipeline sent without one): "before", cut the connection instead of passing it
        # on (the server never commits); "after", pass it on, swallow the server's answer, then
        # cut (the server commits and the client never hears so).
        self._at_commit: str | None = None
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if self._closed:
                    client.close()
                    return
                refuse = not self._open
            if refuse:
                client.close()  # as a server that is down would: the connection goes at once
                continue
            try:
                upstream = socket.create_connection(self._target, timeout=10)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        sel.register(a, selectors.EVENT_READ, b)
        sel.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in sel.select(timeout=0.5):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    if key.fileobj is a and _commits(data):
                        with self._lock:
                            at, self._at_commit = self._at_commit, None
                        if at == "before":
                            return
                        if at == "after":
                            b.sendall(data)
                            b.recv(65536)  # the server's answer (it committed), never passed on
                            return
                    key.data.sendall(data)
                with self._lock:
                    if (a, b) not in self._pairs:
                        return
        except OSError:
            return
        finally:
            sel.close()
            self._drop(a, b)

    def _drop(self, a: socket.socket, b: socket.socket) -> None:
        with self._lock:
            if (a, b) in self._pairs:
                self._pairs.remove((a, b))
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def cut(self) -> None:
        """The server gone: every connection through the relay dropped, new ones refused."""
        with self._lock:
            self._open = False
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def at_next_commit(self, when: str) -> None:
        """Lose the next commit a client sends (a COMMIT, or a Sync: arm it just before the save) ("before": it never reaches the server) or the
        server's answer to it ("after": the server commits, the client never hears): either way
        the connection is then cut, as a network that fails at that moment would."""
        assert when in {"before", "after"}
        with self._lock:
            self._at_commit = when

    def mend(self) -> None:
        """The server back: new connections relayed again."""
        with self._lock:
            self._open = True

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def address(self, conninfo: str) -> str:
        """The libpq address `conninfo` reached through this relay."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(conninfo, host="127.0.0.1", port=str(self.port))

    @classmethod
    def to(cls, conninfo: str) -> Relay:
        """A relay to the server of the libpq address `conninfo`."""
        from psycopg.conninfo import conninfo_to_dict

        params = conninfo_to_dict(conninfo)
        return cls(str(params.get("host", "127.0.0.1")), int(str(params.get("port", 5432))))

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.cut()
        self._listener.close()
