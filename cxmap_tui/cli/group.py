"""The `cxmap` command group and what its subcommands share."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..domain.errors import CxmapError
from ..store import Store

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Options:
    """What the group's options say, for its subcommands."""

    def __init__(self, db: str | None, shared: bool = False) -> None:
        self.db = db
        self.shared = shared

    def store(self, db: str | None = None) -> Store:
        return Store.open(db or self.db, shared=self.shared)


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        help="Database file (default: $CXMAP_DB, else cxmap.json in your data directory).",
    )(fn)


def store_for(ctx: click.Context, db: str | None) -> Store:
    return ctx.find_object(Options).store(db)


def out(text: str) -> None:
    click.echo(text)


# The modules whose subcommands join the group when they are imported.
COMMAND_MODULES = ("maps", "edit", "exchange", "analysis", "customers", "customer_problems")


def load_commands() -> None:
    """Import the modules of the subcommands (again is free), which adds them to the group."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}")


class Commands(click.Group):
    """The group's subcommands are imported the first time one of them (or the help) is asked
    for, so that starting the app, which needs none of them, does not wait for them."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        load_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands()
        return super().list_commands(ctx)


@click.group(cls=Commands, invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.option("--ascii", "ascii_mode", is_flag=True, default=None,
              help="No emoji or box drawing (on by itself when the locale is not UTF-8; also $CXMAP_ASCII=1).")
@click.option("--shared", is_flag=True, envvar="CXMAP_SHARED",
              help="A new database is for a group: group read/write, in its folder's group (also $CXMAP_SHARED=1).")
@click.version_option(__version__, "-V", "--version", prog_name="cxmap")
@click.pass_context
def cli(ctx: click.Context, db: str | None, ascii_mode: bool | None, shared: bool) -> None:
    """Customer experience maps, built step by step in the terminal.

    Run with no command to start the guided workshop. MAP and TOUCHPOINT accept an id, an id
    prefix, or an unambiguous title.
    """
    from .output import ASCII_FLAG

    ASCII_FLAG[0] = ascii_mode
    ctx.obj = Options(db, shared=shared)
    if ctx.invoked_subcommand is None:
        # Starting the app makes a great many objects and frees few: collecting garbage meanwhile
        # only costs time. The app turns collection back on once its first screen is up.
        gc.disable()
        from ..tui.run import run_app  # Textual is imported only to start the app

        run_app(ctx.obj.store(), ascii_mode=ascii_mode)


def read_file(name: str, hint: str = "") -> tuple[str, str]:
    """A file (or "-", standard input) as text, exactly: UTF-8, line breaks as they are (a CSV
    cell may hold CRLF), without a leading byte order mark."""
    from ..io.reading import read_text

    if name != "-":
        return read_text(Path(name), hint), name
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig"), "standard input"
    except UnicodeDecodeError:
        raise CxmapError(f"standard input is not UTF-8 text{hint}") from None


def write_file(path: Path, data: bytes) -> None:
    from ..store.atomic import write_atomic

    try:
        write_atomic(path, data, mode=0o644)
    except OSError as e:
        raise CxmapError(f"cannot write {path}: {e.strerror}") from None


def write_stdout(text: str) -> None:
    # Exports are UTF-8 whatever the locale, so write bytes rather than let a narrow locale fail.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stdout replaced by one without bytes underneath
        click.echo(text, nl=False)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


