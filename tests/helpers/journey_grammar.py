"""A line-by-line checker for Mermaid `journey` diagrams, after Mermaid's own grammar.

Mermaid reads a journey with a Jison lexer (journey.jison in Mermaid's repository) whose rules are
tried in order, first match wins, ignoring case:

    %%(?!{)[^\\n]*  and  [^}]%%[^\\n]*      comments
    journey\\b                             the header
    title\\s[^#\\n;]+                       the title (it may hold ":")
    accTitle\\s*:  accDescr\\s*:  accDescr\\s*{...}   accessibility title and description
    section\\s[^#:\\n;]+                    a section
    [^#:\\n;]+  then  :[^#\\n;]+             a task: its name, then ": score: actor, actor"
    #[^\\n]*                               a comment: the rest of the line is dropped

so a task line whose name starts like a keyword is read as that keyword (or fails), and "#", ";"
or an extra ":" cut text silently or break the parse. This checker classifies each line the way
that lexer would and rejects what the grammar rejects, plus what it accepts but silently mangles
(a "#" or ";" cutting a line short, text after the actors, a score that is not 1-5), and returns
what Mermaid would draw, so tests can compare it with the map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class JourneyError(ValueError):
    def __init__(self, number: int, line: str, why: str) -> None:
        super().__init__(f"line {number} {line!r}: {why}")


@dataclass
class Task:
    section: str
    name: str
    score: int
    actors: list[str]


@dataclass
class Journey:
    title: str = ""
    acc_title: str = ""
    acc_descr: str = ""
    sections: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


_WS = " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JOURNEY = re.compile(r"journey(?![A-Za-z0-9_])", re.IGNORECASE)
_TITLE = re.compile(rf"title[{_WS}]([^#\n;]+)", re.IGNORECASE)
_ACC_TITLE = re.compile(rf"accTitle[{_WS}]*:[{_WS}]*(.*)", re.IGNORECASE)
_ACC_DESCR = re.compile(rf"accDescr[{_WS}]*:[{_WS}]*(.*)", re.IGNORECASE)
_ACC_DESCR_BLOCK = re.compile(rf"accDescr[{_WS}]*\{{[{_WS}]*(.*)", re.IGNORECASE)
_SECTION = re.compile(rf"section[{_WS}]([^#:\n;]+)", re.IGNORECASE)
_TASK = re.compile(r"([^#:\n;]+)(:[^#\n;]+)")


def _is_comment(rest: str) -> bool:
    return (rest.startswith("%%") and not rest.startswith("%%{")) or (
        len(rest) >= 3 and rest[0] != "}" and rest[1:3] == "%%"
    )


def check(text: str) -> Journey:
    """What Mermaid draws from `text`; JourneyError at the first line it would reject or mangle."""
    if "\r" in text:
        raise JourneyError(0, "", "carriage return in the diagram")
    if "%%{" in text:
        raise JourneyError(0, "", "'%%{' starts a Mermaid directive anywhere in the text")
    journey = Journey()
    header = False
    section = ""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i]
        i += 1
        rest = line.lstrip(_WS)
        if not rest or _is_comment(rest):
            continue
        if not header:
            if not (_JOURNEY.match(rest) and rest[7:].strip(_WS) == ""):
                raise JourneyError(number, line, "the diagram must start with 'journey' alone on its line")
            header = True
            continue
        if _JOURNEY.match(rest):
            raise JourneyError(number, line, "the lexer reads 'journey' here, which the grammar does not allow")
        if m := _TITLE.match(rest):
            if m.end() != len(rest):
                raise JourneyError(number, line, "'#' or ';' cuts the title short (or breaks the parse)")
            journey.title = m.group(1).strip(_WS)
            continue
        if m := _ACC_TITLE.match(rest):
            journey.acc_title = m.group(1).strip(_WS)
            continue
        if m := _ACC_DESCR.match(rest):
            journey.acc_descr = m.group(1).strip(_WS)
            continue
        if m := _ACC_DESCR_BLOCK.match(rest):
            body = [m.group(1)]
            while "}" not in body[-1]:
                if i >= len(lines):
                    raise JourneyError(number, line, "accDescr { is never closed")
                body.append(lines[i])
                i += 1
            last, _, after = body[-1].partition("}")
            if after.strip(_WS):
                raise JourneyError(i, lines[i - 1], "text after the '}' of accDescr")
            # Mermaid trims it and drops the indentation of its lines.
            journey.acc_descr = re.sub(r"\n\s+", "\n", "\n".join([*body[:-1], last]).strip(_WS + "\n"))
            continue
        if m := _SECTION.match(rest):
            if m.end() != len(rest):
                raise JourneyError(number, line, "a section name cannot hold ':', '#' or ';'")
            section = m.group(1)
            journey.sections.append(section)
            continue
        m = _TASK.match(rest)
        if m is None or m.end() != len(rest):
            raise JourneyError(number, line, "not a journey statement (task lines are 'name: score: actors')")
        name, data = m.group(1), m.group(2)
        pieces = data[1:].split(":")
        if len(pieces) > 2:
            raise JourneyError(number, line, "a third ':' in a task: Mermaid drops what follows it")
        score = pieces[0].strip(_WS)
        if not re.fullmatch(r"[1-5]", score):
            raise JourneyError(number, line, f"score {score!r} is not a whole number from 1 to 5")
        actors = [a.strip(_WS) for a in pieces[1].split(",")] if len(pieces) == 2 else []
        if any(not a for a in actors):
            raise JourneyError(number, line, "an empty actor")
        journey.tasks.append(Task(section, name, int(score), actors))
    if not header:
        raise JourneyError(0, "", "no 'journey' header")
    return journey
