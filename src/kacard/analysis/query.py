"""`kacard filter` conditions: `tier=A region~杭州 'revenue>1000000'`, ANDed.

Each condition parses into a small Condition object that is tested against a
flat row of a card's fields (`card_row`), so filters work without the CLI.
A condition is read as a rep types it, in English or Chinese, by one set of tables
(kacard.analysis.condition_words): field names (`等级=A 负责人=张伟 名称~燃气`), operators
(`＝ ： : == ～ ＞ ＜ ！`, `大于`, `包含`), tier words (`A类`, `A级客户`), values (`状态=活跃`),
dates (`最近拜访>9月1日`, `上周五`: kacard.dates.parse_day) and amounts with units
(`'revenue>100万'`, `1.2亿`, `1,000,000`, `5000元`).
A value no card can have (`status=activ`, `tier=X`, an unknown rep) is an error with
the allowed values, never an empty list. A field with a closed list of values takes
several, any of which matches: `等级=A,B`, `tier=A|B`, `状态=活跃、潜在`, `负责人=张伟，李娜`
(`!=`: none of them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from kacard.analysis import condition_words as words
from kacard.analysis.condition_words import FIELDS
from kacard.cards import aliases
from kacard.errors import UsageError
from kacard.i18n import _
from kacard.text import fold

if TYPE_CHECKING:
    from kacard.cards.model.settings import Settings

NUMBER_FIELDS = frozenset({"visit_minutes", "revenue", "margin", "contacts", "receivable"})
DATE_FIELDS = frozenset({"since", "last_visit", "next_date"})


# Fields whose values are a closed list of words (or rep ids): `等级=A,B` means A or B.
ONE_OF_FIELDS = frozenset({"tier", "owner", *aliases.FIELD_VALUES, *aliases.FIELD_WORDS})
# What separates the values of `tier=A,B`: an ASCII or full-width comma, 、 (how a Chinese
# list is written) or | (no value of those fields holds one; a free-text industry may hold
# a slash, `IT/软件`, so / is not one).
_ONE_OF = str.maketrans({"，": ",", "、": ",", "|": ",", "｜": ","})


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str
    either: tuple[str, ...] = ()  # `tier=A,B`: the values, any of which `=` matches (`!=`: none)

    def matches(self, row: dict[str, Any]) -> bool:
        if self.either:
            hit = any(one.matches(row) for one in self._each)
            return hit if self.op == "=" else not hit
        actual = row.get(self.field)
        if self.op in ("~", "!~"):
            found = _contains(actual, self.value, self._read)
            return found if self.op == "~" else not found
        if self.op in ("=", "!="):
            equal = _equals(actual, self.value, self._read)
            return equal if self.op == "=" else not equal
        return _compare(actual, self.op, self.value, self._read)

    @cached_property
    def _each(self) -> tuple[Condition, ...]:
        return tuple(Condition(self.field, "=", value) for value in self.either)

    @cached_property
    def _read(self) -> _Read:
        """The value as every row is compared with it, read once (not once a row)."""
        return _Read(fold(self.value), _number(self.value), _date(self.value))


class _Read(NamedTuple):
    folded: str
    number: Decimal | None
    day: dt.date | None


def parse(text: str, today: dt.date | None = None) -> Condition:
    """One condition as a rep types it (kacard.analysis.condition_words: `tier=A`, `等级：A类`,
    `tier==A`, `A类客户`, `营收大于100万`, `最近拜访>9月1日`), with each value in its canonical
    spelling: a tier letter, an enumerated value's English word, a date in ISO form (read by
    kacard.dates.parse_day relative to `today`; without `today` only ISO dates). UsageError,
    in the user's language, for anything else: what a condition looks like, the fields there
    are and the closest one, the values a field takes."""
    typed = text.translate(words.FULL_WIDTH).strip()
    parts = words.split(typed) or words.bare(typed) or words.unknown_named(typed)
    if parts is None:
        raise UsageError(words.refused(text))
    field, op, value = parts
    if field not in FIELDS and not field.startswith("custom."):
        raise UsageError(words.unknown_field(field))
    if op in ("=", "!=") and field in ONE_OF_FIELDS:
        values = [v.strip() for v in value.translate(_ONE_OF).split(",")]
        if len(values) > 1 and all(values):  # `等级=A,B`, `状态=活跃、潜在`: any of them
            either = tuple(dict.fromkeys(_value((field, op, v), text, today) for v in values))
            return Condition(field, op, either[0], either)
    return Condition(field, op, _value(parts, text, today))


def _value(parts: words.Parts, text: str, today: dt.date | None) -> str:
    """The value of `parts` read by its field's kind (see parse)."""
    field, op, value = parts
    empty = op in ("=", "!=") and value.casefold() in ("", "none", "null")
    custom_day = field.startswith("custom.") and op in words.ORDERING and _number(value) is None
    if (field in DATE_FIELDS and op not in ("~", "!~") or custom_day) and not empty:
        return _day(value, text, today, past=field != "next_date")
    if op in words.ORDERING and _number(value) is None:
        if field in NUMBER_FIELDS:
            raise UsageError(_("'{text}': {op} needs a number, not '{value}'; write it like 100万, 1.2亿, "
                               "1,000,000 or 5000元 (e.g. 'revenue>100万')").format(text=text, op=op, value=value))
        raise UsageError(_("'{text}': this field is text; compare it with = != ~ !~ (e.g. name~燃气); "
                           "> and < are for numbers and dates").format(text=text))
    return _known_value(field, op, value)


