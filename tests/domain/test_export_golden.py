"""Each export format of one fixed map, byte for byte (see tests/helpers/golden.py to update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.io.formats import FORMATS, export_file, export_map
from cxmap_tui.io.json_format import map_from_json
from tests.helpers.fixed_map import fixed_map
from tests.helpers.golden import assert_golden

GOLDEN_NAMES = {
    "json": "fixed_map.json",
    "markdown": "fixed_map.md",
    "mermaid": "fixed_map.mmd",
    "html": "fixed_map.html",
    "csv": "fixed_map.touchpoints.csv",
    "csv-improvements": "fixed_map.improvements.csv",
}


SAMPLE = Path(__file__).resolve().parents[2] / "sample_maps" / "insurance-claim-current.json"


def _sample() -> ExperienceMap:
    return map_from_json(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name)


@pytest.mark.parametrize("fmt", list(GOLDEN_NAMES))
def test_a_sample_map_matches_its_golden_file(fmt: str) -> None:
    name = GOLDEN_NAMES[fmt].replace("fixed_map", "sample_insurance_current")
    assert_golden(name, export_file(_sample(), fmt))


def test_every_format_has_a_golden_file() -> None:
    assert set(GOLDEN_NAMES) == set(FORMATS)


@pytest.mark.parametrize("fmt", list(GOLDEN_NAMES))
def test_export_matches_its_golden_file(fmt: str) -> None:
    assert_golden(GOLDEN_NAMES[fmt], export_file(fixed_map(), fmt))


@pytest.mark.parametrize("fmt", list(GOLDEN_NAMES))
def test_export_is_deterministic_and_files_differ_from_text_only_by_the_bom(fmt: str) -> None:
    first, second = export_map(fixed_map(), fmt), export_map(fixed_map(), fmt)
    assert first == second
    data = export_file(fixed_map(), fmt)
    if FORMATS[fmt].bom_in_files:
        assert data == b"\xef\xbb\xbf" + first.encode("utf-8")
    else:
        assert data == first.encode("utf-8")


def test_registry_entries_describe_themselves() -> None:
    for name, f in FORMATS.items():
        assert f.name == name and f.extension and not f.extension.startswith(".")
        assert f.description and "\n" not in f.description
    assert [n for n, f in FORMATS.items() if f.bom_in_files] == ["csv", "csv-improvements"]
