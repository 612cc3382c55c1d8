"""Exhaustive week plans for tiny instances: the reference the planner's tests compare to.

Legs are the shortest ways through the table (`shortest_legs`), as the planner drives them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from kacard.planning.routing.solve import Day, Job, shortest_legs


def line_matrix(positions: list[float]) -> list[list[float]]:
    """Sites on a road: minutes = distance along it. positions[0] is the base."""
    return [[abs(a - b) for b in positions] for a in positions]


def route_ok(m: list[list[float]], jobs: list[Job], day: Day) -> float | None:
    """Travel of visiting `jobs` in this order on `day` (windows, appointments, breaks,
    visit cap, back by the day's end), or None if that order is infeasible."""
    if day.max_visits is not None and len(jobs) > max(day.max_visits, sum(1 for j in jobs if j.fixed)):
        return None
    t, prev, travel = float(day.start), 0, 0.0
    for j in jobs:
        travel += m[prev][j.node]
        arrive = t + m[prev][j.node]
        if j.fixed is not None:
            if j.fixed[0] != day.index or arrive > j.fixed[1] + 1e-9:
                return None
            start = float(j.fixed[1])
        else:
            if day.index not in j.windows:
                return None
            lo, hi = j.windows[day.index]
            start = max(arrive, lo)
            for b0, b1 in day.breaks:
                if start < b1 and start + j.service > b0:
                    start = float(b1)
            if start + j.service > hi + 1e-9:
                return None
        t, prev = start + j.service, j.node
    travel += m[prev][0]
    return travel if t + m[prev][0] <= day.end + 1e-9 else None


def best_day(m: list[list[float]], jobs: list[Job], day: Day) -> float | None:
    found = [x for x in (route_ok(m, list(p), day) for p in itertools.permutations(jobs)) if x is not None]
    return min(found) if found else None


def brute_force(m: list[list[float]], jobs: list[Job], days: list[Day],
                value: Callable[[list[Job]], Any]) -> tuple[Any, ...]:
    """Best (fixed kept, value(kept), visits kept, -travel) over every assignment."""
    m = shortest_legs(m)
    best = None
    for assign in itertools.product(range(len(days) + 1), repeat=len(jobs)):
        travel = 0.0
        for k, day in enumerate(days):
            mine = [j for j, a in zip(jobs, assign, strict=True) if a == k]
            tr = best_day(m, mine, day) if mine else 0.0
            if tr is None:
                break
            travel += tr
        else:
            kept = [j for j, a in zip(jobs, assign, strict=True) if a < len(days)]
            key = (sum(1 for j in kept if j.fixed), value(kept), len(kept), -round(travel, 6))
            if best is None or key > best:
                best = key
    assert best is not None
    return best


def priority_sum(kept: list[Job]) -> float:
    return round(sum(j.priority for j in kept), 6)


def urgency_profile(kept: list[Job]) -> tuple[float, ...]:
    return tuple(sorted((j.priority for j in kept), reverse=True))
