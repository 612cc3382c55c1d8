"""Weekly planner search: a prize-collecting VRP with time windows.

Each working day is one route from the base and back. Construction inserts
visits by urgency at their cheapest feasible place; then ruin-and-recreate
(large neighbourhood search) removes a few visits (random, related, SISR-like
strings over 1-3 days, the costliest, or the neighbours of an unplanned
visit) and re-inserts every unplanned visit, most urgent first (sometimes with
noise, sometimes placed by time used rather than by minutes driven).
Feasibility of an insertion is O(1) thanks to per-stop earliest/latest start
times, and "does not fit" answers are cached per route version, which is what
makes a couple of thousand iterations per second possible in pure Python.
At the end an ejection pass trades one or two stops for a more urgent
unplanned visit, a make-way pass takes out *every* less urgent stop at once to
try a left-out visit (then puts them back where they fit), and each day is
re-ordered (TSP when the windows allow, then relocate moves).

The objective is compared as a tuple, most important first (see types.Objective):
(fixed appointments kept, priority kept, visits kept, -(travel + soft minutes)).
The whole search, polish included, ends by the time budget at any size.
Acceptance is simulated-annealing-like (a priority loss is sometimes accepted
early on, never at the end); the best plan is kept with the exact order.
"""

from __future__ import annotations

import math
import random

from . import tsp
from .types import cpu_clock
from .week import (
    EPS,
    Problem,
    Route,
    Solution,
    best_in_route,
    best_insertion,
    construct,
    insert,
    refresh,
    remove,
)

# LNS iterations per CPU second of budget, calibrated on the 2-core benchmark machine:
# 60 visits over 5 days use about 0.8 s of a 1 s budget (2000 used about 0.55 s and kept
# less: bench_routes vs pyvroom 4 higher / 5 lower -> 6 / 4 by priority sum). The
# iteration count (not the clock) ends the search, so a seed gives the same plan
# everywhere; the CPU clock (types.cpu_clock) is only a guard.
ITERATIONS_PER_SECOND = 2700
SEARCH_SHARE = 0.85  # clock guard of ruin-and-recreate, share of the budget (the count ends it first)
EXCHANGE_SHARE = 0.92  # ... until here the make-way and ejection passes; the rest polishes
MAX_RUIN = 8
BY_TIME = 0.3  # share of recreates that place visits by time used, not km
RESET_AFTER = 150  # iterations without a new best before going back to it (0 = never)
TRAVEL_SLACK = 0.03  # early on, accept up to ~this share more driving
TARGETED_RUIN = 0.3  # share of ruins that make room for an unplanned visit
RECREATE_MODES = 4
W_TEMPERATURE = 1.0  # x the mean kept priority


def exchange(p: Problem, s: Solution, deadline: float) -> bool:
    """Make room for an unplanned visit by ejecting one or two neighbouring
    stops of a day, then re-inserting the ejected ones wherever they fit.

    Kept if the priority sum rises (or stays, with more visits kept).
    Ruin-and-recreate finds such "swap a 3 for a 5" trades only by chance;
    this pass tries them all directly, once the search has settled.
    """
    changed = False
    waiting = sorted((j for j in s.unassigned if p.allowed_days[j]),
                     key=lambda j: (not p.is_fixed[j], -p.priority[j], j))
    for u in waiting:
        if cpu_clock() > deadline:
            break
        if u in s.unassigned and (_make_way(p, s, u) or _eject_for(p, s, u)):
            changed = True
    return changed


def _make_way(p: Problem, s: Solution, u: int) -> bool:
    """Take every less urgent movable stop out of u's days at once, insert u, put
    them back wherever they fit. Kept only if the objective's priority part rises:
    the ejection pass, one or two stops at a time, misses a visit that needs the
    room of three less urgent ones."""
    days = set(p.allowed_days[u])
    out = {j for k in days for j in s.routes[k].jobs
           if not p.is_fixed[j] and p.priority[j] < p.priority[u] - EPS}
    if not out:
        return False
    before = s.key(p)[:3]
    trial = s.copy()
    remove(p, trial, out)
    ins = best_insertion(p, trial, u, None)
    if ins is None or not insert(p, trial, u, ins[1], ins[2]):
        return False
    return _put_back(p, s, trial, out & trial.unassigned, before)


def _put_back(p: Problem, s: Solution, trial: Solution, out: set[int] | tuple[int, ...],
              before: tuple) -> bool:
    """Re-insert the taken-out visits (most urgent first) wherever they fit; adopt the
    trial into `s` when the objective's priority part rose."""
    for j in sorted(out, key=lambda j: (-p.priority[j], j)):
        found = best_insertion(p, trial, j, None)
        if found is not None:
            insert(p, trial, j, found[1], found[2])
    if trial.key(p)[:3] > before:
        s.routes, s.unassigned = trial.routes, trial.unassigned
        return True
    return False


