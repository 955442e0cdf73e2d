"""Names in the order people read them."""

from __future__ import annotations

from cxmap_tui.domain.text import reading_order


def test_names_are_ordered_as_people_read_them() -> None:
    names = ["Map 10", "map 2", "Map 1", "Map 2a", "Zeta", "alpha", "Map 1" + "0" * 5000, "Map 9", "Map 02"]
    assert sorted(names, key=reading_order) == ["alpha", "Map 1", "map 2", "Map 02", "Map 2a", "Map 9", "Map 10",
                                           "Map 1" + "0" * 5000, "Zeta"]
