"""ctrl+p: the command palette, listing cxmap's own actions (see CxmapApp.get_system_commands).

Textual's palette draws its frame with block characters, a magnifier emoji before the search
field and '…' in its placeholder. On a plain terminal (ASCII mode) every one of them is swapped
for plain characters: a '>' prompt, '...' and frames of '-' (the rules for `.-ascii
CommandPalette` in app.tcss), and the 'working' dots give way to nothing."""

from __future__ import annotations

from textual.command import CommandPalette, SearchIcon

PLACEHOLDER = "Search for commands\u2026"
PLAIN_PLACEHOLDER = "Search for commands..."


class Palette(CommandPalette):
    def __init__(self, *, ascii: bool) -> None:
        super().__init__(placeholder=PLAIN_PLACEHOLDER if ascii else PLACEHOLDER, id="--command-palette")
        self.ascii = ascii

    def on_mount(self) -> None:
        if self.ascii:
            self.query_one(SearchIcon).icon = ">"
