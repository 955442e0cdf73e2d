"""What the benchmarks time with: the median of repeated runs, in milliseconds. (Each script runs
from bench/, so `from timing import ...` finds this file.)"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable


def median_ms(samples: list[float]) -> float:
    """The median of `samples` (seconds), in milliseconds."""
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], object], repeat: int) -> float:
    """The median time of `repeat` calls of `fn`, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def command_ms(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    """The median time of `repeat` runs of the command `cmd` (its output kept from the screen), in ms."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return median_ms(samples)
