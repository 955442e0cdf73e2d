"""Files to import that are hostile or broken: each gives one line and changes nothing, through
the command line and through the app's import dialog; and a bounded fuzz over any bytes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmap_tui.domain.customers import Account, Contact
from cxmap_tui.domain.errors import CxmapError
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.io.csv_import import COLUMNS, IGNORED, add_touchpoints, read_touchpoints
from cxmap_tui.io.customers_csv import COLUMNS as CUSTOMER_COLUMNS
from cxmap_tui.io.customers_csv import accounts_from_csv, contacts_from_csv, interactions_from_csv
from cxmap_tui.io.json_format import map_from_json, map_to_json
from cxmap_tui.io.reading import CSV_HINT, map_from_file, read_text
from cxmap_tui.store import Store
from cxmap_tui.tui.widgets.safe_input import SafeInput
from tests.helpers.cli import Cli
from tests.helpers.dialog import dialog_message, import_message_lines
from tests.helpers.factories import file_bytes
from tests.helpers.fixed_map import fixed_map
from tests.helpers.tui import make_app, on_top, screen_text, settle, step_shown, type_text

ROOT = Path(__file__).resolve().parents[2]
DEEP = 200_000
LONG = 10_000_000  # characters in one field: 10 MB
MAX_TEXT = 100_000  # the limits README.md and docs/json-format.md give
MAX_FILE_BYTES = 20_000_000


def _export(map_part: str) -> bytes:
    return ('{"format": "cxmap-map", "version": 1, "map": ' + map_part + "}").encode()


def _touchpoint(extra: str) -> bytes:
    return _export('{"title": "T", "touchpoints": [{"id": "a1", "name": "A", ' + extra + "}]}")


# name -> what the file holds (bytes; "folder", "pipe" or "huge" for what is made otherwise), and
# what its one line says.
JSON_FILES: dict[str, tuple[bytes | str, str]] = {
    "deep.json": (_export("[" * DEEP + "]" * DEEP), "nested too deeply"),
    "digits.json": (_touchpoint('"feeling": ' + "9" * 4301), "a number of 4,301 digits"),
    "version-digits.json": (b'{"format": "cxmap-map", "version": ' + b"1" * 5000 + b', "map": {}}',
                            "a number of 5,000 digits"),
    "surrogate-text.json": (_touchpoint('"notes": "half \\ud800 of a pair"'),
                            "touchpoint 1, notes: '\\ud800' is half of a surrogate pair, not a character"),
    "surrogate-title.json": (_export('{"title": "\\udfff"}'), "map title: '\\udfff' is half of a surrogate pair"),
    "surrogate-id.json": (_export('{"title": "T", "id": "\\ud83d"}'), "map id: '\\ud83d' is half of a surrogate pair"),
    "surrogate-link.json": (_export('{"title": "T", "improvements": [{"title": "I", "id": "b1", '
                                    '"touchpoints": ["\\udc00"]}]}'),
                            "improvement 1, touchpoint 1: '\\udc00' is half"),
    "nan.json": (_touchpoint('"feeling": NaN'), "NaN is not a number JSON allows"),
    "infinity.json": (_touchpoint('"due_day": -Infinity'), "-Infinity is not a number JSON allows"),
    "big-float.json": (_touchpoint('"feeling": 1e999'), "the number 1e999 is too large"),
    "latin1.json": (_export('{"title": "Caf\xe9"}').replace("\xe9".encode(), b"\xe9"), "not UTF-8 text"),
    "binary.json": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not UTF-8 text"),
    "utf16.json": ('{"format": "cxmap-map"}'.encode("utf-16-le"), "not UTF-8 text: it holds NUL bytes"),
    "empty.json": (b"", "the file is empty"),
    "folder.json": ("folder", "a folder, not a file"),
    "pipe.json": ("pipe", "not a regular file"),
    "long-field.json": (_touchpoint('"notes": "' + "x" * LONG + '"'),
                        f"touchpoint 1, notes: {LONG:,} characters; a text field holds at most {MAX_TEXT:,}"),
    "huge.json": ("huge", f"a file to import holds at most {MAX_FILE_BYTES:,} bytes"),
}

CSV_FILES: dict[str, tuple[bytes | str, str]] = {
    "latin1.csv": ("name,notes\nCaf\xe9,x\n".encode("latin-1"), "not UTF-8 text (in a spreadsheet, save it as"),
    "binary.csv": (b"PK\x03\x04" + bytes(range(256)) * 4, "not UTF-8 text"),
    "utf16.csv": ("name\nA\n".encode("utf-16-le"), "not UTF-8 text: it holds NUL bytes"),
    "empty.csv": (b"", "the file is empty"),
    "folder.csv": ("folder", "a folder, not a file"),
    "pipe.csv": ("pipe", "not a regular file"),
    "long-field.csv": (b"name,notes\nA,x\nB," + b"y" * LONG + b"\n",
                       f"row 3, notes: {LONG:,} characters; a text field holds at most {MAX_TEXT:,}"),
    "long-header.csv": (b"name," + b"h" * LONG + b"\nA,x\n", f"row 1, column 2: {LONG:,} characters"),
    "digits.csv": (b"name,feeling\nA," + b"9" * 5000 + b"\n", "row 2, feeling: '99999"),
    "huge.csv": ("huge", f"a file to import holds at most {MAX_FILE_BYTES:,} bytes"),
}

CUSTOMER_FILES: dict[str, tuple[bytes | str, str]] = {
    **{name: CSV_FILES[name] for name in ("latin1.csv", "binary.csv", "utf16.csv", "empty.csv", "folder.csv",
                                          "pipe.csv", "huge.csv")},
    "long-field.csv": (b"name,start,segment\nInitech,2026-01-01," + b"s" * LONG + b"\n",
                       f"row 2, segment: {LONG:,} characters; a text field holds at most {MAX_TEXT:,}"),
    "digits.csv": (b"name,start\nInitech," + b"2" * 5000 + b"\n", "row 2, start: the start date '22222"),
}


def _make(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    if content == "folder":
        path.mkdir()
    elif content == "pipe":
        os.mkfifo(path)
    elif content == "huge":
        with path.open("wb") as f:
            f.truncate(MAX_FILE_BYTES + 1)  # sparse: big to stat, nothing written
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    return Cli(capsys, db_path)


def _unchanged(db_path: Path) -> Callable[[], None]:
    """A check that the database file and its backup are byte for byte as they are now."""
    files = (db_path, db_path.with_name(db_path.name + ".bak"))
    before = [file_bytes(f) if f.exists() else None for f in files]

    def check() -> None:
        assert [file_bytes(f) if f.exists() else None for f in files] == before

    return check


def _one_line(code: int, out: str, err: str, path: Path, message: str) -> None:
    assert code == 1 and out == ""
    assert err.startswith(f"cxmap: {path}") and message in err, err[:300]
    assert err.count("\n") == 1 and "Traceback" not in err


# -- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*JSON_FILES, *CSV_FILES])
def test_cxmap_import_of_a_hostile_file_is_one_line(cli: Cli, db_path: Path, tmp_path: Path, name: str) -> None:
    cli.ok("new", "Existing")
    cli.ok("touchpoint", "add", "Existing", "Z")
    content, message = {**JSON_FILES, **CSV_FILES}[name]
    path = _make(tmp_path, name, content)
    unchanged = _unchanged(db_path)
    extra = ["--title", "New"] if name.endswith(".csv") else []
    _one_line(*cli("import", str(path), *extra), path, message)
    if name.endswith(".csv"):
        _one_line(*cli("import", str(path), "--into", "Existing"), path, message)
    unchanged()


ACCOUNTS_ONLY = ("long-field.csv", "digits.csv")  # their columns are the accounts'


@pytest.mark.parametrize(("what", "name"), [(what, name) for what in ("accounts", "contacts", "interactions")
                                            for name in CUSTOMER_FILES if what == "accounts" or name not in ACCOUNTS_ONLY])
def test_cxmap_import_customers_of_a_hostile_file_is_one_line(
    cli: Cli, db_path: Path, tmp_path: Path, what: str, name: str
) -> None:
    cli.ok("account", "add", "Acme", "--start", "2026-01-01")
    content, message = CUSTOMER_FILES[name]
    path = _make(tmp_path, name, content)
    unchanged = _unchanged(db_path)
    _one_line(*cli("import-customers", str(path), "--what", what), path, message)
    unchanged()


@pytest.mark.parametrize("name", ["deep.json", "surrogate-id.json", "long-field.json"])
def test_the_real_command_on_a_hostile_file(db_path: Path, tmp_path: Path, name: str) -> None:
    Store.open(db_path).add(fixed_map())
    path = _make(tmp_path, name, JSON_FILES[name][0])
    unchanged = _unchanged(db_path)
    done = subprocess.run([sys.executable, "-m", "cxmap_tui", "--db", str(db_path), "import", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    _one_line(done.returncode, done.stdout, done.stderr, path, JSON_FILES[name][1])
    unchanged()


# -- the app --------------------------------------------------------------------------------------


async def test_hostile_files_in_the_import_dialog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # names are typed relative to the working folder, as people do
    typed = {}  # short names, quick to type: what each is
    for i, (name, (content, message)) in enumerate({**JSON_FILES, **CSV_FILES}.items()):
        short = f"{i}{Path(name).suffix}"
        _make(tmp_path, short, content)
        typed[short] = (name, message)
    good = fixed_map()
    (tmp_path / "good.json").write_text(map_to_json(good))
    store = Store.open(tmp_path / "cx.json")
    store.add(_sample())
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        unchanged = _unchanged(tmp_path / "cx.json")
        await pilot.press("down", "i")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "T")  # a CSV needs a title; a JSON map is renamed by it
        await pilot.press("shift+tab")
        for short, (name, message) in typed.items():
            await pilot.press("end", "ctrl+u")
            await type_text(pilot, short)
            await pilot.press("enter")
            await pilot.pause()  # a refused file is refused at once: nothing is saved
            screen = screen_text(app)
            said = dialog_message(screen)  # a sentence: its first letter a capital
            assert on_top(app) == "ImportDialog" and message.casefold() in said.casefold(), (name, screen)
            assert str(tmp_path) not in said
            assert app.screen.query_one("#path", SafeInput).value == short  # kept, to be put right
        assert app.is_running
        unchanged()
        # The dialog is still good for a file that is.
        await pilot.press("tab", "ctrl+u", "shift+tab", "end", "ctrl+u")
        await type_text(pilot, "good.json")
        await pilot.press("enter")
        await settle(pilot)
        assert step_shown(app) == 3 and app.screen.current.title == good.title  # the imported map, opened
    assert sorted(m.title for m in store.maps()) == sorted([good.title, _sample().title])


def _sample() -> ExperienceMap:
    return map_from_json((ROOT / "sample_maps" / "sales-solar-quote.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_row_error_wraps_cleanly_in_the_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.csv").write_text("name,stage,feeling\nCall,Use,-2\nFix,Use,seven\n")
    store = Store.open(tmp_path / "cx.json")
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("down", "i")
        await settle(pilot)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "bad.csv")
        await pilot.press("tab")
        await type_text(pilot, "Helpdesk")
        await pilot.press("enter")
        await settle(pilot)
        screen = screen_text(app)
    expected = "Row 3, feeling: 'seven' is not a feeling: use a number from -2 to +2, --/-/0/+/++, or 'none'"
    lines = import_message_lines(screen)
    assert " ".join(lines) == expected  # broken between words only, and no path nobody typed
    assert len(lines) >= 2 and lines[0].startswith("Row 3, feeling: ")
    assert all(len(line) <= size[0] - 6 for line in lines)  # inside the frame and its padding
    assert store.maps() == []


# -- fuzz: any bytes give a map or one line -------------------------------------------------------

FUZZ = settings(derandomize=True, database=None, max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
SPLICE = "@raw@"  # where json_files puts JSON that json.dumps would not write
TEXT = st.one_of(st.text(max_size=10), st.sampled_from(
    ["", " ", "a1", "Use", "\ud800", "x\udfffy", "\x1b[31m", "\u202e", "\0", "caf\u00e9", "9" * 30, SPLICE]))
RAW = st.sampled_from(["[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000, "9" * 5000, "-" + "1" * 4400,
                       "NaN", "-Infinity", "1e999", '"' + "x" * 100_001 + '"'])
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


def _or_any(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Mostly what the format says (three times in four), sometimes anything at all."""
    return st.integers(0, 3).flatmap(lambda n: strategy if n else VALUES)


