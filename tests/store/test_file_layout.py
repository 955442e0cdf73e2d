"""The database file laid out one document to a line, read without parsing what nobody looks at.

Opening a workspace of thousands of maps scans the file's lines; a document is parsed (and
checked, as the whole file used to be) when it is first looked at, and one never looked at is
written back byte for byte. A file laid out otherwise (an older cxmap, an editor) is parsed whole,
and a damaged document is one line naming it, when it is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxmap_tui.domain.errors import ValidationError
from cxmap_tui.store import Store
from cxmap_tui.store.compaction import decode_snapshot
from cxmap_tui.store.errors import StoreError, UnreadableFile
from cxmap_tui.store.file_format import Table, decode, encode
from cxmap_tui.store.storage import JSONFileStorage
from tests.helpers.factories import compacting, make_map, stored


def _unparsed(table: object) -> set[str]:
    assert isinstance(table, Table)
    return {doc_id for doc_id, raw in table.encoded() if raw is not None}


def test_each_document_is_a_line_and_the_file_is_json_all_the_same() -> None:
    tables = {"maps": {"a": {"title": "A\nline two", "n": [1, {"x": None}]}, "b": {"title": "B"}},
              "empty": {}, "notes": {"z": {"text": "\u202eevil\x1b[31m"}}}
    raw = encode(tables, "g1")
    lines = raw.split(b"\n")
    assert lines[0].startswith(b'{"cxmap":{"format":3,"generation":"g1","layout":"lines"')
    assert lines[1:] == [b',"maps":{', b'"a":{"title":"A\\nline two","n":[1,{"x":null}]}', b',"b":{"title":"B"}',
                         b'}', b',"empty":{', b'}', b',"notes":{', '"z":{"text":"\u202eevil\\u001b[31m"}'.encode(),
                         b'}', b'}']
    whole = json.loads(raw)
    assert {k: v for k, v in whole.items() if k != "cxmap"} == tables
    read, generation = decode(raw, "cx.json")
    assert generation == "g1" and read == tables


def test_opening_parses_no_document_and_one_looked_at_is_parsed_alone() -> None:
    raw = encode({"maps": {"a": {"title": "A"}, "b": {"title": "B"}, "c": {"title": "C"}}}, "g")
    tables, _ = decode(raw, "cx.json")
    maps = tables["maps"]
    assert _unparsed(maps) == {"a", "b", "c"} and list(maps) == ["a", "b", "c"] and "b" in maps
    assert maps["b"] == {"title": "B"}
    assert _unparsed(maps) == {"a", "c"}
    assert dict(maps.items()) == {"a": {"title": "A"}, "b": {"title": "B"}, "c": {"title": "C"}}
    assert _unparsed(maps) == set()


def test_a_document_never_looked_at_is_written_back_as_it_was_read() -> None:
    # Written by hand with spaces inside the documents: kept so, byte for byte, until parsed.
    raw = (b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n'
           b'"a":{ "title" : "A" }\n,"b":{ "title" : "B" }\n}\n}')
    tables, _ = decode(raw, "cx.json")
    changed = Table.of(tables["maps"]).changed({"c": {"title": "C"}}, ["b"])
    again = encode({"maps": changed}, "g2")
    assert b'\n"a":{ "title" : "A" }\n' in again and b'"b"' not in again and b'\n,"c":{"title":"C"}\n' in again
    assert dict(tables["maps"]) == {"a": {"title": "A"}, "b": {"title": "B"}}  # the table read is unchanged


@pytest.mark.parametrize("raw", [
    b'{"cxmap":{"format":3,"generation":"g"},"maps":{"a":{"title":"A"}}}',  # an older cxmap, all on one line
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"},\n"maps":{"a":{"title":"A"}}}',  # edited
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"a":{"title":"A"}\n}\n}\n\n',
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"a":\n{"title":"A"}\n}\n}',
], ids=["one line", "another layout", "blank lines after", "a document over two lines"])
def test_a_file_laid_out_otherwise_reads_the_same(raw: bytes) -> None:
    tables, generation = decode(raw, "cx.json")
    assert generation == "g" and tables == {"maps": {"a": {"title": "A"}}}


@pytest.mark.parametrize("raw", [
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"a":{"title":"A"}\n}',  # cut
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"a":{"title":"A"}\n}\n}\nextra',
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"\\ud800":{"title":"A"}\n}\n}',
    b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"a\x01":{"title":"A"}\n}\n}',
], ids=["cut short", "bytes after", "a lone surrogate id", "a control character in an id"])
def test_a_file_whose_lines_do_not_hold_is_judged_whole_in_one_line(raw: bytes) -> None:
    with pytest.raises(UnreadableFile) as caught:
        decode(raw, "cx.json")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("cannot open cx.json: ")


def test_a_table_twice_reads_as_any_json_reader_reads_it() -> None:
    raw = b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n"a":{"title":"A"}\n}\n,"maps":{\n}\n}'
    assert decode(raw, "cx.json")[0] == {"maps": {}}  # the last one counts


def _damage(db: Path, map_id: str, doc: bytes) -> None:
    lines = db.read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.lstrip(b",").startswith(f'"{map_id}":'.encode()))
    lines[at] = lines[at][:lines[at].index(b":") + 1] + doc
    db.write_bytes(b"\n".join(lines))


@pytest.mark.parametrize("doc", [b'{"title":NaN}', b'{"title":[1}', b"{" * 100 + b"}" * 100,
                                 b'{"title":"\\udc00"}', b'{"n":' + b"9" * 5000 + b"}"],
                         ids=["NaN", "not JSON", "too deep", "lone surrogate", "too many digits"])
def test_a_damaged_document_is_one_line_naming_it_when_read(doc: bytes, tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = compacting(db)
    good, bad = store.add(make_map("Good")), store.add(make_map("Bad one"))
    _damage(db, bad.id, doc)
    again = Store.open(db)  # opening reads no map
    assert [s.title for s in again.summaries()] == ["Bad one", "Good"]  # the list reads the summaries
    assert again.get(good.id).title == "Good"
    with pytest.raises(StoreError) as caught:
        again.get(bad.id)
    message = str(caught.value)
    assert "\n" not in message and bad.id in message and "is damaged" in message
    with pytest.raises(StoreError, match=bad.id):
        again.maps()  # every map read at once names it too


@pytest.mark.parametrize("doc", [b'{"title":"A"', b"[1,2]"], ids=["cut", "not an object"])
def test_a_line_that_is_no_document_makes_the_file_judged_whole_at_opening(doc: bytes, tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = compacting(db)
    store.add(make_map("Good"))
    _damage(db, store.add(make_map("Bad one")).id, doc)
    with pytest.raises(UnreadableFile) as caught:
        Store.open(db)
    assert "\n" not in str(caught.value) and "It was left as it is" in str(caught.value)


def test_a_store_lists_and_opens_one_map_without_parsing_the_others(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = compacting(db)
    made = [store.add(make_map(f"Map {n}")) for n in range(5)]
    again = Store.open(db)
    assert [s.title for s in again.summaries()] == [f"Map {n}" for n in range(5)]
    assert again.find("Map 3").id == made[3].id
    tables = again.storage.read()
    assert tables is not None
    assert _unparsed(tables["maps"]) == {m.id for m in made} - {made[3].id}


def test_the_summaries_change_with_the_maps(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = store.add(make_map("First", touchpoints=3))
    other = store.add(make_map("Other"))
    store.change(m.id, lambda x: x.edit(title="Renamed"))
    store.delete(other.id)
    [summary] = Store.open(db).summaries()
    assert (summary.title, summary.touchpoints, summary.revision) == ("Renamed", 3, 2)
    assert set(stored(db)["map_summaries"]) == {m.id}


def test_a_map_without_a_summary_is_listed_from_the_map_and_given_one_by_the_next_change(tmp_path: Path) -> None:
    """A format-2 file (from before the summaries) lists as before; its first change makes them."""
    db = tmp_path / "cx.json"
    store = Store.open(db)
    a, b = store.add(make_map("Alpha", touchpoints=2)), store.add(make_map("Beta", touchpoints=4))
    tables = {name: dict(docs) for name, docs in stored(db).items() if name != "map_summaries"}
    raw = json.dumps({"cxmap": {"format": 2, "generation": "0123456789abcdef"}, **tables}).encode()
    for companion in db.parent.glob("cx.json.*"):
        if not companion.name.endswith(".lock"):
            companion.unlink()
    db.write_bytes(raw)
    old = Store.open(db)
    assert [(s.title, s.touchpoints) for s in old.summaries()] == [("Alpha", 2), ("Beta", 4)]
    old.change(a.id, lambda x: x.edit(scope="changed"))
    assert set(stored(db)["map_summaries"]) == {a.id, b.id}
    assert decode_snapshot(db.read_bytes(), "cx.json").format == 3
    assert [(s.title, s.touchpoints) for s in Store.open(db).summaries()] == [("Alpha", 2), ("Beta", 4)]


def test_a_summary_damaged_by_hand_is_made_again_from_its_map(tmp_path: Path) -> None:
    db = tmp_path / "cx.json"
    store = compacting(db)
    m = store.add(make_map("Alpha", touchpoints=2))
    raw = db.read_bytes()
    start = raw.index(b'"map_summaries"')
    damaged = raw[:start] + raw[start:].replace(b'"touchpoints":2', b'"touchpoints":"two"', 1)
    db.write_bytes(damaged)
    assert [(s.title, s.touchpoints) for s in Store.open(db).summaries()] == [("Alpha", 2)]
    assert m.id in stored(db)["maps"]


def test_lines_that_are_documents_only_together_are_never_read_under_each_others_ids() -> None:
    """Each line's bytes must be one document: a bracket opened on one line and closed on the
    next would, parsed together, shift every document after it to the wrong id."""
    raw = (b'{"cxmap":{"format":3,"generation":"g","layout":"lines"}\n,"maps":{\n'
           b'"A":{"x":[{}\n,"B":{}]}\n,"C":{},{}\n}\n}')
    tables, _ = decode(raw, "cx.json")
    with pytest.raises(UnreadableFile, match="document 'A' is damaged"):
        dict(tables["maps"].items())
    with pytest.raises(UnreadableFile, match="document 'A' is damaged"):
        tables["maps"]["A"]


def test_a_document_nested_deeper_than_a_file_may_hold_is_refused_before_writing() -> None:
    deep: dict[str, object] = {"n": 1}
    for _ in range(70):
        deep = {"n": deep}
    with pytest.raises(StoreError, match="nested too deeply"):
        encode({"maps": {"x": deep}}, "g")  # type: ignore[dict-item]


def test_a_changed_table_holds_only_its_changes_and_reads_as_the_whole() -> None:
    base = Table({f"d{n}": {"n": n} for n in range(10)})
    expected = {f"d{n}": {"n": n} for n in range(10)}
    table = base
    for step in range(Table.MAX_LAYERS * 2 + 3):  # past two layouts in whole
        put = {f"d{step % 12}": {"n": step}, f"new{step}": {"n": -step}}
        gone = [f"new{step - 1}", f"d{(step + 5) % 12}", "never there"]
        gone = [g for g in gone if g not in put]
        table = table.changed(put, gone)
        for doc_id in gone:
            expected.pop(doc_id, None)
        expected.update(put)
        assert len(table) == len(expected) and "never there" not in table, step
        assert not any(doc_id in table for doc_id in gone) and table.get(gone[0]) is None, step
        assert all(table[k] == v for k, v in expected.items()) and set(table) == set(expected), step
        if step % 7 == 0:
            assert dict(table.items()) == expected  # laid out whole for that, and still the same
    assert dict(base) == {f"d{n}": {"n": n} for n in range(10)}  # the table it was made from is unchanged
    with pytest.raises(KeyError):
        table["never there"]


def test_adding_or_renaming_a_map_checks_titles_without_parsing_the_maps(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from cxmap_tui.store import table

    db = tmp_path / "cx.json"
    store = compacting(db)
    for n in range(4):
        store.add(make_map(f"Map {n}"))
    again = Store(JSONFileStorage(db))
    parsed: list[bytes] = []
    real = table.parse_checked

    def seen(raw: bytes, *args: object, **kw: object) -> object:
        parsed.append(raw)
        return real(raw, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(table, "parse_checked", seen)
    added = again.add(make_map("Map 9"))
    again.change(added.id, lambda x: x.edit(title="Map 10"))
    with pytest.raises(ValidationError, match="already a map called 'map 2'"):
        again.change(added.id, lambda x: x.edit(title="map 2"))
    assert parsed and not any(b'"touchpoints":[' in raw for raw in parsed)  # summaries only, no map


def _nested(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"[1]" + b"}" * (depth - 1)


@pytest.mark.parametrize(("doc", "fine"), [
    (_nested(62), True),  # as deep as a table's document may be
    (_nested(63), False),  # one deeper
    (b'{"a":[' + b",".join([b"[1]"] * 100) + b"]}", True),  # 102 brackets, 3 deep: walked, and taken
    (b'{"t":"' + b"[" * 100 + b'"}', True),  # brackets in a text
], ids=["62 deep", "63 deep", "many brackets", "brackets in a text"])
def test_documents_read_together_are_refused_when_nested_too_deeply_whatever_their_brackets(doc: bytes,
                                                                                            fine: bool) -> None:
    many = {f"d{n}": memoryview(b'{"rows":[[1,2],[3,4]]}') for n in range(50)}
    table = Table({**many, "odd": memoryview(doc)}, "cx.json")
    if fine:
        assert len(dict(table.items())) == 51
        assert table["d0"] == {"rows": [[1, 2], [3, 4]]}
    else:
        with pytest.raises(UnreadableFile, match="odd"):
            dict(table.items())
