"""cxmap's lossless JSON exchange format (documented in docs/json-format.md)."""

from __future__ import annotations

import json
from typing import Any

from ..display import replace_unsafe
from ..domain.errors import ValidationError
from ..domain.model import ExperienceMap

KIND = "cxmap-map"
VERSION = 1

# Store bookkeeping that means nothing outside the database it came from.
_NOT_EXPORTED = ("revision",)


def _escape(ch: str) -> str:
    o = ord(ch)
    if o < 0x10000:
        return f"\\u{o:04x}"
    o -= 0x10000  # beyond the BMP JSON spells a character as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"


def dumps(data: Any, *, ascii: bool = False) -> str:
    """`data` as JSON, indented by two spaces, in UTF-8 characters as typed except those a
    terminal would obey or that hide or reorder text (C1 controls, DEL, bidi controls,
    zero-width characters, lone surrogates: see cxmap_tui.display), which are written as
    \\uXXXX escapes. Outside strings JSON is ASCII, so only string contents change, and they
    read back exactly; the document is safe to print on a terminal. With `ascii`, everything
    outside ASCII is escaped, for a terminal that takes nothing else."""
    text = json.dumps(data, ensure_ascii=ascii, indent=2)
    return replace_unsafe(text, _escape, keep="\n", emoji=False)


def map_to_json(m: ExperienceMap, *, ascii: bool = False) -> str:
    data = m.to_dict()
    for key in _NOT_EXPORTED:
        data.pop(key, None)
    doc = {"format": KIND, "version": VERSION, "map": data}
    return dumps(doc, ascii=ascii) + "\n"


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
