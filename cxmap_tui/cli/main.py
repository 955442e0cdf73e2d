"""The `cxmap` command. With no subcommand it starts the app; the subcommands script the
workspace and never import Textual, so they start fast."""

from __future__ import annotations

import sys

import click

from ..domain.errors import CxmapError
from .group import Options, cli, err


def main(argv: list[str] | None = None) -> None:
    """Entry point: every user mistake is one line on stderr and a non-zero exit. The group's
    options go into `given` (click's context object), which outlives the command, so that its
    errors, reported here after it ended, still follow --ascii."""
    given = Options()
    try:
        _run(argv, given)
    finally:
        given.close()


def _run(argv: list[str] | None, given: Options) -> None:
    try:
        code = cli.main(args=argv, prog_name="cxmap", standalone_mode=False, obj=given)
    except click.exceptions.Abort:
        tell_journal_notes(given)
        err("cxmap: cancelled", given)
        sys.exit(1)
    except click.exceptions.NoArgsIsHelpError as e:  # a group alone (`cxmap touchpoint`): its help
        e.show()
        sys.exit(2)
    except click.UsageError as e:
        hint = f" (see: {e.ctx.command_path} --help)" if e.ctx is not None else ""
        err(f"cxmap: {e.format_message()}{hint}", given)
        sys.exit(2)
    except click.ClickException as e:
        err(f"cxmap: {e.format_message()}", given)
        sys.exit(e.exit_code)
    except CxmapError as e:
        tell_journal_notes(given)
        err(f"cxmap: {e}", given)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    tell_journal_notes(given)
    sys.exit(code if isinstance(code, int) else 0)


def tell_journal_notes(given: Options) -> None:
    """Once each, on stderr, what the database's journal had to say: a torn tail dropped (a save
    cut off by a crash), a fold into the database put off (a full disk)."""
    for note in given.journal_notes():
        err(f"cxmap: {note}", given)
