"""A program on a pseudo-terminal, as at the end of an SSH connection: bytes in, bytes out.
Used by the tests and by the benchmarks in bench/."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time

KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "enter": b"\r", "f1": b"\x1bOP", "f3": b"\x1bOR", "f4": b"\x1bOS",
        "f5": b"\x1b[15~", "ctrl+q": b"\x11"}


class Pty:
    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)

    def _chunk(self, wait: float) -> bytes:
        """What the program writes within `wait` seconds (b"" if nothing, or if it has ended)."""
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return b""
        try:
            return os.read(self.master, 65536)
        except OSError:
            return b""

    def read(self, *, first: float = 5.0, quiet: float = 0.4, limit: float = 10.0) -> bytes:
        """Wait up to `first` seconds for output to start, then read until it has been quiet for
        `quiet` seconds (or for `limit` seconds in all)."""
        data = b""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            chunk = self._chunk(quiet if data else first)
            if not chunk:
                break
            data += chunk
        return data

    def until(self, *marks: bytes, timeout: float = 10.0) -> bytes:
        """Read until every mark has been written."""
        data = b""
        deadline = time.monotonic() + timeout
        while not all(mark in data for mark in marks):
            chunk = self._chunk(max(0.0, deadline - time.monotonic()))
            if not chunk:
                raise RuntimeError(f"{marks} not written within {timeout} s: {data[-300:]!r}")
            data += chunk
        return data

    def key(self, name: str) -> bytes:
        os.write(self.master, KEYS.get(name, name.encode()))
        return self.read()

    def idle(self, seconds: float) -> bytes:
        """What is written while nobody touches a key."""
        data = b""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            data += self._chunk(left)
        return data

    def close(self) -> None:
        try:
            os.write(self.master, KEYS["ctrl+q"])
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        os.close(self.master)
