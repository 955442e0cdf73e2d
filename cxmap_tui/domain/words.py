"""Counts in words, for every message that says how many of something there are."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular for exactly one: "1 touchpoint", "0 touchpoints", "2 touchpoints".
    `plural` is for nouns that do not just take an "s" ("1 company", "2 companies")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
