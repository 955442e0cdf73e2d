"""JSON as cxmap writes it, checked on reading: whatever the bytes (nesting 200,000 deep, a
5,000-digit number, NaN, a lone surrogate escape, invalid UTF-8), `parse_checked` returns the value
or raises NotJSON saying why in a few words; its checks cost about what parsing does."""

from __future__ import annotations

import json
import math
import re

MAX_DEPTH = 64  # cxmap's own data nests about 6 deep
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _NotANumber(ValueError):
    """NaN, Infinity, or a number too large for a float: not JSON, and not cxmap's."""


def _refuse_constant(text: str) -> float:
    raise _NotANumber(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotANumber(text)
    return value


class NotJSON(ValueError):
    """Bytes that are not JSON as cxmap writes it; the message says why, in a few words."""


def parse_checked(raw: bytes, max_depth: int = MAX_DEPTH, *, count_depth: bool = True) -> object:
    """`raw` parsed as UTF-8 JSON, refusing what cxmap never writes and what would cost far more
    than parsing to take in (NaN, a number too long to convert, nesting beyond `max_depth`, a lone
    surrogate): NotJSON, never another error, whatever the bytes. `count_depth=False`: the caller
    knows the value is shallow (it counted the brackets), so its depth is not walked."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotJSON(f"it is not UTF-8 text (byte {e.start})") from None
    text = text.removeprefix("\ufeff")  # the byte order mark some editors put first
    try:
        doc: object = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except _NotANumber as e:
        raise NotJSON(f"it holds {shown(str(e))}, which is not a number cxmap reads") from None
    except json.JSONDecodeError as e:
        raise NotJSON(f"it is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise NotJSON("it is nested too deeply") from None
    except ValueError:  # an integer longer than Python converts
        raise NotJSON("it holds a number with too many digits") from None
    if count_depth and deeper_than(doc, max_depth):  # not when the caller knows it is flat
        raise NotJSON(f"it is nested too deeply (more than {max_depth} levels)")
    if SURROGATE_ESCAPE.search(text) and not _valid_unicode(doc):
        raise NotJSON("it holds text that is not valid Unicode (a lone surrogate escape)")
    return doc


def deeper_than(doc: object, limit: int) -> bool:
    """Whether `doc` nests lists and objects more than `limit` deep; without recursion."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        values = node.values() if type(node) is dict else node if type(node) is list else ()
        stack.extend((value, depth + 1) for value in values if type(value) is dict or type(value) is list)
    return False


def _valid_unicode(doc: object) -> bool:
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(text: str) -> str:
    """A name or number from the file, in ASCII on one line and not too long."""
    return ascii(text[:40] + "...") if len(text) > 40 else ascii(text)
