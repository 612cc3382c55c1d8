"""Why an account is left out of a route plan, in words, and `explain` for one account.

Every reason is the true one (issue 17): set aside before planning (no location, visit
hours shorter than one visit, no visit day among the planned days), or left out by the
planner (a fixed appointment that cannot be kept, no planned day fits at all, or the
day's / week's room taken by more urgent visits or the visit cap).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kacard.analysis.due import DueItem
from kacard.cards.model.settings import Settings
from kacard.i18n import Listed, Message, Shown, Word, _, label, localize
from kacard.planning.route_plan import (
    HOURS_TOO_SHORT,
    NO_VISIT_DAY,
    Candidate,
    PlannedStop,
    Prepared,
    RouteDay,
    RoutePlan,
    Unplanned,
    clock,
    daily_window,
    day_label,
    minute_of,
    workday_of,
)
from kacard.planning.routing.types import FIXED_CONFLICT, NO_DAY_FITS, WEEK_FULL


def no_window_reason(item: DueItem, settings: Settings, dates: Sequence[dt.date]) -> tuple[str, Message]:
    lo, hi = daily_window(item, workday_of(settings))
    minutes = item.card.visit_minutes
    hours = item.card.visit_hours
    if hi - lo < minutes:
        if hours is None:
            return HOURS_TOO_SHORT, Message("the workweek hours cannot hold one {minutes}-minute visit", minutes=minutes)
        return HOURS_TOO_SHORT, Message(
            "its visit hours {start}–{end} within the workweek {work_start}–{work_end} leave "
            "{left} minutes, less than one {minutes}-minute visit",
            start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}", work_start=f"{settings.workweek.start:%H:%M}",
            work_end=f"{settings.workweek.end:%H:%M}", left=max(0, hi - lo), minutes=minutes)
    days: object = (Listed(Word("weekday", d) for d in hours.days) if hours is not None
                    else Shown("any day", Message("any day")))
    return NO_VISIT_DAY, Message("it receives visits on {days} only; none of the planned days ({planned}) is one of them",
                                 days=days, planned=weekdays(dates))


def weekdays(dates: Sequence[dt.date]) -> Listed:
    """`Tue, Wed` in English (as before), `周二、周三` in Chinese."""
    return Listed(Shown(f"{d:%a}", Word("weekday", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d.weekday()])) for d in dates)


def _joined(parts: Sequence[Message]) -> Message:
    """Parts of one reason, `a; b` (`a；b` in Chinese)."""
    if len(parts) == 1:
        return parts[0]
    return Message("{first}; {rest}", first=parts[0], rest=_joined(parts[1:]))


def _at(at: dt.datetime) -> Shown:
    return Shown(f"{at:%a %Y-%m-%d %H:%M}", at)


def solver_unplanned(prep: Prepared, cand: Candidate, code: str, days: tuple[RouteDay, ...]) -> Unplanned:
    """The true reason, in words, that the solver left a visit out."""
    item = cand.item
    loc = item.card.location
    matrix, workday = prep.matrix, prep.workday
    if code == FIXED_CONFLICT and cand.fixed is not None and cand.node is not None:
        at = cand.fixed
        start = minute_of(at.time())
        out, back = matrix.minutes[0][cand.node], matrix.minutes[cand.node][0]
        day_start = next((d.start for d, date in zip(prep.days, prep.dates, strict=True) if date == at.date()),
                         workday[0])
        if prep.now is not None and at <= prep.now:
            reason: Message | str = Message(
                "its fixed appointment {at} has passed (now {now}); log the visit or agree a new time",
                at=_at(at), now=f"{prep.now:%H:%M}")
        elif start - out < day_start or start + item.card.visit_minutes + back > workday[1]:
            reason = Message("its fixed appointment {at} cannot be kept inside the working day {start}–{end} "
                             "with the drive from the base ({out} min) and back ({back} min)",
                             at=_at(at), start=clock(day_start), end=clock(workday[1]), out=f"{out:.0f}",
                             back=f"{back:.0f}")
        else:
            clash = [s for d in days if d.date == at.date() for s in d.stops if s.fixed]
            names: object = (Listed(Message("{id} at {time}", id=s.id, time=f"{s.start:%H:%M}") for s in clash)
                             if clash else Message("another appointment"))
            reason = Message("its fixed appointment {at} clashes with {names}", at=_at(at), names=names)
    elif code == NO_DAY_FITS:
        reason = _no_fit_reason(prep, cand)
    elif code == WEEK_FULL:
        reason = _full_reason(prep, cand, days)
    else:
        reason = code.replace("_", " ")
    return Unplanned(item.id, item.name, code, reason, item.urgency,
                     loc.lat if loc else None, loc.lon if loc else None)


def _no_fit_reason(prep: Prepared, cand: Candidate) -> Message:
    item = cand.item
    extras = []
    if prep.breaks:
        extras.append(Message("the breaks {spans}", spans=", ".join(f"{clock(a)}–{clock(b)}" for a, b in prep.breaks)))
    if prep.now is not None:
        extras.append(Message("today only from {time}", time=f"{prep.now:%H:%M}"))
    around: object = Message(" (with {extras})", extras=_joined(extras)) if extras else ""
    return Message("no planned day fits: the drive from the base and back does not fit around a "
                   "{minutes}-minute visit inside its hours{around}", minutes=item.card.visit_minutes, around=around)


def _full_reason(prep: Prepared, cand: Candidate, days: tuple[RouteDay, ...]) -> Message:
    """Which days it could go on, and what took them: the visit cap or more urgent visits."""
    item = cand.item
    single = len(prep.dates) == 1
    by_date = {d.date: d for d in days}
    capped = [d for d in sorted(cand.windows) if prep.max_visits is not None
              and len(by_date[d].stops) >= prep.max_visits]
    open_days = [d for d in sorted(cand.windows) if d not in capped]
    lo, hi = next(iter(cand.windows.values()))
    parts: list[Message] = []
    room = {"lo": clock(lo), "hi": clock(hi), "minutes": item.card.visit_minutes}
    if open_days:
        if single:
            parts.append(Message("the day has no room left within its hours {lo}–{hi} for a {minutes}-minute visit "
                                 "beside the more urgent visits", **room))
        elif len(open_days) == 1:
            parts.append(Message("{days} has no room left within its hours {lo}–{hi} for a {minutes}-minute visit "
                                 "beside the more urgent visits", days=weekdays(open_days), **room))
        else:
            parts.append(Message("{days} have no room left within its hours {lo}–{hi} for a {minutes}-minute visit "
                                 "beside the more urgent visits", days=weekdays(open_days), **room))
    if capped:
        if single:
            parts.append(Message("the day already has {n} visits (workweek.max_visits)", n=prep.max_visits))
        elif len(capped) == 1:
            parts.append(Message("{days} already has {n} visits (workweek.max_visits)", days=weekdays(capped),
                                 n=prep.max_visits))
        else:
            parts.append(Message("{days} already have {n} visits (workweek.max_visits)", days=weekdays(capped),
                                 n=prep.max_visits))
    span = Message("the day is full") if single else Message("the week is full")
    return Message("{span}: {parts} (urgency {urgency})", span=span, parts=_joined(parts), urgency=f"{item.urgency:g}")


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
        lines.append(_("{id} {name}: planned on {value}, stop {order} of {count}.").format(id=item.id, name=item.name, value=day_label(d.date), order=s.order, count=len(d.stops)))
    elif left is not None:
        lines.append(_("{id} {name}: left out ({code}): {reason}.").format(id=item.id, name=item.name, code=left.code, reason=localize(left.reason)))
    reasons = _("; ").join(localize(r.text) for r in item.reasons) or _("not due this week (chosen with --ids)")
    lines.append(_("  urgency {urgency:g}: {reasons}").format(urgency=item.urgency, reasons=reasons))
    hours = item.card.visit_hours
    lo, hi = daily_window(item, plan.workweek)
    if hours is not None:
        lines.append(_("  visit hours: {value} {start:%H:%M}–{end:%H:%M}; within the workweek {value2}–{value3}: {value4}–{value5}; a visit takes {visit_minutes} min").format(value=_(', ').join(label('weekday', d) for d in hours.days), start=hours.start, end=hours.end, value2=clock(plan.workweek[0]), value3=clock(plan.workweek[1]), value4=clock(lo), value5=clock(hi), visit_minutes=item.card.visit_minutes))
    else:
        lines.append(_("  visit hours: not set, so the workweek {value}–{value2}; a visit takes {visit_minutes} min").format(value=clock(lo), value2=clock(hi), visit_minutes=item.card.visit_minutes))
    allowed = _(", ").join(day_label(d) for d in sorted(cand.windows)) or _("none of the planned days")
    lines.append(_("  days it may go: {allowed}").format(allowed=allowed))
    if cand.fixed is not None:
        lines.append(_("  fixed appointment: {fixed:%a %Y-%m-%d %H:%M} (kept at its time, whatever the hours)").format(fixed=cand.fixed))
    else:
        lines.append(_("  fixed appointment: none ({note})").format(note=localize(cand.note)) if cand.note
                     else _("  fixed appointment: none"))
    if where is not None:
        lines += _explain_stop(plan, cand, *where)
    return "\n".join(lines) + "\n"


def _explain_stop(plan: RoutePlan, cand: Candidate, day: RouteDay, stop: PlannedStop) -> list[str]:
    i = stop.order - 1
    base = _("the base")
    before = base if i == 0 else _("{id} (stop {order})").format(id=day.stops[i - 1].id, order=i)
    after = base if i == len(day.stops) - 1 else _("{id} (stop {order})").format(id=day.stops[i + 1].id, order=i + 2)
    nxt = day.stops[i + 1] if i + 1 < len(day.stops) else None
    after_km = nxt.leg_km if nxt else day.return_km
    after_min = nxt.leg_minutes if nxt else day.return_minutes
    spans = [f"{clock(a)}–{clock(b)}" for a, b in plan.breaks
             if a < minute_of(stop.start.time()) and b > minute_of(stop.arrive.time())]
    why_wait = _("no visit overlaps the break {span}").format(span=spans[0]) if spans else _("for its hours")
    wait = _(" (waits {minutes} min: {why})").format(minutes=stop.wait_minutes, why=why_wait) if stop.wait_minutes else ""
    lines = [
        _("  arrive {arrive}, start {start}{wait}, leave {leave}").format(
            arrive=f"{stop.arrive:%H:%M}", start=f"{stop.start:%H:%M}", wait=wait, leave=f"{stop.depart:%H:%M}"),
        _("  leg before: {km:.1f} km, {minutes:.0f} min from {before}; leg after: {km2:.1f} km, {minutes2:.0f} min "
          "to {after}").format(km=stop.leg_km, minutes=stop.leg_minutes, before=before, km2=after_km,
                               minutes2=after_min, after=after),
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
