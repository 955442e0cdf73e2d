"""Hostile text through every export: it must come out as text, readable, and never as markup,
formulas, broken tables or a diagram Mermaid rejects."""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from cxmap_tui.domain.analysis import analyze
from cxmap_tui.domain.backlog import sorted_backlog
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.io import csv_format, html_format, markdown_format, mermaid_format
from cxmap_tui.io.csv_format import restore
from cxmap_tui.io.json_format import map_from_json, map_to_json
from tests.helpers import escapes
from tests.helpers.hostile import HOSTILE, hostile_map
from tests.helpers.journey_grammar import check


@pytest.fixture(scope="module")
def m() -> ExperienceMap:
    return hostile_map()


def readable(text: str) -> str:
    """How a document shows user text: one kind of line break, control bytes as symbols."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 and c not in "\n\t" else c for c in text)


def alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def test_the_hostile_map_keeps_the_text_as_typed(m: ExperienceMap) -> None:
    assert [tp.thoughts for tp in m.touchpoints] == HOSTILE  # the domain stores it unchanged
    assert any("\x1b" in tp.name for tp in m.touchpoints) and any("\r\n" in tp.name for tp in m.touchpoints)


# -- Markdown ------------------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    """A GFM table row split at its unescaped pipes (a pipe right after a backslash is text)."""
    assert line.startswith("| ") and line.endswith(" |"), line
    return re.split(r"(?<!\\)\|", line[1:-1])


class _Collector(HTMLParser):
    """Tags, attributes, and the text of table cells and SVG titles (<br> read as a line break)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.rows: list[list[str]] = []
        self.titles: list[str] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None
        self._title: list[str] | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag == "br" and self._item is not None:
            self._item.append("\n")
        elif tag == "li":
            self._item = []
        elif tag == "title":
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None
        elif tag == "li" and self._item is not None:
            self.items.append("".join(self._item))
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._title is not None:
            self._title.append(data)
        if self._item is not None:
            self._item.append(data)


def _parse(html_text: str) -> _Collector:
    c = _Collector()
    c.feed(html_text)
    c.close()
    return c


def test_markdown_tables_keep_one_line_per_row_and_their_column_count(m: ExperienceMap) -> None:
    text = markdown_format.render(m)
    assert "\r" not in text and "\x1b" not in text
    lines = text.split("\n")
    tables: list[list[str]] = []
    for previous, line in zip(["", *lines], lines, strict=False):
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
    touchpoints, backlog = tables
    assert len(touchpoints) == 2 + len(m.touchpoints) and len(backlog) == 2 + len(m.improvements)
    for table in tables:
        assert {len(_cells(line)) for line in table} == {len(_cells(table[0]))}


def test_markdown_renders_user_text_as_plain_text(m: ExperienceMap) -> None:
    text = markdown_format.render(m)
    # CommonMark plus GFM tables and strikethrough; no autolinking, so any <a> would be ours.
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    page = _parse(rendered)
    allowed = {"h1", "h2", "h3", "p", "em", "ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td", "br",
               "pre", "code"}
    assert set(page.tags) <= allowed, set(page.tags) - allowed
    # GFM's column alignment and the diagram's language, nothing else
    assert {(n, v) for n, v in page.attrs if n != "style"} == {("class", "language-mermaid")}

    rows = [r for r in page.rows if r and r[0].isdigit()]
    assert len(rows) == len(m.touchpoints)
    for position, (row, tp) in enumerate(zip(rows, m.touchpoints, strict=False), start=1):
        assert row[0] == str(position)
        # A table cell loses the spaces and tabs around it when rendered.
        for cell, value in zip(row[1:], (tp.stage, tp.name, tp.action, tp.channel), strict=False):
            assert cell == readable(value).strip(" \t")
        assert row[6] == readable(tp.thoughts).strip(" \t")

    backlog = [r for r in page.rows if len(r) == 8 and r[0] != "Improvement"]
    ordered = sorted_backlog(m)  # by priority, as the app lists it
    assert [r[0] for r in backlog] == [readable(i.title).strip(" \t") for i in ordered]
    assert [r[7] for r in backlog] == [readable(i.owner).strip(" \t") for i in ordered]
    h1 = rendered.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "<" not in h1 and html.unescape(h1) == readable(m.title.replace("\n", " "))


