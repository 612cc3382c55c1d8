"""Public route-planning API: the weekly planner and the single-day order.

Units: minutes (int or float); times of day are minutes from midnight; a job's
``windows`` and ``fixed`` name days by ``Day.index``. Node 0 of the matrix is
the rep's base. Pure Python, no optional dependency: this is what runs on
every install.
"""

from __future__ import annotations

from . import tsp
from .lns import search_week
from .types import (
    FIXED_CONFLICT,
    NO_DAY_FITS,
    SOLVER_NAME,
    SUM,
    URGENT_FIRST,
    WEEK_FULL,
    Day,
    DayPlan,
    Job,
    Objective,
    Plan,
    Stop,
    cpu_clock,
)
from .week import Problem, Solution, shortest_legs

__all__ = ["FIXED_CONFLICT", "NO_DAY_FITS", "SOLVER_NAME", "SUM", "URGENT_FIRST", "WEEK_FULL", "Day",
           "DayPlan", "Job", "Objective", "Plan", "Stop", "order_day", "plan_week", "shortest_legs"]


def order_day(
    minutes: list[list[float]],
    nodes: list[int],
    base: int = 0,
    *,
    time_budget_s: float = 0.1,
    seed: int = 0,
) -> list[int]:
    """Visit order for one day (base -> nodes -> base) with least total minutes.

    Returns the given nodes reordered (duplicates kept). Exact for up to 9
    stops; iterated local search above that. Asymmetric matrices are fine.
    """
    _check_square(minutes)
    for v in (base, *nodes):
        if not 0 <= v < len(minutes):
            raise ValueError(f"node {v} is outside the {len(minutes)}x{len(minutes)} matrix")
    idx = [base, *nodes]
    sub = [[float(minutes[a][b]) for b in idx] for a in idx]
    order = tsp.solve_tsp(sub, time_budget_s=time_budget_s, seed=seed)
    return [nodes[i - 1] for i in order]


def plan_week(
    minutes: list[list[float]],
    jobs: list[Job],
    days: list[Day],
    *,
    time_budget_s: float = 1.0,
    seed: int = 0,
    objective: Objective | None = None,
) -> Plan:
    """Assign visits to days and order them; drop the least urgent when full.

    Objective (types.Objective), in this order: (1) keep every fixed appointment
    that can be kept, (2) the kept priorities: their sum (default), or
    urgent_first: never a visit left out while a less urgent one is kept, unless
    it cannot fit beside the more urgent ones, (3) keep as many visits as
    possible, (4) minimise travel minutes plus the soft terms (urgent visits
    early, work spread over the days). Legs are first made as short as a way
    through other points makes them (`shortest_legs`): the plan's times follow
    that table, which equals ``minutes`` when it keeps the triangle inequality. Visits never overlap a day's breaks and a
    day holds at most its max_visits. Returns within about ``time_budget_s`` at
    any size; deterministic for a seed as long as the search is not cut short by
    the clock (only on a much slower machine).
    """
    started = cpu_clock()
    _check_inputs(minutes, jobs, days)
    problem = Problem.build(shortest_legs(minutes), jobs, days, objective)
    solution = search_week(problem, time_budget_s=time_budget_s, seed=seed, started=started)
    return _to_plan(problem, solution)


def _check_square(minutes: list[list[float]]) -> None:
    n = len(minutes)
    if any(len(row) != n for row in minutes):
        raise ValueError("the travel matrix must be square")


def _check_inputs(minutes: list[list[float]], jobs: list[Job], days: list[Day]) -> None:
    _check_square(minutes)
    if not minutes:
        raise ValueError("the travel matrix is empty (node 0 must be the base)")
    n = len(minutes)
    seen: set[str] = set()
    for job in jobs:
        if job.key in seen:
            raise ValueError(f"job {job.key!r} appears twice")
        seen.add(job.key)
        if not 0 <= job.node < n:
            raise ValueError(f"job {job.key!r}: node {job.node} is outside the matrix")
        if job.service < 0:
            raise ValueError(f"job {job.key!r}: negative service time")
    if len({d.index for d in days}) != len(days):
        raise ValueError("two days share one index")
    for d in days:
        if any(lo >= hi for lo, hi in d.breaks) or list(d.breaks) != sorted(d.breaks):
            raise ValueError(f"day {d.index}: breaks must be (start, end) pairs in time order")
        if d.max_visits is not None and d.max_visits < 0:
            raise ValueError(f"day {d.index}: max_visits must not be negative")
    for row in minutes:
        if any(x < 0 for x in row):
            raise ValueError("the travel matrix has a negative time")


def _to_plan(problem: Problem, solution: Solution) -> Plan:
    day_plans = tuple(
        _day_plan(problem, k, route.jobs) for k, route in enumerate(solution.routes)
    )
    assigned = solution.assigned()
    unplanned = tuple(
        (job.key, _reason(problem, j))
        for j, job in enumerate(problem.jobs)
        if j not in assigned
    )
    return Plan(days=day_plans, unplanned=unplanned, solver=SOLVER_NAME)


def _reason(problem: Problem, j: int) -> str:
    if problem.jobs[j].fixed is not None:
        return FIXED_CONFLICT
    if not problem.allowed_days[j]:
        return NO_DAY_FITS
    return WEEK_FULL


def _day_plan(problem: Problem, k: int, route: list[int]) -> DayPlan:
    """Timed stops; leave base just late enough not to wait at the first stop."""
    day = problem.days[k]
    m = problem.minutes
    if not route:
        return DayPlan(day=day.index, stops=(), leave_base=day.start, return_base=day.start)
    first = route[0]
    first_window = problem.window[first][k]
    assert first_window is not None  # a planned stop's day allows it
    earliest_first = problem.start_at(first, k, max(day.start + m[0][problem.node[first]], first_window[0]))
    t = max(float(day.start), earliest_first - m[0][problem.node[first]])
    leave = t
    prev = 0
    stops: list[Stop] = []
    for j in route:
        node = problem.node[j]
        arrive = t + m[prev][node]
        window = problem.window[j][k]
        assert window is not None
        start = problem.start_at(j, k, max(arrive, window[0]))
        depart = start + problem.service[j]
        stops.append(Stop(key=problem.jobs[j].key, node=node, arrive=arrive, start=start,
                          depart=depart))
        t, prev = depart, node
    return DayPlan(day=day.index, stops=tuple(stops), leave_base=leave,
                   return_base=t + m[prev][0])
