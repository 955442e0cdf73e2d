"""A segment's curve on a map: how the segment's contacts actually felt at each touchpoint, to
draw beside the feelings the map itself holds.

The rules:

* A contact is in a segment when their own segment is that name, or when they have none and
  their account's segment is (names compare ignoring case).
* At each touchpoint of the map, each contact of the segment counts with their latest rated
  interaction there (the latest date; of two on one date, the one recorded later). Interactions
  without a feeling are skipped.
* Per touchpoint: how many contacts count, the average of their feelings, and the worst one.
* Interactions at touchpoints no longer in the map are left out of the curve and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .customers import CustomerBook, Interaction, later
from .model import ExperienceMap
from .parts import Touchpoint


@dataclass(frozen=True)
class SegmentPoint:
    touchpoint: Touchpoint
    contacts: int  # contacts of the segment with a feeling at this touchpoint
    average: float | None  # None when nobody counts
    worst: int | None

    @property
    def map_feeling(self) -> int | None:
        """The feeling the map itself holds here, to compare with."""
        return self.touchpoint.feeling


@dataclass(frozen=True)
class SegmentCurve:
    segment: str
    map: ExperienceMap
    members: int  # contacts in the segment
    points: list[SegmentPoint]  # one per touchpoint, in the map's order
    removed: int  # the members' rated interactions at touchpoints no longer in the map


def in_segment(book: CustomerBook, segment: str) -> list[str]:
    """Ids of the contacts in `segment` (see the module's rules)."""
    wanted = segment.strip().casefold()
    return [c.id for c in book.contacts.values() if book.segment_of(c).casefold() == wanted]


def segment_curve(book: CustomerBook, m: ExperienceMap, segment: str) -> SegmentCurve:
    members = in_segment(book, segment)
    on_map = {tp.id for tp in m.touchpoints}
    latest: dict[tuple[str, str], Interaction] = {}
    removed = 0
    for contact_id in members:
        for i in book.interactions_of.get(contact_id, ()):
            if i.map != m.id or i.feeling is None:
                continue
            if i.touchpoint not in on_map:
                removed += 1
                continue
            key = (i.touchpoint, contact_id)
            if later(i, latest.get(key)):
                latest[key] = i
    by_touchpoint: dict[str, list[int]] = {}
    for (tp_id, _), i in latest.items():
        assert i.feeling is not None
        by_touchpoint.setdefault(tp_id, []).append(i.feeling)
    points = []
    for tp in m.touchpoints:
        feelings = by_touchpoint.get(tp.id, [])
        if feelings:
            points.append(SegmentPoint(tp, len(feelings), sum(feelings) / len(feelings), min(feelings)))
        else:
            points.append(SegmentPoint(tp, 0, None, None))
    wanted = segment.strip().casefold()
    spelled = next((s for s in book.segments() if s.casefold() == wanted), segment.strip())
    return SegmentCurve(spelled, m, len(members), points, removed)