def test_markdown_friction_section_shows_names_and_reasons_as_text(m: ExperienceMap) -> None:
    text = markdown_format.render(m)
    section = text.split("## Friction points\n", 1)[1].split("\n## Improvement backlog", 1)[0]
    a = analyze(m)
    assert a.friction and a.unaddressed and len(a.unaddressed) < len(a.friction)
    items = [line for line in section.split("\n") if line.startswith("- ")]
    # every item is one line: friction points, highlights, used stages, the four moments
    used = [s for s in a.stages if s.touchpoints]
    assert len(items) == len(a.friction) + len(a.highlights) + len(used) + 4
    page = _parse(MarkdownIt("commonmark").render(section))
    assert len(page.items) == len(items)
    titles = {imp.id: readable(imp.title) for imp in m.improvements}
    friction_items = page.items[: len(a.friction)]
    for item, f in zip(friction_items, a.friction, strict=True):
        name = readable(f.touchpoint.name)
        assert item.startswith(f"{f.index + 1}. {name} "), item
        assert readable("; ".join(f.reasons)) in item
        if f.addressed_by:
            assert "Addressed by: " + ", ".join(titles[i] for i in f.addressed_by) in item
        else:
            assert item.endswith("FLAGGED: no improvement addresses it.")
    highlight_items = page.items[len(a.friction):len(a.friction) + len(a.highlights)]
    for item, h in zip(highlight_items, a.highlights, strict=True):
        assert item.startswith(f"{h.index + 1}. {readable(h.touchpoint.name)} "), item
    stage_items = page.items[len(a.friction) + len(a.highlights):-4]
    for item, s in zip(stage_items, used, strict=True):
        assert item.startswith(f"{readable(s.stage) if s.stage else 'No stage'}: {s.touchpoints} touchpoint"), item


def test_markdown_holds_the_mermaid_diagram_intact(m: ExperienceMap) -> None:
    text = markdown_format.render(m)
    block = text.split("```mermaid\n", 1)[1].split("\n```\n", 1)[0]
    assert block + "\n" == mermaid_format.render(m)
    assert not any(line.lstrip(" ").startswith("```") for line in block.split("\n"))
    check(block)


# -- HTML ----------------------------------------------------------------------------------------

HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "dl", "dt", "dd", "section",
             "h2", "h3", "figure", "svg", "desc", "line", "text", "g", "polyline", "circle", "table", "thead", "tbody",
             "tr", "th", "td", "br", "div"}


def test_html_has_no_markup_from_user_text(m: ExperienceMap) -> None:
    text = html_format.render(m)
    page = _parse(text)
    assert set(page.tags) <= HTML_TAGS, set(page.tags) - HTML_TAGS
    assert page.tags.count("style") == 1 and page.tags.count("html") == 1
    assert "<script" not in text.lower() and "\x1b" not in text and "\r" not in text
    assert text.count("</td>") == page.tags.count("td")
    assert text.count("<b>") == 0 and text.count("<i>") == 0
    names = {name for name, _ in page.attrs}
    assert not {n for n in names if n.startswith("on")} and not names & {"href", "src", "xlink:href"}


def test_html_shows_every_user_string_exactly(m: ExperienceMap) -> None:
    page = _parse(html_format.render(m))
    # The backlog's rows, after its heading row, have eight cells too.
    start = next(i for i, r in enumerate(page.rows) if r[:3] == ["Improvement", "Touchpoints", "Priority"])
    rows = [r for r in page.rows[:start] if len(r) == 8 and r[0].isdigit()]
    assert len(rows) == len(m.touchpoints)
    for position, (row, tp) in enumerate(zip(rows, m.touchpoints, strict=False), start=1):
        assert row[0] == str(position)
        assert row[1:5] == [readable(v) for v in (tp.name, tp.action, tp.channel, tp.owner)]
        assert row[6:] == [readable(tp.thoughts), readable(tp.notes)]
    stage_rows = [r[0] for r in page.rows if len(r) == 1]
    expected_stages = []
    for tp in m.touchpoints:
        label = readable(tp.stage) if tp.stage else "No stage"
        if not expected_stages or expected_stages[-1] != label:
            expected_stages.append(label)
    assert stage_rows == expected_stages

    backlog = page.rows[start + 1:]
    for row, imp in zip(backlog, sorted_backlog(m), strict=True):
        assert row[0] == readable(imp.title) + readable(imp.description)
        assert row[7] == readable(imp.owner)

    one_line = " ".join(readable(m.title).split())
    assert page.titles[0] == f"{one_line} - customer experience map"
    tips = [t for t in page.titles if re.match(r"\d+\. ", t)]
    assert len(tips) == len(m.touchpoints)
    for position, (tip, tp) in enumerate(zip(tips, m.touchpoints, strict=False), start=1):
        assert tip.startswith(f"{position}. {' '.join(readable(tp.name).split())}: ")


