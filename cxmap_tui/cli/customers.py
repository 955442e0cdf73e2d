"""Real customers from the command line: accounts, contacts, recorded interactions, and what
they say (checklists, a segment's curve; problems, risk, reviews and references are in
`customer_problems`).

ACCOUNT, CONTACT, MAP and TOUCHPOINT accept an id, an id prefix, or an unambiguous name. Dates
are YYYY-MM-DD and default to today.
"""

from __future__ import annotations

from datetime import date

import click

from ..domain.accounts import TouchpointNames
from ..domain.checklist import account_checklist, contact_checklist
from ..domain.customers import Account, Contact, CustomerBook, parse_date
from ..domain.errors import ValidationError
from ..domain.feelings import parse_score
from ..domain.words import counted
from ..store import Store
from ..store.collecting import collection_paused
from . import customer_json
from .group import CONTEXT, cli, confirm, db_option, out, print_json, reading_store, store_for


def given_date(text: str | None, what: str) -> date:
    return date.today() if text is None else parse_date(text, what)




def touchpoint_names(store: Store) -> TouchpointNames:
    return TouchpointNames(store.maps())


# -- accounts -------------------------------------------------------------------------------------


@cli.group(context_settings=CONTEXT, short_help="Business customers: add, list, edit, delete.")
def account() -> None:
    """Business customers (the companies): add, list, edit, delete."""


@account.command("add", context_settings=CONTEXT)
@db_option
@click.argument("name")
@click.option("--start", default=None, metavar="DATE", help="When it became a customer (default: today).")
@click.option("--segment", default="", metavar="S", help="The segment its contacts belong to.")
@click.pass_context
def account_add(ctx: click.Context, db: str | None, name: str, start: str | None, segment: str) -> None:
    """Add an account; prints its id."""
    made = Account.new(name, given_date(start, "--start"), segment)
    out(store_for(ctx, db).customers.add_account(made).id)


