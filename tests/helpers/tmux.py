"""A real terminal for end-to-end tests: cxmap running in tmux, driven by keys, read as text.

Each session runs on its own tmux server socket, so tests never touch a user's tmux."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping

TMUX = shutil.which("tmux")


class Terminal:
    def __init__(self, command: list[str], *, env: Mapping[str, str], size: tuple[int, int] = (80, 24)) -> None:
        assert TMUX is not None, "tmux is needed for the end-to-end tests"
        self.socket = f"cxmap-test-{uuid.uuid4().hex[:8]}"
        width, height = size
        # env -i: exactly the environment given (the locale above all), nothing from this process.
        assignments = [f"{k}={v}" for k, v in env.items()]
        script = " ".join(shlex.quote(part) for part in ["env", "-i", *assignments, *command])
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", "main", script + "; sleep 600")

    def _tmux(self, *args: str) -> str:
        out = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "main")

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """tmux key names (Enter, Down, F3, C-q, ...), one after another as a person types."""
        for key in keys:
            self._tmux("send-keys", "-t", "main", key)
            time.sleep(pause)

    def together(self, *keys: str) -> None:
        """Several keys in one write, as a slow link delivers them."""
        self._tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "main", "-l", text)
        time.sleep(0.2)

    def resize(self, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

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
