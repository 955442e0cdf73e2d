"""cxmap's lossless JSON exchange format (documented in docs/json-format.md)."""

from __future__ import annotations

import json
import math
from typing import NoReturn

from ..domain.errors import ValidationError
from ..domain.json_types import JSON, JSONDict
from ..domain.model import ExperienceMap
from ..present.display import replace_unsafe
from .limits import text_problem

KIND = "cxmap-map"
VERSION = 1

# Store bookkeeping that means nothing outside the database it came from.
_NOT_EXPORTED = ("revision",)

# A map export is six levels deep (document, map, improvements, an improvement, its touchpoints,
# an id); no number in it needs more than a few digits.
MAX_DEPTH = 12
MAX_DIGITS = 15
_TOO_DEEP = f"nested too deeply: more than {MAX_DEPTH} levels, where a map export has six"
_ITEMS = {"touchpoints": "touchpoint", "improvements": "improvement", "stages": "stage"}


def _escape(ch: str) -> str:
    o = ord(ch)
    if o < 0x10000:
        return f"\\u{o:04x}"
    o -= 0x10000  # beyond the BMP JSON spells a character as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"


def dumps(data: JSON, *, ascii: bool = False) -> str:
    """`data` as JSON, indented by two spaces, in UTF-8 characters as typed except those a
    terminal would obey or that hide or reorder text (C1 controls, DEL, bidi controls,
    zero-width characters, lone surrogates: see cxmap_tui.present.display), which are written as
    \\uXXXX escapes. Outside strings JSON is ASCII, so only string contents change, and they
    read back exactly; the document is safe to print on a terminal. With `ascii`, everything
    outside ASCII is escaped, for a terminal that takes nothing else."""
    text = json.dumps(data, ensure_ascii=ascii, indent=2)
    return replace_unsafe(text, _escape, keep="\n", emoji=False)


def map_to_json(m: ExperienceMap, *, ascii: bool = False) -> str:
    data = m.to_dict()
    for key in _NOT_EXPORTED:
        data.pop(key, None)
    doc: JSONDict = {"format": KIND, "version": VERSION, "map": data}
    return dumps(doc, ascii=ascii) + "\n"


def map_from_json(text: str, source: str = "the file") -> ExperienceMap:
    try:
        doc = _parse(text)
    except ValidationError as e:
        raise e.at(file=source) from None
    if not isinstance(doc, dict) or doc.get("format") != KIND:
        raise ValidationError(f"not a cxmap map export (its \"format\" is not {KIND!r})", file=source)
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("no valid \"version\"", file=source)
    if version > VERSION:
        raise ValidationError(
            f"exported by a newer cxmap (format version {version}, this cxmap reads up to {VERSION}); "
            "upgrade cxmap to import it", file=source)
    try:
        m = ExperienceMap.from_dict(doc.get("map"))
        m.validate()
    except ValidationError as e:
        raise e.at(file=source) from None
    return m


def _parse(text: str) -> JSON:
    """The JSON document, with everything the format never holds refused: nesting deeper than
    a map, numbers of many digits, NaN and Infinity, text too long or not made of characters."""
    if not text.strip():
        raise ValidationError("the file is empty; a map export is a JSON object")
    try:
        doc: JSON = json.loads(text, parse_int=_whole_number, parse_float=_number, parse_constant=_constant)
    except json.JSONDecodeError as e:
        raise ValidationError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise ValidationError(_TOO_DEEP) from None
    _check_tree(doc)
    return doc


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise ValidationError(f"a number of {len(digits.lstrip('-')):,} digits; numbers in a map have at most "
                              f"{MAX_DIGITS}")
    return int(digits)


def _number(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise ValidationError(f"the number {digits[:20]} is too large")
    return value


def _constant(name: str) -> NoReturn:
    raise ValidationError(f"{name} is not a number JSON allows")


def _check_tree(doc: JSON) -> None:
    """Every text (keys too) importable, and no deeper than MAX_DEPTH; iterative, so that no
    document can exhaust the stack."""
    todo: list[tuple[JSON, tuple[str | int, ...]]] = [(doc, ())]
    while todo:
        value, path = todo.pop()
        if len(path) > MAX_DEPTH:
            raise ValidationError(_TOO_DEEP, field=_field(path))
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise ValidationError(problem, field=_field(path))
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = text_problem(key)
                if problem:
                    raise ValidationError(f"a field's name: {problem}", field=_field(path))
                todo.append((item, (*path, key)))
        elif isinstance(value, list):
            todo.extend((item, (*path, i)) for i, item in enumerate(value))


def _field(path: tuple[str | int, ...]) -> str | None:
    """Where in the document, as a person would say it: "touchpoint 3, notes", "map title"."""
    parts: list[str] = []
    parent: str | int | None = None
    for n, step in enumerate(path, start=1):
        if parent == "matches":
            break  # its keys are touchpoint ids: the user's data
        if isinstance(step, int):
            parts.append(f"{_ITEMS.get(parent, 'item') if isinstance(parent, str) else 'item'} {step + 1}")
        elif step.isidentifier() and step.isascii() and len(step) <= 30:
            if parent == "map" and n == 2 and (step not in _ITEMS or n == len(path)):
                parts.append(f"map {step}")  # the map's own fields: "map title", not a dialog's "Title"
            elif step != "map" and (step not in _ITEMS or n == len(path)):  # a list is named by its items
                parts.append(step)
        else:
            break  # not a name the format has
        parent = step
    return ", ".join(parts) or None
