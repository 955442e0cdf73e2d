"""cxmap's lossless JSON exchange format (documented in docs/json-format.md)."""

from __future__ import annotations

import json
from typing import Any

from ..domain.errors import ValidationError
from ..domain.model import ExperienceMap

KIND = "cxmap-map"
VERSION = 1

# Store bookkeeping that means nothing outside the database it came from.
_NOT_EXPORTED = ("revision",)


def map_to_json(m: ExperienceMap) -> str:
    data = m.to_dict()
    for key in _NOT_EXPORTED:
        data.pop(key, None)
    doc = {"format": KIND, "version": VERSION, "map": data}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def map_from_json(text: str, source: str = "the file") -> ExperienceMap:
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValidationError(f"{source} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    if not isinstance(doc, dict) or doc.get("format") != KIND:
        raise ValidationError(f"{source} is not a cxmap map export (its \"format\" is not {KIND!r})")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError(f"{source} has no valid \"version\"")
    if version > VERSION:
        raise ValidationError(
            f"{source} was exported by a newer cxmap (format version {version}, this cxmap reads up to "
            f"{VERSION}); upgrade cxmap to import it"
        )
    try:
        m = ExperienceMap.from_dict(doc.get("map"))
        m.validate()
    except ValidationError as e:
        raise ValidationError(f"{source}: {e}") from None
    return m
