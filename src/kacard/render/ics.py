"""iCalendar (RFC 5545) output through the `icalendar` library.

`calendar_bytes` turns generic `EventSpec`s into one calendar, so the week's due
list (`due_events`) and planned route visits (timed events) share one writer.
Naive date-times are written as floating local times (the calendar app's zone);
aware ones keep their zone and the calendar carries a VTIMEZONE for it (TZID).
UIDs are stable so a re-import updates events; a higher SEQUENCE tells the calendar
app the event changed; STATUS:CANCELLED takes a dropped visit off the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kacard.analysis.due import DueItem
from kacard.dates import Week
from kacard.i18n import _, label, localize
from kacard.text import clean

PRODID = "-//kacard//kacard//EN"


def reason_words(kind: str) -> str:
    """A due reason kind in words for people (event titles are words, not codes)."""
    from kacard.i18n import _

    words = {"cadence": _("regular visit due"), "next_step": _("agreed next step"),
             "no_next_step": _("no next step agreed"), "receivable": _("overdue payment"),
             "signal": _("churn signal"), "opportunity": _("deal needs attention"),
             "relationship": _("key people at risk")}
    return words.get(kind, kind.replace("_", " "))


@dataclass(frozen=True)
class EventSpec:
    """One calendar event. `start` as a date makes an all-day event (end defaults to
    the next day); as a date-time a timed one (end defaults to start + 45 minutes)."""

    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    description: str = ""
    location: str | None = None
    geo: tuple[float, float] | None = None  # (lat, lon)
    categories: tuple[str, ...] = ()
    sequence: int | None = None  # RFC 5545 SEQUENCE: higher = a newer version of the event
    status: str | None = None  # CONFIRMED | TENTATIVE | CANCELLED
    alarm_minutes: int | None = None  # a VALARM (DISPLAY) this many minutes before the start
    alarm_text: str = ""

    def resolved_end(self) -> dt.date | dt.datetime:
        if self.end is not None:
            return self.end
        if isinstance(self.start, dt.datetime):
            return self.start + dt.timedelta(minutes=45)
        return self.start + dt.timedelta(days=1)


def calendar_bytes(events: Iterable[EventSpec], *, stamp: dt.datetime, name: str | None = None) -> bytes:
    """The calendar as RFC 5545 bytes. `stamp` (DTSTAMP) is passed in, so output is
    reproducible; give it a time zone (naive is taken as UTC)."""
    from icalendar import Alarm, Calendar, Event

    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", clean(name))
    for spec in events:
        event = Event()
        event.add("uid", spec.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", spec.start)
        event.add("dtend", spec.resolved_end())
        event.add("summary", clean(spec.summary))
        if spec.description:
            event.add("description", "\n".join(clean(line) for line in spec.description.splitlines()))
        if spec.location:
            event.add("location", clean(spec.location))
        if spec.geo is not None:
            event.add("geo", spec.geo)
        if spec.categories:
            event.add("categories", [clean(c) for c in spec.categories])
        if spec.sequence is not None:
            event.add("sequence", spec.sequence)
        if spec.status is not None:
            event.add("status", spec.status)
        if spec.alarm_minutes and spec.status != "CANCELLED":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", clean(spec.alarm_text or spec.summary))
            alarm.add("trigger", dt.timedelta(minutes=-spec.alarm_minutes))
            event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for every TZID used (icalendar >= 6.1)
    return cal.to_ical()


def event_day(item: DueItem, week: Week, today: dt.date) -> dt.date:
    """The day a due account's event goes on: the earliest reason date, but not before
    today (or the week's start) and not after the week's end."""
    first = max(week.start, today) if today <= week.end else week.start
    dates = [r.date for r in item.reasons if r.date is not None]
    day = min(dates, default=first)
    return min(max(day, first), week.end)


def due_event(item: DueItem, week: Week, today: dt.date) -> EventSpec:
    """One event per due account: timed when its next step is a fixed appointment in
    the week (lasting the card's visit_minutes), else all-day on `event_day`."""
    start: dt.date | dt.datetime = event_day(item, week, today)
    end: dt.date | dt.datetime | None = None
    appointment = item.appointment
    if appointment is not None and appointment.date() in week:
        start = appointment
        end = appointment + dt.timedelta(minutes=item.card.visit_minutes)
    lines = [_("urgency {urgency} · tier {tier} · owner {owner}").format(
        urgency=f"{item.urgency:g}", tier=item.tier, owner=item.owner)]
    lines += [f"- {_('{kind}: {text}').format(kind=label('reason', r.kind), text=localize(r.text))}"
              for r in item.reasons]
    if item.next_step is not None:
        lines.append(_("next step: {date} {action}").format(date=localize(item.next_step.date),
                                                            action=item.next_step.action))
    lines.append(_("card: {id} (kacard show {id})").format(id=item.id))
    location = item.card.location
    return EventSpec(
        uid=f"due-{week.label}-{item.id}@kacard",
        summary=_("{name}: {kinds}").format(name=item.name, kinds=_(", ").join(reason_words(k) for k in item.kinds)),
        start=start,
        end=end,
        description="\n".join(lines),
        location=item.card.address,
        geo=(location.lat, location.lon) if location else None,
        categories=("kacard", f"tier {item.tier}", *item.kinds),
    )


def due_calendar(items: Sequence[DueItem], week: Week, today: dt.date, *, name: str | None = None) -> bytes:
    stamp = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    return calendar_bytes((due_event(item, week, today) for item in items), stamp=stamp,
                          name=name or f"kacard due {week.label}")
