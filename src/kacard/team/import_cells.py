"""One spreadsheet cell to one card value, or a message saying why not.

Cells come as Excel gives them (numbers as floats, dates as dates) or as CSV text.
A value map of the mapping (「A类」 → A, 「是」 → true) applies first; then the
target's type decides. Messages never repeat personal values (phones, e-mails).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kacard.cards.model.common import ID_RE
from kacard.cards.model.reach import normal_email, normal_phone
from kacard.i18n import _
from kacard.team.import_fields import Target
from kacard.team.import_match import credit_code_ok

DEFAULT_DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S")
MAX_MONEY = Decimal("99999999999.9999")


class CellError(ValueError):
    """Why a cell cannot fill its target (the message is for the user)."""


@dataclass
class CellContext:
    """What converting a column's cells needs: its value map, date formats, the scale of
    a money column (10,000 for 万元), and rep ids by id, name or the mapping's alias."""

    values: dict[str, Any] = field(default_factory=dict)
    dates: tuple[str, ...] = DEFAULT_DATES
    scale: Decimal = Decimal(1)
    reps: dict[str, str] = field(default_factory=dict)
    date1904: bool = False  # the workbook's date serials count from 1904 (import_read.Sheet)


def value_key(value: Any) -> str:
    """How a cell is looked up in a value map: NFKC text, stripped."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def cell_text(value: Any) -> str:
    """A cell as text: 1001.0 → 1001 (Excel keeps every number as a float), dates ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(target: Target, raw: Any, context: CellContext) -> Any:
    """The card value of one non-empty cell; CellError when it has none."""
    key = value_key(raw)
    if key in context.values:
        mapped = context.values[key]
        if target.type in ("enum", "bool", "text", "owner") or mapped is None:
            return _check(target, mapped, context)
        raw = mapped
    return _check(target, raw, context)


def _check(target: Target, raw: Any, context: CellContext) -> Any:
    converter = _CONVERTERS.get(target.type, _text)
    return converter(target, raw, context)


def _shown(target: Target, raw: Any) -> str:
    return "" if target.personal else f"{cell_text(raw)!r} "


def _text(target: Target, raw: Any, context: CellContext) -> str:
    text = cell_text(raw)
    if len(text) > 4000:
        raise CellError(_("text is longer than 4,000 characters"))
    return text


def _id(target: Target, raw: Any, context: CellContext) -> str:
    text = cell_text(raw).lower()
    if not ID_RE.match(text) or ".." in text:
        raise CellError(_("{value!r} is not a card id (lowercase letters, digits, '-', '_' or '.')").format(
            value=cell_text(raw)))
    return text


def _enum(target: Target, raw: Any, context: CellContext) -> str:
    text = cell_text(raw)
    for choice in target.choices:
        if text.lower() == choice.lower():
            return choice
    raise CellError(_("{value}is not one of {choices} (add it to the mapping's values)").format(
        value=_shown(target, raw), choices=", ".join(target.choices)))


def _bool(target: Target, raw: Any, context: CellContext) -> bool:
    if isinstance(raw, bool):
        return raw
    text = cell_text(raw).lower()
    if text in ("true", "yes", "y", "1"):
        return True
    if text in ("false", "no", "n", "0"):
        return False
    raise CellError(_("{value}is not yes or no (add it to the mapping's values)").format(value=_shown(target, raw)))


SERIALS = (20_000, 80_000)  # Excel date serials kacard reads as dates: 1954-10-03 to 2119-01-10
_SERIAL_RE = re.compile(r"\d{5}(?:\.\d+)?")


def excel_serial(raw: Any, date1904: bool = False) -> dt.date | None:
    """The date of an Excel date serial (46300 → 2026-10-05): a number from SERIALS, as a
    General-format cell gives it, or as text (a CSV file Excel saved from such a cell);
    a fraction (the time of day) is dropped. The 1900 date system counts from 1899-12-30
    (Excel's phantom 1900-02-29 lies before SERIALS), the 1904 one (`date1904`, old Mac
    workbooks) from 1904-01-01; openpyxl.utils.datetime.from_excel does the arithmetic.
    None when `raw` is not such a number."""
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if not _SERIAL_RE.fullmatch(text):
            return None
        raw = float(text)
    if not isinstance(raw, int | float) or not SERIALS[0] <= raw < SERIALS[1] + 1:
        return None
    return from_excel(int(raw), MAC_EPOCH if date1904 else WINDOWS_EPOCH).date()


