"""The customers screen's changes: recording what happened to a contact, resolving their open
problems, adding an account or a contact; each in its dialog, saved on the save queue, undone
with u."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ...domain.accounts import group_of
from ...domain.customers import Account, Contact, Interaction
from ...domain.errors import CxmapError
from ..context import cxmap
from ..messages import ChangeStore, EditFailed, EditStored
from ..widgets.curve import FeelingCurve
from ..widgets.light import LightScreen
from .customer_data import Snapshot


class CustomerEdits(LightScreen[None]):
    """What the customers screen does through its dialogs (the part of CustomersScreen that changes
    the workspace)."""

    snapshot: Snapshot | None
    view: str
    open_map_id: str | None
    added: tuple[str, Snapshot | None] | None
    today: Callable[[], date]

    def current_key(self) -> str | None:
        raise NotImplementedError

    def load(self) -> None:
        raise NotImplementedError

    def on_change_store(self, message: ChangeStore) -> None:
        """A dialog's change: saved on the save queue (u takes it back), the dialog told how it went
        (it says so itself if it was not saved: no toast on top of it), the screen read again."""
        message.stop()
        edit, reply = message.edit, message.reply_to

        def stored(result: object) -> None:
            reply.post_message(EditStored(edit, result))
            if isinstance(result, Interaction):
                cxmap(self).session.note_record_map(result.map)
            elif isinstance(result, Account):
                self._added(f"acc:{result.id}")
            elif isinstance(result, Contact):
                self._added(f"con:{result.id}")
            self.load()

        def failed(error: CxmapError) -> None:
            reply.post_message(EditFailed(edit, error))

        cxmap(self).change(message.label, edit, stored, failed, notify=False)

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
        self.app.push_screen(RecordDialog(self, contact, s.maps, start_map, today=self.today()))

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
        self.app.push_screen(ResolveDialog(self, contact, still, today=self.today()))

    def _added(self, key: str) -> None:
        """A new account or contact: the list shows it highlighted once the screen reads it again."""
        self.added = (key, self.snapshot)
        if self.view != "people":
            self.view = "people"  # every account and contact is there (the fresh rows build it)
            self.query_one(FeelingCurve).display = False
            self.query_one("#cust-detail").display = True

    def action_add_account(self) -> None:
        from ..modals.customers import AccountDialog

        self.app.push_screen(AccountDialog(self, today=self.today()))

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
        self.app.push_screen(ContactDialog(self, accounts, account_id, today=self.today()))
