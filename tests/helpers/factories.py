"""Small builders shared by the tests."""

from __future__ import annotations

import os
from pathlib import Path

from cxmap_tui.domain import ExperienceMap


def make_map(title: str = "Support call", touchpoints: int = 3) -> ExperienceMap:
    m = ExperienceMap.new(title, experience="service", scope="A customer calls about a late order")
    for i in range(touchpoints):
        m.add_touchpoint(f"Step {i + 1}", stage="Use", channel="Phone", action=f"does {i + 1}")
    return m


def file_bytes(path: os.PathLike[str]) -> bytes:
    return Path(path).read_bytes()
