"""Weekly planner model: problem data, day routes, O(1) insertion checks.

Each working day is one route from the base and back. Every route keeps, per
stop, the earliest feasible start (forward pass) and the latest start that
keeps the rest of the day feasible (backward pass), so whether a visit fits
between two stops, and what it costs, is known in O(1). The search itself is
in lns.py.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .types import URGENT_FIRST, Day, Job, Objective, break_free_latest, break_free_start

EPS = 1e-9
_versions = itertools.count(1)
BLINK = 0.05  # chance to skip a feasible place while re-inserting (diversity)
BLOCKED_CACHE_MAX = 500_000


@dataclass
class Problem:
    """Pre-computed, index-based view of the planning input."""

    minutes: list[list[float]]
    jobs: list[Job]
    days: list[Day]
    node: list[int]
    service: list[float]
    priority: list[float]
    is_fixed: list[bool]
    # window[j][k] = (earliest start, latest start) on day position k, or None
    window: list[list[tuple[float, float] | None]]
    allowed_days: list[list[int]]  # day positions where j fits alone
    near: list[list[int]]  # other jobs by closeness, for related removal
    min_in: list[float]  # shortest drive into the site from anywhere
    min_out: list[float]  # shortest drive out of the site to anywhere
    objective: Objective = field(default_factory=Objective)
    # urgent_first: exact integer weights whose sums compare like "most urgent kept first"
    rank: list[int] = field(default_factory=list)
    from_base: list[float] = field(default_factory=list)  # shortest path base -> node
    to_base: list[float] = field(default_factory=list)  # shortest path node -> base
    # (job, route version) pairs known not to fit: a route's content never
    # changes under one version, so the answer stays true for copies too.
    blocked: set[tuple[int, int]] = field(default_factory=set)

    @classmethod
    def build(cls, minutes: list[list[float]], jobs: list[Job], days: list[Day],
              objective: Objective | None = None) -> Problem:
        pos_of_day = {d.index: k for k, d in enumerate(days)}
        window: list[list[tuple[float, float] | None]] = []
        for job in jobs:
            row: list[tuple[float, float] | None] = [None] * len(days)
            if job.fixed is not None:
                k = pos_of_day.get(job.fixed[0])
                if k is not None:
                    row[k] = (float(job.fixed[1]), float(job.fixed[1]))
            else:
                for day_index, (lo, hi) in job.windows.items():
                    k = pos_of_day.get(day_index)
                    if k is not None and hi - job.service >= lo:
                        row[k] = (float(lo), float(hi - job.service))
            window.append(row)
        m = [[float(x) for x in r] for r in minutes]
        p = cls(
            minutes=m,
            jobs=list(jobs),
            days=list(days),
            node=[j.node for j in jobs],
            service=[float(j.service) for j in jobs],
            priority=[float(j.priority) for j in jobs],
            is_fixed=[j.fixed is not None for j in jobs],
            window=window,
            allowed_days=[],
            near=[],
            min_in=[],
            min_out=[],
            objective=objective or Objective(),
        )
        levels = sorted(set(p.priority))
        level_of = {x: i for i, x in enumerate(levels)}
        base_weight = len(jobs) + 1
        p.rank = [base_weight ** level_of[x] for x in p.priority]
        nodes_used = [0, *p.node]
        shared = {v for v, n in Counter(p.node).items() if n > 1}  # two visits at one site: 0 min apart
        for v in p.node:
            if v in shared:
                p.min_in.append(0.0)
                p.min_out.append(0.0)
                continue
            p.min_in.append(min((m[u][v] for u in nodes_used if u != v), default=0.0))
            p.min_out.append(min((m[v][u] for u in nodes_used if u != v), default=0.0))
        p.from_base = _shortest(m, nodes_used, forward=True)
        p.to_base = _shortest(m, nodes_used, forward=False)
        p.allowed_days = [
            [k for k in range(len(days)) if p.fits_alone(j, k)] for j in range(len(jobs))
        ]
        def closeness(j: int) -> Callable[[int], tuple[float, int]]:
            return lambda i: (min(m[p.node[i]][p.node[j]], m[p.node[j]][p.node[i]]), i)

        p.near = [
            sorted((i for i in range(len(jobs)) if i != j), key=closeness(j))
            for j in range(len(jobs))
        ]
        return p

    def fits_alone(self, j: int, k: int) -> bool:
        """Could visit j go on day k at all? Its window, the breaks and the quickest way
        there and back (shortest paths over the matrix: a table that breaks the triangle
        inequality may reach a site faster through another one)."""
        w = self.window[j][k]
        if w is None:
            return False
        day, v = self.days[k], self.node[j]
        start = self.start_at(j, k, max(day.start + self.from_base[v], w[0]))
        return start <= w[1] + EPS and start + self.service[j] + self.to_base[v] <= day.end + EPS

    def start_at(self, j: int, k: int, start: float) -> float:
        """The earliest start >= ``start`` that overlaps no break (fixed ones stay)."""
        if self.is_fixed[j] or not self.days[k].breaks:
            return start
        return break_free_start(start, self.service[j], self.days[k].breaks)

    def soft(self, j: int, k: int, visits: int) -> float:
        """Objective minutes of adding visit j to day k that already holds ``visits``."""
        o = self.objective
        return o.early * self.priority[j] * k + o.spread * (2 * visits + 1)

    def room(self, j: int, k: int, visits: int) -> bool:
        """Does day k's visit cap leave room for j (fixed appointments always fit)?"""
        cap = self.days[k].max_visits
        return cap is None or visits < cap or self.is_fixed[j]


