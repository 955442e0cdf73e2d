"""Problems from the command line: resolving them, the accounts at risk while they are open,
when to ask for reviews, whom to ask for references, and a contact's history.

A problem is an interaction at -1 or lower; it stays open until `cxmap resolve` closes it.
"""

from __future__ import annotations

import click

from ..domain.accounts import at_risk, problems_of, references, review_candidates
from ..domain.ids import resolve as find
from ..store.collecting import collection_paused
from . import customer_json
from .customers import contact, given_date, touchpoint_names
from .group import CONTEXT, cli, db_option, print_json, reading_store, store_for


@cli.command("resolve", context_settings=CONTEXT, short_help="Resolve a contact's open problems.")
@db_option
@click.argument("contact_ref", metavar="CONTACT")
@click.option("--interaction", "interaction_ref", default=None, metavar="ID",
              help="Only this problem (an interaction's id or id prefix; see cxmap contact show).")
@click.option("--note", default="", metavar="TEXT", help="How it was put right.")
@click.option("--date", "when", default=None, metavar="DATE", help="When it was resolved (default: today).")
@click.pass_context
def resolve_command(ctx: click.Context, db: str | None, contact_ref: str, interaction_ref: str | None, note: str,
                    when: str | None) -> None:
    """Resolve CONTACT's open problems (or one, with --interaction); prints one line for each.

    A problem is an interaction at -1 or lower. It stays open, and keeps review requests at the
    contact's account on hold, until it is resolved: a later interaction that went well does not
    close it. A resolution cannot be dated before the problem; it is saved with your user name.
    """
    day = given_date(when, "--date")
    store = store_for(ctx, db, create=False)
    person = store.customers.find_contact(contact_ref)
    only = None
    if interaction_ref is not None:
        history = store.customers.interactions(person.id)
        only = [find(history, interaction_ref, what="interaction", id_of=lambda i: i.id, name_of=lambda i: i.id).id]
    done = store.customers.resolve(person.id, day, note, only=only)
    from .customer_output import print_resolved

    print_resolved(person, done, touchpoint_names(store))


@cli.command("at-risk", context_settings=CONTEXT, short_help="Accounts with an open problem, worst first.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@collection_paused()  # it reads, prints and is done: see store/collecting.py
def at_risk_command(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Accounts with an open problem, worst first (the lowest feeling, then the oldest), naming
    the contact and the touchpoint; contacts without an account who have one are listed too."""
    store = reading_store(ctx, db)
    found = at_risk(store.customers.book(), touchpoint_names(store))
    if as_json:
        print_json(customer_json.at_risk_json(found))
        return
    from .customer_output import print_at_risk

    print_at_risk(found)


@cli.command("review-candidates", context_settings=CONTEXT,
             short_help="Whom to ask for a review now, and who not yet.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@collection_paused()  # it reads, prints and is done: see store/collecting.py
def review_candidates_command(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Everyone to ask for a review now, then everyone left out and why.

    Everyone who has had an interaction is asked, however they felt, except while a problem is
    open at their account (or, without an account, one of their own): then not now.
    """
    store = reading_store(ctx, db)
    found = review_candidates(store.customers.book(), touchpoint_names(store))
    if as_json:
        print_json(customer_json.review_json(found))
        return
    from .customer_output import print_review_candidates

    print_review_candidates(found)


@cli.command("references", context_settings=CONTEXT,
             short_help="Happy contacts for case studies and references (not reviews).")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@collection_paused()  # it reads, prints and is done: see store/collecting.py
def references_command(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Contacts whose latest feeling is +1 or higher, at an account with no open problem: whom to
    ask in person for a case study or a reference. Not a list for public review requests."""
    store = reading_store(ctx, db)
    found = references(store.customers.book(), touchpoint_names(store))
    if as_json:
        print_json(customer_json.references_json(found))
        return
    from .customer_output import print_references

    print_references(found)


@contact.command("show", context_settings=CONTEXT, short_help="A contact's history: every interaction.")
@db_option
@click.argument("ref", metavar="CONTACT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@collection_paused()  # it reads, prints and is done: see store/collecting.py
def contact_show(ctx: click.Context, db: str | None, ref: str, as_json: bool) -> None:
    """A contact's history: every interaction, oldest first, with each problem open or resolved."""
    store = reading_store(ctx, db)
    person = store.customers.find_contact(ref)
    book = store.customers.book()
    names = touchpoint_names(store)
    history = [(i, names.moment(i)) for i in book.interactions_of.get(person.id, [])]
    history.sort(key=lambda pair: pair[0].order())
    problems = {p.interaction.id: p for p in problems_of(book, names, person.id)}
    if as_json:
        print_json(customer_json.history_json(book.contacts[person.id], book.account_of(person), history, problems))
        return
    from .customer_output import print_history

    print_history(book.contacts[person.id], book.account_of(person), history, problems)
