"""Weekly planner internals: a prize-collecting VRP with time windows.

Each working day is one route from the base and back. Construction inserts
visits by urgency at their cheapest feasible place; then ruin-and-recreate
(large neighbourhood search) removes a few visits (random, related, a string
of one day, or the costliest) and re-inserts every unplanned visit. Feasibility
of an insertion is O(1) thanks to per-stop earliest/latest start times, which
is what makes thousands of iterations per second possible in pure Python.

The objective is compared as a tuple, most important first:
(fixed appointments kept, priority sum kept, visits kept, -travel minutes).
"""

from __future__ import annotations

import math
import random
import time
from itertools import combinations
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import tsp

if TYPE_CHECKING:
    from .solve import Day, Job

EPS = 1e-9
# LNS iterations per second of budget, calibrated on a 2-core machine for 60
# visits over 5 days. The iteration count (not the clock) ends the search, so
# a seed gives the same plan everywhere; the clock is only a guard.
ITERATIONS_PER_SECOND = 1500
GUARD_FACTOR = 1.6
MAX_RUIN = 12
BLINK = 0.05
TARGETED_RUIN = 0.3  # share of ruins that make room for an unplanned visit
W_TEMPERATURE = 1.0  # x the mean kept priority


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

    @classmethod
    def build(cls, minutes: list[list[float]], jobs: list[Job], days: list[Day]) -> Problem:
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
        )
        nodes_used = [0, *p.node]
        for v in p.node:
            p.min_in.append(min((m[u][v] for u in nodes_used if u != v), default=0.0))
            p.min_out.append(min((m[v][u] for u in nodes_used if u != v), default=0.0))
        p.allowed_days = [
            [k for k in range(len(days)) if p.fits_alone(j, k)] for j in range(len(jobs))
        ]
        p.near = [
            sorted(
                (i for i in range(len(jobs)) if i != j),
                key=lambda i, j=j: (min(m[p.node[i]][p.node[j]], m[p.node[j]][p.node[i]]), i),
            )
            for j in range(len(jobs))
        ]
        return p

    def fits_alone(self, j: int, k: int) -> bool:
        """Could visit j be day k's only visit (base -> site -> base)?"""
        w = self.window[j][k]
        if w is None:
            return False
        day, m, v = self.days[k], self.minutes, self.node[j]
        start = max(day.start + m[0][v], w[0])
        return start <= w[1] + EPS and start + self.service[j] + m[v][0] <= day.end + EPS


@dataclass
class Route:
    """One day's visits with earliest (es) and latest (ls) feasible start times."""

    jobs: list[int] = field(default_factory=list)
    es: list[float] = field(default_factory=list)
    ls: list[float] = field(default_factory=list)
    travel: float = 0.0
    max_gap: float = 0.0  # widest (latest next start - earliest departure) between stops

    def copy(self) -> Route:
        return Route(list(self.jobs), list(self.es), list(self.ls), self.travel, self.max_gap)


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
        start = max(t + m[prev][v], w[0])
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
        ls[i], nxt = nxt_ls, v
    r.es, r.ls, r.travel = es, ls, travel
    r.max_gap = _max_gap(p, day, r.jobs, es, ls)
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

    def key(self, p: Problem) -> tuple[int, float, int, float]:
        """Bigger is better; priorities rounded so float noise never decides."""
        kept = [j for r in self.routes for j in r.jobs]
        return (
            sum(1 for j in kept if p.is_fixed[j]),
            round(sum(p.priority[j] for j in kept), 6),
            len(kept),
            -round(sum(r.travel for r in self.routes), 6),
        )


def best_insertion(
    p: Problem, s: Solution, j: int, rng: random.Random | None
) -> tuple[float, int, int] | None:
    """Cheapest feasible (extra minutes, day position, index) for visit j."""
    need = p.service[j] + p.min_in[j] + p.min_out[j]
    best: tuple[float, int, int] | None = None
    for k in p.allowed_days[j]:
        r = s.routes[k]
        if r.max_gap + EPS < need:
            continue
        found = best_in_route(p, k, r, j, rng)
        if found is not None and (best is None or found[0] < best[0] - EPS):
            best = (found[0], k, found[1])
    return best


def best_in_route(
    p: Problem, k: int, r: Route, j: int, rng: random.Random | None
) -> tuple[float, int] | None:
    """Cheapest feasible (extra minutes, index) for visit j in day k, O(1) per place."""
    m, v, serv = p.minutes, p.node[j], p.service[j]
    mv = m[v]
    w = p.window[j][k]
    assert w is not None
    lo, hi = w
    day = p.days[k]
    prev, prev_dep = 0, float(day.start)
    jobs, es, ls = r.jobs, r.es, r.ls
    n = len(jobs)
    best_delta = math.inf
    best: tuple[float, int] | None = None
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
        if start < lo:
            start = lo
        if start <= hi + EPS and start + serv + mv[nxt] <= nxt_ls + EPS:
            delta = mp[v] + mv[nxt] - mp[nxt]
            if delta < best_delta - EPS and (rng is None or rng.random() >= BLINK):
                best_delta, best = delta, (delta, i)
        if i < n:
            prev, prev_dep = nxt, es[i] + p.service[nxt_job]
    return best


