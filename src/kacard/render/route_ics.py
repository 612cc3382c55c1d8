"""The week's route as a calendar the rep's phone reminds from (RFC 5545, issue 17).

* Times carry the team's zone (`timezone:` in kacard.yaml): TZID on every time and a
  VTIMEZONE in the calendar; without it, floating local times as before.
* Each planned visit has a reminder (VALARM, `calendar.alarm_minutes`, default 30).
* UIDs are stable per week, rep and account, so importing a re-planned week updates
  the events instead of doubling them.
* SEQUENCE is derived without keeping state: the minutes from the week's Monday 00:00
  to the moment the plan is issued (today at --now / $KACARD_NOW / the clock; 00:00 when
  only --today pins the date). A later re-plan of the same week always has a higher
  SEQUENCE, so calendar apps take its version.
* An account planned earlier but left out now gets a CANCELLED event with its UID: the
  calendar takes the visit off. Stateless, so every account the plan considered and
  left out is sent as cancelled; an app that never had that UID shows nothing (or a
  struck-out entry). Accounts no longer due at all (visited and logged) are not sent:
  their events lie in the past.
* Titles are words: "拜访 NAME" / "Visit NAME", never reason codes.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kacard.i18n import _, localize
from kacard.planning.route_plan import APPOINTMENT_ELSEWHERE, PlannedStop, RouteDay, RoutePlan
from kacard.planning.routing.types import FIXED_CONFLICT, NO_DAY_FITS, WEEK_FULL
from kacard.render.ics import EventSpec, calendar_bytes
from kacard.render.route import wgs84

CANCELLABLE = (WEEK_FULL, NO_DAY_FITS, FIXED_CONFLICT, APPOINTMENT_ELSEWHERE)


def uid(plan: RoutePlan, account: str) -> str:
    return f"route-{plan.week.label}-{plan.owner}-{account}@kacard"


def sequence(plan: RoutePlan, issued: dt.datetime) -> int:
    """Minutes from the week's Monday 00:00 to `issued` (0 when issued before the week)."""
    start = dt.datetime.combine(plan.week.start, dt.time(0))
    return max(0, int((issued - start).total_seconds() // 60))


def route_calendar(plan: RoutePlan, today: dt.date, issued_at: dt.time | None = None) -> bytes:
    zone = ZoneInfo(plan.timezone) if plan.timezone else None
    issued = dt.datetime.combine(today, issued_at or dt.time(0))
    seq = sequence(plan, issued)

    def at(moment: dt.datetime) -> dt.datetime:
        return moment.replace(tzinfo=zone) if zone is not None else moment

    events = [_visit(plan, day, s, at, seq) for day in plan.days for s in day.stops]
    first = next((d.date for d in plan.days), plan.week.start)
    for u in plan.unplanned:
        if u.code not in CANCELLABLE:
            continue  # set aside for good (no location, hours, days): never on a calendar
        events.append(EventSpec(
            uid=uid(plan, u.id), summary=_("Cancelled: visit {name}").format(name=u.name),
            start=first, description=_("Left out of the re-planned week: {reason}").format(reason=localize(u.reason)),
            categories=("kacard", "route"), sequence=seq, status="CANCELLED"))
    stamp = issued.replace(tzinfo=zone).astimezone(dt.UTC) if zone else issued.replace(tzinfo=dt.UTC)
    return calendar_bytes(events, stamp=stamp,
                          name=_("Visits {week} · {rep}").format(week=plan.week.label, rep=plan.rep_name))


def _visit(plan: RoutePlan, day: RouteDay, s: PlannedStop, at, seq: int) -> EventSpec:  # type: ignore[no-untyped-def]
    item = plan.candidates[s.id].item
    lines = [_("Stop {order} of {count}: arrive {arrive}, leave {leave}; drive {km:.1f} km / {minutes:.0f} min "
               "before").format(order=s.order, count=len(day.stops), arrive=f"{s.arrive:%H:%M}",
                                leave=f"{s.depart:%H:%M}", km=s.leg_km, minutes=s.leg_minutes)]
    if s.fixed:
        lines.append(_("Fixed appointment"))
    lines.append(_("Why this week (urgency {urgency:g}):").format(urgency=item.urgency))
    lines += [f"- {localize(r.text)}" for r in item.reasons]
    if item.next_step is not None:
        lines.append(_("Open next step: {date} {action}").format(date=item.next_step.date,
                                                                   action=item.next_step.action))
    lines.append(_("Card: kacard show {id}").format(id=s.id))
    title = _("Visit {name}").format(name=s.name)
    return EventSpec(
        uid=uid(plan, s.id), summary=title, start=at(s.start), end=at(s.depart),
        description="\n".join(lines), location=s.address, geo=wgs84(plan, s.lat, s.lon),
        categories=("kacard", "route"), sequence=seq, status="CONFIRMED",
        alarm_minutes=plan.alarm_minutes or None,
        alarm_text=_("{title} at {time}").format(title=title, time=f"{s.start:%H:%M}"),
    )
