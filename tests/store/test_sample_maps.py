"""The sample maps in sample_maps/ are the templates a user starts from: each must load, stay
canonical, and together they must cover the experiences and the ideal/current pair the method needs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap, ValidationError
from cxmap_tui.domain.ids import ID_LENGTH
from cxmap_tui.io.json_format import map_from_json, map_to_json
from cxmap_tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_maps"
SAMPLES = sorted(SAMPLE_DIR.glob("*.json"))
FIVE_EXPERIENCES = {"website", "service", "store", "product", "sales"}
HEX_ID = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def check_sample(text: str, source: str = "sample") -> ExperienceMap:
    """Everything one sample file must satisfy on its own; returns the loaded map."""
    m = map_from_json(text, source)  # validates
    assert map_to_json(m) == text, f"{source} is not in canonical form: re-export it with map_to_json"
    assert m.title.strip() and m.scope.strip() and m.persona.strip(), f"{source}: title, scope and persona"
    assert m.template == "", f"{source}: a sample is not started from another template"
    assert HEX_ID.fullmatch(m.id), f"{source}: map id {m.id!r} is not {ID_LENGTH} hex digits"
    assert TIMESTAMP.fullmatch(m.created) and TIMESTAMP.fullmatch(m.updated), f"{source}: fixed timestamps"
    assert m.created <= m.updated, f"{source}: updated before created"

    assert 8 <= len(m.touchpoints) <= 15, f"{source}: {len(m.touchpoints)} touchpoints, want 8 to 15"
    for tp in m.touchpoints:
        assert HEX_ID.fullmatch(tp.id), f"{source}: touchpoint id {tp.id!r}"
        assert tp.stage in m.stages, f"{source}: touchpoint {tp.name!r} has no stage of the map"
        assert tp.action.strip(), f"{source}: touchpoint {tp.name!r} has no customer action"
    with_thoughts = sum(1 for tp in m.touchpoints if tp.thoughts.strip())
    assert with_thoughts * 4 >= len(m.touchpoints) * 3, f"{source}: thoughts on only {with_thoughts} touchpoints"

    feelings = [tp.feeling for tp in m.touchpoints if tp.feeling is not None]
    assert len(feelings) * 4 >= len(m.touchpoints) * 3, f"{source}: most touchpoints must be rated"
    assert len(set(feelings)) >= 3, f"{source}: the feelings should form a curve, not a flat line"
    if m.kind == "current":
        assert min(feelings) <= -1, f"{source}: a current-state map needs at least one valley"
    else:
        assert len(feelings) == len(m.touchpoints), f"{source}: an ideal map rates every moment"
        assert sum(1 for f in feelings if f >= 1) * 4 >= len(feelings) * 3, f"{source}: ideal moments are good ones"

    assert m.improvements, f"{source}: no improvements"
    for imp in m.improvements:
        assert HEX_ID.fullmatch(imp.id), f"{source}: improvement id {imp.id!r}"
        assert imp.touchpoints, f"{source}: improvement {imp.title!r} is linked to no touchpoint"
        assert imp.owner.strip(), f"{source}: improvement {imp.title!r} has no owner"
    return m


@pytest.fixture(scope="module")
def samples() -> dict[str, ExperienceMap]:
    return {p.name: map_from_json(p.read_text(encoding="utf-8"), p.name) for p in SAMPLES}


def test_there_are_at_least_eight_samples() -> None:
    assert len(SAMPLES) >= 8, [p.name for p in SAMPLES]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_is_valid_and_canonical(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert raw == text.encode("utf-8") and text.endswith("}\n") and "\r" not in text
    check_sample(text, path.name)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_through_an_empty_store(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    original = map_from_json(text, path.name)
    store = Store.in_memory()
    added = store.add(original)
    assert added.id == original.id
    got = store.get(original.id)
    # The store stamps `updated` when a map is added; everything else must come back as it was.
    assert got.created == original.created
    got.updated = original.updated
    assert map_to_json(got) == text


def test_all_samples_fit_in_one_workspace() -> None:
    store = Store.in_memory()
    store.add_many(map_from_json(p.read_text(encoding="utf-8"), p.name) for p in SAMPLES)
    assert sorted(s.id for s in store.summaries()) == sorted(json.loads(p.read_text(encoding="utf-8"))["map"]["id"] for p in SAMPLES)


def test_titles_and_ids_are_unique_across_files(samples: dict[str, ExperienceMap]) -> None:
    titles = [m.title.casefold() for m in samples.values()]
    ids = [m.id for m in samples.values()]
    assert len(set(titles)) == len(titles), sorted(titles)
    assert len(set(ids)) == len(ids), sorted(ids)


def test_samples_cover_the_five_experiences(samples: dict[str, ExperienceMap]) -> None:
    assert {m.experience for m in samples.values()} >= FIVE_EXPERIENCES


def test_an_ideal_and_a_current_map_of_the_same_experience(samples: dict[str, ExperienceMap]) -> None:
    pairs = []
    for ideal in (m for m in samples.values() if m.kind == "ideal"):
        for current in (m for m in samples.values() if m.kind == "current"):
            if (ideal.experience, ideal.persona, ideal.scope) != (current.experience, current.persona, current.scope):
                continue
            common = {t.name.casefold() for t in ideal.touchpoints} & {t.name.casefold() for t in current.touchpoints}
            if len(common) >= 4:
                pairs.append((ideal, current, common))
    assert pairs, "no ideal/current pair sharing experience, persona and at least 4 touchpoint names"
    for ideal, current, common in pairs:
        ideal_names = {t.name.casefold() for t in ideal.touchpoints}
        current_names = {t.name.casefold() for t in current.touchpoints}
        assert ideal_names - common, f"{current.title}: some ideal moments should be missing today"
        assert current_names - common, f"{current.title}: today should have some moments nobody wanted"
        ideal_curve = sum(t.feeling or 0 for t in ideal.touchpoints if t.name.casefold() in common)
        current_curve = sum(t.feeling or 0 for t in current.touchpoints if t.name.casefold() in common)
        assert current_curve < ideal_curve, f"{current.title}: feelings today should dip below the ideal"


def test_a_map_follows_an_account_through_onboarding_check_in_and_renewal(
    samples: dict[str, ExperienceMap],
) -> None:
    def has(m: ExperienceMap, pattern: str) -> bool:
        return any(re.search(pattern, s, re.I) for s in m.stages)

    assert any(
        has(m, r"onboard") and has(m, r"check[- ]?in") and has(m, r"renew") for m in samples.values()
    ), "no sample's stages include onboarding, a check-in and renewal"


# -- the checks above must catch a broken file ---------------------------------------------------


def _broken_variants(text: str) -> dict[str, str]:
    doc = json.loads(text)
    out: dict[str, str] = {}

    def variant(name: str, change) -> None:  # type: ignore[no-untyped-def]
        d = json.loads(text)
        change(d["map"])
        out[name] = json.dumps(d, ensure_ascii=False, indent=2) + "\n"

    out["not JSON"] = text[:-10]
    out["four-space indent"] = json.dumps(doc, ensure_ascii=False, indent=4) + "\n"
    escaped = json.dumps(doc, ensure_ascii=True, indent=2) + "\n"
    if escaped != text:
        out["escaped non-ASCII"] = escaped
    out["no trailing newline"] = text.rstrip("\n")
    variant("unknown stage", lambda m: m["touchpoints"][0].update(stage="Nowhere"))
    variant("feeling out of range", lambda m: m["touchpoints"][0].update(feeling=3))
    variant("dangling link", lambda m: m["improvements"][0].update(touchpoints=["deadbeef"]))
    variant("unlinked improvement", lambda m: m["improvements"][0].update(touchpoints=[]))
    variant("no improvements", lambda m: m.update(improvements=[]))
    variant("too few touchpoints", lambda m: m.update(
        touchpoints=m["touchpoints"][:5],
        improvements=[dict(i, touchpoints=[m["touchpoints"][0]["id"]]) for i in m["improvements"]],
    ))
    variant("no thoughts", lambda m: [t.update(thoughts="") for t in m["touchpoints"]])
    variant("flat feelings", lambda m: [t.update(feeling=1) for t in m["touchpoints"]])
    variant("repeated touchpoint id", lambda m: m["touchpoints"][1].update(id=m["touchpoints"][0]["id"]))
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_checks_reject_broken_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    check_sample(text, path.name)
    for name, broken in _broken_variants(text).items():
        with pytest.raises((AssertionError, ValidationError)):
            check_sample(broken, name)