def _eject_for(p: Problem, s: Solution, u: int) -> bool:
    before = s.key(p)[:3]
    for k in p.allowed_days[u]:
        r = s.routes[k]
        movable = [i for i, j in enumerate(r.jobs) if not p.is_fixed[j]]
        options: list[tuple[int, ...]] = [(r.jobs[i],) for i in movable]
        options += [(r.jobs[i], r.jobs[i + 1]) for i in movable
                    if i + 1 < len(r.jobs) and not p.is_fixed[r.jobs[i + 1]]]
        for out in options:
            if p.priority[u] <= min(p.priority[j] for j in out) - EPS and len(out) == 1:
                continue  # a lone more urgent stop would have to fit elsewhere first
            trial = s.copy()
            tr = Route([j for j in r.jobs if j not in out])
            if not refresh(p, k, tr):
                continue
            found = best_in_route(p, k, tr, u, None)
            if found is None or found[1] < 0:
                continue
            trial.routes[k] = tr
            trial.unassigned.update(out)
            if not insert(p, trial, u, k, found[1]):
                continue
            if _put_back(p, s, trial, out, before):
                return True
    return False


def recreate(p: Problem, s: Solution, rng: random.Random, mode: int) -> None:
    """Re-insert unplanned visits, most urgent first (order varied by mode)."""
    todo = sorted(j for j in s.unassigned if p.allowed_days[j])
    if mode == 0:  # urgency, ties at random
        todo.sort(key=lambda j: (not p.is_fixed[j], -p.priority[j], rng.random()))
    elif mode == 1:  # urgency with noise: lets two medium visits beat one big
        todo.sort(key=lambda j: (not p.is_fixed[j], -p.priority[j] * rng.uniform(0.7, 1.3)))
    elif mode == 2:  # urgency per minute on site
        todo.sort(key=lambda j: (
            not p.is_fixed[j], -p.priority[j] / (p.service[j] + 30.0) * rng.uniform(0.9, 1.1)))
    else:  # urgency, ties: the visit with the fewest options goes first
        todo.sort(key=lambda j: (not p.is_fixed[j], -p.priority[j], _flexibility(p, j, rng)))
    by_time = rng.random() < BY_TIME
    for j in todo:
        ins = best_insertion(p, s, j, rng, by_time)
        if ins is not None:
            insert(p, s, j, ins[1], ins[2])


def _flexibility(p: Problem, j: int, rng: random.Random) -> float:
    """Minutes of possible start times over the week (noisy): tight visits
    (one morning a week) are placed before ones that fit any time."""
    total = 0.0
    for k in p.allowed_days[j]:
        w = p.window[j][k]
        if w is not None:
            total += w[1] - w[0] + 1.0
    return total * rng.uniform(0.8, 1.2)


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
        out = _strings(p, s, rng.choice(movable), q, rng)
    else:
        out = set(_costliest(p, s, rng)[:q])
    remove(p, s, out)


