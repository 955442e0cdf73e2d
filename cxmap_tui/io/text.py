"""User text prepared for documents people read (Markdown, HTML, Mermaid).

The stored text is never changed; these helpers only decide how it is shown. Line breaks of
every kind become one "\\n", and other control characters (an ESC byte from a pasted terminal
line, say) become visible symbols, so an exported file cannot send escape codes to a terminal
that prints it and stays valid in formats that forbid them (XML, HTML).
"""

from __future__ import annotations

import re

# \r\n first so it counts as one break; U+0085, U+2028 and U+2029 are Unicode's line breaks.
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _picture(ch: str) -> str:
    o = ord(ch)
    if o < 0x20:
        return chr(0x2400 + o)  # the Control Pictures block: ESC shows as U+241B
    if o == 0x7F:
        return "\u2421"
    return "\ufffd"  # C1 controls have no pictures


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """`text` with line breaks as "\\n" and control characters (tab excepted) as symbols."""
    text = _BREAKS.sub("\n", text)
    return _CONTROLS.sub(lambda m: _picture(m.group()), text)


def one_line(text: str) -> str:
    """`shown(text)` on a single line: every run of white space (breaks too) is one space."""
    # \ufeff counts as white space in JavaScript (Mermaid's lexer) but not in Python.
    return " ".join(shown(text).replace("\ufeff", " ").split())
