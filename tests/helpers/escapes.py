"""Terminal escape sequences and invisible characters planted in every kind of user text, and a
check, written apart from the code under test, for what must never reach a terminal raw."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cxmap_tui.domain.customers import Account, Contact
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.store import Store

PAYLOADS = {  # the short ones first, so that a table cutting a long name still shows them
    "rlo": "\u202e",  # right-to-left override
    "zwsp": "\u200b",  # zero-width space
    "lri": "\u2066",  # left-to-right isolate
    "c1-csi": "\x9b2J",  # the one-character CSI: clears the screen
    "esc": "\x1b",  # a lone ESC
    "bel": "\x07",
    "bs": "\x08",
    "cr": "\r",
    "csi-2j": "\x1b[2J",  # clears the screen
    "osc-title": "\x1b]0;PWNED-TITLE\x07",  # sets the window title
    "osc-52": "\x1b]52;c;cHduZWQ=\x07",  # writes the clipboard
}


def hostile(label: str) -> str:
    """`label` with every payload in it, each after a letter so that the text around shows."""
    return label + " " + "".join(f"{chr(ord('a') + i)}{p}" for i, p in enumerate(PAYLOADS.values())) + "z"


TODAY = date(2026, 3, 2)

# The independent check: controls (C0, DEL, C1), format characters (bidi controls, zero-width
# characters, the BOM, soft hyphen, tags), surrogates, private use, line and paragraph separators.
RAW_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
# Drawn as nothing, though not in those categories (Unicode's other default-ignorables).
IGNORABLE = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0,
             *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
NAMED = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C,
         0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x00AD}
_IGNORABLE = set(IGNORABLE)
# What a program may write of its own on a terminal: Rich's styles (SGR) and nothing else.
SGR = re.compile("\x1b\\[[0-9;]*m")


def raw_characters(text: str, *, layout: str = "\n\t") -> list[str]:
    """Every character in `text` that must not reach a terminal raw, as "U+XXXX at N"."""
    return [f"U+{ord(c):04X} at {i}" for i, c in enumerate(text)
            if c not in layout and (unicodedata.category(c) in RAW_CATEGORIES or ord(c) in NAMED
                                    or ord(c) in _IGNORABLE)]


def terminal_offences(data: bytes, *, ascii: bool = False) -> list[str]:
    """What in the bytes a program wrote to a terminal is not its own layout: anything raw
    after its colour codes and its line ends ("\\n", "\\r\\n") are set aside; in ASCII mode any
    byte outside ASCII too."""
    text = data.decode("utf-8")
    found = raw_characters(SGR.sub("", text).replace("\r\n", "\n"))
    if ascii and not data.isascii():
        found.append("a byte outside ASCII")
    return found


@dataclass
class Planted:
    db: Path
    map_id: str
    ideal_id: str
    touchpoint_ids: list[str]
    ideal_touchpoint_ids: list[str]
    account_id: str
    contact_ids: list[str]
    segment: str


def plant(db: Path) -> Planted:
    """A database with the payloads in every kind of text: map title, persona, scope, stage,
    touchpoint name, action, channel, owner, notes and thoughts, improvement title, description
    and owner, the ideal map, account, contact and segment names, interaction notes."""
    store = Store.open(db)
    stage = hostile("Stage")
    current = ExperienceMap.new(hostile("Map"), experience="service", persona=hostile("Persona"),
                                scope=hostile("Scope"), stages=[stage, "Use"])
    for i, feeling in enumerate((-2, 1, None)):
        current.add_touchpoint(hostile(f"Touchpoint {i + 1}"), stage=stage if i < 2 else "Use",
                               action=hostile(f"Action {i + 1}"), channel=hostile("Channel"),
                               owner=hostile("Owner"), notes=hostile("Notes"), feeling=feeling,
                               thoughts=hostile(f"Thought {i + 1}"))
    current.add_improvement(hostile("Improvement"), description=hostile("Description"),
                            touchpoints=[current.touchpoints[0].id], owner=hostile("Owner"), effort=2)
    ideal = ExperienceMap.new(hostile("Ideal"), experience="service", kind="ideal", stages=[stage, "Use"])
    for i in range(2):
        ideal.add_touchpoint(hostile(f"Touchpoint {i + 1}") if i == 0 else hostile("Ideal moment"),
                             stage=stage, feeling=2, due_day=i * 3)
    ideal.add_touchpoint(hostile("Only ideal"), stage="Use", feeling=1, due_day=10)
    store.add(current)
    store.add(ideal)
    store.link_ideal(current.id, ideal.id)
    segment = hostile("Segment")
    account = store.customers.add_account(Account.new(hostile("Account"), date(2026, 1, 5), segment))
    a = store.customers.add_contact(Contact.new(hostile("Contact A"), date(2026, 1, 5), account=account.id))
    b = store.customers.add_contact(Contact.new(hostile("Contact B"), date(2026, 1, 5), segment=segment))
    c = store.customers.add_contact(Contact.new(hostile("Contact C"), date(2026, 1, 5)))
    tps = [tp.id for tp in current.touchpoints]
    store.customers.record(a.id, current.id, tps[0], date(2026, 2, 1), -2, hostile("Note A"))
    store.customers.record(b.id, current.id, tps[1], date(2026, 2, 2), 2, hostile("Note B"))
    store.customers.record(c.id, current.id, tps[1], date(2026, 2, 3), 2, hostile("Note C"))
    store.customers.record(a.id, ideal.id, ideal.touchpoints[0].id, date(2026, 1, 6), 1, hostile("Note D"))
    return Planted(db, current.id, ideal.id, tps, [tp.id for tp in ideal.touchpoints], account.id,
                   [a.id, b.id, c.id], segment)
