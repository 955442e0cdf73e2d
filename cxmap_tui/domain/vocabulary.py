"""The words a map is made of: experiences, kinds, stages, channels, statuses, and their checks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from .errors import ValidationError
from .text import clean_line

EXPERIENCES: dict[str, str] = {
    "website": "Reading the blog or exploring the website",
    "service": "Talking to a customer-service agent",
    "store": "Visiting the store or the web shop",
    "product": "Using the product at home or at work",
    "sales": "Dealing with sales while becoming a customer",
    "custom": "Another interaction (say which in the scope)",
}

KINDS: dict[str, str] = {
    "current": "Current state: what customers go through today",
    "ideal": "Ideal: every moment we want each customer to have",
}

DEFAULT_STAGES: tuple[str, ...] = (
    "Awareness",
    "Consideration",
    "Purchase",
    "Onboarding",
    "Use",
    "Check-in",
    "Renewal",
)

# Talking to a customer-service agent is not a lifecycle: it starts with a need and ends when
# the problem is solved (and the company follows up).
SERVICE_STAGES: tuple[str, ...] = (
    "Notice need",
    "Get in touch",
    "Wait",
    "Get help",
    "Resolve",
    "Follow-up",
)

# The stages a map of an experience starts from in the app; any experience not named here gets
# the lifecycle stages.
STAGES_BY_EXPERIENCE: dict[str, tuple[str, ...]] = {
    "service": SERVICE_STAGES,
}

CHANNELS: tuple[str, ...] = (
    "Web",
    "E-mail",
    "Phone",
    "Chat",
    "Video call",
    "SMS",
    "Store",
    "In-product",
    "Social media",
    "Post",
    "In person",
    "Event",
)

STATUSES: dict[str, str] = {
    "idea": "idea",
    "planned": "planned",
    "in-progress": "in progress",
    "done": "done",
    "dropped": "dropped",
}

# Whose clock a moment of an ideal map runs on: the contact's first day, or the account's.
CLOCKS: dict[str, str] = {
    "contact": "from the contact's start",
    "account": "from the account's start",
}

MIN_RATING = 1
MAX_RATING = 5


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_choice(value: object, choices: Mapping[str, str], what: str) -> str:
    """Accept a key or its label, any case, spaces or hyphens."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    v = value.strip().casefold().replace(" ", "-").replace("_", "-")
    for key, text in choices.items():
        if v in (key, text.casefold().replace(" ", "-")):
            return key
    # Allow a unique prefix ("cur" for current, "in-p" for in-progress).
    hits = [k for k in choices if k.startswith(v)] if v else []
    if len(hits) == 1:
        return hits[0]
    raise ValidationError(f"unknown {what} {value!r}: use one of {', '.join(choices)}")


def check_rating(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{what} is a whole number from {MIN_RATING} to {MAX_RATING}, not {value!r}")
    if not MIN_RATING <= value <= MAX_RATING:
        raise ValidationError(f"{what} {value} is out of range: use {MIN_RATING} (low) to {MAX_RATING} (high)")
    return value


def needs_text(value: object, what: str) -> str:
    text = clean_line(value)
    if not text:
        raise ValidationError(f"{what} cannot be empty")
    return text


