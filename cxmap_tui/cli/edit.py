"""Commands that change a map: touchpoints, feelings, improvements."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from ..domain.errors import ValidationError
from ..domain.feelings import parse_score
from ..domain.model import STATUSES
from ..domain.parts import TouchpointValue
from .group import CONTEXT, cli, db_option, err, out, store_for

F = TypeVar("F", bound=Callable[..., None])


@cli.group(context_settings=CONTEXT)
def touchpoint() -> None:
    """Add, edit, move or remove touchpoints."""


def _touchpoint_options(fn: F) -> F:
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
            click.option("--due-day", "due_day", default=None, metavar="N",
                         help="Ideal maps: the day it is due, from 0 (the first day), or none."),
            click.option("--clock", default=None, metavar="C",
                         help="Whose clock the due day counts on: contact (default) or account."),
        ]
    ):
        fn = opt(fn)
    return fn


def _touchpoint_changes(**given: str | None) -> dict[str, TouchpointValue]:
    changes: dict[str, TouchpointValue] = {k: v for k, v in given.items() if v is not None}
    feeling, due_day = given.get("feeling"), given.get("due_day")
    if feeling is not None:
        changes["feeling"] = _score(feeling)
    if due_day is not None:
        changes["due_day"] = _due_day(due_day)
    return changes


def _due_day(text: str) -> int | None:
    if text.strip().lower() in ("", "none"):
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(f"a due day is a whole number of days from 0 up, or none, not {text!r}") from None


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
def touchpoint_add(ctx: click.Context, /, db: str | None, map_ref: str, name: str, at: int | None,
                  **fields: str | None) -> None:
    """Add a touchpoint to MAP; prints its id."""
    store = store_for(ctx, db, create=False)
    m = store.find(map_ref)
    changes = _touchpoint_changes(**fields)
    tp = store.change(m.id, lambda m: m.add_touchpoint(name, at=None if at is None else at - 1, **changes))
    out(tp.id)


@touchpoint.command("edit", context_settings=CONTEXT)
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.option("--name", default=None, metavar="NAME", help="A new name.")
@_touchpoint_options
@click.pass_context
def touchpoint_edit(ctx: click.Context, /, db: str | None, map_ref: str, tp_ref: str, **fields: str | None) -> None:
    """Change fields of a touchpoint."""
    store = store_for(ctx, db, create=False)
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
    store = store_for(ctx, db, create=False)
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
    store = store_for(ctx, db, create=False)
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
    store = store_for(ctx, db, create=False)
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
@click.option("--customer-value", type=click.IntRange(1, 5), default=3, show_default=True, metavar="N",
              help="Value to the customer, 1-5.")
@click.option("--business-value", type=click.IntRange(1, 5), default=3, show_default=True, metavar="N",
              help="Value to the business, 1-5.")
# The old name of --customer-value: it never set the business value, whatever it seemed to say.
@click.option("--value", "old_value", type=click.IntRange(1, 5), default=None, hidden=True)
@click.option("--effort", type=click.IntRange(1, 5), default=3, show_default=True, metavar="N",
              help="Effort, 1 (small) to 5 (large).")
@click.option("--status", default="idea", show_default=True, metavar="S", help=", ".join(STATUSES) + ".")
@click.option("--owner", default="", metavar="O", help="Team or person.")
@click.pass_context
def improve(ctx: click.Context, db: str | None, map_ref: str, title: str, touchpoints: tuple[str, ...],
            description: str, customer_value: int, business_value: int, effort: int, status: str,
            owner: str, old_value: int | None) -> None:
    """Add an improvement to MAP's backlog; prints its id.

    Its priority comes from its effort and its value: the mean of the customer's and the
    business's value.
    """
    if old_value is not None:
        if ctx.get_parameter_source("customer_value") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("--value is the old name of --customer-value; give only --customer-value")
        err("cxmap: --value sets the value to the customer only, and is now called --customer-value "
            "(the business value is --business-value)")
        customer_value = old_value
    store = store_for(ctx, db, create=False)
    m = store.find(map_ref)
    imp = store.change(
        m.id,
        lambda m: m.add_improvement(
            title,
            description=description,
            touchpoints=list(touchpoints),
            customer_value=customer_value,
            business_value=business_value,
            effort=effort,
            status=status,
            owner=owner,
        ),
    )
    out(imp.id)


