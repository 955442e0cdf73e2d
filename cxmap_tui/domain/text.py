"""User text is data: keep it as typed, only make sure it can be stored."""

from __future__ import annotations

import re


def clean(value: object) -> str:
    """Text as typed, but storable: lone surrogates (undecodable bytes from a non-UTF-8
    terminal or command line) become U+FFFD so the file stays valid UTF-8."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    return value


def clean_line(value: object) -> str:
    """A one-line field (a name, a title): as typed, without surrounding blanks."""
    return clean(value).strip()


_NUMBER = re.compile(r"\d+")


def reading_order(text: str) -> str:
    """A sort key that orders names as people read them: case ignored, and numbers by value
    ("Map 2" before "Map 10"): each run of digits is written as its length, in four digits, then
    the digits without leading zeros. A string, so that sorting compares at C speed."""
    return _NUMBER.sub(_by_value, text.casefold())


def _by_value(number: re.Match[str]) -> str:
    digits = number.group().lstrip("0")
    return f"{min(len(digits), 9999):04d}{digits}"
