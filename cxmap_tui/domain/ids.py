"""Stable ids, and finding a thing by id or by an unambiguous name."""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

from .errors import AmbiguousRef, NotFound

T = TypeVar("T")

ID_LENGTH = 8
MIN_PREFIX = 4
SUGGESTIONS = 3  # at most, after "did you mean"
CLOSE = 0.6  # how alike a name must be to be suggested (difflib's ratio, 0 to 1)


def new_id(taken: Iterable[str] = ()) -> str:
    """A short random hex id, not among `taken`."""
    taken = set(taken)
    while True:
        candidate = secrets.token_hex(ID_LENGTH // 2)
        # An id made only of digits reads like a position ("3") in a CLI argument; avoid it.
        if candidate not in taken and not candidate.isdigit():
            return candidate


def resolve(
    items: Iterable[T],
    ref: str,
    *,
    what: str,
    id_of: Callable[[T], str],
    name_of: Callable[[T], str],
) -> T:
    """Find one item by exact id, id prefix, exact name, or unique name prefix (case-insensitive).

    Raises NotFound or AmbiguousRef with a message that says what to type instead.
    """
    items = list(items)
    wanted = ref.strip()
    if not wanted:
        raise NotFound(f"no {what} given")
    folded = wanted.casefold()

    for item in items:
        if id_of(item) == wanted:
            return item
    exact = [i for i in items if name_of(i).casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    if len(wanted) >= MIN_PREFIX:
        by_id = [i for i in items if id_of(i).startswith(wanted.lower())]
        if len(by_id) == 1:
            return by_id[0]
    starts = [i for i in items if name_of(i).casefold().startswith(folded)]
    if len(starts) == 1:
        return starts[0]
    candidates = exact or starts
    if len(candidates) > 1:
        shown = ", ".join(f"{id_of(i)} ({name_of(i)!r})" for i in candidates[:5])
        more = f" and {len(candidates) - 5} more" if len(candidates) > 5 else ""
        raise AmbiguousRef(f"{wanted!r} matches several {what}s: {shown}{more}; use the id")
    raise NotFound(f"no {what} matches {wanted!r}{did_you_mean(wanted, map(name_of, items))}")


def did_you_mean(wanted: str, names: Iterable[str]) -> str:
    """What to add to "no map matches 'X'": "; did you mean 'A', 'B' or 'C'?", naming the names
    close to `wanted` (ignoring case), the closest first and, equally close, in the order given;
    "" when none is close."""
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), name)  # the first of names that differ only in case
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(wanted.casefold())
    scored = []
    for folded in by_folded:
        matcher.set_seq1(folded)
        # The quick bounds first, as difflib.get_close_matches does: most names fail them.
        if matcher.real_quick_ratio() < CLOSE or matcher.quick_ratio() < CLOSE:
            continue
        if (ratio := matcher.ratio()) >= CLOSE:
            scored.append((ratio, folded))
    scored.sort(key=lambda pair: -pair[0])  # stable: equally close ones stay in order
    shown = [repr(by_folded[folded]) for _, folded in scored[:SUGGESTIONS]]
    if not shown:
        return ""
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    return f"; did you mean {listed}?"
