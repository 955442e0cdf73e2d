"""The store: cxmap's database file, kept safe, spoken to in domain objects."""

from .customers import Added, CustomerStore
from .errors import LockTimeout, NewerFormat, ReadOnly, SaveFailed, StoreError, UnreadableFile
from .store import MapSummary, Store

__all__ = [
    "Added", "CustomerStore", "LockTimeout", "ReadOnly", "MapSummary", "NewerFormat", "SaveFailed", "Store", "StoreError",
    "UnreadableFile",
]
