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
from dataclasses import dataclass, field

from kacard.analysis.due import DueItem
from kacard.cards.model.settings import Base, Settings, Travel
from kacard.dates import Week
from kacard.errors import UsageError
from kacard.i18n import Listed, Message, Shown, Word, _, label, language, localize
from kacard.planning.routing.geo import Matrix, RoutingServiceError, osrm_matrix, travel_matrix
from kacard.planning.routing.solve import (
    FIXED_CONFLICT,
    NO_DAY_FITS,
    WEEK_FULL,
    Day,
    Job,
    Plan,
    plan_week,
)

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NO_LOCATION = "no_location"
HOURS_TOO_SHORT = "hours_too_short"
NO_VISIT_DAY = "no_visit_day"
APPOINTMENT_ELSEWHERE = "appointment_elsewhere"


# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedStop:
    order: int  # 1-based position in the day
    id: str
    name: str
    lat: float
    lon: float
    arrive: dt.datetime
    start: dt.datetime  # later than arrive when the rep waits for the visit hours
    depart: dt.datetime
    leg_km: float  # the drive to this stop
    leg_minutes: float
    urgency: float
    fixed: bool
    address: str | None = None

    @property
    def wait_minutes(self) -> int:
        return int((self.start - self.arrive).total_seconds() // 60)


@dataclass(frozen=True)
class RouteDay:
    date: dt.date
    stops: tuple[PlannedStop, ...]
    leave_base: dt.datetime | None  # None on a day without visits
    return_base: dt.datetime | None
    return_km: float  # the drive home from the last stop
    return_minutes: float

    @property
    def travel_km(self) -> float:
        return sum(s.leg_km for s in self.stops) + self.return_km

    @property
    def travel_minutes(self) -> float:
        return sum(s.leg_minutes for s in self.stops) + self.return_minutes

    @property
    def visit_minutes(self) -> int:
        return sum(int((s.depart - s.start).total_seconds() // 60) for s in self.stops)


@dataclass(frozen=True)
class Unplanned:
    id: str
    name: str
    code: str  # no_location | hours_too_short | no_visit_day | appointment_elsewhere | no_day_fits | week_full | fixed_conflict
    reason: str  # a sentence for people
    urgency: float
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Candidate:
    """What the planner knew about one account (kept for `explain`)."""

    item: DueItem
    windows: dict[dt.date, tuple[int, int]]  # planned day -> (earliest start, latest finish), minutes
    fixed: dt.datetime | None  # an appointment kept at its time
    node: int | None  # matrix node; None when set aside before the solver
    note: str = ""  # e.g. an appointment that has passed, planned as a normal visit


@dataclass(frozen=True)
class RoutePlan:
    owner: str
    rep_name: str
    base: Base
    week: Week
    days: tuple[RouteDay, ...]
    unplanned: tuple[Unplanned, ...]
    solver: str
    travel_model: str
    warnings: tuple[str, ...] = ()
    workweek: tuple[int, int] = (510, 1050)
    candidates: dict[str, Candidate] = field(default_factory=dict, repr=False, compare=False)
    matrix: Matrix | None = field(default=None, repr=False, compare=False)
    raw: Plan | None = field(default=None, repr=False, compare=False)  # the solver's plan, in minutes

    @property
    def stops(self) -> list[PlannedStop]:
        return [s for d in self.days for s in d.stops]

    @property
    def travel_km(self) -> float:
        return sum(d.travel_km for d in self.days)

    @property
    def travel_minutes(self) -> float:
        return sum(d.travel_minutes for d in self.days)

    @property
    def visit_minutes(self) -> int:
        return sum(d.visit_minutes for d in self.days)

    def explain(self, account: str) -> str:
        """Why `account` is on its day, or why it was left out, in a few lines."""
        return explain(self, account)


# -- days, windows, travel ---------------------------------------------------------------


def minute_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def clock(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def day_label(day: dt.date) -> str:
    return f"{day.strftime('%a')} {day.isoformat()}"


def _day(day: dt.date) -> str:
    """`day_label` in English (`Mon 2026-11-23`); `11月23日 周一` in Chinese."""
    return day_label(day) if language() == "en" else localize(day)


def route_days(settings: Settings, week: Week, today: dt.date, day: dt.date | None = None) -> list[dt.date]:
    """The working days to plan: one `day`, else the week's workweek days from today on
    (days already past in the current week are not planned). UsageError when none."""
    workdays = set(settings.workweek.days)
    names = ", ".join(settings.workweek.days) or "none"
    if day is not None:
        if WEEKDAYS[day.weekday()] not in workdays:
            raise UsageError(_("{value} is not a working day (workweek days: {names})").format(value=_day(day), names=names))
        return [day]
    dates = [d for d in week.days() if WEEKDAYS[d.weekday()] in workdays]
    if not dates:
        raise UsageError(_("the workweek has no working days in {week} (workweek days: {names}); set workweek.days in kacard.yaml").format(week=week, names=names))
    if today in week:
        left = [d for d in dates if d >= today]
        if not left:
            nxt = Week(week.start + dt.timedelta(days=7))
            raise UsageError(_("no working days left in {label} (today is {value}); plan next week with --week {label2}").format(label=week.label, value=_day(today), label2=nxt.label))
        return left
    return dates


def windows_for(item: DueItem, settings: Settings, dates: Sequence[dt.date]) -> dict[dt.date, tuple[int, int]]:
    """Planned days the account can be visited on, with visit_hours ∩ workweek hours."""
    lo, hi = _daily_window(item, _workday(settings))
    if hi - lo < item.card.visit_minutes:
        return {}
    hours = item.card.visit_hours
    allowed = set(hours.days if hours is not None else WEEKDAYS)
    return {d: (lo, hi) for d in dates if WEEKDAYS[d.weekday()] in allowed}


def _workday(settings: Settings) -> tuple[int, int]:
    return minute_of(settings.workweek.start), minute_of(settings.workweek.end)


def _daily_window(item: DueItem, workday: tuple[int, int]) -> tuple[int, int]:
    """The account's visit hours within the working day, in minutes (may be empty)."""
    lo, hi = workday
    hours = item.card.visit_hours
    if hours is not None:
        lo, hi = max(lo, minute_of(hours.start)), min(hi, minute_of(hours.end))
    return lo, hi


def travel_model_name(travel: Travel, osrm_url: str | None = None) -> str:
    if osrm_url:
        return f"osrm {osrm_url}"
    return f"haversine ×{travel.circuity:g} @{travel.speed_kmh:g} km/h"


def travel(points: list[tuple[float, float]], settings: Settings,
           osrm_url: str | None = None) -> tuple[Matrix, str, list[str]]:
    """(matrix, travel model name, warnings). With an OSRM URL, its table; when it
    fails, the haversine estimate and a warning naming the URL and the fallback."""
    t = settings.travel
    fallback = travel_model_name(t)
    if osrm_url:
        try:
            return osrm_matrix(osrm_url, points), travel_model_name(t, osrm_url), []
        except RoutingServiceError as exc:
            warning = f"warning: {exc}; travel times fall back to {fallback}"
            return travel_matrix(points, t.speed_kmh, t.circuity), fallback, [warning]
    return travel_matrix(points, t.speed_kmh, t.circuity), fallback, []


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
        team = ", ".join(r.id for r in settings.team) or "none listed"
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


@dataclass(frozen=True)
class Prepared:
    """The solver's inputs (node 0 = the base; Day.index = position in `dates`) and the
    accounts set aside before it ran. Tests check plans against these with routing.check."""

    owner: str
    rep_name: str
    base: Base
    dates: tuple[dt.date, ...]
    workday: tuple[int, int]
    matrix: Matrix
    travel_model: str
    warnings: tuple[str, ...]
    jobs: tuple[Job, ...]
    days: tuple[Day, ...]
    candidates: dict[str, Candidate]
    set_aside: tuple[Unplanned, ...]


def prepare(
    items: Sequence[DueItem],
    settings: Settings,
    owner: str,
    week: Week,
    dates: Sequence[dt.date],
    today: dt.date,
    *,
    osrm_url: str | None = None,
) -> Prepared:
    """Jobs for the solver from due items; accounts that cannot be planned set aside with a reason."""
    rep_name, base = rep_base(settings, owner)
    day_lo, day_hi = _workday(settings)
    candidates: dict[str, Candidate] = {}
    set_aside: list[Unplanned] = []
    kept: list[tuple[DueItem, dict[dt.date, tuple[int, int]], dt.datetime | None]] = []
    for item in items:
        if item.id in candidates:
            continue
        windows = windows_for(item, settings, dates)
        fixed, note, elsewhere = _appointment(item, dates, week, today)
        loc = item.card.location
        code: str | None = None
        reason: str | None = None
        if loc is None:
            code, reason = NO_LOCATION, Message("the card has no location (add `location: {{lat, lon}}`)")
        elif elsewhere is not None:
            code = APPOINTMENT_ELSEWHERE
            reason = Message("its fixed appointment is on {day} at {time}, not on a planned day",
                             day=Shown(f"{elsewhere:%a %Y-%m-%d}", elsewhere.date()), time=f"{elsewhere:%H:%M}")
        elif fixed is None and not windows:
            code, reason = _no_window_reason(item, settings, dates)
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
    matrix, model, warnings = travel(points, settings, osrm_url)
    index_of = {d: k for k, d in enumerate(dates)}
    jobs = tuple(
        Job(key=item.id, node=n, service=item.card.visit_minutes,
            windows={index_of[d]: w for d, w in windows.items()},
            priority=max(0.0, float(item.urgency)),
            fixed=(index_of[fixed.date()], minute_of(fixed.time())) if fixed else None)
        for n, (item, windows, fixed) in enumerate(kept, start=1)
    )
    days = tuple(Day(index=k, start=day_lo, end=day_hi) for k in range(len(dates)))
    return Prepared(owner, rep_name, base, tuple(dates), (day_lo, day_hi), matrix, model, tuple(warnings),
                    jobs, days, candidates, tuple(set_aside))


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
) -> RoutePlan:
    """Plan `items` for `owner` over `dates`: fixed appointments first, then the most
    urgent visits, then as many as fit, with the least driving."""
    prep = prepare(items, settings, owner, week, dates, today, osrm_url=osrm_url)
    return solve(prep, week, time_budget_s=time_budget_s, seed=seed)


def solve(prep: Prepared, week: Week, *, time_budget_s: float | None = None, seed: int = 0) -> RoutePlan:
    if time_budget_s is None:
        time_budget_s = min(1.0, 0.2 + 0.02 * len(prep.jobs))
    plan = plan_week(prep.matrix.minutes, list(prep.jobs), list(prep.days),
                     time_budget_s=time_budget_s, seed=seed)
    days = tuple(_route_day(plan, k, d, prep.matrix, prep.candidates) for k, d in enumerate(prep.dates))
    solved = [_solver_unplanned(prep.candidates[key], code, prep.matrix, prep.workday,
                                len(prep.dates) == 1, days)
              for key, code in plan.unplanned]
    unplanned = sorted([*prep.set_aside, *solved], key=lambda u: (-u.urgency, u.id))
    return RoutePlan(owner=prep.owner, rep_name=prep.rep_name, base=prep.base, week=week, days=days,
                     unplanned=tuple(unplanned), solver=plan.solver, travel_model=prep.travel_model,
                     warnings=prep.warnings, workweek=prep.workday, candidates=prep.candidates,
                     matrix=prep.matrix, raw=plan)


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
    when = "has passed" if at.date() < today else "is after this week"
    return None, f"its appointment {at:%a %Y-%m-%d %H:%M} {when}, so it is planned as a normal visit", None


def _no_window_reason(item: DueItem, settings: Settings, dates: Sequence[dt.date]) -> tuple[str, str]:
    lo, hi = _daily_window(item, _workday(settings))
    minutes = item.card.visit_minutes
    hours = item.card.visit_hours
    if hi - lo < minutes:
        if hours is None:
            return HOURS_TOO_SHORT, Message("the workweek hours cannot hold one {minutes}-minute visit",
                                            minutes=minutes)
        return HOURS_TOO_SHORT, Message(
            "its visit hours {start}–{end} within the workweek {week_start}–{week_end} leave "
            "{left} minutes, less than one {minutes}-minute visit", start=f"{hours.start:%H:%M}",
            end=f"{hours.end:%H:%M}", week_start=f"{settings.workweek.start:%H:%M}",
            week_end=f"{settings.workweek.end:%H:%M}", left=max(0, hi - lo), minutes=minutes)
    days = Listed(Word("weekday", d) for d in hours.days) if hours is not None else Message("any day")
    planned = Listed(Shown(f"{d:%a}", Word("weekday", f"{d:%a}".lower())) for d in dates)
    return NO_VISIT_DAY, Message("it receives visits on {days} only; none of the planned days ({planned}) is one "
                                 "of them", days=days, planned=planned)


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


def _solver_unplanned(cand: Candidate, code: str, matrix: Matrix, workday: tuple[int, int],
                      single: bool, days: tuple[RouteDay, ...]) -> Unplanned:
    reason: str
    item = cand.item
    loc = item.card.location
    if code == FIXED_CONFLICT and cand.fixed is not None and cand.node is not None:
        at = cand.fixed
        start = minute_of(at.time())
        out, back = matrix.minutes[0][cand.node], matrix.minutes[cand.node][0]
        if start - out < workday[0] or start + item.card.visit_minutes + back > workday[1]:
            reason = Message("its fixed appointment {at} cannot be kept inside the working day {start}–{end} "
                             "with the drive from the base ({out} min) and back ({back} min)",
                             at=Shown(f"{at:%a %Y-%m-%d %H:%M}", at), start=clock(workday[0]),
                             end=clock(workday[1]), out=f"{out:.0f}", back=f"{back:.0f}")
        else:
            clash = [s for d in days if d.date == at.date() for s in d.stops if s.fixed]
            names = ", ".join(f"{s.id} at {s.start:%H:%M}" for s in clash) or Message("another appointment")
            reason = Message("its fixed appointment {at} clashes with {names}",
                             at=Shown(f"{at:%a %Y-%m-%d %H:%M}", at), names=names)
    elif code == NO_DAY_FITS:
        reason = Message("no planned day fits: the drive from the base and back does not fit around a "
                         "{minutes}-minute visit inside its hours", minutes=item.card.visit_minutes)
    elif code == WEEK_FULL:
        kept = [s.urgency for d in days for s in d.stops]
        least = Message(" (least urgent planned: {least})", least=f"{min(kept):g}") if kept else ""
        if single:
            reason = Message("the day is full: more urgent visits took the time (urgency {urgency}{least})",
                             urgency=f"{item.urgency:g}", least=least)
        else:
            reason = Message("the week is full: more urgent visits took the time (urgency {urgency}{least})",
                             urgency=f"{item.urgency:g}", least=least)
    else:
        reason = code.replace("_", " ")
    return Unplanned(item.id, item.name, code, reason, item.urgency,
                     loc.lat if loc else None, loc.lon if loc else None)


# -- explain -----------------------------------------------------------------------------


def explain(plan: RoutePlan, account: str) -> str:
    cand = plan.candidates.get(account)
    if cand is None:
        raise KeyError(account)
    item = cand.item
    lines: list[str] = []
    where = next(((d, s) for d in plan.days for s in d.stops if s.id == account), None)
    left = next((u for u in plan.unplanned if u.id == account), None)
    if where is not None:
        d, s = where
        lines.append(_("{id} {name}: planned on {value}, stop {order} of {count}.").format(id=item.id, name=item.name, value=_day(d.date), order=s.order, count=len(d.stops)))
    elif left is not None:
        lines.append(_("{id} {name}: left out ({code}): {reason}.").format(id=item.id, name=item.name, code=left.code, reason=localize(left.reason)))
    reasons = _("; ").join(localize(r.text) for r in item.reasons) or _("not due this week (chosen with --ids)")
    lines.append(_("  urgency {urgency:g}: {reasons}").format(urgency=item.urgency, reasons=reasons))
    hours = item.card.visit_hours
    lo, hi = _daily_window(item, plan.workweek)
    if hours is not None:
        lines.append(_("  visit hours: {value} {start:%H:%M}–{end:%H:%M}; within the workweek {value2}–{value3}: {value4}–{value5}; a visit takes {visit_minutes} min").format(value=_(", ").join(label("weekday", d) for d in hours.days), start=hours.start, end=hours.end, value2=clock(plan.workweek[0]), value3=clock(plan.workweek[1]), value4=clock(lo), value5=clock(hi), visit_minutes=item.card.visit_minutes))
    else:
        lines.append(_("  visit hours: not set, so the workweek {value}–{value2}; a visit takes {visit_minutes} min").format(value=clock(lo), value2=clock(hi), visit_minutes=item.card.visit_minutes))
    allowed = _(", ").join(_day(d) for d in sorted(cand.windows)) or _("none of the planned days")
    lines.append(_("  days it may go: {allowed}").format(allowed=allowed))
    if cand.fixed is not None:
        lines.append(_("  fixed appointment: {fixed:%a %Y-%m-%d %H:%M} (kept at its time, whatever the hours)").format(fixed=cand.fixed))
    else:
        lines.append(_("  fixed appointment: none") + (f" ({localize(cand.note)})" if cand.note else ""))
    if where is not None:
        lines += _explain_stop(plan, cand, *where)
    return "\n".join(lines) + "\n"


def _explain_stop(plan: RoutePlan, cand: Candidate, day: RouteDay, stop: PlannedStop) -> list[str]:
    i = stop.order - 1
    before = _("the base") if i == 0 else _("{id} (stop {n})").format(id=day.stops[i - 1].id, n=i)
    after = _("the base") if i == len(day.stops) - 1 else _("{id} (stop {n})").format(id=day.stops[i + 1].id, n=i + 2)
    nxt = day.stops[i + 1] if i + 1 < len(day.stops) else None
    after_km = nxt.leg_km if nxt else day.return_km
    after_min = nxt.leg_minutes if nxt else day.return_minutes
    wait = _(" (waits {minutes} min for its hours)").format(minutes=stop.wait_minutes) if stop.wait_minutes else ""
    lines = [
        _("  arrive {arrive:%H:%M}, start {start:%H:%M}{wait}, leave {depart:%H:%M}").format(
            arrive=stop.arrive, start=stop.start, wait=wait, depart=stop.depart),
        _("  leg before: {km:.1f} km, {minutes:.0f} min from {before}; leg after: {after_km:.1f} km, "
          "{after_min:.0f} min to {after}").format(km=stop.leg_km, minutes=stop.leg_minutes, before=before,
                                                   after_km=after_km, after_min=after_min, after=after),
    ]
    m = plan.matrix
    nodes = {c.item.id: c.node for c in plan.candidates.values()}
    if m is not None and cand.node is not None:
        prev = 0 if i == 0 else nodes[day.stops[i - 1].id] or 0
        nxt_node = 0 if nxt is None else nodes[nxt.id] or 0
        detour = m.minutes[prev][cand.node] + m.minutes[cand.node][nxt_node] - m.minutes[prev][nxt_node]
        why = (_("its appointment is on this day") if cand.fixed is not None else
               _("the planner keeps the most urgent visits first, then puts each where the week drives least"))
        lines.append(_("  why this day: {why}; here it adds {detour:.0f} min of driving").format(why=why, detour=detour))
    return lines
