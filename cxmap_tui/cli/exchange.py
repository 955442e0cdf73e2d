"""Maps in and out: export to every format, import JSON exports and CSV tables."""

from __future__ import annotations

from pathlib import Path

import click

from ..domain.model import EXPERIENCES
from ..io.formats import FORMATS, export_file
from ..io.reading import CSV_HINT, read_named
from .group import CONTEXT, cli, db_option, options, out, print_export, print_json, reading_store, store_for, write_file

# Other names for formats, in --format and as -o file extensions.
ALIASES = {"md": "markdown", "mmd": "mermaid", "htm": "html"}


def _extensions() -> dict[str, str]:
    """Each file extension that names a format, and the format (.csv is the touchpoints' table)."""
    found: dict[str, str] = {}
    for f in FORMATS.values():
        found.setdefault(f.extension, f.name)
    for alias, name in ALIASES.items():
        found.setdefault(alias, name)  # .htm
        found.setdefault(name, name)  # .markdown, .mermaid
    return found


def _export_help() -> str:
    names = "\n".join(f"  {f.name:<17} {f.description}" for f in FORMATS.values())
    return (
        "Export a map to standard output, or to a file with -o.\n\n"
        f"\b\nFormats:\n{names}\n\n"
        "md, mmd and htm are other names for markdown, mermaid and html. Without --format the format "
        "follows the -o file's extension (.json, .md or .markdown, .mmd or .mermaid, .html or .htm, "
        ".csv); a file with another extension needs --format. Without either, json goes to standard "
        "output. CSV files start with a byte order mark so spreadsheets read them as UTF-8; "
        "CSV on standard output has none. Control characters and the characters that hide or reorder "
        "text (a right-to-left override, a zero-width space) are \\uXXXX escapes in JSON and symbols in "
        "the documents; CSV keeps them as typed, except on a terminal, which shows them as symbols."
    )


@cli.command(context_settings=CONTEXT, help=_export_help(),
             short_help="Export a map: json, markdown, mermaid, html or csv.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--format", "-f", "fmt", type=click.Choice([*FORMATS, *ALIASES], case_sensitive=False), default=None,
              metavar="FORMAT", help=f"{', '.join(FORMATS)}; also md, mmd, htm "
              "(default: from the -o file's extension, else json).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, db: str | None, map_ref: str, fmt: str | None, output: str | None) -> None:
    fmt = _format_for(output) if fmt is None else ALIASES.get(fmt, fmt)  # the Choice gives it in lower case
    m = reading_store(ctx, db).find(map_ref)
    if output is None:
        print_export(m, fmt)
    else:
        write_file(Path(output), export_file(m, fmt))


def _format_for(output: str | None) -> str:
    """The format an -o file's extension names (json for standard output); a file whose
    extension names none is refused rather than given JSON it did not ask for."""
    if output is None:
        return "json"
    fmt = _extensions().get(Path(output).suffix.lower().lstrip("."))
    if fmt is None:
        raise click.UsageError(f"cannot tell the format from {output!r}; give --format ({', '.join(FORMATS)})")
    return fmt


@cli.command("import", context_settings=CONTEXT,
             short_help="Import a map (JSON) or touchpoints (CSV); prints its id.")
@db_option
@click.argument("file", type=click.Path(allow_dash=True))  # a folder is refused by read_named, in one line
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

        text, source = read_named(file)
        m = map_from_json(text, source)
        if title is not None:
            m.edit(title=title)
        out(store_for(ctx, db).add(m).id)
        return

    from ..io.csv_import import add_touchpoints, map_from_csv, read_touchpoints

    if into is not None:
        given = [name for name, value in {**new_map_options, "--title": title}.items() if value is not None]
        if given:
            raise click.UsageError(f"{given[0]} is for a new map; --into adds to a map that exists")
        text, source = read_named(file, CSV_HINT)
        rows = read_touchpoints(text, source)
        store = store_for(ctx, db)
        map_id = store.find(into).id
        store.change(map_id, lambda m: add_touchpoints(m, rows, source))
        out(map_id)
        return
    if title is None:
        raise click.UsageError("a CSV import needs --title for the new map, or --into MAP to add to one")
    text, source = read_named(file, CSV_HINT)
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
    out(store_for(ctx, db).add(m).id)




@cli.command("copy", context_settings=CONTEXT, short_help="Copy a whole workspace: file to server and back.")
@click.argument("source", metavar="SOURCE")
@click.argument("target", metavar="TARGET")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def copy(ctx: click.Context, source: str, target: str, as_json: bool) -> None:
    """Copy the whole workspace at SOURCE into TARGET: every map, every customer, and the history
    of changes (who changed what, when). Each is a database file or a PostgreSQL server's
    postgresql:// address. TARGET must be empty (a new file, or a database with no cxmap
    workspace yet); SOURCE is left as it is.
    """
    from ..domain.words import counted
    from ..store.moving import copy_workspace

    given = options(ctx)
    done = copy_workspace(given.store(source, create=False), given.store(target))
    src, tgt = given.opened[-2].location, given.opened[-1].location
    if as_json:
        print_json({"source": src, "target": tgt, "maps": done.maps, "accounts": done.accounts,
                    "contacts": done.contacts, "interactions": done.interactions, "changes": done.changes})
        return
    parts = [counted(done.maps, "map"), counted(done.accounts, "account"), counted(done.contacts, "contact"),
             counted(done.interactions, "interaction")]
    out(f"Copied {', '.join(parts)} and {counted(done.changes, 'recorded change')} from {src} to {tgt}.")
