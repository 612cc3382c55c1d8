"""Exhaustive week plans for tiny instances: the reference the planner's tests compare to.

Legs are the shortest ways through the table (`shortest_legs`), as the planner drives them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

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


@st.composite
def tiny_weeks(draw, *, one_way: bool = False, rules: bool = False):  # type: ignore[no-untyped-def]
    """(matrix, jobs, days): up to 5 visits on a road over 1-2 days with windows, some fixed
    appointments; `one_way` sometimes makes one direction 30 % slower, `rules` adds a lunch
    break and a visit cap."""
    n_nodes = draw(st.integers(1, 5))
    m = line_matrix([0.0] + [draw(st.floats(-150, 150)) for _ in range(n_nodes)])
    if one_way and draw(st.booleans()):
        m = [[x * (1.3 if i < j else 1.0) for j, x in enumerate(row)] for i, row in enumerate(m)]
    n_days = draw(st.integers(1, 2))
    breaks = ((720, 780),) if rules and draw(st.booleans()) else ()
    cap = draw(st.sampled_from([None, 1, 2])) if rules else None
    days = [Day(k, 480, draw(st.integers(600, 1020)), breaks, cap) for k in range(n_days)]
    jobs = []
    for i in range(draw(st.integers(0, 5))):
        windows = {}
        for k in range(n_days):
            if draw(st.booleans()):
                lo = draw(st.integers(420, 960))
                windows[k] = (lo, lo + draw(st.integers(20, 400)))
        fixed = None
        if draw(st.integers(0, 5)) == 0:
            fixed = (draw(st.integers(0, n_days)), draw(st.integers(450, 960)))
        jobs.append(Job(f"j{i}", draw(st.integers(1, n_nodes)), draw(st.integers(10, 120)),
                        windows, float(draw(st.integers(0, 9))), fixed))
    return m, jobs, days