def test_html_friction_section_shows_every_user_string_exactly(m: ExperienceMap) -> None:
    page = _parse(html_format.render(m))
    a = analyze(m)
    titles = {imp.id: readable(imp.title) for imp in m.improvements}
    rows = [r for r in page.rows if len(r) == 5 and r[0].isdigit()]
    assert len(rows) == len(a.friction)
    for row, f in zip(rows, a.friction, strict=False):
        assert row[0] == str(f.index + 1) and row[1] == readable(f.touchpoint.name)
        assert row[3] == readable("; ".join(f.reasons))
        assert row[4] == (", ".join(titles[i] for i in f.addressed_by) if f.addressed_by
                          else "FLAGGED: no improvement addresses it")
    highlights = [r for r in page.rows if len(r) == 3 and r[0].isdigit()]
    assert [r[1] for r in highlights] == [readable(h.touchpoint.name) for h in a.highlights]
    stages = [r[0] for r in page.rows if len(r) == 5 and not r[0].isdigit() and r[0] != "#"][1:]
    assert stages == [readable(s.stage) if s.stage else "No stage" for s in a.stages if s.touchpoints]


# -- Mermaid -------------------------------------------------------------------------------------


def test_mermaid_passes_the_journey_grammar_and_keeps_every_name_readable(m: ExperienceMap) -> None:
    journey = check(mermaid_format.render(m))
    assert alnum(journey.title) == alnum(m.title)
    assert len(journey.tasks) == len(m.touchpoints)
    for task, tp in zip(journey.tasks, m.touchpoints, strict=False):
        name = task.name
        if tp.feeling is None:
            assert name.endswith((" (not rated)", ' (not rated)"'))
            name = name.replace(" (not rated)", "")
        assert alnum(name) == alnum(tp.name)
        assert task.score == (3 if tp.feeling is None else tp.feeling + 3)
        assert len(task.actors) == 1 and alnum(task.actors[0]) == alnum(m.persona)
        assert alnum(task.section) == alnum(tp.stage or "No stage")
    assert len({t.name.casefold() for t in journey.tasks}) == len(journey.tasks)


def test_mermaid_substitutions_are_the_documented_look_alikes(m: ExperienceMap) -> None:
    journey = check(mermaid_format.render(m))
    tasks = {t.name for t in journey.tasks}
    assert "Checkout\u2236 step 1 \u266f of 3, pay" in tasks
    assert "\u2039script\u203aalert(1)\u2039/script\u203a" in tasks
    assert "line one line two (CRLF) (not rated)" in tasks and "esc \u241b[31mred\u241b[0m (not rated)" in tasks
    assert '"Journey planner"' in tasks and '"Section review"' in tasks and "50% off" in tasks
    assert {a for t in journey.tasks for a in t.actors} == {
        "Parent\u201a busy\u2236 yes\u201a \u266f1 \u2039i\u203ax\u2039/i\u203a % not a comment"
    }
    assert journey.title.startswith("Map\u2236 \u2039script\u203a")


# -- CSV -----------------------------------------------------------------------------------------

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _expected_cell(value: str) -> str:
    return "'" + value if value.lstrip("'").startswith(TRIGGERS) else value


def _records_end_in_crlf(text: str) -> bool:
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted and text[i - 1] != "\r":
            return False
    return text.endswith("\r\n")