CLOSURE_MAX_NODES = 100  # Floyd-Warshall up to here (~0.1 s in pure Python); beyond, one relaxation pass
RELAX_NEIGHBOURS = 8


def shortest_legs(minutes: list[list[float]]) -> list[list[float]]:
    """The travel table with every leg as short as a way through other points makes it.

    A road table (OSRM snapping, one-way streets, hand-made tables) can break the
    triangle inequality: A -> C slower than A -> B -> C. The rep drives the quicker way,
    so the planner should too, or it calls reachable visits unreachable. Exact
    (Floyd-Warshall) up to CLOSURE_MAX_NODES points; above, each leg is relaxed once
    through the RELAX_NEIGHBOURS points nearest its start (bounded time). A table that
    keeps the inequality comes back equal. Returns a new table.
    """
    d = [[float(x) for x in row] for row in minutes]
    n = len(d)
    if n <= CLOSURE_MAX_NODES:
        for k in range(n):
            rk = d[k]
            for i in range(n):
                dik = d[i][k]
                ri = d[i]
                if any(dik + b < a - EPS for a, b in zip(ri, rk, strict=True)):
                    d[i] = [min(a, dik + b) for a, b in zip(ri, rk, strict=True)]
        return d
    for i in range(n):
        ri = d[i]
        near = sorted((k for k in range(n) if k != i), key=lambda k: ri[k])[:RELAX_NEIGHBOURS]
        for k in near:
            dik, rk = ri[k], d[k]
            if any(dik + b < a - EPS for a, b in zip(ri, rk, strict=True)):
                ri = [min(a, dik + b) for a, b in zip(ri, rk, strict=True)]
        d[i] = ri
    return d


