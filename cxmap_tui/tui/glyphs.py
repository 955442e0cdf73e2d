"""The symbols the app draws with, in Unicode or in plain ASCII."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import feelings
from ..present.display import shorten, visible


@dataclass(frozen=True)
class Glyphs:
    ascii: bool
    done: str
    todo: str
    current: str
    arrow: str
    dot: str
    bullet: str
    warn: str

    def face(self, score: int | None) -> str:
        """The face for a score, two cells wide in both modes so that names line up."""
        face = feelings.face(score, ascii=self.ascii)
        return f"{face:<2}" if self.ascii else face

    def text(self, value: str, width: int | None = None) -> str:
        """User text made safe to show (and cut to `width` cells)."""
        shown = visible(value, ascii=self.ascii)
        return shown if width is None else shorten(shown, width, ascii=self.ascii)


UNICODE = Glyphs(False, "\u2713", "\u00b7", "\u25b8", "\u203a", "\u00b7", "\u2022", "\u26a0")
ASCII = Glyphs(True, "*", "-", ">", ">", "-", "*", "!")
