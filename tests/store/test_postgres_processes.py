"""Ten processes writing to one workspace on a PostgreSQL server at once: nothing lost, nothing
saved twice, the log without gaps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.store import Store
from cxmap_tui.store.postgres import PostgresEngine
from tests.helpers import pg_databases

ROOT = Path(__file__).resolve().parents[2]


def test_ten_processes_writing_at_once_lose_nothing(pg_url: str) -> None:
    engine = PostgresEngine(pg_url)
    try:
        m = Store(engine).add(ExperienceMap.new("Support call"))
    finally:
        engine.close()
    writers, each = 10, 4
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.helpers.writer", pg_url, m.id, f"w{n}", str(each)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
             for n in range(writers)]
    said = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        said += [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("saved ")]
    assert len(said) == writers * each
    engine = PostgresEngine(pg_url)
    try:
        got = Store(engine).get(m.id)
    finally:
        engine.close()
    names = [tp.name for tp in got.touchpoints]
    assert sorted(names) == sorted(said) and len(set(names)) == len(names)  # every one there, once
    assert all(tp.thoughts == "short" for tp in got.touchpoints)  # and each writer's second edit too
    seqs = [int(str(r[0])) for r in pg_databases.admin(pg_url, "SELECT seq FROM cxmap.log ORDER BY seq")]
    assert seqs == list(range(1, 2 + 2 * writers * each))  # the map, then two saves a touchpoint, no gaps
