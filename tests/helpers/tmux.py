"""A real terminal for end-to-end tests: cxmap running in tmux, driven by keys, read as text.

Each session runs on its own tmux server socket, so tests never touch a user's tmux."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

TMUX = shutil.which("tmux")


class Terminal:
    def __init__(self, command: list[str], *, env: Mapping[str, str], size: tuple[int, int] = (80, 24),
                 record: Path | None = None) -> None:
        """`record`: a file that gets every byte the program writes to the terminal."""
        assert TMUX is not None, "tmux is needed for the end-to-end tests"
        self.socket = f"cxmap-test-{uuid.uuid4().hex[:8]}"
        width, height = size
        # env -i: exactly the environment given (the locale above all), nothing from this process.
        assignments = [f"{k}={v}" for k, v in env.items()]
        script = " ".join(shlex.quote(part) for part in ["env", "-i", *assignments, *command])
        if record is not None:
            script = "read -r _; " + script  # starts once the pipe below is in place
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", "main", script + "; sleep 600")
        if record is not None:
            self._tmux("pipe-pane", "-o", "-t", "main", "cat >> " + shlex.quote(str(record)))
            self._tmux("send-keys", "-t", "main", "Enter")

    def _tmux(self, *args: str) -> str:
        out = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "main")

    def styled(self) -> str:
        """The screen with its attributes as escape sequences (reverse video is ESC [ 7 m)."""
        return self._tmux("capture-pane", "-p", "-e", "-t", "main")

    def keys(self, *keys: str) -> None:
        """tmux key names (Enter, Down, F3, C-q, ...), each in a write of its own, as a person
        types them. Nothing waits here: where the next key needs the screen the last one opens
        (a dialog, a list, a step), the test waits for that screen with `wait_for`."""
        for key in keys:
            self._tmux("send-keys", "-t", "main", key)

    def together(self, *keys: str) -> None:
        """Several keys in one write, as a slow link delivers them."""
        self._tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "main", "-l", text)

    def resize(self, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def pid(self) -> int:
        """The process the session started (the shell tmux runs it in is its parent)."""
        shell = int(self._tmux("display-message", "-p", "-t", "main", "#{pane_pid}"))
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # pid (name) state ppid ...: the name may hold spaces, so split after its ')'.
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == shell:
                return int(stat.parent.name)
        raise RuntimeError("the program in the terminal has ended")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen:\n{screen}")
            time.sleep(0.1)

    def wait_until_gone(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text not in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} still on screen after {timeout} s:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=30)
