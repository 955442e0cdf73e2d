"""Run cxmap as the unprivileged user `nobody`, for the tests of many users on one machine.

usage: python -m tests.helpers.as_nobody cli ARGS...      (the cxmap command, the app included)
       python -m tests.helpers.as_nobody writer DB MAP PREFIX COUNT

Started as root, it imports everything first and only then gives up root: the interpreter may
live where `nobody` may not read (under /root, say)."""

from __future__ import annotations

import os
import sys

import filelock  # noqa: F401  (imported now, while it can be read)
import rich.console
import rich.table  # noqa: F401

import cxmap_tui.cli.output
import cxmap_tui.io.json_format
import cxmap_tui.templates  # noqa: F401
from cxmap_tui.cli.group import load_commands
from cxmap_tui.cli.main import main
from tests.helpers import writer

load_commands()  # the subcommands, which the command otherwise imports when one is asked for

NOBODY = 65534


def drop_to_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def import_the_app() -> None:
    """Everything the app may import later, imported now."""
    import concurrent.futures.thread  # noqa: F401  (worker threads)
    import importlib
    import pkgutil

    import textual.drivers.linux_driver  # noqa: F401

    import cxmap_tui.tui

    for mod in pkgutil.walk_packages(cxmap_tui.tui.__path__, "cxmap_tui.tui."):
        importlib.import_module(mod.name)
    for name in ("textual.widgets._data_table", "textual.widgets._option_list",
                 "textual.widgets._select", "textual.widgets._input", "textual.widgets._toast",
                 "textual.command", "textual.system_commands"):
        importlib.import_module(name)


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    if what == "cli" and not any(a in {"list", "new", "show", "export"} for a in args):
        import_the_app()
    drop_to_nobody()
    if what == "cli":
        main(args)
    else:
        sys.argv = ["writer", *args]
        writer.main()
