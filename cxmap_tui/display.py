"""Showing user text safely: control characters made visible, long text cut with an ellipsis.

Text is only ever put on screen as plain text (never as markup), after passing through
`visible`, so what a user typed can neither style the screen nor send escape codes to it."""

from __future__ import annotations

import unicodedata

_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x7F: "\u2421"}
_CARETS = {i: "^" + chr(0x40 + i) for i in range(0x20)} | {0x7F: "^?"}


def _is_control(ch: str) -> bool:
    o = ord(ch)
    return o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0


def visible(text: str, *, ascii: bool = False, one_line: bool = True) -> str:
    """`text` with control characters shown as symbols (U+2400 pictures, or ^X in ASCII).

    In one-line mode a line break shows as a return symbol; otherwise line breaks stay.
    In ASCII mode anything else outside ASCII becomes '?'."""
    if text.isprintable() and (not ascii or text.isascii()):
        return text
    out = []
    for ch in text:
        o = ord(ch)
        if ch == "\n" and not one_line:
            out.append(ch)
        elif ch == "\n":
            out.append(" | " if ascii else " \u23ce ")
        elif ch == "\t":
            out.append(" ")
        elif _is_control(ch):
            if o >= 0x80:
                out.append(f"<{o:02X}>")
            else:
                out.append(_CARETS[o] if ascii else _PICTURES[o])
        elif ascii and o > 0x7F:
            out.append(_ascii_fallback(ch))
        elif unicodedata.category(ch) in ("Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _ascii_fallback(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return decomposed or "?"


def cell_width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def shorten(text: str, width: int, *, ascii: bool = False) -> str:
    """Cut `text` to at most `width` terminal cells, ending with an ellipsis if it was cut."""
    from rich.cells import cell_len, set_cell_size

    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    mark = "..." if ascii else "\u2026"
    keep = width - len(mark)
    if keep < 2:  # no room for an ellipsis worth having: the first letters say more
        return set_cell_size(text, width)
    return set_cell_size(text, keep).rstrip() + mark
