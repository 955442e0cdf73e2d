"""Escape and the next key arriving together.

Over a slow link, Escape followed quickly by another key reaches the terminal as one Alt-key
(ESC d arrives as alt+d), and a text field would type the d and lose the Escape. cxmap binds no
Alt-keys, so every Alt-key is split back into what the user typed: Escape, then the key."""

from __future__ import annotations

from textual import events


def split_merged(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """The keys an Alt-key stands for, or None for any other key."""
    if not event.key.startswith("alt+"):
        return None
    return events.Key("escape", "\x1b"), events.Key(event.key[len("alt+"):], event.character)
