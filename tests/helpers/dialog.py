"""Reading the import dialog's message off the screen."""

from __future__ import annotations


def dialog_lines(screen: str) -> list[str]:
    """The text inside the dialog's frame, line by line, without the frame."""
    return [line[line.index("\u2502") + 1:line.rindex("\u2502")].strip()
            for line in screen.splitlines() if line.count("\u2502") >= 2]


def import_message_lines(screen: str) -> list[str]:
    """The lines of the import dialog's message: between the Title field and the Import button."""
    lines = dialog_lines(screen)
    start = next(i for i, line in enumerate(lines) if line.startswith("Title")) + 1
    end = next(i for i, line in enumerate(lines) if line == "Import")
    return lines[start:end]


def dialog_message(screen: str) -> str:
    """The import dialog's message as one line, its wrapped lines joined by a space."""
    return " ".join(import_message_lines(screen))