def exchange(p: Problem, s: Solution) -> bool:
    """Trade one or two planned visits for a more urgent unplanned one.

    Ruin-and-recreate rarely finds "drop these two small ones for that big
    one" by chance; this pass tries it directly (same day, strict priority
    gain), then re-inserts the dropped visits anywhere they still fit.
    """
    changed = False
    waiting = sorted((j for j in s.unassigned if p.allowed_days[j]),
                     key=lambda j: (not p.is_fixed[j], -p.priority[j], j))
    for u in waiting:
        if u not in s.unassigned:
            continue
        best: tuple[float, float, int, Route, tuple[int, ...]] | None = None
        for k in p.allowed_days[u]:
            r = s.routes[k]
            movable = [j for j in r.jobs if not p.is_fixed[j]]
            options = [(j,) for j in movable] + list(combinations(movable, 2))
            for out in options:
                gain = p.priority[u] - sum(p.priority[j] for j in out)
                if gain <= EPS or (best is not None and gain < best[0] - EPS):
                    continue
                trial = Route([j for j in r.jobs if j not in out])
                if not refresh(p, k, trial):
                    continue
                found = best_in_route(p, k, trial, u, None)
                if found is None:
                    continue
                key = (gain, -(trial.travel + found[0]))
                if best is None or key > (best[0], best[1]):
                    trial.jobs.insert(found[1], u)
                    if refresh(p, k, trial):
                        best = (key[0], key[1], k, trial, out)
        if best is not None:
            _, _, k, trial, out = best
            s.routes[k] = trial
            s.unassigned.discard(u)
            s.unassigned.update(out)
            for j in out:
                ins = best_insertion(p, s, j, None)
                if ins is not None:
                    insert(p, s, j, ins[1], ins[2])
            changed = True
    return changed


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


def recreate(p: Problem, s: Solution, rng: random.Random, mode: int) -> None:
    """Re-insert unplanned visits, most urgent first (order varied by mode)."""
    todo = sorted(j for j in s.unassigned if p.allowed_days[j])
    if mode == 0:  # urgency, ties at random
        todo.sort(key=lambda j: (not p.is_fixed[j], -p.priority[j], rng.random()))
    elif mode == 1:  # urgency with noise: lets two medium visits beat one big
        todo.sort(key=lambda j: (not p.is_fixed[j], -p.priority[j] * rng.uniform(0.7, 1.3)))
    else:  # urgency per minute on site
        todo.sort(key=lambda j: (
            not p.is_fixed[j], -p.priority[j] / (p.service[j] + 30.0) * rng.uniform(0.9, 1.1)))
    for j in todo:
        ins = best_insertion(p, s, j, rng)
        if ins is not None:
            insert(p, s, j, ins[1], ins[2])


