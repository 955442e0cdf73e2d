"""Printing customers and their analyses with Rich, readable at 80 columns. User text goes
through `visible` (via render.t) and is never read as markup."""

from __future__ import annotations

import math

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..domain import feelings
from ..domain.accounts import AtRisk, Moment, Problem, Reference, ReviewCandidates, TouchpointNames
from ..domain.checklist import AHEAD, ANY_TIME, DONE, DUE, OVERDUE, STATES, Checklist
from ..domain.customers import Account, Contact, CustomerBook, Interaction
from ..domain.problems import Resolution
from ..domain.segments import SegmentCurve
from ..domain.words import counted
from ..present.map_view import t
from .output import ascii_wanted, console

STATE_STYLES = {OVERDUE: "bold red", DUE: "bold yellow", AHEAD: "dim", ANY_TIME: "", DONE: "green"}


def _table(c: Console) -> Table:
    return Table(
        box=box.ASCII if ascii_wanted(c) else box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )


NARROW = 60  # below this many columns, even ids and dates may wrap


def _show(c: Console, table: Table) -> None:
    # Fold what does not fit rather than cut it with an ellipsis: nothing is lost on a narrow
    # terminal, and nothing outside ASCII is written where the locale cannot show it.
    narrow = c.width < NARROW
    for column in table.columns:
        column.overflow = "fold"
        if narrow:
            column.no_wrap = False
    c.print(table)


def _feel(score: int | None, ascii: bool) -> Text:
    if score is None:
        return Text(feelings.face(None, ascii=ascii), style="dim")
    return Text(f"{feelings.face(score, ascii=ascii)} {feelings.signed(score)}")


def _account_name(a: Account | None, ascii: bool) -> Text:
    return t(a.name, ascii=ascii) if a is not None else Text("(no account)", style="dim")


def print_accounts(accounts: list[Account], book: CustomerBook) -> None:
    c = console()
    if not accounts:
        c.print("No accounts yet. Add one: cxmap account add NAME [--start DATE] [--segment S]")
        return
    ascii = ascii_wanted(c)
    table = _table(c)
    table.add_column("ID", no_wrap=True, style="dim")
    table.add_column("Name", ratio=3)
    table.add_column("Start", no_wrap=True)
    table.add_column("Segment", ratio=2)
    table.add_column("Contacts", justify="right", no_wrap=True)
    for a in accounts:
        contacts = str(len(book.contacts_of[a.id]))
        table.add_row(a.id, t(a.name, ascii=ascii), a.start, t(a.segment, ascii=ascii), contacts)
    _show(c, table)


def print_contacts(contacts: list[Contact], book: CustomerBook) -> None:
    c = console()
    if not contacts:
        c.print("No contacts here yet. Add one: cxmap contact add NAME [--account A] [--start DATE]")
        return
    ascii = ascii_wanted(c)
    table = _table(c)
    table.add_column("ID", no_wrap=True, style="dim")
    table.add_column("Name", ratio=3)
    table.add_column("Account", ratio=3)
    table.add_column("Segment", ratio=2)
    table.add_column("Start", no_wrap=True)
    for person in contacts:
        segment = t(book.segment_of(person), ascii=ascii)
        if not person.segment and segment.plain:
            segment.stylize("italic")  # the account's segment
        table.add_row(person.id, t(person.name, ascii=ascii), _account_name(book.account_of(person), ascii),
                      segment, person.start)
    _show(c, table)


