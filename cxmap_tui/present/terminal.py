"""What the terminal can take, decided once from the environment: plain ASCII or Unicode,
colour or none, animation or none.

Python's UTF-8 mode (on by itself under LANG=C) makes the interpreter's own encoding say UTF-8
whatever the terminal is, so the locale variables are read directly, the way the C library does:
the first of LC_ALL, LC_CTYPE and LANG that is set decides.

It lives with the views because it decides how they look, for both faces of cxmap: the command
line asks it whether to print plain ASCII (`cli/group.py::ascii_only`) and the app whether to
draw with ASCII glyphs, colour and animation (`tui/app.py`). The app cannot import the command
line, and the command line must not import the app, so neither of them is its home.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ASCII_ENV = "CXMAP_ASCII"
ANIMATION_ENV = "CXMAP_NO_ANIMATION"
_TRUE = {"1", "yes", "true", "on"}
_FALSE = {"0", "no", "false", "off"}


@dataclass(frozen=True)
class Terminal:
    ascii: bool
    color: bool
    animate: bool
    over_ssh: bool


# What CPython writes into LC_CTYPE when it finds the C locale (PEP 538): not the user's choice.
_COERCED = {"C.UTF-8", "C.utf8", "UTF-8"}


def locale_is_utf8(env: Mapping[str, str]) -> bool:
    if not env.get("LC_ALL") and env.get("LC_CTYPE") in _COERCED and env.get("LANG", "C") in ("", "C", "POSIX"):
        return False  # the C locale, coerced by the interpreter itself
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "")
        if value:
            charset = value.split(".", 1)[1] if "." in value else ""
            return charset.split("@", 1)[0].lower().replace("-", "") == "utf8"
    return False  # nothing set means the C locale


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    return True if v in _TRUE else False if v in _FALSE else None


def detect(env: Mapping[str, str] | None = None, *, ascii: bool | None = None) -> Terminal:
    """`ascii` (the --ascii flag) wins, then $CXMAP_ASCII, then the locale."""
    env = os.environ if env is None else env
    over_ssh = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"))
    if ascii is None:
        ascii = _flag(env.get(ASCII_ENV))
    if ascii is None:
        ascii = not locale_is_utf8(env)
    color = "NO_COLOR" not in env or env.get("NO_COLOR", "") == ""
    animate = not over_ssh and not _flag(env.get(ANIMATION_ENV))
    return Terminal(ascii=ascii, color=color, animate=animate, over_ssh=over_ssh)
