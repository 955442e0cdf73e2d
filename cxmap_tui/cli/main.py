"""The `cxmap` command. With no subcommand it starts the app; the subcommands script the
workspace and never import Textual, so they start fast."""

from __future__ import annotations

import sys

import click

from ..domain.errors import CxmapError
from .group import cli, err


def main(argv: list[str] | None = None) -> None:
    """Entry point: every user mistake is one line on stderr and a non-zero exit."""
    try:
        code = cli.main(args=argv, prog_name="cxmap", standalone_mode=False)
    except click.exceptions.Abort:
        err("cxmap: cancelled")
        sys.exit(1)
    except click.UsageError as e:
        hint = f" (see: {e.ctx.command_path} --help)" if e.ctx is not None else ""
        err(f"cxmap: {e.format_message()}{hint}")
        sys.exit(2)
    except click.ClickException as e:
        err(f"cxmap: {e.format_message()}")
        sys.exit(e.exit_code)
    except CxmapError as e:
        err(f"cxmap: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
