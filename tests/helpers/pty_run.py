"""cxmap on a pseudo-terminal, as at the end of an SSH connection: bytes in, bytes out."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time

KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "enter": b"\r", "f3": b"\x1bOR", "f4": b"\x1bOS", "ctrl+q": b"\x11"}


class Pty:
    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)

    def read(self, *, first: float = 5.0, quiet: float = 0.4) -> bytes:
        """Wait for output to start, then read until it has been quiet for `quiet` seconds."""
        data = b""
        while True:
            ready, _, _ = select.select([self.master], [], [], quiet if data else first)
            if not ready:
                return data
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return data
            if not chunk:
                return data
            data += chunk

    def key(self, name: str) -> bytes:
        os.write(self.master, KEYS[name])
        return self.read()

    def idle(self, seconds: float) -> bytes:
        data = b""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                data += os.read(self.master, 65536)
        return data

    def close(self) -> None:
        try:
            os.write(self.master, KEYS["ctrl+q"])
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        os.close(self.master)
