"""The type of JSON data, where it enters cxmap (a parsed file, a stored document) or leaves it
(`to_dict`, `--json` output).

The containers are the read-only `Sequence` and `Mapping`, so that a `list[str]` or a
`dict[str, str]` is JSON as it stands; code that builds a document to change it uses `JSONDict`.
Data that comes in is read with isinstance checks, since a file can hold anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

JSON: TypeAlias = bool | int | float | str | Sequence["JSON"] | Mapping[str, "JSON"] | None
JSONDict: TypeAlias = dict[str, JSON]
