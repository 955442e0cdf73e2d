"""The customer analyses as plain data, for `--json` (no Rich needed)."""

from __future__ import annotations

from ..domain.accounts import AtRisk, ContactFeeling, Moment, Problem, Reference, ReviewCandidates
from ..domain.checklist import STATES, Checklist, ChecklistItem
from ..domain.customers import Account, Contact, Interaction
from ..domain.json_types import JSONDict
from ..domain.problems import Resolution
from ..domain.segments import SegmentCurve

REFERENCES_USE = ("case studies and references asked of a person directly; not for public reviews, which "
                  "go to everyone (cxmap review-candidates)")


def _account(a: Account | None) -> dict[str, str] | None:
    return None if a is None else {"id": a.id, "name": a.name}


def _contact(c: Contact | None) -> dict[str, str] | None:
    return None if c is None else {"id": c.id, "name": c.name}


def _moment(m: Moment) -> JSONDict:
    return {
        "map": {"id": m.map_id, "title": m.map_title or None},
        "touchpoint": {"id": m.touchpoint_id, "name": m.touchpoint or None},
        "removed": m.removed,
        "label": m.label(),
    }


def _feeling(cf: ContactFeeling) -> JSONDict:
    return {
        "contact": _contact(cf.contact),
        "feeling": cf.feeling,
        "date": cf.interaction.date,
        "interaction": cf.interaction.id,
        **_moment(cf.moment),
    }


def checklist_json(found: Checklist) -> JSONDict:
    items = [_checklist_item(item) for item in found.items]
    return {
        "map": {"id": found.map.id, "title": found.map.title},
        "today": found.today.isoformat(),
        "grace": found.grace,
        "account": _account(found.account),
        "contact": _contact(found.contact),
        "counts": {state: found.count(state) for state in STATES},
        "items": items,
    }


def _resolution(r: Resolution | None) -> dict[str, str] | None:
    return None if r is None else {"date": r.date, "note": r.note, "by": r.by}


def _problem(p: Problem) -> JSONDict:
    return {
        "interaction": p.interaction.id,
        "contact": _contact(p.contact),
        "feeling": p.feeling,
        "date": p.interaction.date,
        "note": p.interaction.note,
        **_moment(p.moment),
        "open": p.is_open,
        "resolution": _resolution(p.resolution),
    }


def at_risk_json(found: list[AtRisk]) -> list[JSONDict]:
    rows: list[JSONDict] = []
    for r in found:
        w = r.worst
        segment = r.account.segment if r.account is not None else w.contact.segment
        rows.append({
            "account": _account(r.account),
            "segment": segment,
            "contact": _contact(w.contact),
            "feeling": w.feeling,
            "date": w.interaction.date,
            "interaction": w.interaction.id,
            **_moment(w.moment),
            "open_problems": len(r.problems),
            "contacts_with_problems": r.troubled,
            "problems": [_problem(p) for p in r.problems],
        })
    return rows


def review_json(found: ReviewCandidates) -> JSONDict:
    return {
        "candidates": [
            {
                "contact": _contact(c.contact),
                "account": _account(c.account),
                "last_interaction": {"interaction": c.last.interaction.id, "date": c.last.interaction.date,
                                     **_moment(c.last.moment)},
            }
            for c in found.candidates
        ],
        "left_out": [
            {
                "contact": _contact(x.contact),
                "account": _account(x.account),
                "why": x.why,
                "reason": x.reason,
                "problem": None if x.problem is None else _problem(x.problem),
                "open_problems": x.open_problems,
            }
            for x in found.left_out
        ],
    }


def references_json(found: list[Reference]) -> JSONDict:
    return {
        "use": REFERENCES_USE,
        "references": [{"account": _account(r.account), **_feeling(r.latest)} for r in found],
    }


def history_json(person: Contact, account: Account | None, history: list[tuple[Interaction, Moment]],
                 problems: dict[str, Problem]) -> JSONDict:
    rows: list[JSONDict] = []
    for i, moment in history:
        p = problems.get(i.id)
        rows.append({
            "interaction": i.id,
            "date": i.date,
            "feeling": i.feeling,
            "note": i.note,
            **_moment(moment),
            "problem": None if p is None else {"open": p.is_open, "resolution": _resolution(p.resolution)},
        })
    return {"contact": {**person.to_dict(), "account_name": account.name if account else None}, "interactions": rows}


def segment_json(curve: SegmentCurve) -> JSONDict:
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


def _checklist_item(item: ChecklistItem) -> JSONDict:
    return {
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
    }
