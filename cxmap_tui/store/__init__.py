"""The store: cxmap's database file, kept safe, spoken to in domain objects."""

from .customers import Added, CustomerStore
from .errors import FileGone, LockTimeout, NewerFormat, ReadOnly, SaveFailed, StoreError, Unavailable, UnreadableFile
from .store import MapSummary, Store

__all__ = [
    "Added", "CustomerStore", "FileGone", "LockTimeout", "ReadOnly", "MapSummary", "NewerFormat", "SaveFailed", "Store", "StoreError",
    "Unavailable", "UnreadableFile",
]
