"""Several processes on one file, and writers killed mid-save: nothing saved is ever lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _writer(db: Path, map_id: str, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.writer", str(db), map_id, prefix, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_five_processes_adding_100_touchpoints_each(db_path: Path) -> None:
    store = Store.open(db_path)
    m = store.add(ExperienceMap.new("Shared workshop"))
    procs = [_writer(db_path, m.id, f"p{n}", 100) for n in range(5)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert out.count("saved ") == 100
    json.loads(db_path.read_text())  # the file is valid JSON
    got = Store.open(db_path).get(m.id)
    names = [t.name for t in got.touchpoints]
    assert len(names) == 500
    assert set(names) == {f"p{n}-{i}" for n in range(5) for i in range(100)}
    for n in range(5):  # each process's own touchpoints stay in the order it added them
        mine = [x for x in names if x.startswith(f"p{n}-")]
        assert mine == [f"p{n}-{i}" for i in range(100)]
    assert got.revision == 1 + 2 * 500  # every save counted, none lost


def test_cli_processes_at_once_lose_nothing(db_path: Path) -> None:
    """The same through the real `cxmap` command, a few processes at a time."""
    store = Store.open(db_path)
    m = store.add(ExperienceMap.new("CLI workshop"))
    cmd = [sys.executable, "-c", "from cxmap_tui.cli.main import main; main()"]
    procs = []
    for n in range(4):
        script = " && ".join(
            f"{' '.join(cmd[:2])} '{cmd[2]}' --db {db_path} touchpoint add {m.id} c{n}-{i}" for i in range(5)
        )
        procs.append(subprocess.Popen(["sh", "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    names = {t.name for t in Store.open(db_path).get(m.id).touchpoints}
    assert names == {f"c{n}-{i}" for n in range(4) for i in range(5)}


def _big_workspace(db: Path) -> str:
    """Enough data that each save takes a while, so kills land inside saves. The target map
    comes first in the file, so a torn save would mix old and new bytes."""
    store = Store.open(db)
    target = store.add(ExperienceMap.new("Target")).id
    maps = []
    for n in range(40):
        m = ExperienceMap.new(f"Map {n}")
        for i in range(50):
            m.add_touchpoint(f"Touchpoint {i}", stage="Use", thoughts="t" * 200, notes="n" * 100)
        maps.append(m)
    store.add_many(maps)
    return target


def test_writer_killed_at_random_moments_never_breaks_the_file(db_path: Path) -> None:
    map_id = _big_workspace(db_path)
    rng = random.Random(1234)
    total_saved = 0
    for round_ in range(30):
        proc = _writer(db_path, map_id, f"r{round_}", 10_000)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        # Once the writer has saved its first change (however slow the machine), kill it at a
        # random moment of the saves that follow.
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        reported = [line.split(" ", 1)[1] for line in (first + out).splitlines() if line.startswith("saved ")]
        total_saved += len(reported)
        # The file always opens, and every change reported as saved is in it.
        got = Store.open(db_path).get(map_id)
        names = {t.name for t in got.touchpoints}
        missing = [r for r in reported if r not in names]
        assert not missing, f"round {round_}: lost {missing}"
        assert all(t.thoughts == "short" for t in got.touchpoints if t.name in reported)
    assert total_saved >= 30, "the writer saved at least once in every round"
    # Killed writers leave temporary files; the next session that saves clears them away.
    Store.open(db_path).change(map_id, lambda m: m.edit(scope="after the storm"))
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
