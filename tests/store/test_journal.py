"""The journal library (store/records.py, store/journal.py, store/compaction.py): its records, reading a journal
whatever it holds, appending safely, and compaction that any crash leaves opening to the same data."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmap_tui.domain.json_types import JSON
from cxmap_tui.domain.model import ExperienceMap
from cxmap_tui.store.atomic import write_atomic_in
from cxmap_tui.store.compaction import (
    Snapshot,
    compact,
    decode_snapshot,
    encode_snapshot,
    open_database,
    prune_history,
    read_history,
    replay,
)
from cxmap_tui.store.errors import SaveFailed, StoreError
from cxmap_tui.store.file_format import Tables, decode
from cxmap_tui.store.journal import ReadResult, append_record, history_name, journal_name, read_in, read_records
from cxmap_tui.store.records import Change, Record, Who, changes_between, encode_record, new_record, parse_record
from cxmap_tui.store.safe_files import Folder
from tests.helpers.factories import make_map

DB = "cx.json"
T0 = datetime(2026, 11, 23, 16, 40, 2, 113000, tzinfo=UTC)
ANA = Who("ana", "Ana Ruiz")


class FixedClock:
    """A clock the test moves: no test depends on today's date."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Folder]:
    with Folder(tmp_path) as f:
        write_atomic_in(f, DB, encode_snapshot({}, "g0", 0))
        yield f


def map_doc(title: str, feeling: int = 0) -> dict[str, JSON]:
    return {"id": title[:8], "title": title, "touchpoints": [{"name": "Hold", "feeling": feeling}]}


def rec(seq: int, *changes: Change, follows: str = "g0", clock: FixedClock | None = None) -> Record:
    return new_record(seq, follows, ANA, changes or (Change("maps", f"m{seq}", {"n": seq}),), clock or FixedClock())


def write(folder: Folder, *records: Record) -> int:
    end = read_in(folder, journal_name(DB)).offset
    for r in records:
        end = append_record(folder, journal_name(DB), r, end, mode=0o600, gid=None)
    return end


def journal_bytes(folder: Folder) -> bytes:
    return (folder.path / journal_name(DB)).read_bytes()


# -- the records ---------------------------------------------------------------------------------


def test_a_record_is_one_json_line_any_tool_reads_with_its_checksum_on_it() -> None:
    r = new_record(7, "9f3c", ANA, [Change("maps", "3fa9c21b", {"title": "Support call"}, ("title",)),
                                    Change("maps", "0ld", None)], FixedClock())
    line = encode_record(r)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    obj = json.loads(line)
    assert obj == {"v": 1, "seq": 7, "follows": "9f3c", "at": "2026-11-23T16:40:03.113Z",
                   "by": {"user": "ana", "participant": "Ana Ruiz"},
                   "changes": [{"table": "maps", "id": "3fa9c21b", "doc": {"title": "Support call"}, "fields": ["title"]},
                               {"table": "maps", "id": "0ld", "doc": None}],
                   "sha256": obj["sha256"]}
    # The documented rule: sha256 of the line with its checksum field cut out.
    body = line[: line.rindex(b',"sha256":')] + b"}"
    assert hashlib.sha256(body).hexdigest() == obj["sha256"]
    assert parse_record(line[:-1]) == r


def test_the_time_is_utc_from_the_clock_given_and_a_time_without_zone_is_refused() -> None:
    east = datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert new_record(1, "g", ANA, [], lambda: east).at == "2026-03-01T07:00:00.000Z"
    with pytest.raises(ValueError, match="time zone"):
        new_record(1, "g", ANA, [], lambda: datetime(2026, 3, 1, 9, 0))


def test_who_without_a_participant_leaves_it_out() -> None:
    line = encode_record(new_record(1, "g", Who("bo"), [], FixedClock()))
    assert json.loads(line)["by"] == {"user": "bo"}
    assert Who.current().user and Who.current("Cy").participant == "Cy"