def _some(*values: object) -> st.SearchStrategy[object]:
    return _or_any(st.sampled_from(values))


TOUCHPOINT = st.fixed_dictionaries({}, optional={
    "id": _some("a1", "a2"), "name": _some("A", "B", "a", ""), "stage": _some("Use", "", "Mars"),
    "feeling": _or_any(st.integers(-3, 3)), "due_day": _or_any(st.integers(-1, 40)),
    "clock": _some("contact", "account"), "notes": TEXT, "thoughts": VALUES})
IMPROVEMENT = st.fixed_dictionaries({}, optional={
    "id": _some("b1", "b2"), "title": _some("I", "J"), "touchpoints": _or_any(st.lists(st.sampled_from(["a1", "zz"]))),
    "effort": _or_any(st.integers(0, 6)), "status": _some("idea", "done", "later")})
MAP = st.fixed_dictionaries({"title": _some("T", "")}, optional={
    "id": TEXT, "experience": _some("service", "moon"), "kind": _some("ideal", "current"),
    "stages": _or_any(st.lists(st.sampled_from(["Use", "Buy", "use"]), max_size=3)),
    "touchpoints": _or_any(st.lists(TOUCHPOINT, max_size=3)), "improvements": _or_any(st.lists(IMPROVEMENT, max_size=2)),
    "matches": _or_any(st.dictionaries(st.sampled_from(["a1", "a2"]), TEXT, max_size=2)), "ideal": TEXT,
    "revision": VALUES})
