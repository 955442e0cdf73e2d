"""The store: cxmap's database file, kept safe, spoken to in domain objects."""

from .customer_checks import Added
from .customers import CustomerStore
from .errors import FileGone, LockTimeout, NewerFormat, ReadOnly, SaveFailed, StoreError, Unavailable, UnreadableFile
from .store import MapSummary, Store

__all__ = [
    "Added", "CustomerStore", "FileGone", "LockTimeout", "MapSummary", "NewerFormat", "ReadOnly", "SaveFailed", "Store",
    "StoreError", "Unavailable", "UnreadableFile",
]
