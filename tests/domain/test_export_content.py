"""What the Markdown and HTML documents tell a reader: each touchpoint's channel, and the backlog
in the order of priority that the app and `cxmap show` list it in, with the priority shown."""

from __future__ import annotations

import re

from cxmap_tui.domain.backlog import sorted_backlog
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.io.formats import export_map


def _map() -> ExperienceMap:
    m = ExperienceMap.new("Bike shop")
    shop = m.add_touchpoint("Shop visit", stage="Purchase", channel="In person")
    ride = m.add_touchpoint("Test ride booking", stage="Consideration", channel="Web")
    # In entry order the lowest priority first: 3/3 for effort 5 (12), 5/5 for 1 (100), 4/4 for 2 (40).
    m.add_improvement("Longer opening hours", touchpoints=[shop.id], customer_value=3, business_value=3, effort=5)
    m.add_improvement("Book a ride online", touchpoints=[ride.id], customer_value=5, business_value=5, effort=1)
    m.add_improvement("Loan bikes", touchpoints=[shop.id], customer_value=4, business_value=4, effort=2)
    return m


BY_PRIORITY = [("Book a ride online", 100), ("Loan bikes", 40), ("Longer opening hours", 12)]


def test_markdown_has_each_touchpoints_channel_and_the_backlog_by_priority() -> None:
    m = _map()
    assert [imp.title for imp in sorted_backlog(m)] == [title for title, _ in BY_PRIORITY]
    lines = export_map(m, "markdown").splitlines()
    head = lines.index("| # | Stage | Touchpoint | Customer action | Channel | Feeling | Thoughts |")
    assert lines[head + 2].startswith("| 1 | Purchase | Shop visit |  | In person |")
    assert lines[head + 3].startswith("| 2 | Consideration | Test ride booking |  | Web |")
    backlog = lines[lines.index("## Improvement backlog") + 2:]
    assert backlog[0] == "| Improvement | Touchpoints | Priority | Customer value | Business value | Effort | Status | Owner |"
    rows = [row.split(" | ") for row in backlog[2:5]]
    assert [(row[0].lstrip("| "), int(row[2])) for row in rows] == BY_PRIORITY


def test_html_has_the_backlog_by_priority_with_the_priority() -> None:
    page = export_map(_map(), "html")
    assert '<th scope="col">Channel</th>' in page and "<td dir=\"auto\">In person</td>" in page
    backlog = page[page.index("<h2>Improvement backlog</h2>"):]
    assert '<th scope="col">Touchpoints</th><th scope="col">Priority</th>' in backlog
    rows = re.findall(r'<tr><td dir="auto">([^<]*)</td><td dir="auto">[^<]*</td><td class="num">(\d+)</td>',
                      backlog)
    assert [(title, int(score)) for title, score in rows] == BY_PRIORITY
