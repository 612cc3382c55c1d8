"""Route-planner benchmark: `python benchmarks/bench_routes.py [--quick]`.

Prints three tables:
1. single-day order (TSP from the base and back): gap of kacard's order_day to
   a reference (exact DP for n <= 12, else elkai/LKH-3 if importable, else the
   best of long ILS runs), on random and clustered points, symmetric and
   asymmetric; fast-tsp alongside when importable (symmetric only).
2. TSPLIB instances with published optima (eil51, berlin52, st70).
3. weekly plans (40 and 60 candidate visits, 5 days, windows, priorities,
   a few fixed appointments): time, kept visits, kept priority, travel, checked
   by kacard.planning.routing.check; pyvroom alongside when importable. Twice: with the
   sum-of-priorities objective VROOM has (compared by kept priority), and with
   the rep's objective that `kacard route` uses (urgent first, early, spread;
   compared by "most urgent kept": the sorted kept priorities, highest first).
4. big days (150 and 280 stops, one day, loose windows): time against the
   budget, and the order's gap to order_day's single-day tour.

Times are wall seconds / CPU seconds of this process (kacard's budgets count CPU
seconds, so on a machine busy with other jobs the wall time is longer).

elkai, fast-tsp and pyvroom are optional here and never needed by kacard.
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from kacard.planning.routing import tsp  # noqa: E402
from kacard.planning.routing.check import plan_travel, plan_violations  # noqa: E402
from kacard.planning.routing.geo import travel_matrix  # noqa: E402
try:  # the rep's objective (absent from kacard before issue 17: then those rows are skipped)
    from kacard.planning.route import OBJECTIVE  # noqa: E402
except ImportError:
    OBJECTIVE = None
from kacard.planning.routing.solve import Day, DayPlan, Job, Plan, Stop, order_day, plan_week  # noqa: E402

BASE = (30.2741, 120.1551)


# ---------------------------------------------------------------- instances

def random_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    return [BASE] + [(BASE[0] + rng.uniform(-0.2, 0.2), BASE[1] + rng.uniform(-0.25, 0.25))
                     for _ in range(n)]


def clustered_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    centres = [(BASE[0] + rng.uniform(-0.2, 0.2), BASE[1] + rng.uniform(-0.25, 0.25))
               for _ in range(max(2, n // 8))]
    pts = [BASE]
    for _ in range(n):
        c = rng.choice(centres)
        pts.append((c[0] + rng.gauss(0, 0.015), c[1] + rng.gauss(0, 0.02)))
    return pts


def minutes_matrix(pts, rng: random.Random, asymmetric: bool) -> list[list[float]]:
    """Haversine minutes at 30 km/h; 'asymmetric' adds +-15 % one-way noise
    (like an OSRM table), then keeps the diagonal at 0."""
    m = travel_matrix(pts, 30.0, 1.3).minutes
    if asymmetric:
        m = [[0.0 if i == j else x * rng.uniform(0.85, 1.15) for j, x in enumerate(row)]
             for i, row in enumerate(m)]
    return m


def load_tsplib(name: str) -> tuple[list[list[int]], int]:
    coords: list[tuple[float, float]] = []
    optimum = 0
    in_nodes = False
    for line in (ROOT / "data" / f"{name}.tsp").read_text().splitlines():
        if "published optimum" in line:
            optimum = int(line.rsplit(" ", 1)[1])
        if line.startswith("NODE_COORD_SECTION"):
            in_nodes = True
            continue
        if line.startswith("EOF"):
            break
        if in_nodes and line.strip():
            _, x, y = line.split()
            coords.append((float(x), float(y)))
    d = [[int(math.floor(math.hypot(a[0] - b[0], a[1] - b[1]) + 0.5)) for b in coords]
         for a in coords]
    return d, optimum


# ---------------------------------------------------------------- references

def tour_cost(m, order, base=0) -> float:
    return tsp.tour_cost(m, order, base)


def reference_cost(m: list[list[float]]) -> tuple[float, str]:
    n = len(m) - 1
    if n <= 12:
        return tour_cost(m, tsp._held_karp(m, n)), "exact DP"
    try:
        import elkai  # benchmark reference only (non-commercial licence)
    except ImportError:
        best = min(tour_cost(m, tsp.solve_tsp(m, time_budget_s=1.0, seed=s)) for s in (11, 12, 13))
        return best, "best of 3x1s ILS"
    scale = 1000.0
    mi = [[int(round(x * scale)) for x in row] for row in m]
    tour = elkai.DistanceMatrix(mi).solve_tsp(runs=10)
    order = [v for v in tour if v != 0]
    return tour_cost(m, order), "elkai LKH-3"


def fast_tsp_cost(m: list[list[float]], scale: float = 60.0) -> float | None:
    try:
        import fast_tsp
    except ImportError:
        return None
    if any(abs(m[i][j] - m[j][i]) > 1e-9 for i in range(len(m)) for j in range(i)):
        return None
    mi = [[int(round(x * scale)) for x in row] for row in m]  # minutes -> s, <= 65535
    tour = fast_tsp.find_tour(mi, 0.05)
    k = tour.index(0)
    order = tour[k + 1:] + tour[:k]
    return tour_cost(m, order)


# ---------------------------------------------------------------- tables

def pct(x: float) -> str:
    return f"{100 * x:6.3f}%"


def bench_single_day(quick: bool) -> None:
    print("\n## Single day: order_day (0.1 s budget) vs reference")
    print(f"{'instance':<24}{'n':>4}{'runs':>5}{'mean gap':>10}{'max gap':>10}"
          f"{'max s':>7}{'fast-tsp gap':>14}  reference")
    runs = 3 if quick else 8
    for kind, gen in (("random", random_points), ("clustered", clustered_points)):
        for asym in (False, True):
            for n in (8, 20, 45):
                gaps, times, fgaps, ref_name = [], [], [], ""
                for seed in range(runs):
                    rng = random.Random(1000 * n + seed)
                    m = minutes_matrix(gen(n, rng), rng, asym)
                    ref, ref_name = reference_cost(m)
                    t0 = time.perf_counter()
                    order = order_day(m, list(range(1, n + 1)), time_budget_s=0.1, seed=seed)
                    times.append(time.perf_counter() - t0)
                    gaps.append(tour_cost(m, order) / ref - 1)
                    fc = fast_tsp_cost(m)
                    if fc is not None:
                        fgaps.append(fc / ref - 1)
                label = f"{kind} {'asym' if asym else 'sym'}"
                fg = pct(statistics.mean(fgaps)) if fgaps else "   n/a"
                print(f"{label:<24}{n:>4}{runs:>5}{pct(statistics.mean(gaps)):>10}"
                      f"{pct(max(gaps)):>10}{max(times):>7.3f}{fg:>14}  {ref_name}")


def bench_tsplib() -> None:
    print("\n## TSPLIB (EUC_2D, published optima); node 1 plays the base")
    print(f"{'instance':<10}{'opt':>6}{'0.1 s':>8}{'gap':>9}{'1 s':>8}{'gap':>9}{'fast-tsp':>10}")
    for name in ("eil51", "berlin52", "st70"):
        d, opt = load_tsplib(name)
        n = len(d) - 1
        res = []
        for budget in (0.1, 1.0):
            order = order_day(d, list(range(1, n + 1)), time_budget_s=budget, seed=0)
            res.append(tour_cost(d, order))
        fc = fast_tsp_cost([[float(x) for x in row] for row in d], scale=1.0)
        fcs = f"{fc:>10.0f}" if fc is not None else f"{'n/a':>10}"
        print(f"{name:<10}{opt:>6}{res[0]:>8.0f}{pct(res[0] / opt - 1):>9}"
              f"{res[1]:>8.0f}{pct(res[1] / opt - 1):>9}{fcs}")


def metric(m: list[list[float]]) -> list[list[float]]:
    """Whole-minute rounding breaks the triangle inequality here and there; every solver
    gets the table closed under shortest paths (Floyd-Warshall), so all plans are checked
    against the legs they drive."""
    d = [list(row) for row in m]
    for k in range(len(d)):
        for i in range(len(d)):
            dik = d[i][k]
            d[i] = [min(a, dik + b) for a, b in zip(d[i], d[k])]
    return d


def weekly_instance(n: int, seed: int):
    """n candidate visits around Hangzhou, 5 days 08:30-17:30, 45 min each,
    mixed windows (morning / afternoon / all day) on 1-5 allowed days,
    priorities from a long-tailed set, ~5 % fixed appointments."""
    rng = random.Random(seed)
    pts = [BASE] + [(BASE[0] + rng.gauss(0, 0.12), BASE[1] + rng.gauss(0, 0.15))
                    for _ in range(n)]
    m = metric([[float(round(x)) for x in row] for row in travel_matrix(pts, 30.0, 1.3).minutes])
    days = [Day(i, 510, 1050) for i in range(5)]
    jobs = []
    for i in range(n):
        allowed = [d for d in range(5) if rng.random() < 0.7] or [rng.randrange(5)]
        windows = {}
        for d in allowed:
            r = rng.random()
            windows[d] = (540, 720) if r < 0.2 else (780, 1020) if r < 0.4 else (510, 1050)
        fixed = None
        if rng.random() < 0.05:
            fixed = (rng.randrange(5), rng.choice([600, 660, 840, 900]))
        jobs.append(Job(f"c{i}", i + 1, 45, windows, rng.choice([1, 2, 3, 5, 8, 13, 20, 30, 50]),
                        fixed))
    return m, jobs, days


def vroom_plan(m, jobs: list[Job], days: list[Day]) -> Plan | None:
    """The same instance through pyvroom (days = vehicles on one time axis)."""
    try:
        import vroom
    except ImportError:
        return None
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=[[int(x) for x in row] for row in m])
    for k, d in enumerate(days):
        off = 1440 * k
        inp.add_vehicle(vroom.Vehicle(id=k, start=0, end=0,
                                      time_window=vroom.TimeWindow(off + d.start, off + d.end)))
    pos = {d.index: k for k, d in enumerate(days)}
    for i, j in enumerate(jobs):
        if j.fixed is not None:
            off = 1440 * pos[j.fixed[0]]
            tws = [vroom.TimeWindow(off + j.fixed[1], off + j.fixed[1])]
            prio = 100
        else:
            tws = [vroom.TimeWindow(1440 * pos[d] + a, 1440 * pos[d] + b - j.service)
                   for d, (a, b) in sorted(j.windows.items()) if b - j.service >= a]
            prio = int(j.priority)
        if not tws:
            continue
        inp.add_job(vroom.Job(id=i, location=j.node, default_service=j.service,
                              time_windows=tws, priority=prio))
    sol = inp.solve(exploration_level=5, nb_threads=2).to_dict()
    planned: set[int] = set()
    day_plans = []
    by_vehicle = {r["vehicle"]: r for r in sol.get("routes", [])}
    for k, d in enumerate(days):
        r = by_vehicle.get(k)
        if r is None:
            day_plans.append(DayPlan(d.index, (), d.start, d.start))
            continue
        off = 1440 * k
        stops = []
        leave = ret = d.start
        for st in r["steps"]:
            if st["type"] == "start":
                leave = st["arrival"] - off
            elif st["type"] == "end":
                ret = st["arrival"] - off
            elif st["type"] == "job":
                job = jobs[st["id"]]
                arrive = st["arrival"] - off
                start = arrive + st.get("waiting_time", 0)
                stops.append(Stop(job.key, job.node, arrive, start, start + job.service))
                planned.add(st["id"])
        day_plans.append(DayPlan(d.index, tuple(stops), leave, ret))
    unplanned = tuple((j.key, "week_full") for i, j in enumerate(jobs) if i not in planned)
    return Plan(tuple(day_plans), unplanned, "pyvroom")


def summarise(m, jobs, days, plan: Plan) -> tuple[int, float, float, int]:
    pr = {j.key: j.priority for j in jobs}
    kept = [s.key for d in plan.days for s in d.stops]
    return (len(kept), sum(pr[k] for k in kept), plan_travel(m, plan),
            len(plan_violations(m, jobs, days, plan)))


def urgency_profile(jobs: list[Job], plan: Plan) -> tuple[float, ...]:
    """Kept priorities, highest first: compared as tuples, the bigger keeps more of the
    most urgent visits (what 'never leave one out for a less urgent one' optimises)."""
    pr = {j.key: j.priority for j in jobs}
    return tuple(sorted((pr[s.key] for d in plan.days for s in d.stops), reverse=True))


def bench_week(quick: bool, objective=None) -> None:
    rule = "sum of priorities" if objective is None else "the rep's objective (urgent first, early, spread)"
    print(f"\n## Weekly plan, {rule}: plan_week (1 s budget) vs pyvroom (exploration 5, 2 threads)")
    print(f"{'n':>3}{'seed':>5} | {'s / cpu':>10}{'kept':>5}{'prio':>6}{'travel':>7}{'bad':>4}"
          f" | {'vroom s':>8}{'kept':>5}{'prio':>6}{'travel':>7}{'bad':>4}")
    seeds = range(3) if quick else range(5)
    wins = ties = losses = 0
    for n in (40, 60):
        for seed in seeds:
            m, jobs, days = weekly_instance(n, seed)
            t0, c0 = time.perf_counter(), time.process_time()
            plan = plan_week(m, jobs, days, time_budget_s=1.0, seed=0,
                             **({"objective": objective} if objective is not None else {}))
            t_ours, cpu = time.perf_counter() - t0, time.process_time() - c0
            ours = summarise(m, jobs, days, plan)
            line = (f"{n:>3}{seed:>5} | {t_ours:>5.2f}/{cpu:<4.2f}{ours[0]:>5}{ours[1]:>6.0f}"
                    f"{ours[2]:>7.0f}{ours[3]:>4}")
            t0 = time.perf_counter()
            vplan = vroom_plan(m, jobs, days)
            t_v = time.perf_counter() - t0
            if vplan is not None:
                v = summarise(m, jobs, days, vplan)
                line += f" | {t_v:>8.2f}{v[0]:>5}{v[1]:>6.0f}{v[2]:>7.0f}{v[3]:>4}"
                a, b = ((ours[1], v[1]) if objective is None
                        else (urgency_profile(jobs, plan), urgency_profile(jobs, vplan)))
                if a > b:
                    wins += 1
                elif a < b:
                    losses += 1
                else:
                    ties += 1
            else:
                line += " | pyvroom not importable"
            print(line)
    if wins + ties + losses:
        what = "kept priority" if objective is None else "most urgent kept"
        print(f"{what} vs pyvroom: {wins} higher, {ties} equal, {losses} lower")


def bench_big_day() -> None:
    print("\n## Big day: plan_week on one day (1 s budget) vs order_day (1 s)")
    print(f"{'n':>4} | {'s / cpu s':>11}{'kept':>6}{'travel':>9} | {'order_day':>10}{'gap':>9}")
    for n in (150, 280):
        rng = random.Random(n)
        pts = random_points(n, rng)
        m = minutes_matrix(pts, rng, False)
        m = [[x / 20.0 for x in row] for row in m]  # a day that holds them all
        days = [Day(0, 0, 100000)]
        jobs = [Job(f"c{i}", i + 1, 1, {0: (0, 100000)}, 1.0) for i in range(n)]
        t0, c0 = time.perf_counter(), time.process_time()
        plan = plan_week(m, jobs, days, time_budget_s=1.0, seed=0,
                         **({"objective": OBJECTIVE} if OBJECTIVE is not None else {}))
        t, cpu = time.perf_counter() - t0, time.process_time() - c0
        kept, _, travel, bad = summarise(m, jobs, days, plan)
        ref = tour_cost(m, order_day(m, list(range(1, n + 1)), time_budget_s=1.0, seed=0))
        print(f"{n:>4} | {t:>6.2f}/{cpu:<4.2f}{kept:>6}{travel:>9.1f} | {ref:>10.1f}{pct(travel / ref - 1):>9}"
              + (f"  {bad} broken rules" if bad else ""))


def main() -> None:
    quick = "--quick" in sys.argv
    bench_single_day(quick)
    bench_tsplib()
    bench_week(quick)
    if OBJECTIVE is not None:
        bench_week(quick, OBJECTIVE)
    bench_big_day()


if __name__ == "__main__":
    main()
