"""The route plan's data (SPEC §5, §8): planned stops, days, left-out accounts with their
reason, what the planner knew about each account, and the solver's inputs.

Shared by kacard.planning.route (which makes plans), kacard.planning.route_reasons
(which words the reasons and explains one account) and the writers in render/.
Times of day in minutes from midnight where not date-times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kacard.analysis.due import DueItem
from kacard.cards.model.settings import Base, Settings
from kacard.dates import Week
from kacard.i18n import language, localize
from kacard.planning.routing.geo import Matrix
from kacard.planning.routing.types import Day, Job, Plan

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
    breaks: tuple[tuple[int, int], ...] = ()
    max_visits: int | None = None
    now: dt.datetime | None = None  # today planned from this time on
    map_app: str = "google"  # which app the links open (settings.map_app)
    datum: str = "wgs84"  # the datum of every location (settings.map.datum)
    timezone: str | None = None  # IANA zone of the team (settings.timezone)
    alarm_minutes: int = 30  # settings.calendar.alarm_minutes

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
    breaks: tuple[tuple[int, int], ...] = ()
    max_visits: int | None = None
    now: dt.datetime | None = None  # planning today from this time on
    map_app: str = "google"
    datum: str = "wgs84"
    timezone: str | None = None
    alarm_minutes: int = 30


# -- clock and days ----------------------------------------------------------------------


def minute_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def clock(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def day_label(day: dt.date) -> str:
    """A planned day for people: `Mon 2026-11-23` in English, `11月23日 周一` in Chinese."""
    return f"{day.strftime('%a')} {day.isoformat()}" if language() == "en" else localize(day)


def workday_of(settings: Settings) -> tuple[int, int]:
    return minute_of(settings.workweek.start), minute_of(settings.workweek.end)


def daily_window(item: DueItem, workday: tuple[int, int]) -> tuple[int, int]:
    """The account's visit hours within the working day, in minutes (may be empty)."""
    lo, hi = workday
    hours = item.card.visit_hours
    if hours is not None:
        lo, hi = max(lo, minute_of(hours.start)), min(hi, minute_of(hours.end))
    return lo, hi
