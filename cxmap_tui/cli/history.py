"""`cxmap history`: the record of who changed what, when, that compaction keeps beside the
database (`cx.json.history`) or the server keeps in its log. `history MAP` tells a map's
changes in words; `history prune` trims it.

`history` is a group whose first word may be a map rather than a subcommand (`cxmap history MAP`
lists a map's changes): `HistoryGroup` hands a first word that names no subcommand, with
everything after it, to its `default_command`, `show`. A subcommand's
name wins, so a map called "prune" is then reached by its id or by naming the default command.
"""

from __future__ import annotations

import sys
from datetime import datetime

import click

from ..domain.errors import CxmapError
from ..domain.words import counted
from ..store.compaction import Pruned
from ..store.engine import KeepsHistory
from ..store.errors import ReadOnly
from ..store.records import Who
from ..store.storage import JSONFileStorage
from .group import CONTEXT, cli, confirm, db_option, err, out, print_json, reading_store, store_for


class HistoryGroup(click.Group):
    """A group that hands a first word naming none of its subcommands to `default_command`
    (when it has one), with all that follows: `history MAP` beside `history prune`."""

    default_command: str | None = "show"

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                          list[str]]:
        first = args[0] if args else ""
        default = self.commands.get(self.default_command or "")
        if default is not None and first not in self.commands and not first.startswith("-"):
            return default.name, default, args
        return super().resolve_command(ctx, args)


@cli.group(cls=HistoryGroup, context_settings=CONTEXT, short_help="Who changed a map, what and when.")
def history() -> None:
    """The record of every change (who, when, what), kept beside the database.

    `cxmap history MAP` lists a map's changes (the same as `cxmap history show MAP`)."""


@history.command("show", context_settings=CONTEXT, short_help="A map's changes: who, when, what.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--since", metavar="WHEN", help="Only the changes from WHEN on: YYYY-MM-DD (your midnight) or "
                                                "YYYY-MM-DDTHH:MM.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def show(ctx: click.Context, db: str | None, map_ref: str, since: str | None, as_json: bool) -> None:
    """The changes to MAP the history keeps, oldest first: when, who, and what each did, in
    words ("moved 'Hold music' before 'Callback'", "feeling at 'Invoice' -1 -> +1")."""
    start = _moment(since, "--since") if since is not None else None
    store = reading_store(ctx, db)
    m = store.find(map_ref)
    entries = [e for e in store.history(m.id) if start is None or datetime.fromisoformat(e.at) >= start]
    if as_json:
        print_json([{"seq": e.seq, "at": e.at, "user": e.by.user, "participant": e.by.participant,
                     "changes": list(e.said)} for e in entries])
        return
    if not entries:
        out(f"No changes to {m.title!r} in the history{' since ' + since if since else ''}.")
        return
    width = max(len(_who(e.by)) for e in entries)
    for e in entries:
        head = f"{datetime.fromisoformat(e.at).astimezone():%Y-%m-%d %H:%M}  {_who(e.by):<{width}}  "
        for i, said in enumerate(e.said):
            out((head if i == 0 else " " * len(head)) + said)


def _who(by: Who) -> str:
    return by.participant or by.user


def _moment(text: str, option: str = "--before") -> datetime:
    """A date (your midnight) or a time (in your time zone unless it names one)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"give a date, YYYY-MM-DD, or a time, YYYY-MM-DDTHH:MM (not {text!r})",
                                 param_hint=f"'{option}'") from None
    return when if when.tzinfo is not None else when.astimezone()


def size(n: int) -> str:
    """A file's size, as people say it."""
    if n < 1000:
        return counted(n, "byte")
    value, unit = n / 1000, "kB"
    for bigger in ("MB", "GB"):
        if value < 999.95:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"


def _span(p: Pruned) -> str:
    if p.oldest is None or p.newest is None:
        return ""
    first, last = (when.astimezone().strftime("%Y-%m-%d") for when in (p.oldest, p.newest))
    return f" (made {first})" if first == last else f" (made {first} to {last})"


@history.command("prune", context_settings=CONTEXT, short_help="Remove old changes from the history.")
@db_option
@click.option("--before", metavar="DATE",
              help="Remove the changes made before DATE: YYYY-MM-DD (your midnight) or YYYY-MM-DDTHH:MM.")
@click.option("--keep", type=int, metavar="N",
              help="Keep the last N changes whatever their date (alone: remove all but the last N).")
@click.option("--dry-run", "-n", is_flag=True, help="Say what would be removed; remove nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def prune(ctx: click.Context, db: str | None, before: str | None, keep: int | None, dry_run: bool, yes: bool,
          as_json: bool) -> None:
    """Remove old changes from the database's history (the .history file beside it, or the
    log on a PostgreSQL server).

    The maps and customers stay exactly as they are: only the record of past changes goes. In a
    file, the changes saved since the journal was last folded into the database (still in the
    journal) always stay; they reach the history when it is folded (after 1,000 changes, or when
    it has grown as large as the database). On a server, the newest change always stays.
    """
    if before is None and keep is None:
        raise click.UsageError("say which changes to remove: --before DATE, --keep N, or both")
    if keep is not None and keep < 0:
        raise click.BadParameter("give 0 or more", param_hint="--keep")
    since = _moment(before) if before is not None else None
    store = store_for(ctx, db, create=False)
    storage = store.storage
    if not isinstance(storage, KeepsHistory):
        raise CxmapError(f"{store.location} keeps no history")
    name = storage.history_name
    if not dry_run and store.read_only:
        raise ReadOnly(f"did not prune {name}: {store.location} is read-only: {store.read_only}")
    plan = storage.prune_history(since=since, last=keep, dry_run=True)
    if not dry_run and plan.dropped and not yes:
        question = (f"remove {plan.dropped} of the {counted(plan.kept + plan.dropped, 'change')} in {name}"
                    f"{_span(plan)}? {plan.kept} would remain")
        if not sys.stdin.isatty():
            raise click.UsageError(f"{question}; add --yes to confirm without a terminal (--dry-run only says)")
        confirm(question[0].upper() + question[1:] + ".")
    done = plan if dry_run else storage.prune_history(since=since, last=keep)
    for note in done.notes:
        err(f"cxmap: {name}: {note} ({'would be dropped' if dry_run else 'dropped'})")
    if as_json:
        shown = str(storage.history_path) if isinstance(storage, JSONFileStorage) else store.location
        print_json({"history": shown, "dry_run": dry_run, "removed": done.dropped,
                    "remain": done.kept, "bytes_before": done.size_before, "bytes_after": done.size_after,
                    "removed_from": done.oldest.isoformat() if done.oldest else None,
                    "removed_to": done.newest.isoformat() if done.newest else None, "notes": list(done.notes)})
        return
    out(_said(done, name, dry_run=dry_run, journal=isinstance(storage, JSONFileStorage)))


def _said(p: Pruned, name: str, *, dry_run: bool, journal: bool) -> str:
    if not p.dropped and not (p.notes and not dry_run):
        if not p.kept:
            why = (" (the changes saved since the journal was last folded into the database wait in the journal, "
                   "which is never pruned)") if journal else ""
            return f"Nothing to remove: {name} holds no changes yet{why}."
        return f"Nothing to remove: the {counted(p.kept, 'change')} in {name} all stay ({size(p.size_before)})."
    removed, remain = ("Would remove", "would remain") if dry_run else ("Removed", "remain")
    return (f"{removed} {p.dropped} of {counted(p.kept + p.dropped, 'change')} from {name}{_span(p)}; "
            f"{p.kept} {remain}; {size(p.size_before)} -> {size(p.size_after)}.")
