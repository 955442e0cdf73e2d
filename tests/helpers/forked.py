"""Children forked from the test process, talking to it over pipes: fast enough that a test can
kill hundreds of them (no new interpreter, nothing imported again), and reproducible, since the
child runs the very code the test passed it.

The child says one line at a time (`Link.say`, written whole to a pipe, so a line said before
the child is killed is there to read after) and may wait for a line from the test (`hear`).
It never returns into pytest: it ends with `os._exit`, 0 when its function returned, 70 with
the error said on its last line when it raised.
"""

from __future__ import annotations

import os
import select
import signal
import time
import traceback
from collections.abc import Callable

_write = os.write  # a child may replace os.write (to tear a write); what it says must not be torn
WAIT = 120.0  # seconds: generous, for a busy machine; only a child that hangs ever takes this long


class Link:
    """The child's side: say a line to the test, hear one from it."""

    def __init__(self, out: int, into: int) -> None:
        self.out, self.into = out, into

    def say(self, line: str) -> None:
        data = (line.replace("\n", " ") + "\n").encode()
        while data:
            data = data[_write(self.out, data):]

    def hear(self) -> str:
        got = b""
        while not got.endswith(b"\n"):
            chunk = os.read(self.into, 1)
            if not chunk:
                os._exit(71)  # the test is gone
            got += chunk
        return got.decode().rstrip("\n")


class Child:
    """The test's side of one forked child."""

    def __init__(self, run: Callable[[Link], None]) -> None:
        out_r, out_w = os.pipe()
        in_r, in_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 70
            try:
                os.close(out_r)
                os.close(in_w)
                link = Link(out_w, in_r)
                try:
                    run(link)
                    code = 0
                except BaseException as e:  # said to the test, which fails with it
                    link.say("error " + " | ".join(traceback.format_exception_only(e)).strip())
            finally:
                os._exit(code)
        os.close(out_w)
        os.close(in_r)
        self.pid, self._out, self._in = pid, out_r, in_w
        self.lines: list[str] = []
        self._buf = b""
        self._eof = False
        self.status: int | None = None

    def _read(self, deadline: float) -> bool:
        """Read what the child said, waiting until `deadline` at most; False at its end."""
        if self._eof:
            return False
        ready, _, _ = select.select([self._out], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return True
        chunk = os.read(self._out, 1 << 16)
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        *whole, self._buf = self._buf.split(b"\n")
        self.lines += [w.decode() for w in whole]
        return True

    def wait_for(self, ready: Callable[[list[str]], bool], what: str) -> None:
        """Read until `ready(lines)`; AssertionError if the child ends or hangs first."""
        deadline = time.monotonic() + WAIT
        while not ready(self.lines):
            if not self._read(deadline):
                raise AssertionError(f"the child ended before {what}: {self.lines[-3:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting {WAIT:g} s for {what}: {self.lines[-3:]}")

    def send(self, line: str) -> None:
        os.write(self._in, (line + "\n").encode())

    def kill(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)

    def running(self) -> bool:
        """Whether the child is still running (what it said is read by `end`)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is None

    def end(self) -> int:
        """Wait for the child to end and read all it said; its wait status. A child that hangs
        is killed, and the test fails."""
        deadline = time.monotonic() + WAIT
        while self._read(deadline):
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the child hung: {self.lines[-3:]}")
        if self.status is None:
            _, self.status = os.waitpid(self.pid, 0)
        os.close(self._out)
        os.close(self._in)
        return self.status

    def killed(self) -> bool:
        """Whether the child died of SIGKILL (after `end`)."""
        assert self.status is not None
        return os.WIFSIGNALED(self.status) and os.WTERMSIG(self.status) == signal.SIGKILL

    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith("error ")]
