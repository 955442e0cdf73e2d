"""Hostile database files: however hostile, one line, and the file is left byte for byte."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.table import Document, Table

from cxmap_tui.store import Store, StoreError, UnreadableFile
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.cli import Cli
from tests.helpers.factories import make_map


# -- hostile database files -------------------------------------------------------------------------

_HEAD = '{"cxmap":{"format":1,"generation":"00","written_by":"cxmap 0.1.0"},'
HOSTILE = {
    "nested 200,000 deep": _HEAD + '"junk":{"a":{"x":' + "[" * 200_000 + "]" * 200_000 + "}}}",
    "nested 500 deep": _HEAD + '"junk":{"a":{"x":' + "[" * 500 + "]" * 500 + "}}}",
    "a 5,000-digit integer": _HEAD + '"junk":{"a":{"x":' + "9" * 5000 + "}}}",
    "a lone surrogate": _HEAD + '"maps":{"a":{"title":"\\ud800"}}}',
    "a lone surrogate in a name": _HEAD + '"maps":{"\\udfff":{"title":"T"}}}',
    "NaN": _HEAD + '"junk":{"a":{"x":NaN}}}',
    "Infinity": _HEAD + '"junk":{"a":{"x":-Infinity}}}',
    "a number too big for a float": _HEAD + '"junk":{"a":{"x":1e999}}}',
    "invalid UTF-8": (_HEAD + '"maps":{"a":{"title":"').encode() + b"\xc3\x28" + b'"}}}',
    "UTF-16": (_HEAD + '"maps":{}}').encode("utf-16"),
}


def _raw(kind: str) -> bytes:
    raw = HOSTILE[kind]
    return raw if isinstance(raw, bytes) else raw.encode("utf-8")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_database_file_is_one_line_and_left_byte_for_byte(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cx.json"
    raw = _raw(kind)
    db.write_bytes(raw)
    code, out, err = Cli(capsys, db)("list")
    assert code == 1 and out == "" and err.count("\n") == 1, err[-300:]
    assert str(db) in err and "left as it is" in err and "Traceback" not in err
    with pytest.raises(UnreadableFile):
        Store.open(db)
    assert db.read_bytes() == raw and os.listdir(tmp_path) == ["cx.json"]


@pytest.mark.parametrize("kind", ["nested 200,000 deep", "a lone surrogate", "NaN"])
def test_a_session_that_finds_a_hostile_file_refuses_to_write(kind: str, tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    store.add(make_map())
    raw = _raw(kind)
    db.write_bytes(raw)
    with pytest.raises(UnreadableFile):
        store.add(make_map("Another"))
    assert db.read_bytes() == raw


def test_a_10_mb_text_field_opens_about_as_fast_as_json_reads_it(tmp_path: Path) -> None:
    """Checking a file must cost about what parsing it does, not a pass per character in Python."""
    import json

    db = tmp_path / "cx.json"
    m = Store.open(db).add(make_map())
    doc = json.loads(db.read_text())
    doc["maps"][m.id]["touchpoints"][0]["notes"] = "x" * 10_000_000
    db.write_text(json.dumps(doc))
    raw = db.read_bytes()

    def best(fn: object) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return min(times)

    parse = best(lambda: json.loads(raw))
    opening = best(lambda: Store.open(db).get(m.id))
    assert opening < 10 * parse + 0.5


# -- latent bugs ------------------------------------------------------------------------------------


class _StrIdTable(Table):
    document_id_class = str  # type: ignore[assignment]


class _RawDatabase(TinyDB):
    """TinyDB on the store's own storage, keyed by string ids as the store's tables are."""

    table_class = _StrIdTable


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_table_named_cxmap_cannot_overwrite_the_header(where: str, tmp_path: Path) -> None:
    store = Store.in_memory() if where == "memory" else Store.open(tmp_path / "cx.json")
    m = store.add(make_map())
    raw = _RawDatabase(storage=lambda: store.storage)
    with pytest.raises(StoreError, match="reserved"):
        with store.storage.transaction():  # type: ignore[attr-defined]
            raw.table("cxmap").insert({"format": 99})
    assert store.get(m.id).title == "Support call"
    if where == "file":
        assert Store.open(tmp_path / "cx.json").get(m.id).title == "Support call"


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_write_outside_a_transaction_leaves_no_phantom_document(where: str, tmp_path: Path) -> None:
    store = Store.in_memory() if where == "memory" else Store.open(tmp_path / "cx.json")
    store.add(make_map("Saved"))
    raw = _RawDatabase(storage=lambda: store.storage)
    with pytest.raises(RuntimeError, match="only inside a transaction"):
        raw.table("maps").insert(Document({"title": "Phantom"}, doc_id="phantom"))
    assert [s.title for s in store.summaries()] == ["Saved"]
    store.add(make_map("Saved too"))  # nor is it saved with the next change
    assert [s.title for s in store.summaries()] == ["Saved", "Saved too"]
    if where == "file":
        assert isinstance(store.storage, JSONFileStorage)
        assert b"Phantom" not in (tmp_path / "cx.json").read_bytes()


@pytest.mark.parametrize("value", ["\ud800", float("nan"), float("inf")])
def test_data_the_file_could_not_hold_is_refused_not_written(value: object, tmp_path: Path) -> None:
    """cxmap never writes a file it would refuse to read back."""
    db = tmp_path / "cx.json"
    store = Store.open(db)
    store.add(make_map())
    before = db.read_bytes()
    raw = _RawDatabase(storage=lambda: store.storage)
    with pytest.raises(StoreError) as caught:
        with store.storage.transaction():  # type: ignore[attr-defined]
            raw.table("junk").insert(Document({"x": value}, doc_id="a"))
    assert "\n" not in str(caught.value) and "cannot save" in str(caught.value)
    assert db.read_bytes() == before
    assert [s.title for s in store.summaries()] == ["Support call"]
