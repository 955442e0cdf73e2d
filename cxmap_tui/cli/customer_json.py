"""The customer analyses as plain data, for `--json` (no Rich needed)."""

from __future__ import annotations

from typing import Any

from ..domain.accounts import AccountExperience, ContactFeeling, Moment, ReviewCandidates
from ..domain.checklist import STATES, Checklist
from ..domain.customers import Account, Contact
from ..domain.segments import SegmentCurve


def _account(a: Account | None) -> dict[str, str] | None:
    return None if a is None else {"id": a.id, "name": a.name}


def _contact(c: Contact | None) -> dict[str, str] | None:
    return None if c is None else {"id": c.id, "name": c.name}


def _moment(m: Moment) -> dict[str, Any]:
    return {
        "map": {"id": m.map_id, "title": m.map_title or None},
        "touchpoint": {"id": m.touchpoint_id, "name": m.touchpoint or None},
        "removed": m.removed,
        "label": m.label(),
    }


def _feeling(cf: ContactFeeling) -> dict[str, Any]:
    return {
        "contact": _contact(cf.contact),
        "feeling": cf.feeling,
        "date": cf.interaction.date,
        "interaction": cf.interaction.id,
        **_moment(cf.moment),
    }


def checklist_json(found: Checklist) -> dict[str, Any]:
    items = []
    for item in found.items:
        items.append({
            "touchpoint": {"id": item.touchpoint.id, "name": item.touchpoint.name},
            "contact": _contact(item.contact),
            "clock": item.touchpoint.clock,
            "due_day": item.touchpoint.due_day,
            "state": item.state,
            "clock_start": item.clock_start.isoformat(),
            "due": item.due.isoformat() if item.due else None,
            "until": item.until.isoformat() if item.until else None,
            "done": None if item.done is None else {
                "interaction": item.done.id, "date": item.done.date, "contact": _contact(item.done_by),
            },
        })
    return {
        "map": {"id": found.map.id, "title": found.map.title},
        "today": found.today.isoformat(),
        "grace": found.grace,
        "account": _account(found.account),
        "contact": _contact(found.contact),
        "counts": {state: found.count(state) for state in STATES},
        "items": items,
    }


def at_risk_json(found: list[AccountExperience]) -> list[dict[str, Any]]:
    rows = []
    for e in found:
        assert e.worst is not None
        rows.append({"account": _account(e.account), "segment": e.account.segment, **_feeling(e.worst)})
    return rows


def review_json(found: ReviewCandidates) -> dict[str, Any]:
    return {
        "candidates": [{"account": _account(c.account), **_feeling(c.latest)} for c in found.candidates],
        "left_out": [
            {
                "contact": _contact(x.contact),
                "account": _account(x.account),
                "why": x.why,
                "reason": x.reason,
                "feeling": None if x.latest is None else x.latest.feeling,
                "blocker": None if x.blocker is None else _feeling(x.blocker),
            }
            for x in found.left_out
        ],
    }


def segment_json(curve: SegmentCurve) -> dict[str, Any]:
    return {
        "segment": curve.segment,
        "map": {"id": curve.map.id, "title": curve.map.title},
        "contacts": curve.members,
        "removed": curve.removed,
        "touchpoints": [
            {
                "id": p.touchpoint.id,
                "name": p.touchpoint.name,
                "map_feeling": p.map_feeling,
                "contacts": p.contacts,
                "average": None if p.average is None else round(p.average, 2),
                "worst": p.worst,
            }
            for p in curve.points
        ],
    }
