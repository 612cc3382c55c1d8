"""The rep's week of visits, day by day (SPEC §5): due accounts -> a timed route plan.

Pure core over kacard.planning.routing: due items (or chosen accounts), the team settings
and the days to plan come in; a `RoutePlan` comes out, with every planned stop
as local date-times, every left-out account with a sentence saying why, and an
`explain(id)` for one account. Only `travel()` may touch the network (an OSRM
server the user named), and it falls back to the offline estimate with a warning.

Before the solver runs, accounts that cannot be planned at all are set aside with
their reason (no location, visit hours shorter than one visit, no visit day among
the planned days, an appointment on another day); the solver then assigns the
rest to days, keeping fixed appointments, then the most urgent visits, then as
many as fit, with the least driving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kacard.analysis.due import DueItem
from kacard.cards.model.settings import Base, Settings, Travel
from kacard.dates import Week
from kacard.errors import UsageError
from kacard.i18n import Listed, Message, Shown, _, label
from kacard.planning.route_plan import (
    APPOINTMENT_ELSEWHERE,
    NO_LOCATION,
    WEEKDAYS,
    Candidate,
    PlannedStop,
    Prepared,
    RouteDay,
    RoutePlan,
    Unplanned,
    daily_window,
    day_label,
    minute_of,
    workday_of,
)
from kacard.planning.route_reasons import explain, no_window_reason, solver_unplanned  # noqa: F401 (explain)
from kacard.planning.routing.geo import Matrix, RoutingServiceError, osrm_table, travel_matrix
from kacard.planning.routing.solve import (
    URGENT_FIRST,
    Day,
    Job,
    Objective,
    Plan,
    plan_week,
    shortest_legs,
)

# What a rep would follow (issue 17): never a visit left out for a less urgent one, and at
# equal visits the least of: driving minutes + EARLY_MINUTES x urgency x days later in the
# week + SPREAD_MINUTES x visits² per day. So an urgency-30 visit moves two days earlier for
# up to 30 minutes more driving, and a 7th visit on a day costs 52 minutes more than a 1st.
EARLY_MINUTES = 0.5
SPREAD_MINUTES = 4.0
OBJECTIVE = Objective(rule=URGENT_FIRST, early=EARLY_MINUTES, spread=SPREAD_MINUTES)


# -- days, windows, travel ---------------------------------------------------------------


def route_days(settings: Settings, week: Week, today: dt.date, day: dt.date | None = None,
               now: dt.time | None = None) -> list[dt.date]:
    """The working days to plan: one `day`, else the week's workweek days from today on
    (days already past in the current week are not planned, nor today once `now` is past
    the workweek's end). UsageError when none."""
    workdays = set(settings.workweek.days)
    names = _(", ").join(label("weekday", d) for d in settings.workweek.days) or _("none")
    if day is not None:
        if WEEKDAYS[day.weekday()] not in workdays:
            raise UsageError(_("{value} is not a working day (workweek days: {names})").format(value=day_label(day), names=names))
        if day == today and now is not None and now >= settings.workweek.end:
            raise UsageError(_("the working day {value} ended at {end:%H:%M} (now {now:%H:%M}); plan another day with --day").format(value=day_label(day), end=settings.workweek.end, now=now))
        return [day]
    dates = [d for d in week.days() if WEEKDAYS[d.weekday()] in workdays]
    if not dates:
        raise UsageError(_("the workweek has no working days in {week} (workweek days: {names}); set workweek.days in kacard.yaml").format(week=week, names=names))
    if today in week:
        over = now is not None and now >= settings.workweek.end
        left = [d for d in dates if d > today or (d == today and not over)]
        if not left:
            nxt = Week(week.start + dt.timedelta(days=7))
            raise UsageError(_("no working days left in {label} (today is {value}); plan next week with --week {label2}").format(label=week.label, value=day_label(today), label2=nxt.label))
        return left
    return dates


def windows_for(item: DueItem, settings: Settings, dates: Sequence[dt.date]) -> dict[dt.date, tuple[int, int]]:
    """Planned days the account can be visited on, with visit_hours ∩ workweek hours."""
    lo, hi = daily_window(item, workday_of(settings))
    if hi - lo < item.card.visit_minutes:
        return {}
    hours = item.card.visit_hours
    allowed = set(hours.days if hours is not None else WEEKDAYS)
    return {d: (lo, hi) for d in dates if WEEKDAYS[d.weekday()] in allowed}


def travel_model_name(travel: Travel, osrm_url: str | None = None) -> str:
    """The travel model as JSON names it (`osrm URL`, `haversine ×1.3 @40 km/h`)."""
    if osrm_url:
        return f"osrm {osrm_url}"
    return f"haversine ×{travel.circuity:g} @{travel.speed_kmh:g} km/h"


def travel(points: list[tuple[float, float]], settings: Settings,
           osrm_url: str | None = None, labels: Sequence[str] | None = None) -> tuple[Matrix, str, list[str]]:
    """(matrix, travel model name, warnings); the name and the warnings are Messages when
    they hold words (English in JSON, `localize` for people). With an OSRM URL, its road table, checked
    cell by cell (routing.geo.osrm_table): pairs with a road time keep it, pairs without
    one (OSRM's null for a one-way street, a NaN, a negative or absurd value) take the
    haversine estimate, and one warning line names those accounts (`labels`, one per
    point: "base" and the card ids). When the server gives no table at all (down, too
    slow, too large, not OSRM), every pair falls back, with one line naming the server,
    the reason and the accounts."""
    t = settings.travel
    fallback = travel_model_name(t)
    estimate = travel_matrix(points, t.speed_kmh, t.circuity)

    def closed(road: Matrix) -> Matrix:
        # the planner drives the quicker way where the table breaks the triangle inequality
        return Matrix(road.km, shortest_legs(road.minutes))

    if not osrm_url:
        return estimate, fallback, []
    names = list(labels) if labels is not None else [str(k) for k in range(len(points))]
    try:
        table = osrm_table(osrm_url, points)
    except RoutingServiceError as exc:
        accounts = _named([n for n in names[1:]])
        return estimate, fallback, [Message("warning: {error}; travel times for {accounts} fall back to {model}",
                                            error=str(exc), accounts=accounts, model=fallback)]
    missing = table.missing()
    if not missing:
        return closed(table.over(estimate)), travel_model_name(t, osrm_url), []
    pairs = _named([f"{names[i]} → {names[j]}" for i, j in missing])
    warning = Message("warning: routing server {url} gave no usable road time for {count} leg(s) ({pairs}); "
                      "those legs use {model}", url=osrm_url, count=len(missing), pairs=pairs, model=fallback)
    model = Message("{model} (some legs {fallback})", model=travel_model_name(t, osrm_url), fallback=fallback)
    return closed(table.over(estimate)), model, [warning]


def _named(items: list[str], most: int = 6) -> Message | Listed:
    """A short list for a one-line warning: the first few, then how many more."""
    if not items:
        return Message("no accounts")
    if len(items) > most:
        return Message("{listed} and {count} more", listed=Listed(items[:most]), count=len(items) - most)
    return Listed(items)


# -- who and what ------------------------------------------------------------------------


def choose_owner(items: Sequence[DueItem], settings: Settings, owner: str | None) -> str:
    """The rep to plan for. A plan has one base, so with several reps due and no
    --owner/--mine the user must choose (the message lists the reps and their counts)."""
    if owner is not None:
        return owner
    counts: dict[str, int] = {}
    for item in items:
        counts[item.owner] = counts.get(item.owner, 0) + 1
    if len(counts) == 1:
        return next(iter(counts))
    if not counts and len(settings.team) == 1:
        return settings.team[0].id
    if not counts:
        team = _(", ").join(r.id for r in settings.team) or _("none listed")
        raise UsageError(_("nothing to plan and no rep chosen; give --owner REP (team: {team})").format(team=team))
    listed = ", ".join(f"{rep} ({n})" for rep, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    raise UsageError(_("a route is one rep's week; {count} reps have accounts to visit: {listed}. Give --owner REP (or --mine)").format(count=len(counts), listed=listed))


def rep_base(settings: Settings, owner: str) -> tuple[str, Base]:
    rep = settings.rep(owner)
    if rep is None:
        raise UsageError(_("{owner!r} is not in kacard.yaml team, so kacard does not know where the routes start; add the rep with a base").format(owner=owner))
    if rep.base is None:
        raise UsageError(_("rep {owner!r} has no base in kacard.yaml (routes start and end there); add `base: {{lat: ..., lon: ..., label: ...}}` to their team entry").format(owner=owner))
    return rep.name, rep.base


# -- planning ----------------------------------------------------------------------------


def day_breaks(settings: Settings) -> tuple[tuple[int, int], ...]:
    """workweek.breaks as sorted (start, end) minutes."""
    return tuple(sorted((minute_of(b.start), minute_of(b.end)) for b in settings.workweek.breaks))


def prepare(
    items: Sequence[DueItem],
    settings: Settings,
    owner: str,
    week: Week,
    dates: Sequence[dt.date],
    today: dt.date,
    *,
    osrm_url: str | None = None,
    now: dt.time | None = None,
) -> Prepared:
    """Jobs for the solver from due items; accounts that cannot be planned set aside with a reason.
    `now` (the time of day, in the team's zone) leaves today only the time left."""
    rep_name, base = rep_base(settings, owner)
    day_lo, day_hi = workday_of(settings)
    candidates: dict[str, Candidate] = {}
    set_aside: list[Unplanned] = []
    kept: list[tuple[DueItem, dict[dt.date, tuple[int, int]], dt.datetime | None]] = []
    for item in items:
        if item.id in candidates:
            continue
        windows = windows_for(item, settings, dates)
        fixed, note, elsewhere = _appointment(item, dates, week, today)
        loc = item.card.location
        code = reason = None
        if loc is None:
            code, reason = NO_LOCATION, Message("the card has no location (add `location: {{lat, lon}}`)")
        elif elsewhere is not None:
            code = APPOINTMENT_ELSEWHERE
            reason = Message("its fixed appointment is on {at}, not on a planned day",
                             at=Shown(f"{elsewhere:%a %Y-%m-%d at %H:%M}", elsewhere))
        elif fixed is None and not windows:
            code, reason = no_window_reason(item, settings, dates)
        if code is not None and reason is not None:
            candidates[item.id] = Candidate(item, windows, fixed, None, note)
            set_aside.append(Unplanned(item.id, item.name, code, reason, item.urgency,
                                       loc.lat if loc else None, loc.lon if loc else None))
            continue
        candidates[item.id] = Candidate(item, windows, fixed, len(kept) + 1, note)
        kept.append((item, windows, fixed))
    points = [(base.lat, base.lon)]
    for item, _w, _f in kept:
        loc = item.card.location
        assert loc is not None
        points.append((loc.lat, loc.lon))
    labels = ["base", *(item.id for item, _w, _f in kept)]
    matrix, model, warnings = travel(points, settings, osrm_url, labels)
    index_of = {d: k for k, d in enumerate(dates)}
    jobs = tuple(
        Job(key=item.id, node=n, service=item.card.visit_minutes,
            windows={index_of[d]: w for d, w in windows.items()},
            priority=max(0.0, float(item.urgency)),
            fixed=(index_of[fixed.date()], minute_of(fixed.time())) if fixed else None)
        for n, (item, windows, fixed) in enumerate(kept, start=1)
    )
    breaks = day_breaks(settings)
    cap = settings.workweek.max_visits
    days = tuple(Day(index=k, start=max(day_lo, minute_of(now)) if now is not None and d == today else day_lo,
                     end=day_hi, breaks=breaks, max_visits=cap)
                 for k, d in enumerate(dates))
    return Prepared(owner, rep_name, base, tuple(dates), (day_lo, day_hi), matrix, model, tuple(warnings),
                    jobs, days, candidates, tuple(set_aside), breaks, cap,
                    dt.datetime.combine(today, now) if now is not None and today in dates else None,
                    settings.map_app, settings.location_datum, settings.timezone, settings.calendar.alarm_minutes)


def plan_route(
    items: Sequence[DueItem],
    settings: Settings,
    owner: str,
    week: Week,
    dates: Sequence[dt.date],
    today: dt.date,
    *,
    osrm_url: str | None = None,
    time_budget_s: float | None = None,
    seed: int = 0,
    now: dt.time | None = None,
) -> RoutePlan:
    """Plan `items` for `owner` over `dates`: fixed appointments first, then the most
    urgent visits (never one left out for a less urgent one), then as many as fit,
    urgent ones early in the week, spread over the days, with the least driving.
    `time_budget_s` bounds the solver's time (default: 0.2 s + 0.02 s a visit, at most
    1 s); `now` leaves today only the time left."""
    prep = prepare(items, settings, owner, week, dates, today, osrm_url=osrm_url, now=now)
    return solve(prep, week, time_budget_s=time_budget_s, seed=seed)


def default_budget(visits: int) -> float:
    return min(1.0, 0.2 + 0.02 * visits)


def solve(prep: Prepared, week: Week, *, time_budget_s: float | None = None, seed: int = 0) -> RoutePlan:
    if time_budget_s is None:
        time_budget_s = default_budget(len(prep.jobs))
    plan = plan_week(prep.matrix.minutes, list(prep.jobs), list(prep.days),
                     time_budget_s=time_budget_s, seed=seed, objective=OBJECTIVE)
    days = tuple(_route_day(plan, k, d, prep.matrix, prep.candidates) for k, d in enumerate(prep.dates))
    solved = [solver_unplanned(prep, prep.candidates[key], code, days) for key, code in plan.unplanned]
    unplanned = sorted([*prep.set_aside, *solved], key=lambda u: (-u.urgency, u.id))
    return RoutePlan(owner=prep.owner, rep_name=prep.rep_name, base=prep.base, week=week, days=days,
                     unplanned=tuple(unplanned), solver=plan.solver, travel_model=prep.travel_model,
                     warnings=prep.warnings, workweek=prep.workday, candidates=prep.candidates,
                     matrix=prep.matrix, raw=plan, breaks=prep.breaks, max_visits=prep.max_visits, now=prep.now,
                     map_app=prep.map_app, datum=prep.datum, timezone=prep.timezone,
                     alarm_minutes=prep.alarm_minutes)


def _appointment(item: DueItem, dates: Sequence[dt.date], week: Week,
                 today: dt.date) -> tuple[dt.datetime | None, str, dt.datetime | None]:
    """(fixed appointment in the planned days, a note, an appointment on another day this week)."""
    at = item.appointment
    if at is None:
        return None, "", None
    if at.date() in dates:
        return at, "", None
    if at.date() in week and at.date() >= today:
        return None, "", at
    shown = Shown(f"{at:%a %Y-%m-%d %H:%M}", at)
    if at.date() < today:
        return None, Message("its appointment {at} has passed, so it is planned as a normal visit", at=shown), None
    return None, Message("its appointment {at} is after this week, so it is planned as a normal visit", at=shown), None


def _at(day: dt.date, minutes: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=round(minutes))


def _route_day(plan: Plan, k: int, day: dt.date, matrix: Matrix,
               candidates: dict[str, Candidate]) -> RouteDay:
    dp = next((p for p in plan.days if p.day == k), None)
    if dp is None or not dp.stops:
        return RouteDay(day, (), None, None, 0.0, 0.0)
    stops = []
    prev = 0
    for order, s in enumerate(dp.stops, start=1):
        cand = candidates[s.key]
        card = cand.item.card
        loc = card.location
        assert loc is not None
        stops.append(PlannedStop(
            order=order, id=s.key, name=cand.item.name, lat=loc.lat, lon=loc.lon,
            arrive=_at(day, s.arrive), start=_at(day, s.start), depart=_at(day, s.depart),
            leg_km=matrix.km[prev][s.node], leg_minutes=matrix.minutes[prev][s.node],
            urgency=cand.item.urgency, fixed=cand.fixed is not None, address=card.address,
        ))
        prev = s.node
    return RouteDay(day, tuple(stops), _at(day, dp.leave_base), _at(day, dp.return_base),
                    matrix.km[prev][0], matrix.minutes[prev][0])