def _strings(p: Problem, s: Solution, seed_job: int, q: int, rng: random.Random) -> set[int]:
    """SISR-style ruin: cut a short string of stops out of each of 1-3 days
    that hold the seed visit or its nearest neighbours, so nearby visits on
    different days can be regrouped."""
    day_of = {j: k for k, r in enumerate(s.routes) for j in r.jobs}
    n_days = rng.randint(1, 3)
    per_day = max(1, q // n_days + 1)
    done: set[int] = set()
    out: set[int] = set()
    for j in (seed_job, *p.near[seed_job]):
        k = day_of.get(j)
        if k is None or k in done:
            continue
        done.add(k)
        jobs = s.routes[k].jobs
        length = rng.randint(1, min(per_day, len(jobs)))
        at = jobs.index(j)
        a = rng.randint(max(0, at - length + 1), min(at, len(jobs) - length))
        out.update(x for x in jobs[a : a + length] if not p.is_fixed[x])
        if len(done) >= n_days:
            break
    return out


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


def polish(p: Problem, s: Solution, seed: int, deadline: float) -> None:
    """Cheaper order inside each day: the best tour (the single-day solver, given
    the day's share of the time left) if it still fits the windows, then
    intra-day relocate moves; both stop at ``deadline``."""
    sizes = [len(r.jobs) for r in s.routes]
    total = sum(sizes) or 1
    for k, r in enumerate(s.routes):
        left = deadline - cpu_clock()
        if left <= 0:
            break
        if len(r.jobs) >= 3:
            _try_tsp_order(p, k, r, seed, left * sizes[k] / total)
        _relocate_within(p, k, r, deadline)
        total -= sizes[k]


def _try_tsp_order(p: Problem, k: int, r: Route, seed: int, budget_s: float) -> None:
    idx = [0, *(p.node[j] for j in r.jobs)]
    sub = [[p.minutes[a][b] for b in idx] for a in idx]
    order = tsp.solve_tsp(sub, time_budget_s=budget_s, seed=seed,
                          deadline=cpu_clock() + budget_s)
    trial = Route([r.jobs[i - 1] for i in order])
    if refresh(p, k, trial) and trial.travel < r.travel - EPS:
        r.jobs, r.es, r.ls, r.travel = trial.jobs, trial.es, trial.ls, trial.travel
        r.max_gap, r.version = trial.max_gap, trial.version


def _relocate_within(p: Problem, k: int, r: Route, deadline: float) -> None:
    """Move one stop elsewhere in its day while that shortens the drive. The drive
    change is priced in O(1) and only a shorter one is checked against the clock
    of the day (O(n)); the pass ends at ``deadline``."""
    m = p.minutes
    improved = True
    while improved and cpu_clock() < deadline:
        improved = False
        nodes = [0, *(p.node[j] for j in r.jobs), 0]
        n = len(r.jobs)
        for a in range(n):
            if improved or (a % 8 == 0 and cpu_clock() > deadline):
                break
            u, v, w = nodes[a], nodes[a + 1], nodes[a + 2]
            gain = m[u][v] + m[v][w] - m[u][w]
            for b in range(n + 1):  # insert between nodes[b] and nodes[b+1] of the route without a
                if b in (a, a + 1):
                    continue
                x, y = nodes[b], nodes[b + 1]
                if m[x][v] + m[v][y] - m[x][y] >= gain - EPS:
                    continue
                jobs = list(r.jobs)
                j = jobs.pop(a)
                jobs.insert(b if b < a else b - 1, j)
                trial = Route(jobs)
                if refresh(p, k, trial) and trial.travel < r.travel - EPS:
                    r.jobs, r.es, r.ls, r.travel = trial.jobs, trial.es, trial.ls, trial.travel
                    r.max_gap, r.version = trial.max_gap, trial.version
                    improved = True
                    break


def search_week(p: Problem, *, time_budget_s: float, seed: int, started: float | None = None) -> Solution:
    """Construction, ruin-and-recreate for a fixed number of iterations (the
    clock only guards), then the ejection pass and the per-day re-ordering."""
    rng = random.Random(seed)
    t0 = cpu_clock() if started is None else started  # the caller's clock includes building p
    budget = max(0.0, time_budget_s)
    cur = construct(p)
    best, best_key = cur.copy(), cur.key(p)
    cur_key = best_key
    iterations = int(budget * ITERATIONS_PER_SECOND)
    deadline = t0 + budget * SEARCH_SHARE
    movable = sum(1 for j in range(len(p.jobs)) if p.allowed_days[j] and not p.is_fixed[j])
    if movable == 0 or (len(p.days) == 1 and not any(p.allowed_days[j] for j in cur.unassigned)):
        iterations = 0  # nothing to choose: a single day holding every visit is a TSP for polish
    last_best = 0
    for it in range(iterations):
        if it % 4 == 0 and cpu_clock() > deadline:
            break
        cand = cur.copy()
        ruin(p, cand, rng)
        recreate(p, cand, rng, rng.randrange(RECREATE_MODES))
        cand_key = cand.key(p)
        if _accept(cand_key, cur_key, it / iterations, rng):
            cur, cur_key = cand, cand_key
            if cand_key > best_key:
                best, best_key = cand.copy(), cand_key
                last_best = it
        if RESET_AFTER and it - last_best > RESET_AFTER:
            cur, cur_key, last_best = best.copy(), best_key, it  # wandered off: go back
    end = t0 + budget * EXCHANGE_SHARE
    while exchange(p, best, end):
        pass
    polish(p, best, seed, t0 + budget)
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
        temp = W_TEMPERATURE * (cur[4] / cur[2]) * (1.0 - progress)
        loss = abs(cur[4] - cand[4]) or cur[4] / cur[2]  # urgent_first: a swap of equal sums
        if temp <= 0 or loss <= 0:
            return False
        return rng.random() < math.exp(-loss / temp)
    travel_cur = -cur[3]
    noise = -math.log(max(rng.random(), 1e-12)) * 0.5
    threshold = TRAVEL_SLACK * travel_cur * (1.0 - progress) * noise
    return -cand[3] <= travel_cur + threshold
