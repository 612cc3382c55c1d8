"""Weeks and day arithmetic (pure: every function takes its dates as arguments)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kacard.i18n import _

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


# -- dates and times as people type them at a prompt ----------------------------------

_WEEKDAY_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{w: i for i, w in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday"))},
    **{w: i for i, w in enumerate(("tues", "weds", "thur", "thurs"), start=1) if w},
    **{f"{p}{d}": i for p in ("周", "星期", "礼拜") for i, d in enumerate("一二三四五六日")},
    "周天": 6, "星期天": 6, "礼拜天": 6,
}
_RELATIVE_DAYS = {"today": 0, "今天": 0, "今日": 0, "tomorrow": 1, "明天": 1, "后天": 2,
                  "yesterday": -1, "昨天": -1, "前天": -2}
_WEEK_SHIFT = {"下": 1, "下个": 1, "next ": 1, "本": 0, "这": 0, "这个": 0, "this ": 0,
               "上": -1, "上个": -1, "last ": -1}


def parse_day(text: str, today: dt.date, *, past: bool = False) -> dt.date:
    """A date as people type it, relative to `today`: `2026-12-07`, `2026/12/07`,
    `2026年12月7日`, `12-07` or `12月7日` (the year that puts it nearest today), `+7`
    (in 7 days), `-3`, `今天`/`明天`/`tomorrow`, `fri`/`周五` (the next Friday, or with
    `past` the last one, today included), `下周五`/`next fri`, `本周五`, `上周五`.
    Raises ValueError with what it accepts."""
    raw = text.strip()
    word = raw.lower()
    if word in _RELATIVE_DAYS:
        return today + dt.timedelta(days=_RELATIVE_DAYS[word])
    if re.fullmatch(r"[+-]\d{1,4}", word):
        return today + dt.timedelta(days=int(word))
    shift = next((s for s in sorted(_WEEK_SHIFT, key=len, reverse=True) if word.startswith(s)), None)
    rest = word[len(shift):].strip() if shift is not None else word
    if rest in _WEEKDAY_WORDS:
        target = _WEEKDAY_WORDS[rest]
        if shift is not None:  # that weekday of this / next / last week
            return monday_of(today) + dt.timedelta(days=7 * _WEEK_SHIFT[shift] + target)
        ahead = (target - today.weekday()) % 7
        return today - dt.timedelta(days=(7 - ahead) % 7) if past else today + dt.timedelta(days=ahead)
    full = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", raw)
    if full:
        return _day(int(full.group(1)), int(full.group(2)), int(full.group(3)), raw)
    short = re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", raw)
    if short:
        month, day = int(short.group(1)), int(short.group(2))
        options = [d for y in (today.year - 1, today.year, today.year + 1)
                   if (d := _maybe_day(y, month, day)) is not None]
        if options:
            return min(options, key=lambda d: abs((d - today).days))
    raise ValueError(_("not a date: '{text}'; type 2026-12-07, 12-07, +7 (days from today), "
                       "fri or 周五, 下周五").format(text=raw))


def _maybe_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(year: int, month: int, day: int, raw: str) -> dt.date:
    found = _maybe_day(year, month, day)
    if found is None:
        raise ValueError(_("no such day: '{text}'").format(text=raw))
    return found


def parse_clock(text: str) -> dt.time:
    """A time of day as people type it: `9:30`, `09:30`, `9.30`, `9点`, `9点半`, `9点15分`,
    `下午3点`, `3pm`. Raises ValueError."""
    raw = text.strip().lower().replace("：", ":")
    afternoon = raw.startswith(("下午", "晚上", "中午")) or raw.endswith("pm")
    raw = re.sub(r"^(上午|早上|下午|晚上|中午)|\s*(am|pm)$", "", raw).strip()
    match = (re.fullmatch(r"(\d{1,2})[:.](\d{2})", raw)
             or re.fullmatch(r"(\d{1,2})点(?:(\d{1,2})分?|(半))?", raw)
             or re.fullmatch(r"(\d{1,2})()", raw))
    if match:
        hour = int(match.group(1))
        minute = 30 if match.lastindex == 3 and match.group(3) else int(match.group(2) or 0)
        if afternoon and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(_("not a time: '{text}'; type 9:30, 14:00 or 下午3点").format(text=text.strip()))
