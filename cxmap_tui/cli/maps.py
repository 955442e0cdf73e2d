"""Commands about whole maps: list, new, show, delete, where, templates."""

from __future__ import annotations

import sys

import click

from ..domain.model import EXPERIENCES
from .group import CONTEXT, Options, cli, confirm, db_option, out, print_json, store_for

@cli.command("list", context_settings=CONTEXT)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_maps(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the maps: id, title, kind and counts."""
    summaries = store_for(ctx, db).summaries()
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
        print_json(rows)
        return
    from .output import print_map_list

    print_map_list(summaries)


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.pass_context
def show(ctx: click.Context, db: str | None, map_ref: str) -> None:
    """Print a map: its touchpoints in order, feelings and thoughts, then the backlog."""
    from .output import print_map

    print_map(store_for(ctx, db).find(map_ref))


@cli.command(context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.pass_context
def delete(ctx: click.Context, db: str | None, map_ref: str, yes: bool) -> None:
    """Delete a map (its JSON export is the way to keep a copy)."""
    store = store_for(ctx, db)
    m = store.find(map_ref)
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError(f"delete {m.title!r}? add --yes to confirm without a terminal")
        confirm(f"Delete {m.title!r} ({len(m.touchpoints)} touchpoints)?")
    store.delete(m.id)


@cli.command(context_settings=CONTEXT)
@db_option
@click.pass_context
def where(ctx: click.Context, db: str | None) -> None:
    """Print the path of the database file in use."""
    from ..paths import resolve_db_path

    out(str(resolve_db_path(db or ctx.find_object(Options).db)))


