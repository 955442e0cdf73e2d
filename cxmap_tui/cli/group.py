"""The `cxmap` command group and what its subcommands share."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from .. import __version__
from ..domain.errors import CxmapError
from ..domain.json_types import JSON
from ..present.display import is_terminal, visible
from ..store import Store

if TYPE_CHECKING:
    from ..domain.model import ExperienceMap

F = TypeVar("F", bound=Callable[..., object])  # a command's function, as a decorator leaves it

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass
class Options:
    """What the group's options say, for its subcommands: click's context object (`ctx.obj`),
    one for each time the command runs (`main` makes it, so that the errors it reports after the
    command has ended still follow --ascii; the group fills it in from its options)."""

    db: str | None = None
    shared: bool = False
    ascii: bool | None = None  # --ascii (None: decide from $CXMAP_ASCII and the locale)
    opened: list[Store] = field(default_factory=list)  # the databases the command opened
    told: set[str] = field(default_factory=set)  # the journal notes said already

    def store(self, db: str | None = None, *, create: bool = True) -> Store:
        """The database; `create=False` for a command that only reads it: a missing file is then
        reported (in one line) rather than made, folders and all, to show that it is empty."""
        store = Store.open(db or self.db, shared=self.shared, create=create)
        self.opened.append(store)
        return store

    def close(self) -> None:
        """Let go of the databases the command opened (a server's connection)."""
        while self.opened:
            self.opened.pop().close()

    def journal_notes(self) -> list[str]:
        """What the databases' journals had to say (a torn tail dropped, a fold put off) that was
        not said yet; from now on, said."""
        notes = []
        for store in self.opened:
            note = store.note
            if note and note not in self.told:
                self.told.add(note)
                notes.append(note)
        return notes


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db",
        metavar="PATH|URL",
        default=None,
        help="Database file, or a PostgreSQL server's postgresql:// address (default: $CXMAP_DB, else "
             "cxmap.json in your data directory).",
    )(fn)


def store_for(ctx: click.Context, db: str | None, *, create: bool = True) -> Store:
    """The database. `create=False` for a command that only reads it, or that changes something
    that must be there already (a map, a contact): on a missing file it then says so and makes
    nothing, instead of leaving an empty database behind."""
    return options(ctx).store(db, create=create)


def options(ctx: click.Context) -> Options:
    """The options given before the command (`cxmap --db X list`), which the group keeps."""
    return ctx.ensure_object(Options)


def reading_store(ctx: click.Context, db: str | None) -> Store:
    """The database for a command that only reads it; never made if it is not there."""
    return store_for(ctx, db, create=False)


def running() -> Options | None:
    """The options of the command running now, if one is."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_object(Options) if ctx is not None else None


def ascii_only(stream: object, given: Options | None = None) -> bool:
    """Whether `stream` takes plain ASCII only: --ascii (in `given`, by default the running
    command's options), $CXMAP_ASCII or the locale say so, or the stream's own encoding is not
    UTF-8."""
    from ..present.terminal import detect

    given = given if given is not None else running()
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return detect(ascii=given.ascii if given is not None else None).ascii or not encoding.startswith("utf")


def out(text: str) -> None:
    """A line or two for a person (or an id for a script). On a terminal, characters it would
    obey or that hide or reorder text show as symbols; to a file or a pipe the text is as is."""
    if is_terminal(sys.stdout):
        text = visible(text, ascii=ascii_only(sys.stdout), one_line=False)
    click.echo(text)


def confirm(question: str) -> None:
    """Ask on the terminal, with user text in the question shown as `out` shows it; stops the
    command unless the answer is yes."""
    click.confirm(visible(question, ascii=ascii_only(sys.stdout)), abort=True)


def print_json(data: JSON) -> None:
    """`data` for scripts, as JSON that is also safe to print on a terminal (see json_format);
    all ASCII for a terminal that takes nothing else."""
    from ..io.json_format import dumps

    click.echo(dumps(data, ascii=is_terminal(sys.stdout) and ascii_only(sys.stdout)))


def err(text: str, given: Options | None = None) -> None:
    """A message on standard error, on one line, with user text in it made safe to show
    whether standard error is a terminal or a log file someone prints later. `given`: the options
    whose --ascii it follows, by default the running command's."""
    ascii = is_terminal(sys.stderr) and ascii_only(sys.stderr, given)
    click.echo(visible(text, ascii=ascii), err=True)


# The modules whose subcommands join the group when they are imported.
COMMAND_MODULES = ("maps", "edit", "exchange", "analysis", "customers", "customer_problems", "history")


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
    given = options(ctx)
    given.db, given.shared, given.ascii = db, shared, ascii_mode
    if ctx.invoked_subcommand is None:
        start_app(given.store(), ascii_mode=ascii_mode)


def start_app(store: Store, *, ascii_mode: bool | None, map_id: str | None = None, step: int = 1) -> None:
    """Run the app, on the map `map_id` at `step` if given, else where the user left off: the one
    place outside cxmap_tui.tui that imports it (a layer contract), and only here, so that every
    other command starts without loading Textual."""
    # Starting the app makes a great many objects and frees few: collecting garbage meanwhile
    # only costs time. The app turns collection back on once its first screen is up.
    gc.disable()
    from ..tui.run import run_app
    from ..tui.session import Place

    run_app(store, ascii_mode=ascii_mode, place=Place(map_id, step) if map_id is not None else None)
    given = running()
    if given is not None:
        given.journal_notes()  # the app showed them


def write_file(path: Path, data: bytes) -> None:
    from ..store.atomic import write_atomic

    try:
        write_atomic(path, data, mode=0o644)
    except OSError as e:
        raise CxmapError(f"cannot write {path}: {e.strerror}") from None


def print_export(m: ExperienceMap, fmt: str) -> None:
    """An export on standard output: as in a file for a pipe or a file; on a terminal, as the
    terminal is to show it (nothing it would obey; ASCII only where it takes nothing else)."""
    from ..io.formats import export_for_terminal, export_map

    if is_terminal(sys.stdout):
        write_stdout(export_for_terminal(m, fmt, ascii=ascii_only(sys.stdout)))
    else:
        write_stdout(export_map(m, fmt))


def write_stdout(text: str) -> None:
    # Exports are UTF-8 whatever the locale, so write bytes rather than let a narrow locale fail.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stdout replaced by one without bytes underneath
        click.echo(text, nl=False)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
