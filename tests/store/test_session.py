"""What is remembered between runs, per database: the place, the rows, the map last recorded on,
the channel last added on in each map."""

from __future__ import annotations

import json
from pathlib import Path

from cxmap_tui.tui.session import CHANNELS_KEPT, Place, Session


def test_the_place_the_rows_and_the_record_map_come_back(tmp_path: Path) -> None:
    db = str(tmp_path / "cx.json")
    session = Session(db, tmp_path / "state")
    assert session.load() == Place()
    session.save(Place("m1", 4))
    assert session.note_row(4, "tp-b") and session.note_row(1, "map:m1") and session.note_row(5, "imp-a")
    assert not session.note_row(4, "tp-b")  # the same row again is no change
    session.flush()
    session.note_record_map("m2")
    again = Session(db, tmp_path / "state").load()
    assert again == Place("m1", 4) and dict(again.rows) == {1: "map:m1", 4: "tp-b", 5: "imp-a"}
    assert Session(db, tmp_path / "state").record_map == "m2"


def test_rows_are_written_by_flush_or_with_the_next_place_not_on_every_move(tmp_path: Path) -> None:
    db = str(tmp_path / "cx.json")
    session = Session(db, tmp_path / "state")
    session.save(Place("m1", 3))
    for n in range(100):
        session.note_row(3, f"tp-{n}")
    assert session.writes == 1 and session.dirty
    assert Session(db, tmp_path / "state").load().rows == {}
    session.flush()
    session.flush()  # nothing new: nothing written
    assert session.writes == 2 and not session.dirty
    assert Session(db, tmp_path / "state").row(3) == "tp-99"


def test_another_maps_rows_are_forgotten_step_1s_kept(tmp_path: Path) -> None:
    db = str(tmp_path / "cx.json")
    session = Session(db, tmp_path / "state")
    session.save(Place("m1", 3))
    session.note_row(3, "tp-a")
    session.note_row(1, "tpl:service")
    session.save(Place("m2", 3))
    assert session.row(3) is None and session.row(1) == "tpl:service"
    assert dict(Session(db, tmp_path / "state").load().rows) == {1: "tpl:service"}


def test_the_channel_last_added_on_comes_back_per_map_for_the_most_recent_maps(tmp_path: Path) -> None:
    db = str(tmp_path / "cx.json")
    session = Session(db, tmp_path / "state")
    assert session.channel("m1") == ""
    session.note_channel("m1", "Phone")
    session.note_channel("m2", "Web")
    session.note_channel("m1", "")  # added without a channel: the last one is kept
    session.save(Place("m2", 3))  # another map open: the channels stay
    again = Session(db, tmp_path / "state")
    assert (again.channel("m1"), again.channel("m2"), again.channel("m3")) == ("Phone", "Web", "")
    for n in range(CHANNELS_KEPT):
        again.note_channel(f"map-{n}", "Chat")
    assert Session(db, tmp_path / "state").channel("m1") == ""  # the oldest map's is forgotten


def test_a_damaged_or_strange_session_file_costs_only_the_place(tmp_path: Path) -> None:
    db = str(tmp_path / "cx.json")
    path = tmp_path / "state" / "session.json"
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    assert Session(db, tmp_path / "state").load() == Place()
    key = str(Path(db).absolute())
    path.write_text(json.dumps({key: {"map": 7, "step": True, "rows": {"3": 5, "9": "x", "4": "tp"},
                                      "record_map": ["m"], "channels": {"m1": 3, "m2": "Web", "m3": ""}}}),
                    encoding="utf-8")
    session = Session(db, tmp_path / "state")
    place = session.load()
    assert (place.map_id, place.step, dict(place.rows), session.record_map) == (None, 1, {4: "tp"}, None)
    assert (session.channel("m1"), session.channel("m2"), session.channel("m3")) == ("", "Web", "")


def test_other_databases_places_are_kept(tmp_path: Path) -> None:
    one, two = Session(str(tmp_path / "one.json"), tmp_path / "state"), Session(str(tmp_path / "two.json"),
                                                                                 tmp_path / "state")
    one.save(Place("a", 2))
    two.save(Place("b", 5))
    assert Session(str(tmp_path / "one.json"), tmp_path / "state").load() == Place("a", 2)
    assert Session(str(tmp_path / "two.json"), tmp_path / "state").load() == Place("b", 5)