def ruin(p: Problem, s: Solution, rng: random.Random) -> None:
    """Take a few movable visits out of the plan."""
    movable = [j for r in s.routes for j in r.jobs if not p.is_fixed[j]]
    if not movable:
        return
    q = rng.randint(1, max(1, min(MAX_RUIN, (len(movable) + 2) // 3)))
    how = rng.random()
    waiting = [j for j in sorted(s.unassigned) if p.allowed_days[j]]
    if waiting and rng.random() < TARGETED_RUIN:
        out = _make_room(p, waiting, movable, q, rng)
    elif how < 0.35:
        out = set(rng.sample(movable, min(q, len(movable))))
    elif how < 0.7:
        seed_job = rng.choice(movable)
        movable_set = set(movable)
        out = {seed_job}
        for j in p.near[seed_job]:
            if len(out) >= q:
                break
            if j in movable_set:
                out.add(j)
    elif how < 0.9:
        k = rng.choice([k for k, r in enumerate(s.routes) if r.jobs])
        r = s.routes[k]
        length = min(q, len(r.jobs))
        a = rng.randrange(0, len(r.jobs) - length + 1)
        out = {j for j in r.jobs[a : a + length] if not p.is_fixed[j]}
    else:
        out = set(_costliest(p, s, rng)[:q])
    remove(p, s, out)


def _make_room(
    p: Problem, waiting: list[int], movable: list[int], q: int, rng: random.Random
) -> set[int]:
    """Free the neighbourhood of an unplanned visit (urgent ones more often)
    by removing the planned visits closest to it, so recreate can try it."""
    u = rng.choices(waiting, weights=[p.priority[j] + 1e-3 for j in waiting])[0]
    allowed = set(p.allowed_days[u])
    movable_set = set(movable)
    out: set[int] = set()
    for j in p.near[u]:
        if len(out) >= q:
            break
        if j in movable_set and allowed.intersection(p.allowed_days[j]):
            out.add(j)
    return out


def _costliest(p: Problem, s: Solution, rng: random.Random) -> list[int]:
    """Movable visits by travel saved if removed (noisy), largest first."""
    m = p.minutes
    scored: list[tuple[float, int]] = []
    for r in s.routes:
        nodes = [0, *(p.node[j] for j in r.jobs), 0]
        for i, j in enumerate(r.jobs):
            if p.is_fixed[j]:
                continue
            a, v, b = nodes[i], nodes[i + 1], nodes[i + 2]
            saving = m[a][v] + m[v][b] - m[a][b]
            scored.append((saving * rng.uniform(0.8, 1.2), j))
    scored.sort(reverse=True)
    return [j for _, j in scored]


def polish(p: Problem, s: Solution, seed: int) -> None:
    """Cheaper order inside each day: the unconstrained best tour if it still
    fits the windows, then intra-day relocate moves."""
    for k, r in enumerate(s.routes):
        if len(r.jobs) >= 3:
            _try_tsp_order(p, k, r, seed)
        _relocate_within(p, k, r)


def _try_tsp_order(p: Problem, k: int, r: Route, seed: int) -> None:
    idx = [0, *(p.node[j] for j in r.jobs)]
    sub = [[p.minutes[a][b] for b in idx] for a in idx]
    order = tsp.solve_tsp(sub, time_budget_s=0.02, seed=seed)
    trial = Route([r.jobs[i - 1] for i in order])
    if refresh(p, k, trial) and trial.travel < r.travel - EPS:
        r.jobs, r.es, r.ls, r.travel = trial.jobs, trial.es, trial.ls, trial.travel


def _relocate_within(p: Problem, k: int, r: Route) -> None:
    improved = True
    while improved:
        improved = False
        n = len(r.jobs)
        for a in range(n):
            for b in range(n):
                if a == b:
                    continue
                jobs = list(r.jobs)
                j = jobs.pop(a)
                jobs.insert(b, j)
                trial = Route(jobs)
                if refresh(p, k, trial) and trial.travel < r.travel - EPS:
                    r.jobs, r.es, r.ls, r.travel = trial.jobs, trial.es, trial.ls, trial.travel
                    improved = True
                    break
            if improved:
                break


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


def search_week(p: Problem, *, time_budget_s: float, seed: int) -> Solution:
    """Construction, then ruin-and-recreate with threshold acceptance on travel."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    cur = construct(p)
    best, best_key = cur.copy(), cur.key(p)
    cur_key = best_key
    iterations = int(max(0.0, time_budget_s) * ITERATIONS_PER_SECOND)
    deadline = t0 + max(0.0, time_budget_s) * GUARD_FACTOR
    movable = sum(1 for j in range(len(p.jobs)) if p.allowed_days[j] and not p.is_fixed[j])
    if movable == 0:
        iterations = 0
    for it in range(iterations):
        if it % 32 == 0 and time.perf_counter() > deadline:
            break
        cand = cur.copy()
        ruin(p, cand, rng)
        recreate(p, cand, rng, rng.randrange(3))
        cand_key = cand.key(p)
        if _accept(cand_key, cur_key, it / iterations, rng):
            cur, cur_key = cand, cand_key
            if cand_key > best_key:
                best, best_key = cand.copy(), cand_key
    while exchange(p, best):
        pass
    polish(p, best, seed)
    return best


def _accept(cand: tuple, cur: tuple, progress: float, rng: random.Random) -> bool:
    """Simulated-annealing-style acceptance, lexicographic at the end.

    A fixed appointment is never given up. A loss of kept priority is accepted
    with a probability that shrinks to zero (so the plan can be reshaped: a few
    days clustered differently often fit more urgent visits later); on equal
    priority a slightly longer drive is accepted early on. The best plan is
    tracked separately with the exact lexicographic order.
    """
    if cand[0] != cur[0]:
        return cand[0] > cur[0]
    if cand[1:3] != cur[1:3]:
        if cand[1:3] > cur[1:3]:
            return True
        if cur[2] == 0:
            return False
        temp = W_TEMPERATURE * (cur[1] / cur[2]) * (1.0 - progress)
        loss = cur[1] - cand[1]
        if temp <= 0 or loss <= 0:
            return False
        return rng.random() < math.exp(-loss / temp)
    travel_cur = -cur[3]
    threshold = 0.03 * travel_cur * (1.0 - progress) * -math.log(max(rng.random(), 1e-12)) * 0.5
    return -cand[3] <= travel_cur + threshold
