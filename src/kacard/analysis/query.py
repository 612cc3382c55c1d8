"""`kacard filter` conditions: `tier=A region~杭州 'revenue>1000000'`, ANDed.

Each condition parses into a small Condition object that is tested against a
flat row of a card's fields (`card_row`), so filters work without the CLI.
Chinese is read as typed: field names (`等级=A 负责人=张伟 名称~燃气`, the table is
kacard.cards.aliases.FIELD_NAMES), values (`状态=活跃`), full-width operators
(＝ ～ ＞ ＜ ！), amounts with units (`'revenue>100万'`, `1.2亿`, `1,000,000`).
A value no card can have (`status=activ`, `tier=X`, an unknown rep) is an error with
the allowed values, never an empty list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from kacard.cards import aliases
from kacard.errors import UsageError
from kacard.i18n import _
from kacard.text import fold

if TYPE_CHECKING:
    from kacard.cards.model.settings import Settings

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
            found = _contains(actual, self.value, self._read)
            return found if self.op == "~" else not found
        if self.op in ("=", "!="):
            equal = _equals(actual, self.value, self._read)
            return equal if self.op == "=" else not equal
        return _compare(actual, self.op, self.value, self._read)

    @cached_property
    def _read(self) -> _Read:
        """The value as every row is compared with it, read once (not once a row)."""
        return _Read(fold(self.value), _number(self.value), _date(self.value))


class _Read(NamedTuple):
    folded: str
    number: Decimal | None
    day: dt.date | None


_FULL_WIDTH = str.maketrans({"＝": "=", "～": "~", "＞": ">", "＜": "<", "！": "!", "≥": ">=",
                              "≤": "<=", "≠": "!=", "\u3000": " ", "．": "."})
TIERS = ("S", "A", "B", "C")


def parse(text: str) -> Condition:
    match = _COND_RE.match(text.translate(_FULL_WIDTH))
    if not match:
        raise UsageError(
            _("cannot read condition '{text}'; write FIELD=VALUE, FIELD~TEXT, 'FIELD>NUMBER' "
              "(fields: {fields})").format(text=text, fields=", ".join(FIELDS))
        )
    field, op, value = match.group(1), match.group(2), match.group(3)
    if not field.startswith("custom."):
        field = aliases.field_of(field) or field.lower()
    if field not in FIELDS and not field.startswith("custom."):
        import difflib

        close = difflib.get_close_matches(field, [*FIELDS, *aliases.field_words()], n=1, cutoff=0.5)
        hint = _("; did you mean '{field}'?").format(field=close[0]) if close else ""
        chinese = "/".join(words[0] for words in aliases.FIELD_NAMES.values())
        raise UsageError(_("unknown filter field '{field}'{hint} (fields: {fields}, custom.NAME; "
                           "or {chinese})").format(field=field, hint=hint, fields=", ".join(FIELDS),
                                                   chinese=chinese))
    if op in (">", "<", ">=", "<=") and _number(value) is None and _date(value) is None:
        raise UsageError(_("'{text}': {op} needs a number or a date, not '{value}'").format(
            text=text, op=op, value=value))
    return Condition(field, op, _known_value(field, op, value))


def _known_value(field: str, op: str, value: str) -> str:
    """The English value of an enumerated field's `=`/`!=` value; UsageError for a value
    no card can have (with the allowed ones and the closest)."""
    if op not in ("=", "!=") or value.casefold() in ("", "none", "null"):
        return value
    if field == "tier":
        if value.upper() in TIERS:
            return value.upper()
        raise UsageError(_("unknown tier '{value}' (one of S, A, B, C)").format(value=value))
    if field in aliases.FIELD_WORDS:
        return str(aliases.to_english(aliases.FIELD_WORDS[field], value))
    kind = aliases.FIELD_VALUES.get(field)
    if kind is None:
        return value
    english = aliases.to_english(kind, value)
    if english in aliases.english_values(kind):
        return str(english)
    allowed = ", ".join(aliases.english_values(kind))
    chinese = "/".join(aliases.label(kind, e) for e in aliases.english_values(kind))
    guess = aliases.closest(kind, value)
    hint = _("; did you mean '{guess}'?").format(guess=guess) if guess else ""
    raise UsageError(_("unknown {field} '{value}'{hint} (one of {allowed}; or {chinese})").format(
        field=field, value=value, hint=hint, allowed=allowed, chinese=chinese))


def parse_all(texts: list[str], settings: Settings | None = None) -> list[Condition]:
    """Every condition; with `settings`, an owner named by name (`负责人=张伟`) becomes the
    rep's id and an unknown rep is an error (kacard.cards.reps)."""
    conditions = [parse(t) for t in texts]
    if settings is None:
        return conditions
    from kacard.cards.reps import rep_id

    return [Condition(c.field, c.op, rep_id(settings, c.value, c.field, role="owner"))
            if c.field == "owner" and c.op in ("=", "!=") and c.value else c for c in conditions]


def matches_all(conditions: list[Condition], row: dict[str, Any]) -> bool:
    return all(c.matches(row) for c in conditions)


def _contains(actual: Any, needle: str, read: _Read | None = None) -> bool:
    needle = read.folded if read else fold(needle)  # compared after Unicode normalisation (kacard.text.fold)
    if isinstance(actual, list | tuple):
        return any(needle in fold(str(a)) for a in actual)
    return actual is not None and needle in fold(str(actual))


def _equals(actual: Any, value: str, read: _Read | None = None) -> bool:
    if isinstance(actual, list | tuple):
        return any(_equals(a, value, read) for a in actual)
    if actual is None:
        return value in ("", "none", "null")
    number = read.number if read else _number(value)
    if isinstance(actual, int | float | Decimal) and not isinstance(actual, bool) and number is not None:
        return Decimal(str(actual)) == number
    return fold(str(actual)) == (read.folded if read else fold(value))


def _compare(actual: Any, op: str, value: str, read: _Read | None = None) -> bool:
    if actual is None:
        return False
    left: Any
    right: Any
    if isinstance(actual, dt.date):
        left, right = actual, read.day if read else _date(value)
    else:
        left, right = _number(str(actual)), read.number if read else _number(value)
    if left is None or right is None:
        return False
    return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}[op]


def _number(text: str) -> Decimal | None:
    """A number as people write it: `1000000`, `1,000,000`, `100万`, `1.2亿`."""
    from kacard.cards.messages import plain_amount

    plain = plain_amount(text) if text else None
    if plain is None:
        return None
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
