"""A map's history in words: each saved change to it, who made it and when, and what it did
(domain/changes.py), from the versions the engine keeps (engine.Chronicled)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.changes import described
from ..domain.errors import ValidationError
from ..domain.model import ExperienceMap
from .engine import Chronicled, Engine, Version
from .errors import StoreError
from .records import Who

# Fields every change touches: a change that names only these says nothing a person reads.
_BOOKKEEPING = frozenset({"updated", "revision"})


@dataclass(frozen=True)
class Entry:
    """One saved change to a map: its seq, when (ISO 8601 UTC), who, and what it did."""

    seq: int
    at: str
    by: Who
    said: tuple[str, ...]


def map_history(engine: Engine, map_id: str) -> list[Entry]:
    """The changes to map `map_id` the history keeps, oldest first. A change whose version
    before is not kept (history pruned it) is told by the fields it changed."""
    if not isinstance(engine, Chronicled):
        raise StoreError(f"{engine.location} keeps no history of its maps")
    out: list[Entry] = []
    before: ExperienceMap | None = None
    known = False  # whether `before` is the version before the next one
    for version in engine.versions("maps", map_id):
        after = _read(version, map_id)
        if version.by is not None:
            said = described(before, after) if known or version.fields is None else _by_fields(version.fields)
            if said:
                out.append(Entry(version.seq, version.at, version.by, tuple(said)))
        before, known = after, True
    return out


def _by_fields(fields: tuple[str, ...]) -> list[str]:
    """A change whose version before is gone, told by the fields it changed."""
    named = [f for f in fields if f not in _BOOKKEEPING]
    return [f"changed {', '.join(named)}"] if named else []


def _read(version: Version, map_id: str) -> ExperienceMap | None:
    if version.doc is None:
        return None
    try:
        m = ExperienceMap.from_dict(version.doc)
    except ValidationError as e:
        raise StoreError(f"map {map_id}'s version {version.seq} in the history is damaged: {e}") from None
    m.id = map_id
    return m
