"""Editing: every change to the workspace, as data, on one road to the disk (the save queue), with
undo and redo. Imports nothing from Textual or Rich; the UI gives it a Runner (see saver)."""

from .session import EditingSession

__all__ = ["EditingSession"]