def print_checklist(found: Checklist) -> None:
    c = console()
    ascii = ascii_wanted(c)
    whose = Text("")
    if found.contact is not None:
        whose.append_text(t(found.contact.name, ascii=ascii))
        if found.account is not None:
            whose.append(" at ")
            whose.append_text(t(found.account.name, ascii=ascii))
    elif found.account is not None:
        whose.append_text(t(found.account.name, ascii=ascii))
        whose.append(" and its contacts")
    head = t(found.map.title, "bold", ascii=ascii)
    head.append(": checklist for ", style="bold")
    head.append_text(whose)
    head.append(f", on {found.today.isoformat()}")
    c.print(head)
    counts = ", ".join(f"{found.count(s)} {s}" for s in STATES if found.count(s))
    c.print(Text(f"{counts or 'no moments'}. A moment is due from its due day for {found.grace} days, "
                 "then overdue.", style="dim"))
    if not found.items:
        c.print("Nothing to check: the map has no touchpoints" +
                (", or the account has no contacts for contact-clock moments." if found.contact is None else "."))
        return
    table = _table(c)
    table.add_column("State", no_wrap=True)
    table.add_column("Touchpoint", ratio=3)
    if found.contact is None:
        table.add_column("Contact", ratio=2)
    table.add_column("Clock", no_wrap=True)
    table.add_column("Due", no_wrap=True)
    table.add_column("Done", ratio=2)
    for item in found.items:
        done = Text("")
        if item.done is not None:
            done.append(item.done.date)
            by = item.done_by
            if by is not None and (item.contact is None or by.id != item.contact.id):
                done.append(" by ")
                done.append_text(t(by.name, ascii=ascii))
        row: list[Text | str] = [Text(item.state, style=STATE_STYLES[item.state]), t(item.touchpoint.name, ascii=ascii)]
        if found.contact is None:
            row.append(t(item.contact.name, ascii=ascii) if item.contact else Text("(account)", style="dim"))
        row += [item.touchpoint.clock, item.due.isoformat() if item.due else "-", done]
        table.add_row(*row)
    _show(c, table)


def print_at_risk(found: list[AtRisk]) -> None:
    c = console()
    if not found:
        c.print("No account is at risk: no problem is open.")
        return
    ascii = ascii_wanted(c)
    n = len(found)
    c.print(Text(f"{n} at risk, worst first", style="bold"))
    c.print(Text("Accounts with an open problem (a feeling of -1 or lower, not yet resolved), and contacts "
                 "without an account who have one.", style="dim"))
    table = _table(c)
    table.add_column("Account", ratio=3)
    table.add_column("Feel", no_wrap=True)
    table.add_column("Contact", ratio=2)
    table.add_column("Touchpoint", ratio=3)
    table.add_column("Date", no_wrap=True)
    table.add_column("Open", justify="right", no_wrap=True)
    for r in found:
        w = r.worst
        table.add_row(_account_name(r.account, ascii), _feel(w.feeling, ascii), t(w.contact.name, ascii=ascii),
                      _where(w.moment, ascii), w.interaction.date, str(len(r.problems)))
    _show(c, table)
    c.print(Text("A problem stays open until it is resolved: cxmap resolve CONTACT [--note TEXT].", style="dim"))


def _where(moment: Moment, ascii: bool) -> Text:
    return t(moment.label(), "italic" if moment.removed else "", ascii=ascii)


def print_review_candidates(found: ReviewCandidates) -> None:
    c = console()
    ascii = ascii_wanted(c)
    n = len(found.candidates)
    if not n:
        c.print("Nobody to ask for a review now.")
    else:
        c.print(Text(f"Ask for a review ({n})", style="bold"))
        table = _table(c)
        table.add_column("Contact", ratio=2)
        table.add_column("Account", ratio=2)
        table.add_column("Last met at", ratio=3)
        table.add_column("Date", no_wrap=True)
        for cand in found.candidates:
            table.add_row(t(cand.contact.name, ascii=ascii), _account_name(cand.account, ascii),
                          _where(cand.last.moment, ascii), cand.last.interaction.date)
        _show(c, table)
    if found.left_out:
        c.print()
        c.print(Text(f"Not now ({len(found.left_out)})", style="bold"))
        table = _table(c)
        table.add_column("Contact", ratio=2)
        table.add_column("Account", ratio=2)
        table.add_column("Why not", ratio=5)
        for x in found.left_out:
            table.add_row(t(x.contact.name, ascii=ascii), _account_name(x.account, ascii), t(x.reason, ascii=ascii))
        _show(c, table)
    if found.candidates or found.left_out:
        c.print(Text("Everyone met is asked, however they felt; only an open problem at their account (or their "
                     "own) puts it off. Asking only the happy ones is review gating.", style="dim"))


def print_references(found: list[Reference]) -> None:
    c = console()
    ascii = ascii_wanted(c)
    c.print(Text(f"References and case studies ({len(found)}): NOT for public reviews", style="bold"))
    c.print(Text("Contacts at +1 or higher with no problem open at their account, to ask in person for a case "
                 "study or a reference.", style="dim"))
    c.print(Text("Public reviews are asked of everyone met: cxmap review-candidates.", style="dim"))
    if not found:
        c.print("Nobody yet.")
        return
    table = _table(c)
    table.add_column("Contact", ratio=2)
    table.add_column("Account", ratio=2)
    table.add_column("Feel", no_wrap=True)
    table.add_column("Latest feeling at", ratio=3)
    table.add_column("Date", no_wrap=True)
    for r in found:
        table.add_row(t(r.contact.name, ascii=ascii), _account_name(r.account, ascii), _feel(r.latest.feeling, ascii),
                      _where(r.latest.moment, ascii), r.latest.interaction.date)
    _show(c, table)


