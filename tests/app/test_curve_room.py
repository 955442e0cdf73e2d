"""The curve on a screen of its own uses the room it has: the whole width, more rows per level
when the height allows, stage names whole where they fit and cut at a word's end where they do
not. The HTML export's curve shows every stage name whole, escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.io import html_format
from cxmap_tui.present.curve import AXIS, LEVELS, draw, spans
from cxmap_tui.present.display import shorten_words
from cxmap_tui.store import Store
from cxmap_tui.tui.widgets.curve import FeelingCurve
from tests.helpers.tui import make_app, open_map, screen_text, settle, wait_until

STAGES = ["Problem recognition", "Information search", "Evaluation of alternatives", "Purchase decision",
          "Post-purchase behaviour"]
# (name, stage index, feeling): "Problem recognition" has one touchpoint, so its name is wider than its column.
TOUCHPOINTS = [("Boiler breaks", 0, -2), ("Search online", 1, -1), ("Ask a neighbour", 1, 1),
               ("Compare quotes", 2, 0), ("Read reviews", 2, 1), ("Site visit", 2, 2), ("Sign", 3, 1),
               ("Installation", 4, -1), ("First bill", 4, 2), ("Service call", 4, 0)]


def _map(stages: list[str] = STAGES) -> ExperienceMap:
    m = ExperienceMap.new("New boiler", stages=stages)
    for name, stage, feeling in TOUCHPOINTS:
        tp = m.add_touchpoint(name, stage=stages[stage])
        m.set_feeling(tp.id, feeling)
    return m


def _app(tmp_path: Path, m: ExperienceMap, *, ascii_mode: bool = False):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "cx.json")
    store.add(m)
    return make_app(store, tmp_path / "state", ascii_mode=ascii_mode)


async def _open_curve(pilot, title: str = "New boiler") -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await open_map(pilot, title)
    await pilot.press("f4", "c")
    await wait_until(pilot, lambda: pilot.app.screen.query(FeelingCurve).first().cursor is not None,
                     what="the curve screen")
    await settle(pilot)


def _curve_lines(screen: str) -> list[str]:
    """The lines of the full-screen curve: from +2 down to the line before its caption."""
    lines = screen.splitlines()
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("+2"))
    last = next(i for i in range(first, len(lines)) if re.match(r"\s*\d+/\d+ ", lines[i]))
    return lines[first:last]


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 30)])
async def test_the_full_screen_curve_spans_the_width(tmp_path: Path, size: tuple[int, int]) -> None:
    width, _ = size
    app = _app(tmp_path, _map())
    async with app.run_test(size=size) as pilot:
        await _open_curve(pilot)
        lines = _curve_lines(screen_text(app))
        levels = [line for line in lines if re.match(r"\s*[-+]?\d ", line)]
        assert len(levels) == len(LEVELS), lines
        # The markers and the line run from the axis to the right edge (less the margins).
        assert max(len(line) for line in lines) >= width - 6, "\n".join(lines)
        assert min(len(line) - len(line.lstrip()) for line in levels) <= 2


async def test_the_curve_grows_upwards_when_the_terminal_is_tall(tmp_path: Path) -> None:
    app = _app(tmp_path, _map())
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_curve(pilot)
        lines = _curve_lines(screen_text(app))
        top = next(i for i, line in enumerate(lines) if line.lstrip().startswith("+2"))
        bottom = next(i for i, line in enumerate(lines) if line.lstrip().startswith("-2"))
        assert bottom - top > len(LEVELS) - 1  # rows between the levels
        screen = screen_text(app)
        assert "Remembered as" in screen and screen.splitlines()[-1].startswith("left/right Move")


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
async def test_stage_names_show_whole_where_there_is_room(tmp_path: Path, size: tuple[int, int]) -> None:
    app = _app(tmp_path, _map())
    async with app.run_test(size=size) as pilot:
        await _open_curve(pilot)
        labels = "\n".join(_curve_lines(screen_text(app))[-3:])
        for stage in STAGES:
            assert stage in labels, labels
        assert "\u2026" not in labels


async def test_at_60x20_the_names_fit_or_are_cut_at_a_word_end(tmp_path: Path) -> None:
    app = _app(tmp_path, _map())
    async with app.run_test(size=(60, 20)) as pilot:
        await _open_curve(pilot)
        lines = _curve_lines(screen_text(app))
        labels = [line for line in lines if not re.match(r"\s*[-+]?\d ", line) and line.strip()
                  and not set(line.strip()) <= set("\u250a\u2502\u2571\u2572\u2500\u25cf ")]
        words = re.findall(r"\S+", " ".join(labels))
        shown = " ".join(words)
        assert "Problem recognition" in shown, labels
        for word in words:  # every word whole, or the only word of a cut name
            bare = word.rstrip("\u2026")
            assert any(bare in stage.split() or (word.endswith("\u2026") and stage.startswith(bare))
                       for stage in STAGES), (word, labels)


async def test_ascii_curve_screen_is_ascii_and_cuts_at_word_ends(tmp_path: Path) -> None:
    stages = ["Probl\u00e8me recognition", "Information search", "Evaluation of the many alternatives on offer",
              "Purchase", "Post-purchase behaviour"]
    app = _app(tmp_path, _map(stages), ascii_mode=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await _open_curve(pilot)
        screen = screen_text(app)
        assert screen.isascii(), [line for line in screen.splitlines() if not line.isascii()]
        labels = " ".join(_curve_lines(screen)[-3:])
        assert "Probleme recognition" in labels, labels
        cuts = [piece[:-3] for piece in re.split(r"\s{2,}", labels) if piece.endswith("...")]
        assert cuts, labels  # the long names had to be cut: at a word's end, with an ASCII ellipsis
        for cut in cuts:
            cut = cut.strip()
            name = next(n for n in ["Evaluation of the many alternatives on offer", "Post-purchase behaviour"]
                        if n.startswith(cut))
            assert name[len(cut)] in " -" or cut.endswith("-"), (cut, labels)


async def test_the_cursor_marker_follows_left_and_right(tmp_path: Path) -> None:
    app = _app(tmp_path, _map())
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_curve(pilot)
        curve = app.screen.query_one(FeelingCurve)
        for key, index in (("right", 1), ("right", 2), ("left", 1), ("end", 9)):
            await pilot.press(key)
            await settle(pilot)
            assert curve.cursor == index
            name, _, feeling = TOUCHPOINTS[index]
            lines = _curve_lines(screen_text(app))
            assert f"{index + 1}/{len(TOUCHPOINTS)} {name}" in screen_text(app)
            # Where the widget marks the cursor is where that touchpoint's marker is on screen.
            rows = draw(curve.points, curve.size.width, curve.cursor, fill=True,
                        rows_per_level=curve._rows_per_level(), stage_rows=curve._stage_rows())
            cursor_cells = [(r, sum(len(t) for t, _ in row[:i])) for r, row in enumerate(rows)
                            for i, (_, style) in enumerate(row) if style.endswith("cursor")]
            left, right = spans(len(curve.points), curve.size.width, fill=True)[index]
            level_row = LEVELS.index(feeling) * curve._rows_per_level()
            assert cursor_cells == [(level_row, AXIS + left + (right - left) // 2)]
            x = curve.region.x + cursor_cells[0][1]
            assert lines[level_row][x] == "\u25cf", lines


def test_word_end_cuts() -> None:
    assert shorten_words("Problem recognition", 19) == "Problem recognition"
    assert shorten_words("Problem recognition", 12) == "Problem\u2026"
    assert shorten_words("Problem recognition", 12, ascii=True) == "Problem..."
    assert shorten_words("Follow-up call", 12) == "Follow-up\u2026"
    assert shorten_words("Recognition", 6, ascii=True) == "Rec..."  # one word: cut where it must be


def test_the_html_curve_names_every_stage_whole_and_escaped() -> None:
    stages = [*STAGES[:4], "After <b>the</b> sale & \"support\""]
    page = html_format.render(_map(stages))
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert "<b>" not in svg
    for stage in stages:
        escaped = html.escape(stage, quote=True)
        group = re.search(r"<g><title>Stage: " + re.escape(escaped) + r"</title>(.*?)</g>", svg, re.S)
        assert group, stage
        lines = re.findall(r"<text [^>]*>([^<]*)</text>", group.group(1))
        assert " ".join(lines) == escaped, (stage, lines)
