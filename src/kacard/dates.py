"""Weeks and day arithmetic (pure: every function takes its dates as arguments)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Week:
    """A Monday–Sunday week; `start` is its Monday (or the first day the caller chose)."""

    start: dt.date

    @property
    def end(self) -> dt.date:
        """The last day, inclusive (Sunday for an ISO week)."""
        return self.start + dt.timedelta(days=6)

    @property
    def label(self) -> str:
        """ISO week label of its start, like 2026-W48."""
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(7)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.label} ({self.start} – {self.end})"


def week_of(day: dt.date) -> Week:
    """The Monday–Sunday week containing `day`."""
    return Week(monday_of(day))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def iso_week(text: str) -> Week:
    """The ISO week written `2026-W48` (or `2026W48`); ValueError when malformed."""
    cleaned = text.strip().upper().replace("-", "")
    if len(cleaned) not in (6, 7) or cleaned[4] != "W" or not (cleaned[:4] + cleaned[5:]).isdigit():
        raise ValueError(f"a week looks like 2026-W48, not {text!r}")
    return Week(dt.date.fromisocalendar(int(cleaned[:4]), int(cleaned[5:]), 1))


def days_between(earlier: dt.date, later: dt.date) -> int:
    """Whole days from `earlier` to `later` (negative when `later` comes first)."""
    return (later - earlier).days


def days_past(deadline: dt.date, today: dt.date) -> int:
    """Days `today` is past `deadline`; 0 on or before it."""
    return max(0, (today - deadline).days)
