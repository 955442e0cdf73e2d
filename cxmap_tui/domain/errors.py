"""Errors the domain raises. Their messages are written for the person at the keyboard."""


class CxmapError(Exception):
    """Base of every error cxmap reports to a user as one line."""


class ValidationError(CxmapError, ValueError):
    """Input that would make a map wrong or confusing."""


class NotFound(CxmapError, LookupError):
    """A map, touchpoint or improvement that is not there (any more)."""


class AmbiguousRef(NotFound):
    """A name that matches more than one thing."""
