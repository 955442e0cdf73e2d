"""The facts a document about a map opens with, as plain text for each format to escape."""

from __future__ import annotations

from ..domain.model import EXPERIENCES, KINDS, ExperienceMap


def summary(m: ExperienceMap) -> list[tuple[str, str]]:
    """(label, value) pairs; fields the map leaves empty are left out."""
    rated = sum(tp.feeling is not None for tp in m.touchpoints)
    facts = [
        ("Experience", EXPERIENCES.get(m.experience, m.experience)),
        ("Kind", KINDS.get(m.kind, m.kind).split(":")[0]),
        ("Persona", m.persona),
        ("Scope", m.scope),
        ("Touchpoints", f"{len(m.touchpoints)} ({rated} rated)"),
        ("Improvements", str(len(m.improvements))),
    ]
    return [(label, value) for label, value in facts if value]