def _shortest(m: list[list[float]], nodes: list[int], *, forward: bool) -> list[float]:
    """Dijkstra from (forward) or to the base over ``nodes``; indexed by node."""
    dist = {v: math.inf for v in nodes}
    dist[0] = 0.0
    heap = [(0.0, 0)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v in nodes:
            w = m[u][v] if forward else m[v][u]
            if d + w < dist[v] - EPS:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    out = [math.inf] * (max(nodes) + 1)
    for v, d in dist.items():
        out[v] = d
    return out


@dataclass
class Route:
    """One day's visits with earliest (es) and latest (ls) feasible start times."""

    jobs: list[int] = field(default_factory=list)
    es: list[float] = field(default_factory=list)
    ls: list[float] = field(default_factory=list)
    travel: float = 0.0
    max_gap: float = 0.0  # widest (latest next start - earliest departure) between stops
    version: int = 0  # new number on every change: keys the "does not fit" cache

    def copy(self) -> Route:
        return Route(list(self.jobs), list(self.es), list(self.ls), self.travel, self.max_gap,
                     self.version)


def refresh(p: Problem, k: int, r: Route) -> bool:
    """Recompute es/ls/travel of route r on day k; False if it is infeasible."""
    m, day = p.minutes, p.days[k]
    es: list[float] = []
    t, prev, travel = float(day.start), 0, 0.0
    for j in r.jobs:
        v = p.node[j]
        w = p.window[j][k]
        if w is None:
            return False
        travel += m[prev][v]
        start = p.start_at(j, k, max(t + m[prev][v], w[0]))
        if start > w[1] + EPS:
            return False
        es.append(start)
        t, prev = start + p.service[j], v
    travel += m[prev][0]
    if t + m[prev][0] > day.end + EPS:
        return False
    ls = [0.0] * len(r.jobs)
    nxt_ls, nxt = float(day.end), 0
    for i in range(len(r.jobs) - 1, -1, -1):
        j = r.jobs[i]
        v = p.node[j]
        w = p.window[j][k]
        assert w is not None
        nxt_ls = min(w[1], nxt_ls - m[v][nxt] - p.service[j])
        if day.breaks and not p.is_fixed[j]:
            nxt_ls = break_free_latest(nxt_ls, p.service[j], day.breaks)
        ls[i], nxt = nxt_ls, v
    r.es, r.ls, r.travel = es, ls, travel
    r.max_gap = _max_gap(p, day, r.jobs, es, ls)
    r.version = next(_versions)
    return True


def _max_gap(p: Problem, day: Day, jobs: list[int], es: list[float], ls: list[float]) -> float:
    """Largest time between leaving one stop (earliest) and having to start the
    next (latest): a visit needing more than that fits nowhere in this day."""
    dep = float(day.start)
    best = 0.0
    for i, j in enumerate(jobs):
        best = max(best, ls[i] - dep)
        dep = es[i] + p.service[j]
    return max(best, day.end - dep)


@dataclass
class Solution:
    routes: list[Route]
    unassigned: set[int]

    def copy(self) -> Solution:
        return Solution([r.copy() for r in self.routes], set(self.unassigned))

    def assigned(self) -> set[int]:
        return {j for r in self.routes for j in r.jobs}

    def key(self, p: Problem) -> tuple[int, float, int, float, float]:
        """Bigger is better: (fixed kept, kept priority or, urgent_first, the exact
        rank sum, visits kept, -cost minutes, kept priority); rounded so float noise
        never decides."""
        kept = [j for r in self.routes for j in r.jobs]
        prio = round(sum(p.priority[j] for j in kept), 6)
        primary: float = sum(p.rank[j] for j in kept) if p.objective.rule == URGENT_FIRST else prio
        return (
            sum(1 for j in kept if p.is_fixed[j]),
            primary,
            len(kept),
            -round(self.cost(p), 6),
            prio,
        )

    def cost(self, p: Problem) -> float:
        """Travel minutes plus the objective's soft minutes (early, spread)."""
        o = p.objective
        total = sum(r.travel for r in self.routes)
        if o.early or o.spread:
            for k, r in enumerate(self.routes):
                total += o.spread * len(r.jobs) ** 2
                total += o.early * k * sum(p.priority[j] for j in r.jobs)
        return total


def best_insertion(
    p: Problem, s: Solution, j: int, rng: random.Random | None, by_time: bool = False
) -> tuple[float, int, int] | None:
    """Cheapest feasible (extra minutes, day position, index) for visit j."""
    need = p.service[j] + p.min_in[j] + p.min_out[j]
    best: tuple[float, int, int] | None = None
    for k in p.allowed_days[j]:
        r = s.routes[k]
        if r.max_gap + EPS < need:
            continue
        if (j, r.version) in p.blocked:
            continue
        found = best_in_route(p, k, r, j, rng, by_time)
        if found is None:
            continue
        if found[1] < 0:
            if len(p.blocked) > BLOCKED_CACHE_MAX:
                p.blocked.clear()
            p.blocked.add((j, r.version))
            continue
        delta = found[0] + p.soft(j, k, len(r.jobs))
        if best is None or delta < best[0] - EPS:
            best = (delta, k, found[1])
    return best


def best_in_route(
    p: Problem, k: int, r: Route, j: int, rng: random.Random | None, by_time: bool = False
) -> tuple[float, int] | None:
    """Cheapest feasible (extra minutes, index) for visit j in day k, O(1) per place.

    Returns (inf, -1) when no place is feasible at all, and None when the only
    feasible places were skipped at random (blinks).
    """
    m, v, serv = p.minutes, p.node[j], p.service[j]
    if not p.room(j, k, len(r.jobs)):
        return (math.inf, -1)
    mv = m[v]
    w = p.window[j][k]
    assert w is not None
    lo, hi = w
    day = p.days[k]
    shift = bool(day.breaks) and not p.is_fixed[j]
    prev, prev_dep = 0, float(day.start)
    jobs, es, ls = r.jobs, r.es, r.ls
    n = len(jobs)
    best_delta = math.inf
    best: tuple[float, int] | None = None
    feasible = False
    for i in range(n + 1):
        if prev_dep > hi + EPS:
            break  # departures only get later along the route
        if i < n:
            nxt_job = jobs[i]
            nxt, nxt_ls = p.node[nxt_job], ls[i]
        else:
            nxt, nxt_ls = 0, float(day.end)
        mp = m[prev]
        start = prev_dep + mp[v]
        start = max(start, lo)
        if shift:
            start = break_free_start(start, serv, day.breaks)
        if start <= hi + EPS and start + serv + mv[nxt] <= nxt_ls + EPS:
            feasible = True
            if by_time:  # how much later the next stop (or home) can start
                old = es[i] if i < n else prev_dep + mp[0]
                nxt_start = start + serv + mv[nxt]
                if i < n:
                    nxt_window = p.window[nxt_job][k]
                    assert nxt_window is not None  # a planned stop's day allows it
                    nxt_start = p.start_at(nxt_job, k, max(nxt_start, nxt_window[0]))
                delta = nxt_start - old
            else:
                delta = mp[v] + mv[nxt] - mp[nxt]
            if delta < best_delta - EPS and (rng is None or rng.random() >= BLINK):
                best_delta, best = delta, (delta, i)
        if i < n:
            prev, prev_dep = nxt, es[i] + p.service[nxt_job]
    if not feasible:
        return (math.inf, -1)
    return best


def insert(p: Problem, s: Solution, j: int, k: int, i: int) -> bool:
    """Put visit j at index i of day k; undone (False) if the schedule disagrees."""
    r = s.routes[k]
    r.jobs.insert(i, j)
    if not refresh(p, k, r):  # only float round-off could get here
        del r.jobs[i]
        refresh(p, k, r)
        return False
    s.unassigned.discard(j)
    return True


def remove(p: Problem, s: Solution, jobs: set[int]) -> None:
    """Take visits out; a day where that would break the schedule is left as is.

    (With a road matrix that breaks the triangle inequality, skipping a stop
    can make the next arrival later.)
    """
    for k, r in enumerate(s.routes):
        if not any(j in jobs for j in r.jobs):
            continue
        old = r.copy()
        r.jobs = [j for j in r.jobs if j not in jobs]
        if refresh(p, k, r):
            s.unassigned |= set(old.jobs) - set(r.jobs)
        else:
            s.routes[k] = old


def construct(p: Problem) -> Solution:
    s = Solution([Route() for _ in p.days], set(range(len(p.jobs))))
    for k, r in enumerate(s.routes):
        refresh(p, k, r)
    todo = sorted(
        (j for j in range(len(p.jobs)) if p.allowed_days[j]),
        key=lambda j: (not p.is_fixed[j], -p.priority[j], j),
    )
    for j in todo:
        ins = best_insertion(p, s, j, None)
        if ins is not None:
            insert(p, s, j, ins[1], ins[2])
    return s