@account.command("list", context_settings=CONTEXT)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def account_list(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the accounts: id, name, start, segment, how many contacts."""
    customers = reading_store(ctx, db).customers
    book = CustomerBook(customers.accounts(), customers.contacts())
    accounts = sorted(book.accounts.values(), key=lambda a: (a.name.casefold(), a.id))
    if as_json:
        print_json([{**a.to_dict(), "contacts": len(book.contacts_of[a.id])} for a in accounts])
        return
    from .customer_output import print_accounts

    print_accounts(accounts, book)


@account.command("edit", context_settings=CONTEXT)
@db_option
@click.argument("ref", metavar="ACCOUNT")
@click.option("--name", default=None, help="A new name.")
@click.option("--start", default=None, metavar="DATE", help="A new start date.")
@click.option("--segment", default=None, metavar="S", help="A new segment ('' for none).")
@click.pass_context
def account_edit(ctx: click.Context, db: str | None, ref: str, name: str | None, start: str | None,
                 segment: str | None) -> None:
    """Change an account's name, start or segment."""
    changes = {k: v for k, v in {"name": name, "start": start, "segment": segment}.items() if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give --name, --start or --segment")
    customers = store_for(ctx, db, create=False).customers
    customers.update_account(customers.find_account(ref).id, **changes)


@account.command("delete", context_settings=CONTEXT, short_help="Delete an account that has no contacts.")
@db_option
@click.argument("ref", metavar="ACCOUNT")
@click.pass_context
def account_delete(ctx: click.Context, db: str | None, ref: str) -> None:
    """Delete an account that has no contacts (move or delete them first)."""
    customers = store_for(ctx, db, create=False).customers
    customers.delete_account(customers.find_account(ref).id)


# -- contacts -------------------------------------------------------------------------------------


@cli.group(context_settings=CONTEXT, short_help="People at accounts or on their own.")
def contact() -> None:
    """People: at an account or on their own. Add, list, edit, delete."""


@contact.command("add", context_settings=CONTEXT)
@db_option
@click.argument("name")
@click.option("--account", "account_ref", default=None, metavar="A", help="The account they work at.")
@click.option("--segment", default="", metavar="S", help="Their segment (default: their account's).")
@click.option("--start", default=None, metavar="DATE", help="When they started (default: today).")
@click.pass_context
def contact_add(ctx: click.Context, db: str | None, name: str, account_ref: str | None, segment: str,
                start: str | None) -> None:
    """Add a contact; prints their id."""
    customers = store_for(ctx, db).customers
    account_id = customers.find_account(account_ref).id if account_ref is not None else ""
    made = Contact.new(name, given_date(start, "--start"), account=account_id, segment=segment)
    out(customers.add_contact(made).id)


@contact.command("list", context_settings=CONTEXT)
@db_option
@click.option("--account", "account_ref", default=None, metavar="A", help="Only this account's contacts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def contact_list(ctx: click.Context, db: str | None, account_ref: str | None, as_json: bool) -> None:
    """List the contacts: id, name, account, segment, start."""
    customers = reading_store(ctx, db).customers
    book = CustomerBook(customers.accounts(), customers.contacts())
    account_id = customers.find_account(account_ref).id if account_ref is not None else None
    contacts = sorted(
        (c for c in book.contacts.values() if account_id is None or c.account == account_id),
        key=lambda c: (c.name.casefold(), c.id),
    )
    if as_json:
        rows = []
        for c in contacts:
            at = book.account_of(c)
            rows.append({**c.to_dict(), "account_name": at.name if at else None, "in_segment": book.segment_of(c)})
        print_json(rows)
        return
    from .customer_output import print_contacts

    print_contacts(contacts, book)


@contact.command("edit", context_settings=CONTEXT)
@db_option
@click.argument("ref", metavar="CONTACT")
@click.option("--name", default=None, help="A new name.")
@click.option("--account", "account_ref", default=None, metavar="A", help="Move them to this account.")
@click.option("--no-account", is_flag=True, help="They no longer belong to an account.")
@click.option("--segment", default=None, metavar="S", help="A new segment ('' for their account's).")
@click.option("--start", default=None, metavar="DATE", help="A new start date.")
@click.pass_context
def contact_edit(ctx: click.Context, db: str | None, ref: str, name: str | None, account_ref: str | None,
                 no_account: bool, segment: str | None, start: str | None) -> None:
    """Change a contact's name, account, segment or start."""
    if account_ref is not None and no_account:
        raise click.UsageError("--account and --no-account contradict each other")
    customers = store_for(ctx, db, create=False).customers
    changes: dict[str, str] = {k: v for k, v in {"name": name, "segment": segment, "start": start}.items()
                               if v is not None}
    if account_ref is not None:
        changes["account"] = customers.find_account(account_ref).id
    if no_account:
        changes["account"] = ""
    if not changes:
        raise click.UsageError("nothing to change: give --name, --account, --no-account, --segment or --start")
    customers.update_contact(customers.find_contact(ref).id, **changes)


@contact.command("delete", context_settings=CONTEXT)
@db_option
@click.argument("ref", metavar="CONTACT")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.pass_context
def contact_delete(ctx: click.Context, db: str | None, ref: str, yes: bool) -> None:
    """Delete a contact and every interaction recorded for them."""
    import sys

    customers = store_for(ctx, db, create=False).customers
    person = customers.find_contact(ref)
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError(f"delete {person.name!r} and their interactions? add --yes to confirm")
        n = len(customers.interactions(person.id))
        confirm(f"Delete {person.name!r} and {counted(n, 'recorded interaction')}?")
    customers.delete_contact(person.id)


# -- recording ------------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT, short_help="Record that a contact met a touchpoint.")
@db_option
@click.argument("contact_ref", metavar="CONTACT")
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.option("--date", "when", default=None, metavar="DATE", help="When it happened (default: today).")
@click.option("--feeling", default=None, metavar="SCORE", help="-2 .. +2, --/-/0/+/++, or none.")
@click.option("--note", default="", metavar="N", help="What they said, or what happened.")
@click.pass_context
def record(ctx: click.Context, db: str | None, contact_ref: str, map_ref: str, tp_ref: str, when: str | None,
           feeling: str | None, note: str) -> None:
    """Record that CONTACT met TOUCHPOINT of MAP (and how they felt); prints its id."""
    score = None
    if feeling is not None:
        try:
            score = parse_score(feeling)
        except ValueError as e:
            raise ValidationError(str(e)) from None
    day = given_date(when, "--date")
    store = store_for(ctx, db, create=False)
    person = store.customers.find_contact(contact_ref)
    m = store.find(map_ref)
    tp = m.touchpoint(tp_ref)
    out(store.customers.record(person.id, m.id, tp.id, day, score, note).id)


# -- what it says ---------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT, short_help="An ideal map as a checklist for a contact or account.")
@db_option
@click.option("--contact", "contact_ref", default=None, metavar="C", help="A contact's checklist.")
@click.option("--account", "account_ref", default=None, metavar="A", help="An account's checklist.")
@click.option("--map", "map_ref", required=True, metavar="IDEAL", help="The ideal map to check against.")
@click.option("--today", default=None, metavar="DATE", help="See it as on this day (default: today).")
@click.option("--grace", type=click.IntRange(min=0), default=7, show_default=True, metavar="DAYS",
              help="How long a moment stays due before it is overdue.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@collection_paused()  # it reads, prints and is done: see store/collecting.py
def checklist(ctx: click.Context, db: str | None, contact_ref: str | None, account_ref: str | None, map_ref: str,
              today: str | None, grace: int, as_json: bool) -> None:
    """An ideal map as a checklist for one contact or one account: done, due, overdue, ahead.

    A moment is due from its due day (counted from the contact's start, or from the account's
    for account-clock touchpoints) for --grace days, then overdue. Account-clock moments are
    done when any contact of the account had them.
    """
    if (contact_ref is None) == (account_ref is None):
        raise click.UsageError("give either --contact or --account")
    day = given_date(today, "--today")
    store = reading_store(ctx, db)
    ideal = store.find(map_ref)
    book = store.customers.book()
    if contact_ref is not None:
        found = contact_checklist(book, ideal, store.customers.find_contact(contact_ref).id, day, grace=grace)
    else:
        assert account_ref is not None
        found = account_checklist(book, ideal, store.customers.find_account(account_ref).id, day, grace=grace)
    if as_json:
        print_json(customer_json.checklist_json(found))
        return
    from .customer_output import print_checklist

    print_checklist(found)


@cli.command(context_settings=CONTEXT, short_help="How a segment felt along a map.")
@db_option
@click.argument("segment")
@click.option("--map", "map_ref", required=True, metavar="MAP", help="The map to draw the segment on.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@collection_paused()  # it reads, prints and is done: see store/collecting.py
def segment(ctx: click.Context, db: str | None, segment: str, map_ref: str, as_json: bool) -> None:
    """How a segment's contacts felt at each touchpoint of MAP, beside the map's own feelings.

    A contact is in SEGMENT by their own segment, or else their account's.
    """
    from ..domain.segments import segment_curve

    store = reading_store(ctx, db)
    m = store.find(map_ref)
    book = store.customers.book()
    known = book.segments()
    if segment.strip().casefold() not in {s.casefold() for s in known}:
        listed = ", ".join(f"{s} ({n})" for s, n in known.items()) or "none yet"
        raise ValidationError(f"no contact is in segment {segment!r}; the segments are: {listed}")
    curve = segment_curve(book, m, segment)
    if as_json:
        print_json(customer_json.segment_json(curve))
        return
    from .customer_output import print_segment

    print_segment(curve)


# -- import ---------------------------------------------------------------------------------------


@cli.command("import-customers", context_settings=CONTEXT,
             short_help="Import accounts, contacts or interactions (CSV).")
@db_option
@click.argument("file", type=click.Path(allow_dash=True))  # a folder is refused by read_named, in one line
@click.option("--what", type=click.Choice(["accounts", "contacts", "interactions"]), required=True,
              help="What the file holds.")
@click.pass_context
def import_customers(ctx: click.Context, db: str | None, file: str, what: str) -> None:
    """Import accounts, contacts or recorded interactions from a CSV table; prints how many.

    \b
    Columns (* required; a header row names them, in any order):
      accounts:      name*, start*, segment
      contacts:      name*, start*, account, segment
      interactions:  contact*, map*, touchpoint*, date*, feeling, note

    Dates are YYYY-MM-DD; account, contact, map and touchpoint are an id or an exact name.
    All rows or none are imported; a mistake is reported with its row and field.
    """
    from ..io.customers_csv import accounts_from_csv, contacts_from_csv, interactions_from_csv
    from ..io.reading import CSV_HINT, read_named

    text, source = read_named(file, CSV_HINT)
    store = store_for(ctx, db)
    customers = store.customers
    book = CustomerBook(customers.accounts(), customers.contacts())
    if what == "accounts":
        added = customers.add_many(accounts=accounts_from_csv(text, book, source))
        n = len(added.accounts)
    elif what == "contacts":
        added = customers.add_many(contacts=contacts_from_csv(text, book, source))
        n = len(added.contacts)
    else:
        added = customers.add_many(interactions=interactions_from_csv(text, book, store.maps(), source))
        n = len(added.interactions)
    out(f"imported {counted(n, what[:-1])}")