def print_resolved(person: Contact, done: list[tuple[Interaction, Resolution]], names: TouchpointNames) -> None:
    """One line for each problem resolved."""
    c = console()
    ascii = ascii_wanted(c)
    for i, r in done:
        line = Text(f"resolved {i.id}: ")
        line.append_text(t(person.name, ascii=ascii))
        line.append(" at ")
        line.append_text(t(names.moment(i).label(), ascii=ascii))
        line.append(f" ({feelings.signed(i.feeling)}) on {i.date}; on {r.date} by ")
        line.append_text(t(r.by or "?", ascii=ascii))
        c.print(line, soft_wrap=True)


def print_history(person: Contact, account: Account | None, history: list[tuple[Interaction, Moment]],
                  problems: dict[str, Problem]) -> None:
    c = console()
    ascii = ascii_wanted(c)
    head = t(person.name, "bold", ascii=ascii)
    if account is not None:
        head.append(" at ")
        head.append_text(t(account.name, ascii=ascii))
    else:
        head.append(" (no account)", style="dim")
    head.append(f", since {person.start}: {counted(len(history), 'interaction')}, ")
    still = sum(1 for p in problems.values() if p.is_open)
    head.append(counted(still, "open problem"))
    c.print(head)
    if not history:
        return
    table = _table(c)
    table.add_column("Date", no_wrap=True)
    table.add_column("Map: touchpoint", ratio=3)
    table.add_column("Feel", no_wrap=True)
    table.add_column("Note", ratio=3)
    table.add_column("Problem", ratio=3)
    for i, moment in history:
        where = t(f"{moment.map_title}: {moment.touchpoint}" if not moment.removed else moment.label(),
                  "italic" if moment.removed else "", ascii=ascii)
        p = problems.get(i.id)
        status = Text("")
        if p is not None and p.resolution is None:
            status = Text("OPEN", style="bold red")
        elif p is not None and p.resolution is not None:
            status = Text(f"resolved {p.resolution.date} by ")
            status.append_text(t(p.resolution.by or "?", ascii=ascii))
            if p.resolution.note:
                status.append(": ")
                status.append_text(t(p.resolution.note, ascii=ascii))
        table.add_row(i.date, where, _feel(i.feeling, ascii), t(i.note, ascii=ascii), status)
    _show(c, table)


def _average(value: float | None, ascii: bool) -> Text:
    if value is None:
        return Text(feelings.face(None, ascii=ascii), style="dim")
    nearest = max(feelings.MIN_SCORE, min(feelings.MAX_SCORE, math.floor(value + 0.5)))
    return Text(f"{feelings.face(nearest, ascii=ascii)} {value:+.1f}")


def print_segment(curve: SegmentCurve) -> None:
    c = console()
    ascii = ascii_wanted(c)
    head = Text("Segment ", style="bold")
    head.append_text(t(curve.segment, "bold", ascii=ascii))
    head.append(" on ", style="bold")
    head.append_text(t(curve.map.title, "bold", ascii=ascii))
    head.append(f": {counted(curve.members, 'contact')}")
    c.print(head)
    c.print(Text("Each contact counts with their latest feeling at each touchpoint; 'Map' is the "
                 "feeling the map itself holds.", style="dim"))
    table = _table(c)
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    table.add_column("Touchpoint", ratio=1)
    table.add_column("Map", no_wrap=True)
    table.add_column("Average", no_wrap=True)
    table.add_column("Worst", no_wrap=True)
    table.add_column("Contacts", justify="right", no_wrap=True)
    for i, p in enumerate(curve.points, start=1):
        table.add_row(str(i), t(p.touchpoint.name, ascii=ascii), _feel(p.map_feeling, ascii),
                      _average(p.average, ascii), _feel(p.worst, ascii), str(p.contacts))
    _show(c, table)
    if curve.removed:
        c.print(Text(f"{counted(curve.removed, 'rated interaction')} at touchpoints "
                     "since removed from the map are not shown.", style="dim"))
