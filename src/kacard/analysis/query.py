"""`kacard filter` conditions: `tier=A region~杭州 'revenue>1000000'`, ANDed.

Each condition parses into a small Condition object that is tested against a
flat row of a card's fields (`card_row`), so filters work without the CLI.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kacard.errors import UsageError
from kacard.i18n import _

_COND_RE = re.compile(r"^\s*([^\W\d][\w.]*)\s*(!=|>=|<=|!~|=|~|>|<)\s*(.*?)\s*$")

FIELDS = (
    "id", "name", "status", "owner", "tier", "industry", "sector", "region", "address",
    "relationship", "since", "visit_minutes", "tags", "revenue", "margin", "last_visit",
    "next_date", "contacts", "receivable",
)


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str

    def matches(self, row: dict[str, Any]) -> bool:
        actual = row.get(self.field)
        if self.op in ("~", "!~"):
            found = _contains(actual, self.value)
            return found if self.op == "~" else not found
        if self.op in ("=", "!="):
            equal = _equals(actual, self.value)
            return equal if self.op == "=" else not equal
        return _compare(actual, self.op, self.value)


def parse(text: str) -> Condition:
    match = _COND_RE.match(text)
    if not match:
        raise UsageError(
            _("cannot read condition {text!r}; write FIELD=VALUE, FIELD~TEXT, 'FIELD>NUMBER' (fields: {value})").format(text=text, value=', '.join(FIELDS))
        )
    field, op, value = match.group(1), match.group(2), match.group(3)
    if not field.startswith("custom."):
        field = field.lower()
    if field not in FIELDS and not field.startswith("custom."):
        import difflib

        close = difflib.get_close_matches(field, FIELDS, n=1)
        hint = _("; did you mean {field!r}?").format(field=close[0]) if close else ""
        raise UsageError(_("unknown filter field {field!r}{hint} (fields: {value}, custom.NAME)").format(field=field, hint=hint, value=', '.join(FIELDS)))
    if op in (">", "<", ">=", "<=") and _number(value) is None and _date(value) is None:
        raise UsageError(_("{text!r}: {op} needs a number or a date, not {value!r}").format(text=text, op=op, value=value))
    return Condition(field, op, value)


def parse_all(texts: list[str]) -> list[Condition]:
    return [parse(t) for t in texts]


def matches_all(conditions: list[Condition], row: dict[str, Any]) -> bool:
    return all(c.matches(row) for c in conditions)


def _contains(actual: Any, needle: str) -> bool:
    needle = needle.casefold()
    if isinstance(actual, list | tuple):
        return any(needle in str(a).casefold() for a in actual)
    return actual is not None and needle in str(actual).casefold()


def _equals(actual: Any, value: str) -> bool:
    if isinstance(actual, list | tuple):
        return any(_equals(a, value) for a in actual)
    if actual is None:
        return value in ("", "none", "null")
    number = _number(value)
    if isinstance(actual, int | float | Decimal) and not isinstance(actual, bool) and number is not None:
        return Decimal(str(actual)) == number
    return str(actual).casefold() == value.casefold()


def _compare(actual: Any, op: str, value: str) -> bool:
    if actual is None:
        return False
    left: Any
    right: Any
    if isinstance(actual, dt.date):
        left, right = actual, _date(value)
    else:
        left, right = _number(str(actual)), _number(value)
    if left is None or right is None:
        return False
    return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}[op]


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
