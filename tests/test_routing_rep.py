"""plan_week as a rep would follow it (issue 17): breaks, a visit cap per day, the
urgent-first rule, urgent visits early, work spread over the days, a travel table
that breaks the triangle inequality, and a brute-force check of the urgent-first
objective on tiny random weeks."""

from __future__ import annotations

import pytest
from brute import brute_force, line_matrix, tiny_weeks, urgency_profile
from hypothesis import given, settings
from hypothesis import strategies as st

from kacard.planning.routing.check import plan_violations, urgency_violations
from kacard.planning.routing.solve import Day, Job, Plan, plan_week, shortest_legs
from kacard.planning.routing.types import URGENT_FIRST, Objective

URGENT = Objective(rule=URGENT_FIRST)


def job(key: str, node: int, priority: float = 1.0, service: int = 60,
        windows: dict[int, tuple[int, int]] | None = None, fixed: tuple[int, int] | None = None) -> Job:
    return Job(key, node, service, windows if windows is not None else {0: (0, 24 * 60)}, priority, fixed)


def solve(m, jobs, days, **kw) -> Plan:
    plan = plan_week(m, jobs, days, time_budget_s=kw.pop("time_budget_s", 0.3), **kw)
    assert plan_violations(shortest_legs(m), jobs, days, plan) == []
    return plan


def where(plan: Plan) -> dict[str, int]:
    return {s.key: d.day for d in plan.days for s in d.stops}


def starts(plan: Plan) -> dict[str, float]:
    return {s.key: s.start for d in plan.days for s in d.stops}


def test_no_visit_overlaps_the_lunch_break() -> None:
    m = line_matrix([0, 5, 10, 15])
    day = Day(0, 8 * 60, 17 * 60 + 30, breaks=((12 * 60, 13 * 60 + 30),))  # 10:30-12:00 holds one visit
    jobs = [job(f"v{i}", i, service=90, windows={0: (10 * 60 + 30, 17 * 60)}) for i in (1, 2, 3)]
    plan = solve(m, jobs, [day])
    assert len(where(plan)) == 3
    for start in starts(plan).values():
        assert start + 90 <= 12 * 60 or start >= 13 * 60 + 30


def test_a_fixed_appointment_in_the_break_is_kept_at_its_time() -> None:
    m = line_matrix([0, 5])
    day = Day(0, 8 * 60, 17 * 60, breaks=((12 * 60, 13 * 60),))
    plan = solve(m, [job("lunch-meeting", 1, fixed=(0, 12 * 60 + 15))], [day])
    assert starts(plan) == {"lunch-meeting": 12 * 60 + 15}


def test_the_break_can_leave_no_room_for_a_visit() -> None:
    # the window 11:30-14:00 holds a 90-minute visit only across the 12:00-13:00 break
    m = line_matrix([0, 5])
    day = Day(0, 8 * 60, 17 * 60, breaks=((12 * 60, 13 * 60),))
    plan = solve(m, [job("v", 1, service=90, windows={0: (11 * 60 + 30, 14 * 60)})], [day])
    assert dict(plan.unplanned) == {"v": "no_day_fits"}


def test_max_visits_per_day_spreads_the_visits() -> None:
    m = line_matrix([0, 1, 2, 3, 4, 5])
    days = [Day(0, 480, 1020, max_visits=2), Day(1, 480, 1020, max_visits=2)]
    jobs = [job(f"v{i}", i, priority=float(i), service=30, windows={0: (0, 1440), 1: (0, 1440)})
            for i in range(1, 6)]
    plan = solve(m, jobs, days, objective=URGENT)
    per_day = [sum(1 for d in where(plan).values() if d == k) for k in (0, 1)]
    assert per_day == [2, 2]
    assert dict(plan.unplanned) == {"v1": "week_full"}  # the least urgent waits