DOCUMENT = st.fixed_dictionaries({"format": _some("cxmap-map"), "version": _some(1, 2), "map": _or_any(MAP)})
CELL = st.one_of(st.text(max_size=8), st.sampled_from(
    ["", "-2", "++", "meh", "Use", '"', 'a"b', "x\r\ny", "'=1", "2026-01-01", "2026-02-30", "Acme", "Ann", "A",
     "Ordering a lamp from the web shop", "Basket", "a1000005", "9" * 30]))


@st.composite
def _damaged(draw: st.DrawFn, data: bytes) -> bytes:
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=6)) + data[at + draw(st.integers(0, 6)):]
    return data


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    text = json.dumps(draw(DOCUMENT), ensure_ascii=draw(st.booleans()))
    while f'"{SPLICE}"' in text:
        text = text.replace(f'"{SPLICE}"', draw(RAW), 1)
    return draw(_damaged(text.encode("utf-8", "surrogatepass")))  # NaN, Infinity and lone halves included


@st.composite
def csv_files(draw: st.DrawFn, required: tuple[str, ...], optional: tuple[str, ...]) -> bytes:
    header = draw(st.lists(st.sampled_from([*required, *optional]), unique=True, max_size=5))
    if draw(st.integers(0, 3)):
        header = draw(st.permutations(list(dict.fromkeys([*required, *header]))))
    if draw(st.integers(0, 3)) == 0:
        header.append(draw(st.sampled_from(["", "Name", "other", required[0]])))
    width = st.just(len(header)) if draw(st.integers(0, 3)) else st.integers(0, 6)
    table = [header, *draw(st.lists(width.flatmap(lambda n: st.lists(CELL, min_size=n, max_size=n)), max_size=4))]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.integers(0, 3)):  # quoted as a spreadsheet would, or written raw (quotes left unbalanced)
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator=end).writerows(table)
        text = out.getvalue()
    else:
        text = end.join(delimiter.join(row) for row in table)
    return draw(_damaged((draw(st.sampled_from(["", "\ufeff"])) + text).encode()))


