"""`kacard due --format ics` and the generic event writer, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import json

from icalendar import Calendar

from kacard.render.ics import EventSpec, calendar_bytes
from tests.conftest import LATE_CARD

APPOINTMENT = """\
id: hz-appt
name: 杭州约定有限公司
owner: zhangwei
tier: A
address: 浙江省杭州市西湖区文三路1号
location: {lat: 30.2741, lon: 120.1551}
visit_minutes: 60
visits:
  - date: 2026-11-16
    summary: 方案讨论
    next: {date: 2026-11-26, time: "14:30", action: "签约; 带合同, 盖章"}
"""

SOON = """\
id: hz-soon
name: 杭州下周四
owner: lina
tier: A
visits:
  - {date: 2026-11-12, summary: 回访, no_next: 等客户来电}
"""  # no agreed next step: not parked, so due by cadence


def events(text: str) -> dict[str, object]:
    cal = Calendar.from_ical(text)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_due_calendar_round_trip(kacard, write_card):
    write_card("hz-appt", APPOINTMENT)
    write_card("hz-late", LATE_CARD)
    write_card("hz-soon", SOON)
    result = kacard("due", "--format", "ics")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("BEGIN:VCALENDAR")
    found = events(result.stdout)
    listed = [r["id"] for r in json.loads(kacard("due", "--format", "json").stdout)]
    assert sorted(found) == sorted(f"due-2026-W48-{i}@kacard" for i in listed)

    appt = found["due-2026-W48-hz-appt@kacard"]
    assert appt["dtstart"].dt == dt.datetime(2026, 11, 26, 14, 30)  # the fixed appointment, floating time
    assert appt["dtend"].dt == dt.datetime(2026, 11, 26, 15, 30)  # + visit_minutes
    assert str(appt["summary"]) == "杭州约定有限公司: agreed next step"  # words, not reason codes
    assert str(appt["location"]) == "浙江省杭州市西湖区文三路1号"
    assert (appt["geo"].latitude, appt["geo"].longitude) == (30.2741, 120.1551)
    assert "签约; 带合同, 盖章" in str(appt["description"])

    late = found["due-2026-W48-hz-late@kacard"]  # overdue: all day, today
    assert late["dtstart"].dt == dt.date(2026, 11, 23) and late["dtend"].dt == dt.date(2026, 11, 24)
    assert "cadence" in str(late["description"]) and "next step:" in str(late["description"])

    soon = found["due-2026-W48-hz-soon@kacard"]  # cadence: 11-12 + 14 = Thursday 11-26
    assert soon["dtstart"].dt == dt.date(2026, 11, 26)


def test_owner_filter_applies_to_the_calendar(kacard, write_card):
    write_card("hz-appt", APPOINTMENT)
    write_card("hz-late", LATE_CARD)
    result = kacard("due", "--format", "ics", "--owner", "zhangwei")
    assert list(events(result.stdout)) == ["due-2026-W48-hz-appt@kacard"]


def test_empty_week_is_a_valid_calendar(kacard):
    result = kacard("due", "--format", "ics")
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout)
    assert cal.walk("VEVENT") == [] and str(cal["version"]) == "2.0"


def test_generic_events_for_planned_visits():
    stamp = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    specs = [
        EventSpec("r1@kacard", "拜访 A", dt.datetime(2026, 11, 24, 9, 0), dt.datetime(2026, 11, 24, 9, 45),
                  description="line 1\nline 2\x1b[31m", location="杭州", geo=(30.1, 120.2), categories=("route",)),
        EventSpec("r2@kacard", "all day", dt.date(2026, 11, 25)),
        EventSpec("r3@kacard", "default length", dt.datetime(2026, 11, 26, 10, 0)),
    ]
    data = calendar_bytes(specs, stamp=stamp, name="routes 2026-W48")
    assert data == calendar_bytes(specs, stamp=stamp, name="routes 2026-W48")  # reproducible
    found = events(data.decode("utf-8"))
    assert found["r1@kacard"]["dtend"].dt == dt.datetime(2026, 11, 24, 9, 45)
    assert str(found["r1@kacard"]["description"]) == "line 1\nline 2\\x1b[31m"  # no escape sequences
    assert found["r2@kacard"]["dtend"].dt == dt.date(2026, 11, 26)
    assert found["r3@kacard"]["dtend"].dt == dt.datetime(2026, 11, 26, 10, 45)
    assert found["r1@kacard"]["dtstamp"].dt == stamp