def test_urgent_first_keeps_the_13_where_the_sum_rule_keeps_10_and_two_small() -> None:
    # one day: either "u13" (far) or the three near ones (10 + 4 + 4 = 18 > 13)
    m = line_matrix([0, 200, -60, -65, -70])
    day = Day(0, 480, 480 + 520)
    jobs = [job("u13", 1, 13.0), job("u10", 2, 10.0), job("u4a", 3, 4.0), job("u4b", 4, 4.0)]
    by_sum = solve(m, jobs, [day])
    assert set(where(by_sum)) == {"u10", "u4a", "u4b"}
    urgent = solve(m, jobs, [day], objective=URGENT)
    assert "u13" in where(urgent)
    assert urgency_violations(m, jobs, [day], urgent) == []
    assert urgency_violations(m, jobs, [day], by_sum) != []  # the checker sees the sum rule's choice


def test_urgent_visits_go_early_in_the_week() -> None:
    m = line_matrix([0, 10, 12])
    both = {0: (0, 1440), 1: (0, 1440), 2: (0, 1440)}
    days = [Day(k, 480, 1020) for k in range(3)]
    jobs = [job("urgent", 1, 30.0, windows=both), job("routine", 2, 2.0, windows=both)]
    plan = solve(m, jobs, days, objective=Objective(rule=URGENT_FIRST, early=0.5, spread=4.0))
    assert where(plan)["urgent"] == 0


def test_spread_puts_work_on_an_empty_day() -> None:
    m = line_matrix([0, 10, 11, 12, 13])
    both = {0: (0, 1440), 1: (0, 1440)}
    days = [Day(0, 480, 1020), Day(1, 480, 1020)]
    jobs = [job(f"v{i}", i, 5.0, service=45, windows=both) for i in range(1, 5)]
    packed = solve(m, jobs, days)  # travel alone: one day
    assert len(set(where(packed).values())) == 1
    spread = solve(m, jobs, days, objective=Objective(rule=URGENT_FIRST, spread=20.0))
    assert sorted(list(where(spread).values()).count(k) for k in (0, 1)) == [2, 2]


def test_a_table_breaking_the_triangle_inequality_does_not_hide_a_reachable_visit() -> None:
    # base -> far is 500 min directly but 20 through "near": the day is 480 minutes
    m = [[0, 10, 500],
         [10, 0, 10],
         [500, 10, 0]]
    day = Day(0, 480, 960)
    jobs = [job("near", 1, 1.0, service=30), job("far", 2, 5.0, service=30)]
    plan = plan_week(m, jobs, [day], time_budget_s=0.2, objective=URGENT)
    assert plan.unplanned == ()
    assert plan_violations(shortest_legs(m), jobs, [day], plan) == []  # times follow the quicker way
    assert shortest_legs(m)[0][2] == 20
    metric = line_matrix([0, 3, 7, 12])
    assert shortest_legs(metric) == metric


def test_breaks_and_caps_are_checked_inputs() -> None:
    with pytest.raises(ValueError):
        plan_week([[0.0]], [], [Day(0, 480, 1020, breaks=((800, 700),))])
    with pytest.raises(ValueError):
        Objective(rule="most")


# ------------------------------------------------------------- brute force, urgent first


@settings(max_examples=60, deadline=None)
@given(tiny_weeks(rules=True), st.integers(0, 3))
def test_tiny_weeks_urgent_first_is_optimal(week, seed) -> None:
    m, jobs, days = week
    plan = plan_week(m, jobs, days, time_budget_s=0.2, seed=seed, objective=URGENT)
    assert plan_violations(shortest_legs(m), jobs, days, plan) == []
    assert urgency_violations(m, jobs, days, plan) == []
    kept = [j for j in jobs if j.key in where(plan)]
    best = brute_force(m, jobs, days, urgency_profile)
    got = (sum(1 for j in kept if j.fixed), tuple(sorted((j.priority for j in kept), reverse=True)), len(kept))
    assert got == best[:3]