def test_changes_between_names_new_changed_and_removed_documents_and_the_fields() -> None:
    kept: dict[str, JSON] = {"title": "Same"}
    before: Tables = {"maps": {"a": map_doc("Alpha"), "b": map_doc("Beta"), "k": kept}, "contacts": {"c": {"n": 1}}}
    after: Tables = {"maps": {"a": map_doc("Alpha", 2), "k": kept, "n": map_doc("New")},
                     "contacts": before["contacts"]}
    assert changes_between(before, after) == (
        Change("maps", "a", map_doc("Alpha", 2), ("touchpoints",)),
        Change("maps", "b", None),
        Change("maps", "n", map_doc("New")),
    )
    assert changes_between(after, after) == ()


@pytest.mark.parametrize(("doc", "why"), [
    ({"x": float("nan")}, "not finite"),
    ({"x": "\ud800"}, "not valid Unicode"),
    ({"x": json.loads("[" * 80 + "]" * 80)}, "nested too deeply"),
])
def test_a_change_reading_would_refuse_is_never_written(doc: dict[str, object], why: str) -> None:
    with pytest.raises(StoreError, match=why):
        encode_record(rec(1, Change("maps", "x", doc)))  # type: ignore[arg-type]


@pytest.mark.parametrize("record", [
    Record(0, "g", "2026-01-01T00:00:00Z", ANA, ()),
    Record(1 << 63, "g", "2026-01-01T00:00:00Z", ANA, ()),
    Record(1, "g", "2026-01-01T00:00:00", ANA, ()),
    Record(1, "g", "yesterday", ANA, ()),
    Record(1, "g", "2026-01-01T00:00:00Z", ANA, (Change("maps", "x", {"s": {1, 2}}),)),  # type: ignore[dict-item]
], ids=["seq 0", "seq too large", "no zone", "not a time", "not json"])
def test_a_record_reading_would_refuse_is_never_written(record: Record) -> None:
    with pytest.raises(StoreError, match="cannot save"):
        encode_record(record)


def test_a_record_larger_than_the_limit_is_refused_with_its_size() -> None:
    with pytest.raises(StoreError, match="more than a journal record may"):
        encode_record(rec(1, Change("maps", "x", {"t": "y" * 500})), max_bytes=400)


# -- reading -------------------------------------------------------------------------------------


def test_reading_from_an_offset_gives_only_what_is_new(folder: Folder) -> None:
    end = write(folder, rec(1), rec(2))
    first = read_in(folder, journal_name(DB))
    assert [r.seq for r in first.records] == [1, 2] and first.offset == end and first.notes == ()
    write(folder, rec(3))
    again = read_in(folder, journal_name(DB), first.offset)
    assert [r.seq for r in again.records] == [3] and again.offset == len(journal_bytes(folder))
    assert read_in(folder, journal_name(DB), again.offset).records == ()


def test_a_missing_journal_reads_as_empty(tmp_path: Path) -> None:
    with Folder(tmp_path) as f:
        assert read_in(f, journal_name(DB)) == ReadResult((), 0)


def test_a_journal_cut_at_every_byte_reads_the_whole_records_before_the_cut(folder: Folder, tmp_path: Path) -> None:
    write(folder, rec(1), rec(2, Change("maps", "é", {"t": "naïve \u2028 \U0001f600"})), rec(3, Change("maps", "m1", None)))
    data = journal_bytes(folder)
    ends = [i + 1 for i, b in enumerate(data) if b == ord("\n")]
    cut_file = tmp_path / "cut.journal"
    for cut in range(len(data) + 1):
        cut_file.write_bytes(data[:cut])
        got = read_in(folder, "cut.journal")
        whole = [e for e in ends if e <= cut]
        assert [r.seq for r in got.records] == list(range(1, len(whole) + 1)), cut
        assert got.offset == (whole[-1] if whole else 0), cut
        assert got.damaged is None, cut
        assert (got.torn is not None) == (cut not in [0, *ends]), cut
        if got.torn is not None:
            assert got.torn.offset == got.offset and got.torn.length == cut - got.offset
            assert "were not read" in got.notes[0]


