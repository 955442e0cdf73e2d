"""User text prepared for documents people read (Markdown, HTML, Mermaid).

The stored text is never changed; these helpers only decide how it is shown. Line breaks of
every kind become one "\\n", and every other character a terminal would obey or that hides or
reorders text (an ESC byte from a pasted terminal line, a right-to-left override, a zero-width
space: see cxmap_tui.present.display) becomes a visible symbol, so an exported file cannot send escape
codes to a terminal that prints it, reads the same to everyone, and stays valid in formats that
forbid control characters (XML, HTML).
"""

from __future__ import annotations

import re

from ..present.display import replace_unsafe, symbol

# \r\n first so it counts as one break; U+0085, U+2028 and U+2029 are Unicode's line breaks.
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def shown(text: str) -> str:
    """`text` with line breaks as "\\n" and unsafe characters (tab excepted) as symbols."""
    return replace_unsafe(_BREAKS.sub("\n", text), symbol, keep="\n\t")


def one_line(text: str) -> str:
    """`shown(text)` on a single line: every run of white space (breaks too) is one space."""
    return " ".join(shown(text).split())