def _any_file(files: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return st.integers(0, 3).flatmap(lambda n: files if n else st.binary(max_size=120))


def _one_line_error(error: CxmapError) -> None:
    assert str(error) and "\n" not in str(error) and "\r" not in str(error)


def _file(tmp_path_factory: pytest.TempPathFactory, name: str, data: bytes) -> Path:
    path = tmp_path_factory.getbasetemp() / "fuzz" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


@FUZZ
@given(data=_any_file(json_files()))
def test_fuzz_json_import(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = _file(tmp_path_factory, "map.json", data)
    try:
        m = map_from_file(path)
        map_to_json(m).encode("utf-8")  # what is imported, a UTF-8 file can hold...
        Store.in_memory().add(m)  # ...and so can the database
    except CxmapError as error:
        _one_line_error(error)


@FUZZ
@given(data=_any_file(csv_files(("name",), COLUMNS[1:] + IGNORED)))
def test_fuzz_csv_import(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = _file(tmp_path_factory, "touchpoints.csv", data)
    store = Store.in_memory()
    existing = store.add(fixed_map())
    try:
        store.add(map_from_file(path, title="New"))
        rows = read_touchpoints(read_text(path), str(path))
        store.change(existing.id, lambda m: add_touchpoints(m, rows, str(path)))
    except CxmapError as error:
        _one_line_error(error)


@FUZZ
@given(what=st.sampled_from(["accounts", "contacts", "interactions"]), data=st.data())
def test_fuzz_customers_import(tmp_path_factory: pytest.TempPathFactory, what: str, data: st.DataObject) -> None:
    required, optional = CUSTOMER_COLUMNS[what]
    path = _file(tmp_path_factory, "customers.csv",
                 data.draw(_any_file(csv_files(required, optional))))
    store = Store.in_memory()
    store.add(fixed_map())
    acme = store.customers.add_account(Account.new("Acme", "2026-01-01"))
    store.customers.add_contact(Contact.new("Ann", "2026-01-02", account=acme.id))
    book = store.customers.book()
    try:
        text = read_text(path, CSV_HINT)
        if what == "accounts":
            store.customers.add_many(accounts=accounts_from_csv(text, book, str(path)))
        elif what == "contacts":
            store.customers.add_many(contacts=contacts_from_csv(text, book, str(path)))
        else:
            store.customers.add_many(interactions=interactions_from_csv(text, book, store.maps(), str(path)))
    except CxmapError as error:
        _one_line_error(error)
