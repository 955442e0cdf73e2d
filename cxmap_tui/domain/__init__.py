"""The domain: experience maps, the method, and what they say. Imports nothing from the UI."""

from .errors import AmbiguousRef, CxmapError, NotFound, ValidationError
from .feelings import FEELINGS, face, parse_score
from .method import Step
from .model import (
    CHANNELS,
    DEFAULT_STAGES,
    EXPERIENCES,
    KINDS,
    STATUSES,
    ExperienceMap,
    Improvement,
    RemovedTouchpoint,
    Touchpoint,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_STAGES",
    "EXPERIENCES",
    "FEELINGS",
    "KINDS",
    "STATUSES",
    "AmbiguousRef",
    "CxmapError",
    "ExperienceMap",
    "Improvement",
    "NotFound",
    "RemovedTouchpoint",
    "Step",
    "Touchpoint",
    "ValidationError",
    "face",
    "parse_score",
]