def _signed(body: bytes) -> bytes:
    """A line carrying a correct checksum over hostile content: the checksum is no safety check."""
    return body[:-1] + b',"sha256":"' + hashlib.sha256(body).hexdigest().encode() + b'"}\n'


HOSTILE_TAILS = {
    "zeros": b"\x00" * 300,
    "not json": b"{not json\n",
    "invalid utf-8": b"\xff\xfe\xfd\n",
    "unfinished": b'{"v":1,"seq":9',
    "wrong checksum": encode_record(rec(9))[:-10] + b'000000000"}\n',
    "nan, signed": _signed(b'{"v":1,"seq":9,"follows":"g0","at":"2026-01-01T00:00:00Z","by":{"user":"x"},"changes":[],"x":NaN}'),
    "huge number, signed": _signed(b'{"v":1,"seq":9' + b"9" * 5000 + b',"follows":"g0"}'),
    "deep, signed": _signed(b'{"v":1,"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    "lone surrogate, signed": _signed(b'{"v":1,"seq":9,"follows":"g0","at":"2026-01-01T00:00:00Z","by":{"user":"\\ud800"},"changes":[]}'),
    "not an object, signed": _signed(b'[1,2,{"a":3}]'),
    "wrong types, signed": _signed(b'{"v":1,"seq":true,"follows":"g0","at":"2026-01-01T00:00:00Z","by":{"user":"x"},"changes":[]}'),
    "no zone, signed": _signed(b'{"v":1,"seq":9,"follows":"g0","at":"2026-01-01T00:00:00","by":{"user":"x"},"changes":[]}'),
    "doc not an object, signed": _signed(b'{"v":1,"seq":9,"follows":"g0","at":"2026-01-01T00:00:00Z","by":{"user":"x"},"changes":[{"table":"t","id":"i","doc":[1]}]}'),
    "newer format, signed": _signed(b'{"v":2,"seq":9,"follows":"g0","at":"2026-01-01T00:00:00Z","by":{"user":"x"},"changes":[]}'),
    "sequence going back": encode_record(rec(1)),
    "escape codes": b"\x1b[2J\x1b]0;owned\x07\r\n",
    "many blank lines": b"\n" * 50,
}


@pytest.mark.parametrize("name", HOSTILE_TAILS)
def test_a_hostile_tail_is_dropped_with_a_note_and_never_raises(folder: Folder, name: str) -> None:
    end = write(folder, rec(1), rec(2))
    with open(folder.path / journal_name(DB), "ab") as f:
        f.write(HOSTILE_TAILS[name])
    got = read_in(folder, journal_name(DB))
    assert [r.seq for r in got.records] == [1, 2] and got.offset == end
    assert got.damaged is None and got.torn is not None and got.torn.offset == end
    assert len(got.notes) == 1 and "\n" not in got.notes[0] and "\x1b" not in got.notes[0]


def test_a_line_longer_than_the_limit_is_never_held_whole(folder: Folder) -> None:
    write(folder, rec(1))
    with open(folder.path / journal_name(DB), "ab") as f:
        f.write(b"x" * (3 << 20))  # three chunks, no newline
    got = read_in(folder, journal_name(DB), max_bytes=1 << 20)
    assert [r.seq for r in got.records] == [1] and got.torn is not None
    assert "longer than 1,048,576 bytes" in got.torn.why
    with open(folder.path / journal_name(DB), "ab") as f:
        f.write(b"\n" + encode_record(rec(2)))  # a good record after the long line: damage, not a tail
    got = read_in(folder, journal_name(DB), max_bytes=1 << 20)
    assert got.damaged is not None and got.damaged.good_after == 1 and got.torn is None


def test_damage_in_the_middle_is_reported_apart_from_a_torn_tail(folder: Folder) -> None:
    write(folder, rec(1), rec(2), rec(3), rec(4))
    data = bytearray(journal_bytes(folder))
    second = data.index(b"\n") + 1
    data[second + 30] ^= 0x01  # one flipped bit in record 2
    (folder.path / journal_name(DB)).write_bytes(bytes(data))
    got = read_in(folder, journal_name(DB))
    assert [r.seq for r in got.records] == [1] and got.offset == second and got.torn is None
    assert got.damaged is not None and got.damaged.good_after == 2 and got.damaged.bad.offset == second
    assert "damaged in the middle" in str(got.damaged) and "checksum does not match" in str(got.damaged)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(max_size=400), cut=st.integers(min_value=0, max_value=2000))
