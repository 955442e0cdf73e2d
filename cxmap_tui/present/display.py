"""Showing user text safely: characters a terminal would obey, or that hide or reorder text,
made visible; long text cut with an ellipsis.

Text is only ever put on screen as plain text (never as markup), after passing through
`visible`, so what a user typed can neither style the screen nor send escape codes to it.

Which characters never reach a screen as they are (`replace_unsafe` decides, for every place
that shows, prints or exports user text):
- controls (Unicode category Cc: C0, DEL and C1): a terminal obeys them. ESC starts escape
  sequences (OSC 0 sets the window title, OSC 52 writes the clipboard, CSI 2J clears the
  screen), U+009B is the one-byte CSI, BEL rings, backspace and CR write over what was shown;
- format characters (Cf): the bidi embeddings, overrides and isolates (U+202A-202E,
  U+2066-2069) and marks (U+200E, U+200F, U+061C) reorder the text around them; the zero-width
  space and joiners (U+200B-200D), the word joiner and invisible operators (U+2060-2064), the
  byte order mark U+FEFF, the soft hyphen U+00AD and the tags (U+E0001, U+E0020-E007F) are not
  drawn at all, so two names that look the same can differ, or a name can carry hidden text;
- surrogates (Cs) and private-use characters (Co): no meaning of their own, drawn as anything;
- the line and paragraph separators (Zl, Zp): line breaks a terminal does not know;
- the rest of Unicode's default-ignorable characters, which are drawn as nothing although
  their category says otherwise: the combining grapheme joiner U+034F, the Hangul fillers
  U+115F, U+1160, U+3164 and U+FFA0, the Khmer vowels U+17B4 and U+17B5, and the variation
  selectors (U+180B-180D, U+180F, U+FE00-FE0F, U+E0100-E01EF).
Two exceptions keep emoji whole: U+FE0E and U+FE0F (text or emoji presentation) right after a
drawn character, and U+200D (zero-width joiner) between two emoji, as in a family emoji.
Unassigned code points pass: a newer emoji than this Python knows must not become a code.

How they show: C0 controls and DEL as their Control Pictures (U+241B for ESC), or ^[ in ASCII;
everything else as its code, "<U+202E>", which is ASCII in both modes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x7F: "\u2421"}
_CARETS = {i: "^" + chr(0x40 + i) for i in range(0x20)} | {0x7F: "^?"}

_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_IGNORABLE = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0})
_PRESENTATION = "\ufe0e\ufe0f"
_ZWJ = "\u200d"
_SKIN_TONES = range(0x1F3FB, 0x1F400)
LINE_BREAKS = "\n\x85\u2028\u2029"
_CANDIDATES = re.compile("[^\x20-\x7e]")  # all but printable ASCII, which is always safe


def _ignorable(ch: str) -> bool:
    """Drawn as nothing, though Python calls it printable: the fillers and variation selectors."""
    o = ord(ch)
    return o in _IGNORABLE or 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _CATEGORIES or _ignorable(ch)


def _emoji(ch: str) -> bool:
    o = ord(ch)
    return (o >= 0x2000 and unicodedata.category(ch) == "So") or o in _SKIN_TONES


def _kept(text: str, i: int) -> bool:
    """Whether the hidden character at `i` is part of an emoji, and so drawn after all."""
    ch = text[i]
    before = text[i - 1] if i > 0 else ""
    if ch in _PRESENTATION:
        return before != "" and not _hidden(before) and not before.isspace()
    if ch == _ZWJ and 0 < i < len(text) - 1:
        if before in _PRESENTATION and i > 1:
            before = text[i - 2]
        return _emoji(before) and _emoji(text[i + 1])
    return False


def replace_unsafe(text: str, how: Callable[[str], str], *, keep: str = "", emoji: bool = True) -> str:
    """`text` with every character that must not reach a screen as it is (see the module
    docstring) replaced by `how(ch)`; the characters in `keep` pass, and so do emoji's joiners
    and presentation selectors unless `emoji` is false."""
    if text.isascii() and text.isprintable():
        return text

    def one(match: re.Match[str]) -> str:
        ch = match.group()
        if ch in keep or not _hidden(ch) or (emoji and _kept(text, match.start())):
            return ch
        return how(ch)

    return _CANDIDATES.sub(one, text)


def symbol(ch: str, *, ascii: bool = False) -> str:
    """How a character that must not reach a screen shows: U+241B for ESC (^[ in ASCII), and
    "<U+202E>" for anything past the C0 controls and DEL."""
    o = ord(ch)
    if o < 0x20 or o == 0x7F:
        return _CARETS[o] if ascii else _PICTURES[o]
    return f"<U+{o:04X}>"


def visible(text: str, *, ascii: bool = False, one_line: bool = True) -> str:
    """`text` with every unsafe character shown as a symbol (see `symbol`).

    In one-line mode a line break shows as a return symbol; otherwise line breaks stay (as
    "\\n"). A tab is a space. In ASCII mode anything else outside ASCII becomes its nearest
    ASCII letters, or '?'."""
    if text.isprintable() and (text.isascii() or (not ascii and not any(map(_ignorable, text)))):
        return text
    br = (" | " if ascii else " \u23ce ") if one_line else "\n"

    def show(ch: str) -> str:
        if ch in LINE_BREAKS:
            return br
        if ch == "\t":
            return " "
        return symbol(ch, ascii=ascii)

    shown = replace_unsafe(text, show)
    return _to_ascii(shown) if ascii else shown


def laid_out(text: str, *, ascii: bool = False) -> str:
    """Text that is laid out already (an export, say) made safe for a terminal: its line breaks
    ("\\n" or "\\r\\n") and tabs stay, every other unsafe character shows as a symbol. In ASCII
    mode anything else outside ASCII becomes its nearest ASCII letters, or '?': a terminal that
    is not UTF-8 could read a byte of a UTF-8 character as a C1 control."""
    parts = text.split("\r\n") if "\r" in text else [text]
    shown = "\r\n".join(replace_unsafe(part, lambda ch: symbol(ch, ascii=ascii), keep="\n\t") for part in parts)
    return _to_ascii(shown) if ascii else shown


def _to_ascii(text: str) -> str:
    return text if text.isascii() else "".join(c if c.isascii() else _ascii_fallback(c) for c in text)


def _ascii_fallback(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return decomposed or "?"


def is_terminal(stream: object) -> bool:
    """Whether `stream` (standard output, say) is a terminal, which obeys what it is sent."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except ValueError:  # a closed stream
        return False


def cell_width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def shorten(text: str, width: int, *, ascii: bool = False) -> str:
    """Cut `text` to at most `width` terminal cells, ending with an ellipsis if it was cut."""
    from rich.cells import cell_len, set_cell_size

    if width <= 0:
        return ""
    plain = text.isascii() and text.isprintable()  # one cell a character: no need to measure each
    if (len(text) if plain else cell_len(text)) <= width:
        return text
    mark = "..." if ascii else "\u2026"
    if plain and width - len(mark) >= 2:
        return text[:width - len(mark)].rstrip() + mark
    keep = width - len(mark)
    if keep < 2:  # no room for an ellipsis worth having: the first letters say more
        return set_cell_size(text, width)
    return set_cell_size(text, keep).rstrip() + mark


def shorten_words(text: str, width: int, *, ascii: bool = False) -> str:
    """Like `shorten`, but cut at the end of a word (after a space or a hyphen) when one fits,
    so "Problem recognition" in 12 cells is "Problem..." rather than "Problem r...". A first word
    too long for `width` is cut where it has to be."""
    from rich.cells import cell_len

    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    mark = "..." if ascii else "\u2026"
    kept = ""
    for word in re.findall(r"[^\s-]*-+|[^\s-]+", text):  # "Follow-up" is "Follow-", "up"
        joined = word if not kept else kept + ("" if kept.endswith("-") else " ") + word
        if cell_len(joined.rstrip(" -,.;:")) + len(mark) > width:
            break
        kept = joined
    kept = kept.rstrip(" -,.;:")
    return kept + mark if kept else shorten(text, width, ascii=ascii)


def pack(items: Iterable[T], width: int, *, size: Callable[[T], int], gap: int) -> list[list[T]]:
    """Items in lines of at most `width` cells, `gap` cells between two on a line: an item that
    does not fit after another starts the next line, so none is split (one that is wider than
    `width` has a line of its own). A width of 0 (not laid out yet) puts them all on one line."""
    lines: list[list[T]] = []
    used = 0
    for item in items:
        cells = size(item)
        if lines and (not width or used + gap + cells <= width):
            lines[-1].append(item)
            used += gap + cells
        else:
            lines.append([item])
            used = cells
    return lines
