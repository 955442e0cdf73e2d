"""Run cxmap as the unprivileged user `nobody`, for the tests of many users on one machine.

usage: python -m tests.helpers.as_nobody cli ARGS...      (the cxmap command)
       python -m tests.helpers.as_nobody writer DB MAP PREFIX COUNT

Started as root, it imports everything first and only then gives up root: the interpreter may
live where `nobody` may not read (under /root, say)."""

from __future__ import annotations

import os
import sys

import filelock  # noqa: F401  (imported now, while it can be read)
import rich.console  # noqa: F401
import rich.table  # noqa: F401

import cxmap_tui.cli.analysis  # noqa: F401
import cxmap_tui.cli.output  # noqa: F401
import cxmap_tui.io.json_format  # noqa: F401
import cxmap_tui.templates  # noqa: F401
from cxmap_tui.cli.main import main
from tests.helpers import writer

NOBODY = 65534


def drop_to_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    drop_to_nobody()
    if what == "cli":
        main(args)
    else:
        sys.argv = ["writer", *args]
        writer.main()