def parse_date(raw: Any, formats: tuple[str, ...], date1904: bool = False) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    serial = excel_serial(raw, date1904)
    if serial is not None:
        return serial
    text = unicodedata.normalize("NFKC", cell_text(raw)).strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date(target: Target, raw: Any, context: CellContext) -> dt.date:
    found = parse_date(raw, context.dates, context.date1904)
    if found is None:
        raise CellError(_("{value}is not a date (formats: {formats})").format(
            value=_shown(target, raw), formats=", ".join(context.dates[:4])))
    return found


def _time(target: Target, raw: Any, context: CellContext) -> str:
    if isinstance(raw, dt.time):
        return raw.strftime("%H:%M")
    if isinstance(raw, float) and 0 <= raw < 1:  # Excel keeps a time as a fraction of a day
        minutes = round(raw * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    text = unicodedata.normalize("NFKC", cell_text(raw))
    try:
        return dt.time.fromisoformat(text.replace("：", ":")).strftime("%H:%M")
    except ValueError:
        raise CellError(_("{value}is not a time like 14:30").format(value=_shown(target, raw))) from None


_MONEY_NOISE_RE = re.compile(r"[,\s¥￥$元]|RMB|CNY", re.IGNORECASE)


def _money(target: Target, raw: Any, context: CellContext) -> Decimal:
    scale = context.scale
    if isinstance(raw, bool):
        raise CellError(_("{value}is not an amount").format(value=_shown(target, raw)))
    if isinstance(raw, int | float):
        number = Decimal(repr(float(raw))) if isinstance(raw, float) else Decimal(raw)
    else:
        text = _MONEY_NOISE_RE.sub("", unicodedata.normalize("NFKC", cell_text(raw)))
        if text.endswith("万"):
            text, scale = text[:-1], scale * 10_000
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("{value}is not an amount").format(value=_shown(target, raw))) from None
    if not number.is_finite():
        raise CellError(_("{value}is not an amount").format(value=_shown(target, raw)))
    number = (number * scale).quantize(Decimal("0.0001")).normalize()
    if abs(number) > MAX_MONEY:
        raise CellError(_("amount is too large (at most 99,999,999,999.9999)"))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number


_ONE_NUMBER_RE = re.compile(r"^\D*?(-?\d+(?:\.0+)?)\D*$")


def _int(target: Target, raw: Any, context: CellContext) -> int:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer():
            return int(raw)
    else:
        match = _ONE_NUMBER_RE.match(unicodedata.normalize("NFKC", cell_text(raw)))  # 「60天」 → 60
        if match:
            return int(float(match.group(1)))
    raise CellError(_("{value}is not a whole number").format(value=_shown(target, raw)))


def _float(target: Target, raw: Any, context: CellContext) -> float:
    try:
        number = float(raw) if isinstance(raw, int | float) else float(unicodedata.normalize("NFKC", cell_text(raw)))
    except ValueError:
        raise CellError(_("{value}is not a number").format(value=_shown(target, raw))) from None
    limit = 90 if target.name.endswith("lat") else 180
    if not -limit <= number <= limit:
        raise CellError(_("{value}is out of range (-{limit} to {limit})").format(value=_shown(target, raw), limit=limit))
    return number


def _owner(target: Target, raw: Any, context: CellContext) -> str:
    text = value_key(raw)
    found = context.reps.get(text) or context.reps.get(text.lower())
    if found is None:
        raise CellError(_("{value!r} is not a rep of the team (kacard.yaml) nor in the mapping's owners").format(
            value=text))
    return found


def _phone(target: Target, raw: Any, context: CellContext) -> str:
    """A phone cell by the card model's one rule (kacard.cards.model.reach)."""
    try:
        return normal_phone(cell_text(raw))
    except ValueError as exc:
        raise CellError(str(exc)) from None


def _email(target: Target, raw: Any, context: CellContext) -> str:
    """An e-mail cell by the card model's one rule (kacard.cards.model.reach)."""
    try:
        return normal_email(cell_text(raw))
    except ValueError as exc:
        raise CellError(str(exc)) from None


def _list(target: Target, raw: Any, context: CellContext) -> list[str]:
    return [part.strip() for part in re.split(r"[、,，;；/]", cell_text(raw)) if part.strip()]


def _credit_code(target: Target, raw: Any, context: CellContext) -> str:
    code = unicodedata.normalize("NFKC", cell_text(raw)).strip().upper()
    if not credit_code_ok(code):
        raise CellError(_("{value!r} is not a valid unified social credit code (18 characters, "
                          "check character per GB 32100-2015)").format(value=code))
    return code


_CONVERTERS = {
    "text": _text, "id": _id, "enum": _enum, "bool": _bool, "date": _date, "time": _time,
    "money": _money, "int": _int, "float": _float, "owner": _owner, "phone": _phone, "email": _email,
    "list": _list, "credit_code": _credit_code,
}
