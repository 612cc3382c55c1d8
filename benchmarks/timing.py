"""Timing a whole kacard run as a user starts it: CPU seconds of the child (and the
grandchildren it waits for, e.g. git) and wall seconds."""

from __future__ import annotations

import resource
import subprocess
import time


def child_cpu(argv: list[str], env: dict[str, str], check: bool = False) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of running `argv` with its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall
