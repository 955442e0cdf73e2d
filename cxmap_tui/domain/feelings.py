"""The five-point feeling scale and how each point is shown."""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCORE = -2
MAX_SCORE = 2


@dataclass(frozen=True)
class Feeling:
    score: int
    label: str
    emoji: str
    ascii: str
    key: str  # the key that sets this feeling in feeling entry


FEELINGS: dict[int, Feeling] = {
    -2: Feeling(-2, "very dissatisfied", "\N{POUTING FACE}", "--", "1"),
    -1: Feeling(-1, "dissatisfied", "\N{DISAPPOINTED FACE}", "-", "2"),
    0: Feeling(0, "neutral", "\N{NEUTRAL FACE}", "0", "3"),
    1: Feeling(1, "satisfied", "\N{SMILING FACE WITH SMILING EYES}", "+", "4"),
    2: Feeling(2, "very satisfied", "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}", "++", "5"),
}

UNRATED_LABEL = "not yet rated"
# Two cells wide like the faces, so columns line up; drawn from the most common fonts.
UNRATED_EMOJI = "\N{MIDDLE DOT}\N{MIDDLE DOT}"
UNRATED_ASCII = "?"

FEELING_BY_KEY: dict[str, int] = {f.key: f.score for f in FEELINGS.values()}


def check_score(score: object) -> int | None:
    """Return a valid score or None (unrated); raise ValueError with a clear message."""
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"a feeling is a whole number from {MIN_SCORE} to +{MAX_SCORE}, not {score!r}")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(
            f"feeling {score:+d} is out of range: use {MIN_SCORE} (very dissatisfied) "
            f"to +{MAX_SCORE} (very satisfied)"
        )
    return score


def parse_score(text: str) -> int | None:
    """Read a score typed by a person: -2..+2, a face in ASCII (--, -, 0, +, ++), a label, or 'none'."""
    t = text.strip().lower()
    if t in ("", "none", "unrated", "?", "clear"):
        return None
    for feeling in FEELINGS.values():
        if t in (feeling.ascii, feeling.label):
            return feeling.score
    try:
        value = int(t)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a feeling: use a number from {MIN_SCORE} to +{MAX_SCORE}, "
            "--/-/0/+/++, or 'none'"
        ) from None
    return check_score(value)


def face(score: int | None, *, ascii: bool = False) -> str:
    """The emoji (or ASCII face) for a score."""
    if score is None:
        return UNRATED_ASCII if ascii else UNRATED_EMOJI
    feeling = FEELINGS[score]
    return feeling.ascii if ascii else feeling.emoji


def label(score: int | None) -> str:
    return UNRATED_LABEL if score is None else FEELINGS[score].label


def signed(score: int | None) -> str:
    """The score as people write it: -2, -1, 0, +1, +2, or '' when unrated."""
    if score is None:
        return ""
    return f"{score:+d}" if score else "0"
