"""Dates and money as a team reads them, in the current language.

English keeps what kacard always printed: ISO dates (`2026-12-01`) and amounts with
thousands separators (`1,200,000`). Chinese shows dates as `12月1日 周二` (the year is
added when it is not the current one: `2027年1月27日 周三`) and amounts the way a
Chinese team says them: `8600`, `4.42万`, `1.23亿`. The 万/亿 forms come from Babel's
CLDR compact-decimal patterns for zh (`format_compact_decimal`), so the scaling and the
rounding are the standard's, not ours; Babel is imported only when Chinese is used.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kacard import i18n

_reference_year: int | None = None
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def set_today(today: dt.date) -> None:
    """The date the run treats as today: Chinese dates in its year leave the year out."""
    global _reference_year
    _reference_year = today.year


def date(day: dt.date, language: str | None = None) -> str:
    """`day` for people: ISO in English, `12月1日 周二` in Chinese."""
    if (language or i18n.language()) == "en":
        return day.isoformat()
    year = "" if day.year == (_reference_year or dt.date.today().year) else f"{day.year}年"
    return f"{year}{day.month}月{day.day}日 {WEEKDAYS_ZH[day.weekday()]}"


def money(amount: Any, language: str | None = None) -> str:
    """An amount for people: `1,200,000` in English; `120万` (two decimals at most,
    trailing zeros dropped) in Chinese, plain digits below 1万."""
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if (language or i18n.language()) == "en":
        return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    from babel.numbers import format_compact_decimal, format_decimal

    if abs(value) < 10_000:
        return format_decimal(value, format="0.##", locale="zh_CN")
    return format_compact_decimal(value, locale="zh_CN", fraction_digits=2)
