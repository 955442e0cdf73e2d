"""The journey checker itself: it must reject what Mermaid rejects or mangles, and read the rest
as Mermaid does. The cases below were also run through Mermaid 11's own parser; the comment on
each says what Mermaid did with it."""

from __future__ import annotations

import pytest

from tests.helpers.journey_grammar import JourneyError, Task, check


def _diagram(line: str) -> str:
    return f"journey\n  title T\n  section S\n{line}\n"


@pytest.mark.parametrize(
    "line",
    [
        "    Journey planner: 3: Me",  # Mermaid: parse error (the lexer reads 'journey')
        "    journey: 3: Me",  # Mermaid: parse error
        "    Section review: 3: Me",  # Mermaid: parse error (a section, then stray task data)
        "    accDescr {x}: 3: Me",  # Mermaid: parse error
        "    a#b: 3: Me",  # Mermaid: parse error ('#' starts a comment)
        "    a;b: 3: Me",  # Mermaid: parse error
        "  section a: b",  # Mermaid: parse error
        "    a",  # Mermaid: parse error (no score)
        "    a:",  # Mermaid: parse error
        "    a: 3: Me: extra",  # Mermaid: accepted, ': extra' silently dropped
        "    a: x: Me",  # Mermaid: accepted with score NaN
        "    a: 6: Me",  # Mermaid: accepted, drawn off the scale
        "    a: 3: Me, , You",  # Mermaid: accepted with an empty actor
        "  title a # b",  # Mermaid: accepted, title cut to 'a '
        "    %%{init: {}}%%",  # Mermaid: read as a directive, not text
    ],
)
def test_rejects_what_mermaid_rejects_or_mangles(line: str) -> None:
    with pytest.raises(JourneyError):
        check(_diagram(line))


def test_reads_tasks_as_mermaid_does() -> None:
    j = check(_diagram('    Make tea: 5: Me, Cat\n    "Journey planner": 3: Me\n    title: 1: Me\n    Journeys: 2'))
    assert (j.title, j.sections) == ("T", ["S"])
    assert j.tasks == [
        Task("S", "Make tea", 5, ["Me", "Cat"]),
        Task("S", '"Journey planner"', 3, ["Me"]),
        Task("S", "title", 1, ["Me"]),
        Task("S", "Journeys", 2, []),
    ]


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("    Title deed: 3: Me", "title"),  # Mermaid: the title becomes 'deed: 3: Me'
        ("    a%%b: 3: Me", "comment"),  # Mermaid: the whole line is a comment
        ("    accTitle: 3: Me", "acc_title"),  # Mermaid: an accessible title '3: Me'
    ],
)
def test_lines_that_look_like_tasks_but_are_not(line: str, what: str) -> None:
    j = check(_diagram(line))
    assert j.tasks == []
    assert {"title": j.title == "deed: 3: Me", "comment": j.title == "T", "acc_title": j.acc_title == "3: Me"}[what]


def test_header_comments_and_accessibility_lines() -> None:
    j = check("%% made by hand\n\njourney\n  accTitle: A title\n  accDescr {\n  two\n  lines\n  }\n  title X: y\n")
    assert (j.title, j.acc_title, j.acc_descr) == ("X: y", "A title", "two\nlines")
    for bad in ("title X\njourney\n", "", "journey extra\n", "journey\r\n  title X\n"):
        with pytest.raises(JourneyError):
            check(bad)