def test_csv_touchpoints_read_back_to_the_same_cells(m: ExperienceMap) -> None:
    text = csv_format.touchpoints(m)
    assert _records_end_in_crlf(text)
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header == list(csv_format.TOUCHPOINT_COLUMNS)
    assert len(rows) == len(m.touchpoints)
    for position, (row, tp) in enumerate(zip(rows, m.touchpoints, strict=False), start=1):
        cells = dict(zip(header, row, strict=True))
        assert cells["position"] == str(position)
        assert cells["feeling"] == ("" if tp.feeling is None else str(tp.feeling))
        for column in ("stage", "name", "action", "channel", "owner", "notes", "thoughts", "id"):
            value = getattr(tp, column)
            assert cells[column] == _expected_cell(value), column
            assert restore(cells[column]) == value
    feelings = [r[header.index("feeling")] for r in rows]
    assert "-2" in feelings and "-1" in feelings  # numbers stay numbers
    thoughts = [r[header.index("thoughts")] for r in rows]
    for formula in ("=cmd|' /C calc'!A0", "+1", "-2 stars", "@SUM(A1)", "\tleading tab", "\rleading carriage return"):
        assert "'" + formula in thoughts
    assert "''=already quoted" in thoughts and "'''+twice" in thoughts and "'plain quote" in thoughts
    assert "line one\r\nline two (CRLF)" in thoughts


def test_csv_improvements_read_back_to_the_same_cells(m: ExperienceMap) -> None:
    text = csv_format.improvements(m)
    assert _records_end_in_crlf(text)
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header == list(csv_format.IMPROVEMENT_COLUMNS)
    names = {tp.id: tp.name for tp in m.touchpoints}
    for row, imp in zip(rows, m.improvements, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["title"] == _expected_cell(imp.title)
        assert cells["description"] == _expected_cell(imp.description)
        assert cells["owner"] == _expected_cell(imp.owner)
        assert cells["touchpoints"] == _expected_cell("; ".join(names[t] for t in imp.touchpoints))
        assert [cells[k] for k in ("customer_value", "business_value", "effort")] == [
            str(imp.customer_value), str(imp.business_value), str(imp.effort)]
        assert cells["status"] == imp.status


# -- characters that hide or reorder text ----------------------------------------------------------

# How a document shows hostile("Name"): every character a terminal obeys or that hides or reorders
# text as a symbol, the carriage return as a line break.
SHOWN = ("Name a<U+202E>b<U+200B>c<U+2066>d<U+009B>2Je\u241bf\u2407g\u2408h\ni\u241b[2Jj\u241b]0;PWNED-TITLE"
         "\u2407k\u241b]52;c;cHduZWQ=\u2407z")


@pytest.fixture(scope="module")
def hidden() -> ExperienceMap:
    m = ExperienceMap.new(escapes.hostile("Map"), persona=escapes.hostile("Persona"), scope=escapes.hostile("Scope"))
    m.add_touchpoint(escapes.hostile("Name"), action=escapes.hostile("Name"), channel=escapes.hostile("Name"),
                     owner=escapes.hostile("Name"), notes=escapes.hostile("Name"), feeling=-2,
                     thoughts=escapes.hostile("Name"))
    m.add_improvement(escapes.hostile("Name"), touchpoints=[m.touchpoints[0].id], owner=escapes.hostile("Name"))
    return m


def test_documents_show_bidi_zero_width_and_c1_characters_as_symbols(hidden: ExperienceMap) -> None:
    for text in (markdown_format.render(hidden), html_format.render(hidden), mermaid_format.render(hidden)):
        assert escapes.raw_characters(text) == []
    page = _parse(html_format.render(hidden))
    row = next(r for r in page.rows if len(r) == 8 and r[0] == "1")
    assert row[1:5] == [SHOWN] * 4 and row[6:] == [SHOWN, SHOWN]
    rendered = MarkdownIt("commonmark").enable(["table"]).render(markdown_format.render(hidden))
    row = next(r for r in _parse(rendered).rows if r and r[0] == "1")
    assert row[2] == row[3] == row[4] == row[6] == SHOWN
    journey = check(mermaid_format.render(hidden))
    assert journey.tasks[0].name == SHOWN.replace("\n", " ").translate(
        str.maketrans({"<": "\u2039", ">": "\u203a", ";": ","}))


def test_json_and_csv_keep_them_exactly(hidden: ExperienceMap) -> None:
    text = map_to_json(hidden)
    assert escapes.raw_characters(text) == []  # escaped, so the file is safe to print
    assert map_from_json(text).to_dict() == hidden.to_dict()
    header, row = list(csv.reader(io.StringIO(csv_format.touchpoints(hidden), newline="")))
    cells = dict(zip(header, row, strict=True))
    assert [cells[c] for c in ("name", "action", "notes", "thoughts")] == [escapes.hostile("Name")] * 4
