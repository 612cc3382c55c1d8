"""An independent checker for plans: used by the tests and the benchmark.

It re-derives every time from the matrix and the jobs and lists each broken
rule in words, so a solver bug cannot hide behind the solver's own numbers.
"""

from __future__ import annotations

from .types import REASON_CODES, Day, Job, Plan

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
        if _reason not in REASON_CODES:
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
    fixed_count = sum(1 for s in stops if s.key in by_key and by_key[s.key].fixed is not None)
    if day.max_visits is not None and len(stops) > max(day.max_visits, fixed_count):
        out.append(f"day {day.index}: {len(stops)} visits, more than max_visits {day.max_visits}")
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
            for lo, hi in day.breaks:
                if s.start < hi - TOL and s.depart > lo + TOL:
                    out.append(f"{s.key}: visit {s.start}-{s.depart} overlaps the break {lo}-{hi}")
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


def urgency_violations(
    minutes: list[list[float]], jobs: list[Job], days: list[Day], plan: Plan
) -> list[str]:
    """Left-out visits that would fit beside the more urgent kept ones.

    The rule "never leave out a visit while a less urgent one is kept unless it
    cannot fit" (SPEC §5) checked one way: for each visit left out as week_full,
    keep on each day only the stops more urgent than it (and appointments) in
    their planned order, and try it at every place. A place that works is a
    broken rule. (A plan could still break the rule by reordering the more urgent
    stops; this check does not search for that.)
    """
    by_key = {j.key: j for j in jobs}
    problems: list[str] = []
    for key, reason in plan.unplanned:
        u = by_key[key]
        if reason != "week_full" or u.fixed is not None:
            continue
        for dp in plan.days:
            day = next(d for d in days if d.index == dp.day)
            if day.index not in u.windows:
                continue
            kept = [by_key[s.key] for s in dp.stops
                    if by_key[s.key].fixed is not None or by_key[s.key].priority > u.priority]
            for i in range(len(kept) + 1):
                trial = [*kept[:i], u, *kept[i:]]
                if day.max_visits is not None and len(trial) > day.max_visits:
                    break
                if _feasible(minutes, trial, day):
                    problems.append(f"{key} (priority {u.priority:g}) fits on day {day.index} "
                                    "beside the more urgent visits")
                    break
    return problems


def _feasible(minutes: list[list[float]], route: list[Job], day: Day) -> bool:
    t, prev = float(day.start), 0
    for job in route:
        arrive = t + minutes[prev][job.node]
        if job.fixed is not None:
            if job.fixed[0] != day.index or arrive > job.fixed[1] + TOL:
                return False
            start = float(job.fixed[1])
        else:
            w = job.windows.get(day.index)
            if w is None:
                return False
            start = max(arrive, w[0])
            for lo, hi in day.breaks:
                if start < hi and start + job.service > lo:
                    start = float(hi)
            if start + job.service > w[1] + TOL:
                return False
        t, prev = start + job.service, job.node
    return t + minutes[prev][0] <= day.end + TOL
