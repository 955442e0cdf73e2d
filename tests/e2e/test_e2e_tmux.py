"""The real `cxmap` in a real terminal (tmux), as on a shared server over SSH: a plain locale,
80x24, keys only; and two people on one file. CI installs tmux; without it these are skipped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from tests.helpers.tmux import TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path, *, lang: str = "C", term: str | None = "xterm-256color") -> dict[str, str]:
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
           "PYTHONPATH": str(ROOT), "LANG": lang}
    if term is not None:
        env["TERM"] = term
    return env


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for t in opened:
        t.close()


def _cxmap(terminals: list[Terminal], db: Path, home: Path, **env: str | None) -> Terminal:
    t = Terminal([sys.executable, "-m", "cxmap_tui", "--db", str(db)], env=_env(home, **env))  # type: ignore[arg-type]
    terminals.append(t)
    return t


def test_the_five_steps_in_a_plain_locale_at_80x24(tmp_path: Path, terminals: list[Terminal]) -> None:
    db = tmp_path / "cx.json"
    t = _cxmap(terminals, db, tmp_path)
    screen = t.wait_for("Start a new map")
    assert screen.isascii(), screen  # LANG=C: ASCII mode on by itself
    assert ">1 Template" in screen

    t.keys("Enter")
    t.wait_for("New map from a blank map")
    t.type("Late order call")
    t.keys("Enter")
    t.wait_for(">2 Experience")
    t.keys("Tab", "Enter")  # open the experience list...
    t.wait_for("Reading the blog")
    t.keys("Up", "Up", "Up", "Up", "Enter")  # ...from "custom" up to "service"
    t.wait_until_gone("Reading the blog")
    t.keys("Tab")
    t.type("A customer calls about a late order")
    t.keys("Enter")
    t.type("Busy parent")
    t.keys("Enter")

    t.keys("F3")
    t.wait_for("No touchpoints yet")
    for name, action in (("Order page", "Looks for the date"), ("Hold music", "Waits on hold")):
        t.keys("a")
        t.wait_for("New touchpoint")
        t.type(name)
        t.keys("Tab")
        t.type(action)
        t.keys("Enter")
        t.wait_for(name)
        t.wait_until_gone("New touchpoint")

    t.keys("F4")
    t.wait_for("Thoughts, in the customer's words")
    t.keys("Up", "Up")
    t.wait_for("1/2 Order page")
    t.keys("4")
    t.wait_for("Feeling:  +  satisfied")  # rated, and the thoughts field takes the typing
    t.type("Clear enough")
    t.keys("Enter")
    t.wait_for("2/2 Hold music")
    t.keys("1")
    t.wait_for("Feeling:  -- very dissatisfied")
    t.type("Twenty minutes of this?")
    t.keys("Enter")
    t.wait_for("Twenty minutes of this?")

    t.keys("F5")
    t.wait_for("Friction with no improvement yet")
    t.keys("A")
    t.wait_for("New improvement")
    t.type("Offer a call-back")
    t.keys("Enter")
    screen = t.wait_for("Every friction point has an improvement")
    assert screen.isascii(), screen

    # Escape and the next key in one write (a slow link): help closes, and v still opens the overview.
    t.keys("?")
    t.wait_for("Keys in this step")
    t.together("Escape", "v")
    screen = t.wait_for("Emotional curve")  # the overview's first screen
    assert "Keys in this step" not in screen
    # ctrl+s (XOFF on a terminal with flow control) freezes nothing.
    t.keys("q")
    t.wait_until_gone("Emotional curve")
    t.keys("C-s", "F1")
    t.wait_for("Open a map")
    # Live resize: smaller, then back; the screen is redrawn to fit.
    t.resize(60, 20)
    t.wait_for(">1 Template")
    assert all(len(line) <= 60 for line in t.screen().splitlines())
    t.resize(80, 24)
    t.keys("C-q")
    t.wait_until_gone(">1 Template")

    [m] = Store.open(db).maps()
    assert (m.title, m.experience, m.scope, m.persona) == (
        "Late order call", "service", "A customer calls about a late order", "Busy parent")
    assert [(tp.name, tp.action, tp.feeling, tp.thoughts) for tp in m.touchpoints] == [
        ("Order page", "Looks for the date", 1, "Clear enough"),
        ("Hold music", "Waits on hold", -2, "Twenty minutes of this?"),
    ]
    assert [(i.title, i.touchpoints) for i in m.improvements] == [("Offer a call-back", [m.touchpoints[1].id])]


def test_two_people_on_one_file_see_each_other_and_lose_nothing(tmp_path: Path, terminals: list[Terminal]) -> None:
    db = tmp_path / "cx.json"
    m = ExperienceMap.new("Shared workshop")
    m.add_touchpoint("Welcome call")
    m = Store.open(db).add(m)
    ann = _cxmap(terminals, db, tmp_path / "ann", lang="C.UTF-8")
    bob = _cxmap(terminals, db, tmp_path / "bob", lang="C.UTF-8")
    for t in (ann, bob):
        t.wait_for("Open a map")
        t.keys("/")
        t.type("Shared")
        t.keys("Down", "Enter")
        t.wait_for("(current state, ")
        t.keys("F3")
        t.wait_for("Welcome call")
    ann.keys("a")
    ann.wait_for("New touchpoint")
    ann.type("Ann's touchpoint")
    ann.keys("Enter")
    bob.wait_for("Ann's touchpoint", timeout=5)  # within about two seconds, by polling
    bob.keys("F4")
    bob.wait_for("Thoughts, in the customer's words")
    bob.keys("Up", "Up")
    bob.wait_for("1/2 Welcome call")
    bob.keys("2")
    bob.wait_for("dissatisfied")
    ann.keys("F4")
    ann.wait_for("dissatisfied", timeout=5)
    for t in (ann, bob):
        t.keys("C-q")
    saved = Store.open(db).get(m.id)
    assert [tp.name for tp in saved.touchpoints] == ["Welcome call", "Ann's touchpoint"]
    assert saved.touchpoints[0].feeling == -1


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "linux", "vt100", None])
def test_every_term_starts_draws_and_quits(tmp_path: Path, terminals: list[Terminal], term: str | None) -> None:
    Store.open(tmp_path / "cx.json").add(ExperienceMap.new("Any map"))
    t = _cxmap(terminals, tmp_path / "cx.json", tmp_path, term=term)
    t.wait_for("Open a map")
    t.keys("Enter")  # the list has the focus, on the first map
    t.wait_for(">2 Experience")
    t.keys("F3")
    t.wait_for("No touchpoints yet")
    t.keys("C-q")
    t.wait_until_gone("No touchpoints yet")


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user needs root")
def test_a_user_who_may_not_write_gets_a_read_only_session(terminals: list[Terminal]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cxmap-ro-"))
    try:
        folder.chmod(0o755)
        db = folder / "cx.json"
        m = ExperienceMap.new("Their map")
        m.add_touchpoint("Welcome call")
        Store.open(db).add(m)
        db.chmod(0o644)
        db.with_name("cx.json.journal").chmod(0o644)  # the journal belongs to the database (README)
        before = db.read_bytes()
        env = _env(Path("/tmp"), lang="C.UTF-8")
        env["XDG_STATE_HOME"] = "/tmp/cxmap-test-nobody"
        t = Terminal([sys.executable, "-m", "tests.helpers.as_nobody", "cli", "--db", str(db)], env=env)
        terminals.append(t)
        screen = t.wait_for("Open a map")
        assert "read-only" in screen  # on the map line from the start, with the reason in a notice
        t.keys("/")
        t.type("Their")
        t.keys("Down", "Enter")
        t.wait_for("(current state, ")
        t.keys("F3")
        screen = t.wait_for("Welcome call")
        bar = [line for line in screen.splitlines() if line.strip()][-1]
        assert "Steps" in bar and "Add" not in bar  # no key on the bar that would change it
        t.keys("a")
        screen = t.wait_for("read-only for you")  # said at once, and no form opens
        assert "New touchpoint" not in screen
        t.keys("C-q")
        assert db.read_bytes() == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_form_typed_ahead_in_one_burst_fills_each_field(tmp_path: Path, terminals: list[Terminal]) -> None:
    """Over a slow link a whole line of typing arrives at once: the keys after a Tab belong to
    the next field, and Enter saves what was typed, as when typed slowly."""
    db = tmp_path / "cx.json"
    t = _cxmap(terminals, db, tmp_path)
    t.wait_for("Start a new map")
    t.keys("F6")
    t.wait_for("No customers yet")
    t.keys("A")
    t.wait_for("New account")
    t.together("Globex", "Tab", "Tab", "Enterprise", "Enter")
    t.wait_for("1 account, 0 contacts")
    t.keys("C")
    t.wait_for("New contact")
    t.together("Hank Scorpio", "Tab", "Tab", "C-u", "2026-01-05", "BSpace", "6", "Enter")
    t.wait_for("1 contact,")
    book = Store.open(db).customers.book()
    [account] = book.accounts.values()
    [contact] = book.contacts.values()
    assert (account.name, account.segment) == ("Globex", "Enterprise")
    assert (contact.name, contact.start, contact.account) == ("Hank Scorpio", "2026-01-06", account.id)


def test_a_tab_typed_ahead_in_step_4_leaves_the_thoughts_before_the_next_key(tmp_path: Path,
                                                                            terminals: list[Terminal]) -> None:
    """Thoughts, Tab back to the list and a feeling key, arriving in one write: the thoughts are
    saved as typed and the key sets the feeling, as when typed slowly."""
    db = tmp_path / "cx.json"
    m = ExperienceMap.new("Tabs")
    for name in ("One", "Two", "Three"):
        m.add_touchpoint(name)
    map_id = Store.open(db).add(m).id
    t = _cxmap(terminals, db, tmp_path)
    t.wait_for("Start a new map")
    t.keys("/")
    t.type("Tabs")
    t.keys("Down", "Enter")
    t.wait_for("(current state, 3 touchpoints)")
    t.keys("F4")
    t.wait_for("t Thoughts")
    t.keys("t")
    t.together("Too", "Space", "slow", "Tab", "3")
    t.wait_for("1/3 One")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        one = Store.open(db).get(map_id).touchpoints[0]
        if one.feeling is not None and one.thoughts:
            break
        time.sleep(0.1)
    assert (one.thoughts, one.feeling) == ("Too slow", 0)


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="prlimit (util-linux) is not installed")
def test_a_thought_typed_on_a_full_disk_is_saved_once_there_is_room(tmp_path: Path, terminals: list[Terminal]) -> None:
    """The real program with a file-size limit below its database's size, as on a full disk; the
    limit is lifted while it runs, as when space is freed."""
    db = tmp_path / "cx.json"
    m = ExperienceMap.new("Disk")
    for name in ("One", "Two"):
        m.add_touchpoint(name)
    map_id = Store.open(db).add(m).id
    limit = len(db.read_bytes()) // 2
    prlimit = shutil.which("prlimit")
    assert prlimit is not None
    t = Terminal([prlimit, f"--fsize={limit}:unlimited", "--", sys.executable, "-m", "cxmap_tui", "--db", str(db)],
                 env=_env(tmp_path))
    terminals.append(t)
    t.wait_for("Start a new map")
    t.keys("/")
    t.type("Disk")
    t.keys("Down", "Enter")
    t.wait_for("(current state, ")
    t.keys("F4")
    t.wait_for("Thoughts, in the customer's words")
    t.keys("2")
    t.wait_for("1/2 One  -  dissatisfied")
    t.type("No room")
    t.keys("Enter")
    t.wait_for("2/2 Two")
    screen = t.wait_for("2 NOT saved")
    assert "Not saved yet" in screen, screen
    assert Store.open(db).get(map_id).touchpoints[0].feeling is None  # the file holds what it held
    t.keys("Up")
    t.wait_for("No room")  # what was typed is on screen, as typed
    subprocess.run([prlimit, "--pid", str(t.pid()), "--fsize=unlimited"], check=True, timeout=30)
    t.wait_until_gone("NOT saved")  # tried again by itself
    one = Store.open(db).get(map_id).touchpoints[0]
    assert (one.feeling, one.thoughts) == (-1, "No room")


def test_a_letter_typed_right_after_a_step_key_never_lands_in_the_field_left(tmp_path: Path,
                                                                             terminals: list[Terminal]) -> None:
    """F3 and a letter in one write while step 2's title has the focus: the letter must not be
    typed into the title while step 3 is being built (it renamed the map)."""
    db = tmp_path / "cx.json"
    map_id = Store.open(db).add(ExperienceMap.new("Race")).id
    t = _cxmap(terminals, db, tmp_path)
    t.wait_for("Start a new map")
    t.keys("/")
    t.type("Race")
    t.keys("Down", "Enter")
    t.wait_for(">2 Experience")
    t.together("F3", "z")  # z: no command on step 3
    t.wait_for("No touchpoints yet")
    t.keys("C-q")
    t.wait_until_gone("No touchpoints yet")
    assert Store.open(db).get(map_id).title == "Race"


def test_a_whole_step_typed_ahead_in_bursts_lands_where_it_was_typed(tmp_path: Path, terminals: list[Terminal]) -> None:
    """Over a slow link typing arrives in bursts: a field's Enter and the next field's text, a
    feeling key and the thoughts, Enter and the next feeling. Each lands where it was typed."""
    db = tmp_path / "cx.json"
    m = ExperienceMap.new("Bursts")
    for name in ("One", "Two", "Three"):
        m.add_touchpoint(name)
    map_id = Store.open(db).add(m).id
    t = _cxmap(terminals, db, tmp_path)
    t.wait_for("Start a new map")
    t.keys("/")
    t.type("Bursts")
    t.keys("Down", "Enter")
    t.wait_for(">2 Experience")
    t.keys("Tab", "Tab")  # to the scope
    t.together("Calls", "Space", "in", "Enter", "Busy", "Space", "parent", "Enter")
    t.keys("F4")
    t.wait_for("Thoughts, in the customer's words")
    t.together("Up", "Up", "Up", "4", "Clear", "Enter", "1", "Too", "Space", "long", "Enter", "5", "Great", "Enter")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        saved = Store.open(db).get(map_id)
        if saved.touchpoints[2].thoughts:
            break
        time.sleep(0.1)
    assert (saved.scope, saved.persona) == ("Calls in", "Busy parent")
    assert [(tp.feeling, tp.thoughts) for tp in saved.touchpoints] == [(1, "Clear"), (-2, "Too long"), (2, "Great")]


def _in_reverse(t: Terminal, text: str, timeout: float = 15.0) -> bool:
    """Whether `text` comes to be drawn in reverse video (SGR 7 in force before it) on the screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in t.styled().splitlines():
            at = line.find(text)
            codes = re.findall(r"\x1b\[([0-9;]*)m", line[:at]) if at >= 0 else []
            if codes and "7" in codes[-1].split(";"):
                return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_a_plain_vt100_without_colour_gets_ascii_only_and_sees_the_focus(tmp_path: Path, terminals: list[Terminal],
                                                                          size: tuple[int, int]) -> None:
    """LANG=C TERM=vt100 NO_COLOR=1: the five steps by keys; every byte cxmap writes is ASCII, and
    the field being typed into is in reverse video (without colour nothing else would show it)."""
    db, wire = tmp_path / "cx.json", tmp_path / "wire.bin"
    env = {**_env(tmp_path, term="vt100"), "NO_COLOR": "1"}
    t = Terminal([sys.executable, "-m", "cxmap_tui", "--db", str(db)], env=env, size=size, record=wire)
    terminals.append(t)
    t.wait_for("Start a new map")
    assert _in_reverse(t, "Blank map")  # the list's cursor

    t.keys("Enter")
    t.wait_for("New map from a blank map")
    t.type("Plain call")
    assert _in_reverse(t, "Plain call")
    t.keys("Enter")
    t.wait_for(">2 Experience")
    t.keys("Tab", "Tab")
    t.type("Calls about a parcel")
    t.wait_for("Calls about a parcel")
    assert _in_reverse(t, "Calls about a parcel")
    t.keys("Enter")

    t.keys("F3")
    t.wait_for("No touchpoints yet")
    t.keys("a")
    t.wait_for("New touchpoint")
    t.type("Hold music")
    assert _in_reverse(t, "Hold music")
    t.keys("Tab")
    t.type("Waits")
    t.keys("Enter")
    t.wait_until_gone("New touchpoint")
    t.wait_for("Hold music")

    t.keys("F4")
    t.wait_for("Thoughts")
    t.keys("1")
    t.type("Too long")
    t.wait_for("Too long")
    assert _in_reverse(t, "Too long")
    t.keys("Enter")

    t.keys("F5")
    t.wait_for("Friction with no improvement yet")
    t.keys("A")
    t.wait_for("New improvement")
    t.type("Call back")
    t.keys("Enter")
    t.wait_for("Every friction point has an improvement")
    t.keys("m")
    screen = t.wait_for("quick win")
    assert all(len(line) <= size[0] for line in screen.splitlines())
    assert any(line.rstrip().endswith("+") and "big bet" in line for line in screen.splitlines()), screen
    t.keys("C-q")
    t.wait_until_gone("quick win")

    [m] = Store.open(db).maps()
    assert (m.title, m.scope, [(tp.name, tp.feeling, tp.thoughts) for tp in m.touchpoints]) == (
        "Plain call", "Calls about a parcel", [("Hold music", -2, "Too long")])
    written = wire.read_bytes()
    assert len(written) > 10_000  # the whole session went down the pipe
    outside = sorted({b for b in written if b > 0x7F})
    assert outside == [], [written[max(0, i - 40):i + 8] for i, b in enumerate(written) if b > 0x7F][:3]
