"""ctrl+p: the command palette, listing cxmap's own actions (see CxmapApp.get_system_commands).

Textual's palette draws its frame with block characters, a magnifier emoji before the search
field and '…' in its placeholder. On a plain terminal (ASCII mode) every one of them is swapped
for plain characters: a '>' prompt, '...' and frames of '-' (the rules for `.-ascii
CommandPalette` in app.tcss), and the 'working' dots give way to nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from textual.app import App, SystemCommand
from textual.command import CommandPalette, SearchIcon
from textual.dom import DOMNode
from textual.screen import Screen

from ..read_only import changes

PLACEHOLDER = "Search for commands\u2026"
PLAIN_PLACEHOLDER = "Search for commands..."


class Palette(CommandPalette):
    def __init__(self, *, ascii: bool) -> None:
        super().__init__(placeholder=PLAIN_PLACEHOLDER if ascii else PLACEHOLDER, id="--command-palette")
        self.ascii = ascii

    def on_mount(self) -> None:
        if self.ascii:
            self.query_one(SearchIcon).icon = ">"


def commands(app: App[None], screen: Screen[object], *, read_only: bool) -> Iterable[SystemCommand]:
    """cxmap's own actions that work here and now, each once, with its key (in a read-only
    workspace, none that would change it). Textual's own (a text field's cursor keys, its theme
    and screenshot commands, a second Quit) are left out: cxmap's bindings are the ones with an
    id."""
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        action = binding.action.removeprefix("screen.").removeprefix("app.")
        if binding.id is None or not binding.description or not active.enabled or action in seen:
            continue
        if read_only and changes(binding.action):
            continue
        seen.add(action)
        # The second line says what the action does, where its binding says so; never the
        # name again.
        yield SystemCommand(
            f"{binding.description} ({app.get_key_display(binding)})",
            binding.tooltip if binding.tooltip and binding.tooltip != binding.description else "",
            _runner(app, active.node, binding.action),
        )


def _runner(app: App[None], node: DOMNode, action: str) -> Callable[[], Awaitable[bool]]:
    return lambda: app.run_action(action, node)
