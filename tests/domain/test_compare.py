"""A current-state map against its ideal, on the insurance claim pair in sample_maps/."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.domain.compare import Comparison, compare, gap_summary
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.io.json_format import map_from_json

SAMPLES = Path(__file__).resolve().parents[2] / "sample_maps"


def _load(name: str) -> ExperienceMap:
    path = SAMPLES / name
    return map_from_json(path.read_text(encoding="utf-8"), path.name)


@pytest.fixture
def current() -> ExperienceMap:
    return _load("insurance-claim-current.json")


@pytest.fixture
def ideal() -> ExperienceMap:
    return _load("insurance-claim-ideal.json")


def _pairs(c: Comparison) -> list[tuple[str, str, str, int | None]]:
    return [(p.current.name, p.ideal.name, p.by, p.gap) for p in c.pairs]


def _columns(c: Comparison) -> list[tuple[str | None, str | None]]:
    return [(a.name if a else None, b.name if b else None) for a, b in c.columns]


def test_the_sample_pair_is_linked_and_pairs_by_name(current: ExperienceMap, ideal: ExperienceMap) -> None:
    assert current.ideal == ideal.id and current.matches == {}
    c = compare(current, ideal)
    # gap = today's feeling minus the ideal's
    assert _pairs(c) == [
        ("Emergency line", "Emergency line", "name", -2),  # -1 against +1
        ("Claim confirmation", "Claim confirmation", "name", -2),  # 0 against +2
        ("Drying equipment", "Drying equipment", "name", 0),
        ("Loss adjuster visit", "Loss adjuster visit", "name", 0),
        ("Settlement decision", "Settlement decision", "name", -2),
        ("Repairs completed", "Repairs completed", "name", -1),
        ("Payment received", "Payment received", "name", -1),
    ]
    assert [tp.name for tp in c.missing] == [
        "Emergency plumber", "Claim opened in the app", "Handler's first call", "Progress updates",
        "Choice of repair or payment", "Closing call",
    ]
    assert [tp.name for tp in c.extra] == [
        "Finding a plumber myself", "Paper claim form", "Calling for an update", "Chasing a refund by e-mail",
    ]
    summary = gap_summary(c)
    assert summary["rated"] == 7 and summary["mean"] == pytest.approx(-8 / 7)
    assert [p.current.name for p in summary["biggest"]] == ["Emergency line", "Claim confirmation",
                                                            "Settlement decision"]


def test_columns_put_ideal_only_touchpoints_after_their_nearest_earlier_pair(
    current: ExperienceMap, ideal: ExperienceMap
) -> None:
    c = compare(current, ideal)
    assert _columns(c) == [
        ("Emergency line", "Emergency line"),
        (None, "Emergency plumber"),  # ideal 2 and 3 follow ideal 1, paired in the first column
        (None, "Claim opened in the app"),
        ("Finding a plumber myself", None),
        ("Paper claim form", None),
        ("Claim confirmation", "Claim confirmation"),
        (None, "Handler's first call"),
        ("Drying equipment", "Drying equipment"),
        ("Calling for an update", None),
        ("Loss adjuster visit", "Loss adjuster visit"),
        (None, "Progress updates"),
        ("Settlement decision", "Settlement decision"),
        (None, "Choice of repair or payment"),
        ("Repairs completed", "Repairs completed"),
        ("Chasing a refund by e-mail", None),
        ("Payment received", "Payment received"),
        (None, "Closing call"),
    ]
    assert len(c.columns) == len(current.touchpoints) + len(c.missing)


def _tp(m: ExperienceMap, name: str) -> str:
    return m.touchpoint(name).id


def test_explicit_pairings_come_before_names(current: ExperienceMap, ideal: ExperienceMap) -> None:
    current.set_match(_tp(current, "Finding a plumber myself"), _tp(ideal, "Emergency plumber"))
    # a link overriding a name: today's Claim confirmation pairs with the handler's call instead
    current.set_match(_tp(current, "Claim confirmation"), _tp(ideal, "Handler's first call"))
    # a link taking an ideal touchpoint another one would get by name: Paper claim form takes
    # the ideal's Drying equipment, so today's Drying equipment is left without a counterpart
    current.set_match(_tp(current, "Paper claim form"), _tp(ideal, "Drying equipment"))
    # "" says: no counterpart, though the ideal has one of the same name
    current.set_match(_tp(current, "Payment received"), "")
    c = compare(current, ideal)
    assert _pairs(c) == [
        ("Emergency line", "Emergency line", "name", -2),
        ("Finding a plumber myself", "Emergency plumber", "link", -4),  # -2 against +2
        ("Paper claim form", "Drying equipment", "link", -1),  # -1 against 0
        ("Claim confirmation", "Handler's first call", "link", -2),  # 0 against +2
        ("Loss adjuster visit", "Loss adjuster visit", "name", 0),
        ("Settlement decision", "Settlement decision", "name", -2),
        ("Repairs completed", "Repairs completed", "name", -1),
    ]
    assert [tp.name for tp in c.extra] == [
        "Drying equipment", "Calling for an update", "Chasing a refund by e-mail", "Payment received"]
    assert [tp.name for tp in c.missing] == [
        "Claim opened in the app", "Claim confirmation", "Progress updates", "Choice of repair or payment",
        "Payment received", "Closing call",
    ]


def test_columns_with_explicit_pairings(current: ExperienceMap, ideal: ExperienceMap) -> None:
    for today, there in (("Finding a plumber myself", "Emergency plumber"),
                         ("Paper claim form", "Claim opened in the app"),
                         ("Calling for an update", "Progress updates")):
        current.set_match(_tp(current, today), _tp(ideal, there))
    current.set_match(_tp(current, "Payment received"), "")
    c = compare(current, ideal)
    assert _columns(c) == [
        ("Emergency line", "Emergency line"),
        ("Finding a plumber myself", "Emergency plumber"),
        ("Paper claim form", "Claim opened in the app"),
        ("Claim confirmation", "Claim confirmation"),
        (None, "Handler's first call"),
        ("Drying equipment", "Drying equipment"),
        ("Calling for an update", "Progress updates"),  # ideal 8, drawn where today has it
        ("Loss adjuster visit", "Loss adjuster visit"),
        ("Settlement decision", "Settlement decision"),
        (None, "Choice of repair or payment"),
        ("Repairs completed", "Repairs completed"),
        (None, "Payment received"),  # ideal 12 and 13 follow ideal 11, Repairs completed
        (None, "Closing call"),
        ("Chasing a refund by e-mail", None),
        ("Payment received", None),
    ]


def test_stale_entries_are_ignored_and_names_ignore_case_and_blanks(current: ExperienceMap,
                                                                    ideal: ExperienceMap) -> None:
    current.matches[_tp(current, "Drying equipment")] = "gone0000"  # no such ideal touchpoint
    ideal.edit_touchpoint(_tp(ideal, "Loss adjuster visit"), name="LOSS ADJUSTER VISIT")
    ideal.touchpoints[0].name = "  emergency LINE "  # as a file from outside might have it
    c = compare(current, ideal)
    by = {p.current.name: (p.ideal.name, p.by) for p in c.pairs}
    assert by["Drying equipment"] == ("Drying equipment", "name")
    assert by["Loss adjuster visit"] == ("LOSS ADJUSTER VISIT", "name")
    assert by["Emergency line"] == ("  emergency LINE ", "name")


def test_each_ideal_touchpoint_pairs_once_even_with_clashing_entries(current: ExperienceMap,
                                                                     ideal: ExperienceMap) -> None:
    plumber = _tp(ideal, "Emergency plumber")
    # set_match refuses this; a file from outside could still hold it
    current.matches[_tp(current, "Emergency line")] = plumber
    current.matches[_tp(current, "Finding a plumber myself")] = plumber
    c = compare(current, ideal)
    assert [(p.current.name, p.by) for p in c.pairs if p.ideal.id == plumber] == [("Emergency line", "link")]
    # the second entry is ignored, and nothing in the ideal has that name
    assert "Finding a plumber myself" in [tp.name for tp in c.extra]


def test_pairings_count_only_against_the_linked_ideal(current: ExperienceMap, ideal: ExperienceMap) -> None:
    current.set_match(_tp(current, "Payment received"), "")
    other = ideal.copy()
    other.id = "0ther1d0"
    assert "Payment received" not in [p.current.name for p in compare(current, ideal).pairs]
    assert "Payment received" in [p.current.name for p in compare(current, other).pairs]


def test_unrated_pairs_have_no_gap_and_ideal_only_touchpoints_can_open_the_columns() -> None:
    ideal = ExperienceMap.new("Ideal", kind="ideal")
    for name, score in (("Welcome", 2), ("Setup", 1), ("Help", 1)):
        ideal.add_touchpoint(name, feeling=score)
    current = ExperienceMap.new("Today")
    current.add_touchpoint("Setup")  # not rated
    current.add_touchpoint("Waiting", feeling=-1)
    current.add_touchpoint("help", feeling=-1)
    current.set_ideal(ideal.id)
    c = compare(current, ideal)
    assert [(p.current.name, p.ideal.name, p.gap) for p in c.pairs] == [("Setup", "Setup", None), ("help", "Help", -2)]
    assert _columns(c) == [(None, "Welcome"), ("Setup", "Setup"), ("Waiting", None), ("help", "Help")]
    summary = gap_summary(c)
    assert summary["rated"] == 1 and summary["mean"] == -2


def test_nothing_in_common() -> None:
    ideal = ExperienceMap.new("Ideal", kind="ideal")
    ideal.add_touchpoint("A", feeling=1)
    current = ExperienceMap.new("Today")
    current.add_touchpoint("B", feeling=1)
    c = compare(current, ideal)
    assert c.pairs == () and [t.name for t in c.missing] == ["A"] and [t.name for t in c.extra] == ["B"]
    assert _columns(c) == [(None, "A"), ("B", None)]
    assert gap_summary(c) == {"rated": 0, "mean": None, "biggest": ()}