def _day(value: str, text: str, today: dt.date | None, *, past: bool) -> str:
    """`value` as an ISO date (kacard.dates.parse_day; `past` reads `周五` as the last one)."""
    from kacard.dates import parse_day

    try:
        return (dt.date.fromisoformat(value) if today is None else parse_day(value, today, past=past)).isoformat()
    except ValueError as exc:
        problem = str(exc) if today is not None else _("not a date: '{text}'").format(text=value)
        raise UsageError(_("'{text}': {problem} (e.g. 'last_visit>2026-09-01')").format(
            text=text, problem=problem)) from None


def _known_value(field: str, op: str, value: str) -> str:
    """The English value of an enumerated field's `=`/`!=` value; UsageError for a value
    no card can have (with the allowed ones and the closest)."""
    if op not in ("=", "!=") or value.casefold() in ("", "none", "null"):
        return value
    if field == "tier":
        letter = words.tier(value)
        if letter is not None:
            return letter
        raise UsageError(_("unknown tier '{value}' (one of S, A, B, C; or A类, A级)").format(value=value))
    if field in aliases.FIELD_WORDS:
        return str(aliases.to_english(aliases.FIELD_WORDS[field], value))
    kind = aliases.FIELD_VALUES.get(field)
    if kind is None:
        return value
    english = words.enumerated(field, value)
    if english is not None:
        return english
    allowed = ", ".join(aliases.english_values(kind))
    chinese = "/".join(aliases.label(kind, e) for e in aliases.english_values(kind))
    guess = aliases.closest(kind, value)
    hint = _("; did you mean '{guess}'?").format(guess=guess) if guess else ""
    raise UsageError(_("unknown {field} '{value}'{hint} (one of {allowed}; or {chinese})").format(
        field=field, value=value, hint=hint, allowed=allowed, chinese=chinese))


def parse_all(texts: list[str], settings: Settings | None = None, today: dt.date | None = None) -> list[Condition]:
    """Every condition of a command line (words typed with spaces joined first: `tier: A`,
    condition_words.joined), read by `parse` relative to `today`; with `settings`, an owner
    named by name (`负责人=张伟`) becomes the rep's id and an unknown rep is an error
    (kacard.cards.reps)."""
    conditions = [parse(t, today) for t in words.joined(texts)]
    if settings is None:
        return conditions
    from kacard.cards.reps import rep_id

    def owners(c: Condition) -> Condition:
        either = tuple(rep_id(settings, v, c.field, role="owner") for v in c.either)
        return Condition(c.field, c.op, rep_id(settings, c.value, c.field, role="owner"), either)

    return [owners(c) if c.field == "owner" and c.op in ("=", "!=") and c.value else c for c in conditions]


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
    """A condition's value as a date: parse has already written a date field's value in ISO
    form (kacard.dates.parse_day read it as typed), so only that form is read here."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
