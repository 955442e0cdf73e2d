"""The clock the forms' type-ahead measures its pause on, moved by the test (fixture `clock`, in
conftest.py): no test depends on how fast the machine types."""

from __future__ import annotations


class Clock:
    """The clock the type-ahead pause is measured on: it moves only when the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
