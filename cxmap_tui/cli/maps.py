"""Commands about whole maps: list, new, show, delete, where, templates, open."""

from __future__ import annotations

import os
import stat
import sys

import click

from ..domain.json_types import JSONDict
from ..domain.model import EXPERIENCES
from ..domain.words import counted
from .group import (
    CONTEXT,
    cli,
    confirm,
    db_option,
    err,
    options,
    out,
    print_json,
    reading_store,
    start_app,
    store_for,
)


@cli.command("list", context_settings=CONTEXT)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_maps(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the maps: id, title, kind and counts."""
    summaries = reading_store(ctx, db).summaries()
    if as_json:
        rows: list[JSONDict] = [
            {
                "id": s.id,
                "title": s.title,
                "kind": s.kind,
                "experience": s.experience,
                "touchpoints": s.touchpoints,
                "rated": s.rated,
                "improvements": s.improvements,
                "updated": s.updated,
            }
            for s in summaries
        ]
        print_json(rows)
        return
    from .output import print_map_list

    print_map_list(summaries)


@cli.command(context_settings=CONTEXT, short_help="Make a new map, blank or from a template.")
@db_option
@click.argument("title")
@click.option("--template", "template", default=None, metavar="NAME",
              help="Start from this template (see: cxmap templates).")
@click.option("--keep-feelings", is_flag=True,
              help="With --template: keep its feelings and thoughts (default: start them unrated).")
@click.option("--scenario", "--experience", "scenario", metavar="S", default=None,
              help=f"Which experience: {', '.join(EXPERIENCES)} (default: the template's, else custom).")
@click.option("--kind", default=None, metavar="K", help="ideal or current (default: the template's, else current).")
@click.option("--persona", default=None, metavar="P", help="Persona or segment.")
@click.option("--scope", default=None, metavar="TEXT", help="The one interaction, in a sentence.")
@click.pass_context
def new(ctx: click.Context, db: str | None, title: str, template: str | None, keep_feelings: bool,
        scenario: str | None, kind: str | None, persona: str | None, scope: str | None) -> None:
    """Make a new map, blank or from a template; prints its id."""
    from ..domain.model import ExperienceMap

    if template is None:
        if keep_feelings:
            raise click.UsageError("--keep-feelings goes with --template")
        m = ExperienceMap.new(title, experience=scenario or "custom", kind=kind or "current",
                              persona=persona or "", scope=scope or "")
    else:
        from ..templates import find_template, start_from

        m = start_from(find_template(template), title, keep_feelings=keep_feelings)
        changes = {"experience": scenario, "kind": kind, "persona": persona, "scope": scope}
        m.edit(**{k: v for k, v in changes.items() if v is not None})
    out(store_for(ctx, db).add(m).id)


@cli.command(context_settings=CONTEXT, short_help="The templates a new map can start from.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def templates(db: str | None, as_json: bool) -> None:
    """List the templates a new map can start from (cxmap new TITLE --template NAME)."""
    from ..templates import load_templates

    found = load_templates()
    if as_json:
        print_json([{"name": t.name, "title": t.title, "kind": t.map.kind, "experience": t.map.experience,
                     "touchpoints": len(t.map.touchpoints)} for t in found])
        return
    from .output import print_templates

    print_templates(found)


@cli.command(context_settings=CONTEXT, short_help="Print a map, its curve and its backlog.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.pass_context
def show(ctx: click.Context, db: str | None, map_ref: str) -> None:
    """Print a map: its touchpoints in order, feelings and thoughts, then the backlog."""
    from .output import print_map

    print_map(reading_store(ctx, db).find(map_ref))


@cli.command(context_settings=CONTEXT, short_help="Delete a map (export it first to keep it).")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.pass_context
def delete(ctx: click.Context, db: str | None, map_ref: str, yes: bool) -> None:
    """Delete a map (its JSON export is the way to keep a copy)."""
    store = store_for(ctx, db, create=False)
    m = store.find(map_ref)
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError(f"delete {m.title!r}? add --yes to confirm without a terminal")
        confirm(f"Delete {m.title!r} ({counted(len(m.touchpoints), 'touchpoint')})?")
    store.delete(m.id)


@cli.command(context_settings=CONTEXT, short_help="Print the database in use, and if it is there.")
@db_option
@click.pass_context
def where(ctx: click.Context, db: str | None) -> None:
    """Print the database in use: the file's path, or the PostgreSQL server's address without
    its password (and say on stderr whether it is there)."""
    from ..paths import resolve_db

    found = resolve_db(db or options(ctx).db)
    if isinstance(found, str):
        if not _where_on_server(found):
            ctx.exit(1)  # for a script: the server cannot be used as it is named
        return
    path = found
    out(str(path))  # alone on standard output, for scripts
    try:
        seen = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        err("cxmap: no database there yet; cxmap new creates one")
        return
    except OSError as e:
        err(f"cxmap: cannot tell whether it is there: {e.strerror or e}")
        return
    if stat.S_ISLNK(seen.st_mode):
        err("cxmap: it is a symbolic link (cxmap follows it only if nobody else could have made it)")
    elif stat.S_ISREG(seen.st_mode):
        err("cxmap: the file exists")
    else:
        err("cxmap: something that is not a file is there")


def _where_on_server(address: str) -> bool:
    """Print the server's address and say what is there; False when it cannot be reached."""
    from ..store import Store, StoreError
    from ..store.errors import NoDatabase
    from ..store.postgres.server import Server  # without psycopg: one line saying what to install

    out(Server(address).location)  # the address as given, without its password
    try:
        store = Store.open(address, create=False)
    except NoDatabase:
        err("cxmap: a PostgreSQL server with no cxmap workspace yet; cxmap new makes one")
        return True
    except StoreError as e:  # down, refused, a newer workspace: one line, no password
        err(f"cxmap: {e}")
        return False
    try:
        maps = len(store.summaries())
        access = f"; read-only for you: {store.read_only}" if store.read_only else ""
        err(f"cxmap: a cxmap workspace on a PostgreSQL server, {counted(maps, 'map')}{access}")
    finally:
        store.close()
    return True


STEP_NAMES = "1 template, 2 experience, 3 touchpoints, 4 feelings, 5 improvements"


@cli.command("open", context_settings=CONTEXT, short_help="Start the app on a map, at a step.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--step", type=click.IntRange(1, 5), default=None, metavar="N",
              help=f"The step to start on: {STEP_NAMES} (default: the first one not done yet).")
@click.pass_context
def open_map(ctx: click.Context, db: str | None, map_ref: str, step: int | None) -> None:
    """Start the app on MAP, at step N: to have a session ready, or from a script."""
    from ..domain.method import Step, progress

    store = reading_store(ctx, db)
    m = store.find(map_ref)
    if step is None:  # as the app's own list opens a map
        undone = [s for s, done in progress(m).items() if not done and s > Step.TEMPLATE]
        step = int(undone[0] if undone else Step.IMPROVEMENTS)
    start_app(store, ascii_mode=options(ctx).ascii, map_id=m.id, step=step)
