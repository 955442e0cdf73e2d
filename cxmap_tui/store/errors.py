"""What can go wrong with the database file, each said in one line with what to do."""

from ..domain.errors import CxmapError


class StoreError(CxmapError):
    """The database could not be read or written."""


class UnreadableFile(StoreError):
    """The file is not a cxmap database cxmap can read; it is left exactly as it is."""


class NewerFormat(UnreadableFile):
    """The file was written by a newer cxmap."""


class LockTimeout(StoreError):
    """Another cxmap held the file for too long."""


class SaveFailed(StoreError):
    """A change could not be written (disk full, file removed, no permission)."""


class ReadOnly(StoreError):
    """The user may read the database but not change it."""
