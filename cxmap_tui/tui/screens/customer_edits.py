"""The customers screen's changes: recording what happened to a contact, resolving their open
problems, adding an account or a contact; each in its dialog, saved on the save queue, undone
with u."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ...domain.accounts import group_of
from ..context import cxmap
from ..history import Change
from ..widgets.curve import FeelingCurve
from .customer_data import Snapshot


class CustomerEdits:
    """What the customers screen does through its dialogs (a part of CustomersScreen)."""

    app: Any
    snapshot: Snapshot | None
    view: str
    open_map_id: str | None
    added: tuple[str, Snapshot | None] | None
    today: Callable[[], date]
    notify: Any
    query_one: Any

    def current_key(self) -> str | None:
        raise NotImplementedError

    def load(self) -> None:
        raise NotImplementedError

    def _saver(self, label: str, undo: Callable[[Any], Callable[[Any], Any]] | None = None, *,
               then: Callable[[Any], None] | None = None) -> Any:
        """What a dialog saves with: the change on the save queue, then (once stored) `undo` of
        its result remembered for u, `then` told the result, and the screen read again."""

        def save(run: Any, done: Any, failed: Any) -> None:
            def stored(result: Any) -> None:
                done(result)
                if undo is not None:
                    # u takes it back; U makes it again (run anew), and u then takes back that one.
                    cxmap(self).remember(Change(label, result, lambda store, r: undo(r)(store), run))
                if then is not None:
                    then(result)
                self.load()

            # The dialog says it if the change is not saved: no toast on top of it.
            cxmap(self).submit(label, run, stored, failed, notify=False)

        return save

    def action_record(self) -> None:
        from ..modals.customers import RecordDialog

        s, key = self.snapshot, self.current_key()
        if s is None or key is None or not key.startswith("con:"):
            self.notify("Highlight a contact to record what happened to them.", timeout=4)
            return
        contact = s.book.contacts[key[4:]]
        session = cxmap(self).session
        # The map open in the workshop, else the one last recorded on here, else this contact's
        # latest (the first of them still there), else the first map.
        history = sorted(s.book.interactions_of.get(contact.id, ()), key=lambda i: i.order())
        there = {m.id for m in s.maps}
        start_map = next((m for m in (self.open_map_id, session.record_map, history[-1].map if history else None)
                          if m in there), None)
        save = self._saver(f"record for {contact.name!r}",
                           lambda added: lambda store: store.customers.delete_interaction(added.interactions[0].id),
                           then=lambda added: session.note_record_map(added.interactions[0].map))
        self.app.push_screen(RecordDialog(save, contact, s.maps, start_map, today=self.today()))

    def action_resolve(self) -> None:
        from ..modals.choose import ChooseDialog

        s, key = self.snapshot, self.current_key()
        if s is None or key is None or key.startswith("tp:"):
            self.notify("Highlight a contact (or an account at risk) to resolve their open problems.", timeout=4)
            return
        if key.startswith("con:"):
            self._resolve_for(key[4:])
            return
        g = cxmap(self).glyphs
        troubled: dict[str, list[str]] = {}
        for p in s.problems.get(key, []):
            troubled.setdefault(p.contact.id, []).append(p.interaction.id)
        if len(troubled) <= 1:
            if troubled:
                self._resolve_for(next(iter(troubled)))
            else:
                self.notify(f"Nothing is open at {g.text(s.book.accounts[key[4:]].name, 40)}.", timeout=4, markup=False)
            return

        def chosen(contact_id: str | None) -> None:
            if contact_id is not None:
                self._resolve_for(contact_id)

        options = [(c, f"{g.text(s.book.contacts[c].name, 40)}  ({len(ids)} open)") for c, ids in troubled.items()]
        self.app.push_screen(ChooseDialog("Resolve whose open problems?", options), chosen)

    def _resolve_for(self, contact_id: str) -> None:
        from ..modals.customers import ResolveDialog

        s = self.snapshot
        assert s is not None
        contact = s.book.contacts[contact_id]
        here = s.problems.get(group_of(s.book, contact), [])
        still = [p for p in here if p.contact.id == contact_id]
        if not still:
            g = cxmap(self).glyphs
            others = f"; the one open at their account is {g.text(here[0].contact.name, 30)}'s" if here else ""
            self.notify(f"{g.text(contact.name, 40)} has no open problem{others}.", timeout=5, markup=False)
            return
        save = self._saver(f"resolve {contact.name!r}'s problems",
                           lambda done: lambda store: store.customers.unresolve([r.interaction for _, r in done]))
        self.app.push_screen(ResolveDialog(save, contact, still, today=self.today()))

    def _added(self, key: str) -> None:
        """A new account or contact: the list shows it highlighted once the screen reads it again."""
        self.added = (key, self.snapshot)
        if self.view != "people":
            self.view = "people"  # every account and contact is there (the fresh rows build it)
            self.query_one(FeelingCurve).display = False
            self.query_one("#cust-detail").display = True

    def action_add_account(self) -> None:
        from ..modals.customers import AccountDialog

        save = self._saver("new account", lambda made: lambda store: store.customers.delete_account(made.id),
                           then=lambda made: self._added(f"acc:{made.id}"))
        self.app.push_screen(AccountDialog(save, today=self.today()))

    def action_add_contact(self) -> None:
        from ..modals.customers import ContactDialog

        s, key = self.snapshot, self.current_key()
        if s is None:
            return
        account_id = None
        if key is not None and key.startswith("acc:"):
            account_id = key[4:]
        elif key is not None and key.startswith("con:"):
            account_id = s.book.contacts[key[4:]].account or None
        accounts = sorted(s.book.accounts.values(), key=lambda a: a.name.casefold())
        save = self._saver("new contact", lambda made: lambda store: store.customers.delete_contact(made.id),
                           then=lambda made: self._added(f"con:{made.id}"))
        self.app.push_screen(ContactDialog(save, accounts, account_id, today=self.today()))
