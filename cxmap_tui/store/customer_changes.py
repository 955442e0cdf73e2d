"""What `CustomerStore.update_account` and `update_contact` may change: each field checked as
`Account.edit` and `Contact.edit` check it."""

from __future__ import annotations

from typing import TypedDict

from ..domain.customers import DateLike


class AccountChanges(TypedDict, total=False):
    """What `update_account` may change (each checked as `Account.edit` checks it)."""

    name: str
    start: DateLike
    segment: str


class ContactChanges(TypedDict, total=False):
    """What `update_contact` may change (each checked as `Contact.edit` checks it)."""

    name: str
    account: str
    segment: str
    start: DateLike
