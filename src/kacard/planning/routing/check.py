"""An independent checker for plans: used by the tests and the benchmark.

It re-derives every time from the matrix and the jobs and lists each broken
rule in words, so a solver bug cannot hide behind the solver's own numbers.
"""

from __future__ import annotations

from .types import Day, Job, Plan

TOL = 1e-6


def plan_violations(
    minutes: list[list[float]], jobs: list[Job], days: list[Day], plan: Plan
) -> list[str]:
    """Every broken constraint of ``plan``; an empty list means it is valid."""
    by_key = {j.key: j for j in jobs}
    day_by_index = {d.index: d for d in days}
    problems: list[str] = []
    seen: dict[str, int] = {}
    for dp in plan.days:
        day = day_by_index.get(dp.day)
        if day is None:
            problems.append(f"plan has unknown day {dp.day}")
            continue
        problems += _day_violations(minutes, by_key, day, dp.stops, dp.leave_base,
                                    dp.return_base)
        for s in dp.stops:
            seen[s.key] = seen.get(s.key, 0) + 1
    for key, _reason in plan.unplanned:
        seen[key] = seen.get(key, 0) + 1
        if _reason not in ("no_day_fits", "week_full", "fixed_conflict"):
            problems.append(f"{key}: unknown reason {_reason!r}")
    for key in by_key:
        if seen.get(key, 0) != 1:
            problems.append(f"{key}: appears {seen.get(key, 0)} times (planned + unplanned)")
    for key in seen:
        if key not in by_key:
            problems.append(f"{key}: not a job")
    return problems


def _day_violations(minutes, by_key, day: Day, stops, leave: float, ret: float) -> list[str]:
    out: list[str] = []
    if leave < day.start - TOL:
        out.append(f"day {day.index}: leaves base at {leave} before {day.start}")
    t, prev = leave, 0
    for s in stops:
        job = by_key.get(s.key)
        if job is None:
            continue
        if s.node != job.node:
            out.append(f"{s.key}: node {s.node} is not the job's node {job.node}")
        if abs(s.arrive - (t + minutes[prev][job.node])) > TOL:
            out.append(f"{s.key}: arrival {s.arrive} does not match travel from the last stop")
        if s.start < s.arrive - TOL:
            out.append(f"{s.key}: starts before arriving")
        if abs(s.depart - (s.start + job.service)) > TOL:
            out.append(f"{s.key}: departs {s.depart}, not start + service")
        if job.fixed is not None:
            if job.fixed[0] != day.index or abs(s.start - job.fixed[1]) > TOL:
                out.append(f"{s.key}: fixed appointment {job.fixed} not kept")
        else:
            w = job.windows.get(day.index)
            if w is None:
                out.append(f"{s.key}: visited on day {day.index}, which it does not allow")
            elif s.start < w[0] - TOL or s.depart > w[1] + TOL:
                out.append(f"{s.key}: visit {s.start}-{s.depart} outside window {w}")
        t, prev = s.depart, job.node
    expected_return = t + minutes[prev][0]
    if stops and abs(ret - expected_return) > TOL:
        out.append(f"day {day.index}: return {ret} does not match travel {expected_return}")
    if ret > day.end + TOL:
        out.append(f"day {day.index}: back at base at {ret}, after {day.end}")
    return out


def plan_travel(minutes: list[list[float]], plan: Plan) -> float:
    """Total driving minutes of a plan, straight from the matrix."""
    total = 0.0
    for dp in plan.days:
        prev = 0
        for s in dp.stops:
            total += minutes[prev][s.node]
            prev = s.node
        if dp.stops:
            total += minutes[prev][0]
    return total
