"""Short guidance for the current step: what to do now, why it matters, an example."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...domain.method import GUIDE, Step


class Guide(Static):
    DEFAULT_CSS = """
    Guide { height: 3; padding: 0 1; color: $text-muted; background: $boost; }
    """

    def show_step(self, step: Step) -> None:
        g = GUIDE[step]
        self.update(  # always three lines: no layout pass needed
            Content.assemble(
                ("Now: ", "bold"), g.what, "\n",
                ("Why: ", "bold"), g.why, "\n",
                ("E.g. ", "bold"), (g.example, "italic"),
            ),
            layout=False,
        )