def test_any_bytes_at_all_read_without_raising(folder: Folder, garbage: bytes, cut: int) -> None:
    good = encode_record(rec(1)) + encode_record(rec(2))
    path = folder.path / "fuzz.journal"
    data = good[: cut % (len(good) + 1)] + garbage
    path.write_bytes(data)
    with open(path, "rb") as f:
        got = read_records(f.fileno())
    assert got.offset <= len(data) and all(isinstance(r, Record) for r in got.records)
    assert [r.seq for r in got.records] == [1, 2][: len(got.records)]


# -- appending -----------------------------------------------------------------------------------


def test_a_new_journal_has_the_databases_mode_and_group(tmp_path: Path) -> None:
    gid = os.getgid()
    with Folder(tmp_path) as f:
        append_record(f, journal_name(DB), rec(1), 0, mode=0o640, gid=gid)
        st_ = os.lstat(tmp_path / journal_name(DB))
    assert stat.S_IMODE(st_.st_mode) == 0o640 and st_.st_gid == gid


def test_a_journal_planted_as_a_symlink_is_never_followed(folder: Folder, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("mine\n")
    os.symlink(secret, folder.path / journal_name(DB))
    with pytest.raises(SaveFailed, match="symbolic link"):
        append_record(folder, journal_name(DB), rec(1), 0, mode=0o600, gid=None)
    with pytest.raises(StoreError, match="symbolic link"):
        read_in(folder, journal_name(DB))
    assert secret.read_text() == "mine\n"


def test_a_journal_planted_as_a_hard_link_or_wider_than_the_database_is_refused(folder: Folder, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.write_bytes(b"")
    os.link(other, folder.path / journal_name(DB))
    with pytest.raises(SaveFailed, match="2 names"):
        append_record(folder, journal_name(DB), rec(1), 0, mode=0o600, gid=None)
    os.unlink(folder.path / journal_name(DB))
    other.chmod(0o644)
    os.rename(other, folder.path / journal_name(DB))
    with pytest.raises(SaveFailed, match="allows more than the database"):
        append_record(folder, journal_name(DB), rec(1), 0, mode=0o600, gid=None)
    assert journal_bytes(folder) == b""


def test_an_append_cuts_a_torn_tail_first(folder: Folder) -> None:
    end = write(folder, rec(1))
    with open(folder.path / journal_name(DB), "ab") as f:
        f.write(encode_record(rec(2))[:25])
    write(folder, rec(2))
    got = read_in(folder, journal_name(DB))
    assert [r.seq for r in got.records] == [1, 2] and got.notes == () and end < got.offset


class FullDisk:
    """os.write that writes `room` bytes in all, then fails with ENOSPC."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.real = os.write

    def __call__(self, fd: int, data: bytes | memoryview) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = self.real(fd, bytes(data[: self.room]))
        self.room -= n
        return n


@pytest.mark.parametrize("room", [0, 1, 40])
def test_a_full_disk_is_a_clear_error_and_the_journal_is_as_it_was(folder: Folder, monkeypatch: pytest.MonkeyPatch,
                                                                   room: int) -> None:
    write(folder, rec(1))
    before = journal_bytes(folder)
    monkeypatch.setattr(os, "write", FullDisk(room))
    with pytest.raises(SaveFailed, match="No space left on device; the change was not saved"):
        write(folder, rec(2))
    monkeypatch.undo()
    assert journal_bytes(folder) == before


def test_when_even_the_cut_fails_the_partial_line_is_a_tail_reading_drops(folder: Folder,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    end = write(folder, rec(1))
    monkeypatch.setattr(os, "write", FullDisk(40))
    calls: list[int] = []

    def failing_truncate(fd: int, length: int) -> None:
        calls.append(length)
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "ftruncate", failing_truncate)
    with pytest.raises(SaveFailed):
        write(folder, rec(2))
    assert calls == [end] and len(journal_bytes(folder)) == end + 40
    got = read_in(folder, journal_name(DB))
    assert [r.seq for r in got.records] == [1] and got.torn is not None
    monkeypatch.undo()
    write(folder, rec(2))  # the next save cuts the tail and is whole
    assert [r.seq for r in read_in(folder, journal_name(DB)).records] == [1, 2]


def test_a_failed_fsync_takes_the_record_back(folder: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    write(folder, rec(1))
    before = journal_bytes(folder)
    real = os.fsync
    failed: list[int] = []

    def fsync_once(fd: int) -> None:
        if not failed:
            failed.append(fd)
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync_once)
    with pytest.raises(SaveFailed, match="Input/output error"):
        write(folder, rec(2))
    assert journal_bytes(folder) == before


def test_an_append_at_a_stale_end_is_refused(folder: Folder) -> None:
    end = write(folder, rec(1), rec(2))
    (folder.path / journal_name(DB)).write_bytes(b"")  # made anew by someone meanwhile
    with pytest.raises(SaveFailed, match="made anew"):
        append_record(folder, journal_name(DB), rec(3), end, mode=0o600, gid=None)


# -- the snapshot and replay ---------------------------------------------------------------------


def test_the_snapshot_names_its_last_record_and_every_reader_of_the_format_reads_it() -> None:
    tables: Tables = {"maps": {"a": {"title": "A"}}}
    raw = encode_snapshot(tables, "ab12", 41)
    assert decode_snapshot(raw, "cx.json") == Snapshot(tables, "ab12", 41)
    assert decode(raw, "cx.json") == (tables, "ab12")  # today's reader: the extra header field is ignored
    assert json.loads(raw)["cxmap"]["journal_seq"] == 41
    assert decode_snapshot(encode_snapshot({}, "ab12", 0), "x") == Snapshot({}, "ab12", 0)


@pytest.mark.parametrize("header", [
    b'{"cxmap":{"format":1,"generation":"g"}}',
    b'{"cxmap":{"format":1,"generation":"g","journal_seq":-3}}',
    b'{"cxmap":{"format":1,"generation":"g","journal_seq":true}}',
    b'{"cxmap":{"format":1,"generation":"g","journal_seq":"7"}}',
    b'\xef\xbb\xbf{"cxmap":{"format":1,"generation":"g","journal_seq":' + b"9" * 30 + b"}}",
    b'{"cxmap":{"format":1,"generation":"g","journal_seq":' + b"9" * 5000 + b"}}",
], ids=["none", "negative", "boolean", "text", "too large", "too many digits"])
def test_a_snapshot_without_a_readable_last_record_counts_as_none(header: bytes) -> None:
    if b"9" * 5000 in header:  # refused by the database's own checks, in one line
        with pytest.raises(StoreError, match="too many digits"):
            decode_snapshot(header, "cx.json")
    else:
        assert decode_snapshot(header, "cx.json").last_seq == 0


def test_a_header_laid_out_by_hand_is_read_all_the_same() -> None:
    spaced = b'{ "cxmap" : {"format":1,"generation":"g","journal_seq":7},\n "maps": {"a": {"title": "A"}}}'
    snapshot = decode_snapshot(spaced, "cx.json")
    assert (snapshot.last_seq, snapshot.generation, dict(snapshot.tables["maps"])) == (7, "g", {"a": {"title": "A"}})


def test_replay_applies_only_records_after_the_snapshot() -> None:
    snap = Snapshot({"maps": {"m1": {"n": 0}}}, "g1", 2)
    records = [rec(1, follows="g0"), rec(2, follows="g1"), rec(3, follows="g1"),
               rec(4, Change("maps", "m3", None), follows="g1")]
    got = replay(snap, records)
    assert got.tables == {"maps": {"m1": {"n": 0}}} and got.last_seq == 4
    assert [r.seq for r in got.applied] == [3, 4] and got.skipped == 2
    assert snap.tables == {"maps": {"m1": {"n": 0}}}  # what was read is never changed


def test_a_change_to_the_header_name_is_not_applied_as_a_table() -> None:
    got = replay(Snapshot({}, "g0", 0), [rec(1, Change("cxmap", "x", {"a": 1}))])
    assert got.tables == {}


# -- compaction ----------------------------------------------------------------------------------

EXPECTED: Tables = {"maps": {"m1": {"n": 1}, "m3": {"n": 3}}, "contacts": {"c": {"name": "Dee"}}}


def saved_changes(folder: Folder) -> None:
    clock = FixedClock()
    write(folder, rec(1, clock=clock), rec(2, clock=clock), rec(3, clock=clock),
          rec(4, Change("maps", "m2", None), Change("contacts", "c", {"name": "Dee"}), clock=clock))


def test_compaction_folds_the_journal_keeps_the_history_and_starts_afresh(folder: Folder) -> None:
    saved_changes(folder)
    opened = open_database(folder, DB)
    assert opened.tables == EXPECTED and opened.next_seq == 5
    compact(folder, DB, opened, "g1", mode=0o600, gid=None)
    assert journal_bytes(folder) == b""
    after = open_database(folder, DB)
    assert after.tables == EXPECTED and after.snapshot.last_seq == 4 and after.next_seq == 5
    assert [r.seq for r in read_history(folder, DB).records] == [1, 2, 3, 4]
    assert read_history(folder, DB).records[3].by == ANA


def _compact_and_die(folder: Folder, stop: str) -> None:
    """In a child process: compact, and die (no clean-up at all) at the point `stop`."""

    def die(step: str) -> None:
        if step == stop:
            os._exit(0)

    def die_before_rename() -> None:
        if stop == "mid-snapshot":
            os._exit(0)

    if stop == "mid-history":
        real = os.write

        def torn_write(fd: int, data: bytes | memoryview) -> int:
            real(fd, bytes(data[:50]))
            os._exit(0)

        os.write = torn_write  # type: ignore[assignment]
    compact(folder, DB, open_database(folder, DB), "g1", mode=0o600, gid=None, after_step=die,
            before_replace=die_before_rename)
    os._exit(3)


@pytest.mark.parametrize("stop", ["mid-history", "history", "mid-snapshot", "snapshot", "journal"])
def test_a_crash_at_any_point_of_a_compaction_opens_to_exactly_the_saved_changes(folder: Folder, stop: str) -> None:
    saved_changes(folder)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            _compact_and_die(folder, stop)
        finally:
            os._exit(4)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child did not reach the point to die at"
    opened = open_database(folder, DB)
    assert opened.tables == EXPECTED and opened.next_seq == 5
    # Work goes on: one more change, a compaction that finishes, and nothing is lost or doubled.
    append_record(folder, journal_name(DB), new_record(5, opened.snapshot.generation, Who("bo"),
                  [Change("maps", "m5", {"n": 5})], FixedClock()), opened.journal.offset, mode=0o600, gid=None)
    again = open_database(folder, DB)
    assert again.tables == {**EXPECTED, "maps": {**EXPECTED["maps"], "m5": {"n": 5}}}
    compact(folder, DB, again, "g2", mode=0o600, gid=None)
    final = open_database(folder, DB)
    assert final.tables == again.tables and final.journal.records == ()
    history = read_history(folder, DB)
    assert [r.seq for r in history.records] == [1, 2, 3, 4, 5] and history.notes == ()
    assert not [n for n in os.listdir(folder.path) if n.endswith(".tmp")] or stop == "mid-snapshot"


def test_a_compaction_on_a_full_disk_leaves_the_database_opening_as_before(folder: Folder,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    saved_changes(folder)
    monkeypatch.setattr(os, "write", FullDisk(10))
    with pytest.raises(SaveFailed, match="No space left"):
        compact(folder, DB, open_database(folder, DB), "g1", mode=0o600, gid=None)
    monkeypatch.undo()
    assert open_database(folder, DB).tables == EXPECTED
    assert read_history(folder, DB).records == () and read_history(folder, DB).notes == ()


def test_the_history_is_kept_with_the_databases_mode(tmp_path: Path) -> None:
    with Folder(tmp_path) as f:
        write_atomic_in(f, DB, encode_snapshot({}, "g0", 0), mode=0o640)
        append_record(f, journal_name(DB), rec(1), 0, mode=0o640, gid=None)
        compact(f, DB, open_database(f, DB), "g1", mode=0o640, gid=None)
    for name in (journal_name(DB), history_name(DB)):
        assert stat.S_IMODE(os.lstat(tmp_path / name).st_mode) == 0o640


# -- pruning -------------------------------------------------------------------------------------


def history_of(folder: Folder, n: int) -> None:
    clock = FixedClock()
    write(folder, *[rec(i, clock=clock) for i in range(1, n + 1)])  # one second apart from T0 + 1 s
    compact(folder, DB, open_database(folder, DB), "g1", mode=0o600, gid=None)


def test_prune_keeps_the_last_n(folder: Folder) -> None:
    history_of(folder, 6)
    got = prune_history(folder, DB, last=2, mode=0o600, gid=None)
    assert (got.kept, got.dropped) == (2, 4)
    assert [r.seq for r in read_history(folder, DB).records] == [5, 6]


def test_prune_keeps_what_is_newer_than_a_time_or_among_the_last_n(folder: Folder) -> None:
    history_of(folder, 6)
    since = T0 + timedelta(seconds=4)
    assert prune_history(folder, DB, since=since, mode=0o600, gid=None).kept == 3
    assert [r.seq for r in read_history(folder, DB).records] == [4, 5, 6]
    prune_history(folder, DB, since=T0 + timedelta(days=1), last=1, mode=0o600, gid=None)
    assert [r.seq for r in read_history(folder, DB).records] == [6]
    # Compaction goes on after a prune without taking back what was pruned.
    write(folder, rec(7, follows="g1"))
    compact(folder, DB, open_database(folder, DB), "g2", mode=0o600, gid=None)
    assert [r.seq for r in read_history(folder, DB).records] == [6, 7]


def test_prune_must_be_told_what_to_keep(folder: Folder) -> None:
    with pytest.raises(ValueError, match="say which"):
        prune_history(folder, DB, mode=0o600, gid=None)


# -- documents whose maker said how deep they nest ---------------------------------------------


def test_a_vouched_document_is_written_as_the_checked_way_writes_it() -> None:
    m = make_map("Caf\u00e9 \u201cline\u201d\t\u0007", touchpoints=4)
    m.set_feeling(m.touchpoints[1].id, -2, "Why?\n\u202e")
    doc = m.to_dict()
    vouched = rec(3, Change("maps", m.id, doc, ("touchpoints",), depth=ExperienceMap.DOC_DEPTH))
    measured = rec(3, Change("maps", m.id, doc, ("touchpoints",)))
    assert encode_record(vouched) == encode_record(measured)
    assert parse_record(encode_record(vouched)[:-1]) == measured


@pytest.mark.parametrize(("doc", "why"), [
    ({"x": "\ud800"}, "not valid Unicode"),
    ({"x": 1 << 70}, None),  # written, exactly, as the checked way writes it
    ({"x": {1, 2}}, "not JSON"),
])
def test_what_the_quick_writer_refuses_is_written_or_refused_as_before(doc: dict[str, object], why: str | None) -> None:
    vouched = rec(1, Change("maps", "x", doc, depth=1))  # type: ignore[arg-type]
    if why is None:
        assert encode_record(vouched) == encode_record(rec(1, Change("maps", "x", doc)))  # type: ignore[arg-type]
    else:
        with pytest.raises(StoreError, match=why):
            encode_record(vouched)


def test_a_document_said_to_nest_deeper_than_a_record_may_is_measured() -> None:
    deep = json.loads("[" * 80 + "]" * 80)
    with pytest.raises(StoreError, match="nested too deeply"):
        encode_record(rec(1, Change("maps", "x", {"x": deep}, depth=90)))
