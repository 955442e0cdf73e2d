"""What can go wrong with the database file, each said in one line with what to do."""

from ..domain.errors import CxmapError


class StoreError(CxmapError):
    """The database could not be read or written."""


class UnreadableFile(StoreError):
    """The file is not a cxmap database cxmap can read; it is left exactly as it is."""


class NewerFormat(UnreadableFile):
    """The file was written by a newer cxmap."""


class Unavailable(StoreError):
    """The database cannot take a change just now; the same change may well be saved later."""


class LockTimeout(Unavailable):
    """Another cxmap held the file for too long."""


class SaveFailed(Unavailable):
    """A change could not be written (disk full, file removed, no permission). `why`: what
    stopped it, in a few words naming the file, without what that means for the change (a fold
    put off says that itself)."""

    def __init__(self, message: str, why: str = "") -> None:
        super().__init__(message)
        self.why = why or message


class SaveInDoubt(SaveFailed):
    """The connection was lost after the change was sent to be committed: it may have been saved
    or not. The engine finds out before its next save (`Engine.settle`)."""


class FileGone(Unavailable):
    """The database file was removed or moved away while cxmap was using it."""


class ReadOnly(StoreError):
    """The user may read the database but not change it."""


class NoDatabase(StoreError):
    """There is no database file where one was to be read, and none was to be made."""
