"""Short guidance for the current step: what to do now, why it matters, an example."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...domain.method import GUIDE, Step


class Guide(Static):
    # Narrower than 80 columns the lines wrap, and the guide grows to hold them (app.tcss: a rule
    # here would be scoped to the widget, and never see the app's -small class).
    DEFAULT_CSS = """
    Guide { height: 3; padding: 0 1; color: $text-muted; background: $boost; }
    """

    def show_step(self, step: Step) -> None:
        g = GUIDE[step]
        self.update(  # three lines from 80 columns on: then no layout pass is needed
            Content.assemble(
                ("Now: ", "bold"), g.what, "\n",
                ("Why: ", "bold"), g.why, "\n",
                ("E.g. ", "bold"), (g.example, "italic"),
            ),
            layout=self.app.size.width < 80,
        )
