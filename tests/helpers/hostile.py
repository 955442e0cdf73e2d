"""A map full of text that breaks naive exporters: markup, formulas, separators, control bytes."""

from __future__ import annotations

from cxmap_tui.domain.model import ExperienceMap

HOSTILE = [
    "Checkout: step 1 # of 3; pay",
    "It's \"fine\", she said",
    "<script>alert(1)</script>",
    "</td></tr></table><b>bold",
    "=cmd|' /C calc'!A0",
    "+1",
    "-2 stars",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading carriage return",
    "line one\nline two",
    "line one\r\nline two (CRLF)",
    "a | pipe | or two",
    "`code` *bold* _em_ [link](https://example.com) ~~gone~~ back\\slash",
    "emoji \U0001f600 \U0001f44d\U0001f3fd family \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u05e2\u05d1\u05e8\u05d9\u05ea \u05d5\u05de\u05e1\u05e4\u05e8\u05d9\u05dd 123",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629: \u0646\u0635",
    "esc \x1b[31mred\x1b[0m",
    "Journey planner",
    "Title deed",
    "Section review",
    "accTitle",
    "accDescr {x}",
    "journey",
    "50%% off",
    "x%%y",
    "%%{init: {}}%%",
    "#hashtag",
    "&amp; &lt;entity&gt;",
    "'=already quoted",
    "''+twice",
    "'plain quote",
    "title",
]

STAGES = ["Stage: one # 1; a", "<i>Two</i> | 2", "-2 stars", "\u05e9\u05dc\u05d1", "two\nlines"]


def hostile_map() -> ExperienceMap:
    """One touchpoint per hostile string, the string in every text field; feelings cycle
    through -2..+2 and unrated; improvements and map fields are hostile too."""
    m = ExperienceMap.new(
        "Map: <script>alert(1)</script> # 1; =cmd|' /C calc'!A0\nsecond line",
        experience="service",
        persona="Parent, busy: yes; #1 <i>x</i>\n%% not a comment",
        scope="=HYPERLINK(\"http://x\")\r\n| pipe | `tick`",
        stages=STAGES,
    )
    scores = [-2, -1, 0, 1, 2, None]
    for i, text in enumerate(HOSTILE):
        m.add_touchpoint(
            text,
            action=text,
            stage=STAGES[i % len(STAGES)] if i % 7 else "",
            channel=text,
            owner=text,
            notes=text,
            feeling=scores[i % len(scores)],
            thoughts=text,
        )
    for i, text in enumerate(HOSTILE[:8]):
        m.add_improvement(
            f"{text} ({i})",
            description=text,
            touchpoints=[m.touchpoints[i].id, m.touchpoints[-1 - i].id],
            owner=text,
        )
    m.validate()
    return m
