"""The store: cxmap's database file, kept safe, spoken to in domain objects."""

from .errors import LockTimeout, NewerFormat, SaveFailed, StoreError, UnreadableFile
from .store import MapSummary, Store

__all__ = ["LockTimeout", "MapSummary", "NewerFormat", "SaveFailed", "Store", "StoreError", "UnreadableFile"]
