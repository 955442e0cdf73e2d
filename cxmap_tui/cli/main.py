"""The `cxmap` command. With no subcommand it starts the app; the subcommands script the
workspace and never import Textual, so they start fast."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..domain.errors import CxmapError, ValidationError
from ..domain.feelings import parse_score
from ..domain.model import EXPERIENCES, KINDS, STATUSES
from ..io.formats import FORMATS, export_file, export_map
from ..store import Store

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
CSV_HINT = " (in a spreadsheet, save it as 'CSV UTF-8')"


class Options:
    """What the group's options say, for its subcommands."""

    def __init__(self, db: str | None) -> None:
        self.db = db

    def store(self, db: str | None = None) -> Store:
        return Store.open(db or self.db)


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        help="Database file (default: $CXMAP_DB, else cxmap.json in your data directory).",
    )(fn)


def _store(ctx: click.Context, db: str | None) -> Store:
    return ctx.find_object(Options).store(db)


def _out(text: str) -> None:
    click.echo(text)


@click.group(invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.option("--ascii", "ascii_mode", is_flag=True, default=None,
              help="No emoji or box drawing (on by itself when the locale is not UTF-8).")
@click.version_option(__version__, "-V", "--version", prog_name="cxmap")
@click.pass_context
def cli(ctx: click.Context, db: str | None, ascii_mode: bool | None) -> None:
    """Customer experience maps, built step by step in the terminal.

    Run with no command to start the guided workshop. MAP and TOUCHPOINT accept an id, an id
    prefix, or an unambiguous title.
    """
    ctx.obj = Options(db)
    if ctx.invoked_subcommand is None:
        from ..tui.run import run_app  # Textual is imported only to start the app

        run_app(ctx.obj.store(), ascii_mode=ascii_mode)


@cli.command("list", context_settings=CONTEXT)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_maps(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the maps: id, title, kind and counts."""
    summaries = _store(ctx, db).summaries()
    if as_json:
        rows = [
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
        _out(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from .output import print_map_list

    print_map_list(summaries)


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("title")
@click.option("--scenario", "--experience", "scenario", metavar="S", default="custom",
              help=f"Which experience: {', '.join(EXPERIENCES)}.")
@click.option("--kind", default="current", metavar="K", help="ideal or current (default current).")
@click.option("--persona", default="", metavar="P", help="Persona or segment.")
@click.option("--scope", default="", metavar="TEXT", help="The one interaction, in a sentence.")
@click.pass_context
def new(ctx: click.Context, db: str | None, title: str, scenario: str, kind: str, persona: str, scope: str) -> None:
    """Make a new map; prints its id."""
    from ..domain.model import ExperienceMap

    m = ExperienceMap.new(title, experience=scenario, kind=kind, persona=persona, scope=scope)
    m = _store(ctx, db).add(m)
    _out(m.id)


@cli.group(context_settings=CONTEXT)
def touchpoint() -> None:
    """Add, edit, move or remove touchpoints."""


def _touchpoint_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(
        [
            click.option("--action", default=None, metavar="A", help="What the customer does."),
            click.option("--stage", default=None, metavar="S", help="Lifecycle stage (one of the map's)."),
            click.option("--channel", default=None, metavar="C", help="Web, E-mail, Phone, Store, ..."),
            click.option("--owner", default=None, metavar="O", help="Team or person who owns it."),
            click.option("--notes", default=None, metavar="N", help="Notes on the company side."),
            click.option("--feeling", default=None, metavar="SCORE", help="-2 .. +2, or none."),
            click.option("--thought", "--thoughts", "thoughts", default=None, metavar="T",
                         help="The customer's thoughts, in their words."),
        ]
    ):
        fn = opt(fn)
    return fn


def _touchpoint_changes(**given: str | None) -> dict[str, Any]:
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if "feeling" in changes:
        changes["feeling"] = _score(changes["feeling"])
    return changes


def _score(text: str) -> int | None:
    try:
        return parse_score(text)
    except ValueError as e:
        raise ValidationError(str(e)) from None


@touchpoint.command("add", context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("name")
@_touchpoint_options
@click.option("--at", type=click.IntRange(min=1), default=None, metavar="N",
              help="Position in the list, from 1 (default: at the end).")
@click.pass_context
def touchpoint_add(ctx: click.Context, db: str | None, map_ref: str, name: str, at: int | None, **fields: str | None) -> None:
    """Add a touchpoint to MAP; prints its id."""
    store = _store(ctx, db)
    m = store.find(map_ref)
    changes = _touchpoint_changes(**fields)
    tp = store.change(m.id, lambda m: m.add_touchpoint(name, at=None if at is None else at - 1, **changes))
    _out(tp.id)


@touchpoint.command("edit", context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.option("--name", default=None, metavar="NAME", help="A new name.")
@_touchpoint_options
@click.pass_context
def touchpoint_edit(ctx: click.Context, db: str | None, map_ref: str, tp_ref: str, **fields: str | None) -> None:
    """Change fields of a touchpoint."""
    store = _store(ctx, db)
    m = store.find(map_ref)
    tp_id = m.touchpoint(tp_ref).id
    changes = _touchpoint_changes(**fields)
    if not changes:
        raise click.UsageError("nothing to change: give at least one option, such as --name or --stage")
    store.change(m.id, lambda m: m.edit_touchpoint(tp_id, **changes))


@touchpoint.command("move", context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.argument("position", type=click.IntRange(min=1))
@click.pass_context
def touchpoint_move(ctx: click.Context, db: str | None, map_ref: str, tp_ref: str, position: int) -> None:
    """Move a touchpoint to POSITION (from 1)."""
    store = _store(ctx, db)
    m = store.find(map_ref)
    tp_id = m.touchpoint(tp_ref).id
    store.change(m.id, lambda m: m.move_touchpoint(tp_id, position - 1))


@touchpoint.command("remove", context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.pass_context
def touchpoint_remove(ctx: click.Context, db: str | None, map_ref: str, tp_ref: str) -> None:
    """Remove a touchpoint (and its links from improvements)."""
    store = _store(ctx, db)
    m = store.find(map_ref)
    tp_id = m.touchpoint(tp_ref).id
    store.change(m.id, lambda m: m.remove_touchpoint(tp_id))


@cli.command(context_settings={**CONTEXT, "ignore_unknown_options": True})
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.argument("score")
@click.option("--thought", "--thoughts", "thoughts", default=None, metavar="T",
              help="The customer's thoughts, in their words.")
@click.pass_context
def feel(ctx: click.Context, db: str | None, map_ref: str, tp_ref: str, score: str, thoughts: str | None) -> None:
    """Set how the customer feels at a touchpoint.

    SCORE is -2 (very dissatisfied) to +2 (very satisfied), or --, -, 0, +, ++, or none.
    """
    value = _score(score)
    store = _store(ctx, db)
    m = store.find(map_ref)
    tp_id = m.touchpoint(tp_ref).id
    store.change(m.id, lambda m: m.set_feeling(tp_id, value, thoughts))


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("title")
@click.option("--touchpoint", "-t", "touchpoints", multiple=True, metavar="TP",
              help="A touchpoint it addresses (repeat for several).")
@click.option("--description", default="", metavar="TEXT", help="What the change is.")
@click.option("--value", type=click.IntRange(1, 5), default=3, show_default=True, metavar="N",
              help="Value to the customer, 1-5.")
@click.option("--business-value", type=click.IntRange(1, 5), default=3, show_default=True, metavar="N",
              help="Value to the business, 1-5.")
@click.option("--effort", type=click.IntRange(1, 5), default=3, show_default=True, metavar="N",
              help="Effort, 1 (small) to 5 (large).")
@click.option("--status", default="idea", show_default=True, metavar="S", help=", ".join(STATUSES) + ".")
@click.option("--owner", default="", metavar="O", help="Team or person.")
@click.pass_context
def improve(ctx: click.Context, db: str | None, map_ref: str, title: str, touchpoints: tuple[str, ...],
            description: str, value: int, business_value: int, effort: int, status: str, owner: str) -> None:
    """Add an improvement to MAP's backlog; prints its id."""
    store = _store(ctx, db)
    m = store.find(map_ref)
    imp = store.change(
        m.id,
        lambda m: m.add_improvement(
            title,
            description=description,
            touchpoints=list(touchpoints),
            customer_value=value,
            business_value=business_value,
            effort=effort,
            status=status,
            owner=owner,
        ),
    )
    _out(imp.id)


def _export_help() -> str:
    names = "\n".join(f"  {f.name:<17} {f.description}" for f in FORMATS.values())
    return (
        "Export a map to standard output, or to a file with -o.\n\n"
        f"\b\nFormats:\n{names}\n\n"
        "Without --format the format follows the file's extension (.json, .md, .mmd, .html, .csv), "
        "else json. CSV files start with a byte order mark so spreadsheets read them as UTF-8; "
        "CSV on standard output has none."
    )


@cli.command(context_settings=CONTEXT, help=_export_help(),
             short_help="Export a map: json, markdown, mermaid, html or csv.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--format", "-f", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="What to write (default: from the -o file's extension, else json).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, db: str | None, map_ref: str, fmt: str | None, output: str | None) -> None:
    fmt = fmt or _format_for(output)
    m = _store(ctx, db).find(map_ref)
    if output is None:
        _write_stdout(export_map(m, fmt))
    else:
        _write_file(Path(output), export_file(m, fmt))


def _format_for(output: str | None) -> str:
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    suffix = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    return next((f.name for f in FORMATS.values() if f.extension == suffix), "json")


@cli.command("import", context_settings=CONTEXT,
             short_help="Import a map (JSON) or touchpoints (CSV); prints its id.")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "-f", "fmt", type=click.Choice(["json", "csv"]), default=None,
              help="json or csv (default: csv for a .csv file, else json).")
@click.option("--title", default=None,
              help="JSON: import under this title (when the title is taken). CSV: the new map's title.")
@click.option("--into", "into", default=None, metavar="MAP", help="CSV: add the touchpoints to this map.")
@click.option("--scenario", "--experience", "scenario", metavar="S", default=None,
              help=f"CSV, new map: which experience ({', '.join(EXPERIENCES)}).")
@click.option("--kind", default=None, metavar="K", help="CSV, new map: ideal or current (default current).")
@click.option("--persona", default=None, metavar="P", help="CSV, new map: persona or segment.")
@click.option("--scope", default=None, metavar="TEXT", help="CSV, new map: the one interaction, in a sentence.")
@click.option("--stages", default=None, metavar="A,B,C", help="CSV, new map: its stages (default: the usual seven).")
@click.pass_context
def import_(ctx: click.Context, db: str | None, file: str, fmt: str | None, title: str | None, into: str | None,
            scenario: str | None, kind: str | None, persona: str | None, scope: str | None,
            stages: str | None) -> None:
    """Import a map from a cxmap JSON export, or touchpoints from a CSV table; prints the map's id.

    A CSV needs a header row with at least a `name` column; it may also have action, stage,
    channel, owner, notes, feeling and thoughts (position and id are ignored). It becomes a new
    map (give --title) or is added to an existing one (--into MAP). All rows or none are imported.
    """
    new_map_options = {"--scenario": scenario, "--kind": kind, "--persona": persona, "--scope": scope,
                       "--stages": stages}
    fmt = fmt or ("csv" if file.lower().endswith(".csv") else "json")
    if fmt == "json":
        given = [name for name, value in {**new_map_options, "--into": into}.items() if value is not None]
        if given:
            raise click.UsageError(f"{given[0]} is for CSV imports; a JSON export carries its own map")
        from ..io.json_format import map_from_json

        text, source = _read_file(file)
        m = map_from_json(text, source)
        if title is not None:
            m.edit(title=title)
        _out(_store(ctx, db).add(m).id)
        return

    from ..io.csv_import import add_touchpoints, map_from_csv, read_touchpoints

    if into is not None:
        given = [name for name, value in {**new_map_options, "--title": title}.items() if value is not None]
        if given:
            raise click.UsageError(f"{given[0]} is for a new map; --into adds to a map that exists")
        text, source = _read_file(file, CSV_HINT)
        rows = read_touchpoints(text, source)
        store = _store(ctx, db)
        map_id = store.find(into).id
        store.change(map_id, lambda m: add_touchpoints(m, rows, source))
        _out(map_id)
        return
    if title is None:
        raise click.UsageError("a CSV import needs --title for the new map, or --into MAP to add to one")
    text, source = _read_file(file, CSV_HINT)
    m = map_from_csv(
        text,
        source,
        title=title,
        experience=scenario or "custom",
        kind=kind or "current",
        persona=persona or "",
        scope=scope or "",
        stages=None if stages is None else stages.split(","),
    )
    _out(_store(ctx, db).add(m).id)


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.pass_context
def show(ctx: click.Context, db: str | None, map_ref: str) -> None:
    """Print a map: its touchpoints in order, feelings and thoughts, then the backlog."""
    from .output import print_map

    print_map(_store(ctx, db).find(map_ref))


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.pass_context
def delete(ctx: click.Context, db: str | None, map_ref: str, yes: bool) -> None:
    """Delete a map (its JSON export is the way to keep a copy)."""
    store = _store(ctx, db)
    m = store.find(map_ref)
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError(f"delete {m.title!r}? add --yes to confirm without a terminal")
        click.confirm(f"Delete {m.title!r} ({len(m.touchpoints)} touchpoints)?", abort=True)
    store.delete(m.id)


@cli.command(context_settings=CONTEXT)
@db_option
@click.pass_context
def where(ctx: click.Context, db: str | None) -> None:
    """Print the path of the database file in use."""
    from ..paths import resolve_db_path

    _out(str(resolve_db_path(db or ctx.find_object(Options).db)))


def _read_file(name: str, hint: str = "") -> tuple[str, str]:
    """A file (or "-", standard input) as text, exactly: UTF-8, line breaks as they are (a CSV
    cell may hold CRLF), without a leading byte order mark."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise CxmapError(f"{name}: no such file") from None
    except OSError as e:
        raise CxmapError(f"cannot read {name}: {e.strerror}") from None
    source = "standard input" if name == "-" else name
    try:
        return data.decode("utf-8-sig"), source
    except UnicodeDecodeError:
        raise CxmapError(f"{source} is not UTF-8 text{hint}") from None


def _write_file(path: Path, data: bytes) -> None:
    from ..store.atomic import write_atomic

    try:
        write_atomic(path, data, mode=0o644)
    except OSError as e:
        raise CxmapError(f"cannot write {path}: {e.strerror}") from None


def _write_stdout(text: str) -> None:
    # Exports are UTF-8 whatever the locale, so write bytes rather than let a narrow locale fail.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stdout replaced by one without bytes underneath
        click.echo(text, nl=False)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def main(argv: list[str] | None = None) -> None:
    """Entry point: every user mistake is one line on stderr and a non-zero exit."""
    try:
        code = cli.main(args=argv, prog_name="cxmap", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cxmap: cancelled", err=True)
        sys.exit(1)
    except click.UsageError as e:
        hint = f" (see: {e.ctx.command_path} --help)" if e.ctx is not None else ""
        click.echo(f"cxmap: {e.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as e:
        click.echo(f"cxmap: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    except CxmapError as e:
        click.echo(f"cxmap: {e}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
