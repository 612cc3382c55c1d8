"""Trailing calendar periods (12-month years, 3-month quarters) ending today; pure."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's end (31 Mar - 1 month = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def trailing_periods(today: dt.date, count: int, months: int) -> list[tuple[dt.date, dt.date]]:
    """`count` periods of `months` each, newest first, as (start, end]: start excluded, end included."""
    return [
        (months_before(today, months * (k + 1)), months_before(today, months * k))
        for k in range(count)
    ]


def periods_with(dates: Iterable[dt.date], periods: list[tuple[dt.date, dt.date]]) -> list[bool]:
    """For each (start, end] period, whether any date falls in it."""
    days = list(dates)
    return [any(start < d <= end for d in days) for start, end in periods]
