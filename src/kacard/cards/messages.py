"""Problems with a card in plain words, in the user's language: the one place that turns a
raw problem (a YAML parser error, a pydantic error) and the card's source line into the
message `validate` prints.

It knows the mistakes Chinese input methods make (a full-width colon `：` or space, a tab
for indentation, a full-width comma in a list), and the ones a spreadsheet habit makes
(`1,200,000`, `100万`, `2019/03/01`, `2026-11-5`, `9:00`, a phone number left unquoted,
yes/no where a date belongs). Items are counted from 1 ("contact 2", "第 2 个联系人").
No Python or pydantic names reach the user, and personal values (phones, e-mails, notes)
are never echoed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from kacard.cards import aliases, ime
from kacard.cards.ime import Located
from kacard.i18n import _, language

# Fields whose values are personal data: never quoted back in a message.
PERSONAL = frozenset({"phone", "email", "birthday", "notes", "wechat", "qq", "id_number", "mobile"})

TIME_FIELDS = frozenset({"start", "end", "time"})
DATE_FIELDS = frozenset({"date", "since", "close", "due", "paid", "stage_since", "wait_until"})
MONEY_FIELDS = frozenset({"amount", "margin", "limit", "annual_budget"})


def _item_names() -> dict[str, str]:
    """How an item of each list is named, with its number: "contact 2"."""
    return {
        "contacts": _("contact {n}"),
        "visits": _("visit {n}"),
        "trades": _("trade {n}"),
        "opportunities": _("opportunity {n}"),
        "signals": _("signal {n}"),
        "handovers": _("handover {n}"),
        "tags": _("tag {n}"),
        "days": _("day {n}"),
        "team": _("rep {n}"),
        "with": _("person {n}"),
    }


def alias_kind(loc: tuple[Any, ...]) -> str | None:
    """Which alias table (kacard.cards.aliases) the field at `loc` reads, if any."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return None
    last = names[-1]
    if last == "kind":
        return "signal_kind" if names[0] == "signals" else "visit_kind"
    if last == "days":
        return "weekday"
    if last == "role":
        return "contact_role"
    if last in ("centralized", "manager"):
        return "bool"
    return last if last in aliases.ALIASES else None


def where(loc: tuple[Any, ...]) -> str:
    """The item a problem is in, counted from 1: "contact 2, visit 3 next step" -> text."""
    names = _item_names()
    parts = []
    for i, part in enumerate(loc):
        if isinstance(part, int) and i > 0 and isinstance(loc[i - 1], str) and loc[i - 1] in names:
            parts.append(names[str(loc[i - 1])].format(n=part + 1))
    return _(", ").join(parts)


@dataclass(frozen=True)
class Raw:
    """A problem as a checker found it: an error `kind` (pydantic's error type, or
    "yaml" for the parser), the field's location, the checker's own English message,
    the value read (if any) and the checker's context (limits, expected values)."""

    kind: str
    loc: tuple[Any, ...]
    message: str
    value: Any = None
    ctx: dict[str, Any] = field(default_factory=dict)


def written(source_line: str | None, key: str, column: int | None = None) -> str | None:
    """What the card's line says after `key:` (the text as typed, before YAML read it): the
    occurrence of the key at `column` (1-based, where the problem is), else the line's only
    one. A line with several (`{date: …, next: {date: …}}`) and no column says nothing: a
    hint must never be made from another field's value (issue s12 #1)."""
    match = _written_at(source_line, key, column)
    if not match:
        return None
    return match.group(2).strip().strip("\"'") or None


def _written_at(source_line: str | None, key: str, column: int | None) -> re.Match[str] | None:
    if not source_line or not key:
        return None
    pattern = rf"(?:^|(?<=[\s{{,-]))({re.escape(key)})\s*:\s*(\"[^\"]*\"|'[^']*'|[^,}}#\n]*)"
    found = list(re.finditer(pattern, source_line))
    if column is not None:
        at = [m for m in found if m.start(1) == column - 1]
        if at:
            return at[0]
    return found[0] if len(found) == 1 else None


def split_number(raw: Raw, source_line: str | None) -> re.Match[str] | None:
    """In a `{…}` line, the `key: 1,200,000` that YAML split into the keys `200` and `000`
    the problem `raw` is about (group 1 the key, group 2 the number as typed): the one whose
    digits after a comma are the problem's key, else the line's only one."""
    from kacard.cards.fastyaml import resolve_plain

    loc = raw.loc
    if not (source_line and loc and isinstance(loc[-1], int | float) and not isinstance(loc[-1], bool)
            and raw.kind in ("invalid_key", "string_type", "extra_forbidden")):
        return None
    found = list(_SPLIT_NUMBER_RE.finditer(source_line))
    mine = [m for m in found if any(resolve_plain(part) == loc[-1] for part in m.group(2).split(",")[1:])]
    if mine:
        return mine[0]
    return found[0] if len(found) == 1 else None


def corrected(raw: Raw, source_line: str | None) -> Raw:
    """The problem as the user made it: in a `{…}` line, `amount: 1,200,000` is split by
    its commas into the keys `200` and `000`; this gives back the field (`amount`) and the
    number as typed. Any other problem comes back as it is."""
    split = split_number(raw, source_line)
    if split:
        return Raw("decimal_parsing", (*raw.loc[:-1], split.group(1)), raw.message, split.group(2))
    return raw


def explain(raw: Raw, source_line: str | None = None, column: int | None = None) -> str:
    """The message for one validation problem, in plain words and the current language.

    A hint that repeats the value (`date: 2026-12-01`) is made from the value the checker
    read for this field (`raw.value`); only when that is not text (YAML read
    `013800138000` as a number) from `source_line`, the card's line the problem is on, at
    the problem's `column` (kacard.cards.messages.written)."""
    split = split_number(raw, source_line)
    raw = corrected(raw, source_line)
    loc = raw.loc
    key = field_key(loc)
    if split is not None:
        column = split.start(1) + 1
    text = raw.value if isinstance(raw.value, str) else written(source_line, key, column)
    mistake = ime.about(source_line, key, column)
    message = mistake.message if mistake is not None else _explain(raw, key, text)
    item = where(loc)
    return _("{item}: {message}").format(item=item, message=message) if item else message


def field_key(loc: tuple[Any, ...]) -> str:
    """The last field name of a location: `date` of ("visits", 0, "next", "date")."""
    return str(next((p for p in reversed(loc) if isinstance(p, str)), ""))


def ime_about(raw: Raw, source_line: str | None, column: int | None) -> Located | None:
    """The input-method mistake on the problem's line that explains it (kacard.cards.ime.about)."""
    return ime.about(source_line, field_key(corrected(raw, source_line).loc), column)


def _explain(raw: Raw, key: str, text: str | None) -> str:  # one case per mistake
    kind, value, ctx = raw.kind, raw.value, raw.ctx
    personal = key in PERSONAL
    if key in TIME_FIELDS and kind.startswith("time"):
        return time_message(key, text)
    if key in DATE_FIELDS and kind.startswith(("date", "datetime")):
        return date_message(key, value, text)
    if key in MONEY_FIELDS and kind.startswith(("decimal", "float", "int")) and isinstance(value, str):
        return money_message(key, value)
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        if personal:
            return _("this was read as a number, so a leading 0 or + is lost; put it in quotes: "
                     "{key}: \"…\"").format(key=key)
        shown = text if text is not None else str(value)
        return _("this was read as a number; put it in quotes to keep it as written: "
                 "{key}: \"{value}\"").format(key=key, value=shown)
    if kind in ("literal_error", "enum"):
        return choice_message(raw, key)
    if kind == "missing":
        return _("missing: this field is required")
    if kind == "extra_forbidden":
        return raw.message
    if kind in ("string_too_short", "too_short"):
        return _("must not be empty")
    if kind in ("string_too_long", "too_long"):
        return _("too long: at most {n} characters").format(n=ctx.get("max_length", "?"))
    if kind == "greater_than_equal":
        return _("must be at least {n}").format(n=_number(ctx.get("ge")))
    if kind == "greater_than":
        return _("must be more than {n}").format(n=_number(ctx.get("gt")))
    if kind == "less_than_equal":
        return _("must be at most {n}").format(n=_number(ctx.get("le")))
    if kind == "less_than":
        return _("must be less than {n}").format(n=_number(ctx.get("lt")))
    if kind in ("finite_number",):
        return _("must be a real number (not .nan or .inf)")
    if kind == "decimal_max_digits":
        return _("too many digits: at most {n} digits in all").format(n=ctx.get("max_digits", 15))
    if kind == "decimal_max_places":
        return _("too many decimal places: at most {n}").format(n=ctx.get("decimal_places", 4))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("must be a number")
    if kind in ("bool_parsing", "bool_type"):
        return _("must be yes or no: true/false (or 是/否)")
    if kind == "list_type":
        return _("must be a list: [a, b] or one '- ' line per item")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("must be a group of 'key: value' lines")
    if kind in ("string_type",):
        return _("must be text")
    if kind == "string_pattern_mismatch" and key == "id":
        return _("an id is lowercase letters, digits, '-', '_' or '.', like hz-xinghe-gas")
    if kind == "invalid_key":
        return _("a field name must be text")
    if kind == "value_error":
        return raw.message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return _("does not have the form this field needs (pattern {pattern})").format(pattern=ctx.get("pattern", "?"))
    return checker_said(raw.message)


def checker_said(message: str) -> str:
    """A message of pydantic's that no rule above words for people: as it is in English, and
    in another language marked as the checker's words (pydantic has no catalog)."""
    if language() == "en":
        return message
    return _("not valid here (the checker says: {message})").format(message=message)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "?" if value is None else str(value)


def time_message(key: str, text: str | None) -> str:
    """A time that is not HH:MM text (`9:00` unquoted, `9点`)."""
    fixed = ime.two_digit_time(text) if text else None
    if fixed:
        return _("write times as HH:MM with two-digit hours, in quotes: {key}: \"{fixed}\"").format(
            key=key, fixed=fixed)
    return _("not a time: write HH:MM in quotes, like {key}: \"09:30\"").format(key=key)


_YES_NO = {"yes", "no", "y", "n", "true", "false", "on", "off", "是", "否", "有", "无", "已付", "未付"}


def date_message(key: str, value: Any, text: str | None) -> str:
    """A date that is not YYYY-MM-DD: `2019/03/01`, `2026-11-5`, `2026年3月1日`, yes/no."""
    if isinstance(value, bool) or (text is not None and text.strip().casefold() in _YES_NO):
        if key == "paid":
            return _("paid takes the date the invoice was paid, like 2026-11-05, not yes/no; "
                     "leave it out while unpaid")
        return _("{key} takes a date like 2026-11-05, not yes/no").format(key=key)
    fixed = iso_date(text) if text else None
    if fixed is not None and text is not None and "-" in text and "/" not in text:
        return _("write months and days with two digits: {key}: {fixed}").format(key=key, fixed=fixed)
    if fixed is not None:
        return _("write dates as YYYY-MM-DD: {key}: {fixed}").format(key=key, fixed=fixed)
    return _("not a date: write YYYY-MM-DD, like {key}: 2026-11-05").format(key=key)


def iso_date(text: str) -> str | None:
    """`2019/03/01`, `2019.3.1`, `2026-11-5`, `2026年3月1日` as ISO text, if a real day."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def money_message(key: str, text: str) -> str:
    """An amount written `1,200,000`, `100万` or `¥5000`."""
    number = plain_amount(text)
    if number is not None and re.search(r"[,，]", text):
        return _("write amounts without thousands separators: {key}: {fixed}").format(key=key, fixed=number)
    if number is not None:
        return _("write the whole amount as a plain number: {key}: {fixed}").format(key=key, fixed=number)
    return _("must be a number, like {key}: 1200000").format(key=key)


_SPLIT_NUMBER_RE = re.compile(r"([A-Za-z_]\w*)\s*:\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?)")

_UNITS = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000, "千": 1000, "k": 1000, "K": 1000}


def plain_amount(text: str) -> str | None:
    """`1,200,000`, `120万`, `1.2亿`, `¥5000`, `5000元` as a plain number text; else None."""
    from decimal import Decimal, InvalidOperation

    cleaned = re.sub(r"[,，\s_¥￥]|元$|RMB$|CNY$", "", text.strip())
    factor = 1
    if cleaned and cleaned[-1] in _UNITS:
        factor, cleaned = _UNITS[cleaned[-1]], cleaned[:-1]
    try:
        number = Decimal(cleaned) * factor
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return format(number.normalize(), "f") if number != number.to_integral() else str(int(number))


def choice_message(raw: Raw, key: str) -> str:
    """A value outside the allowed ones: the allowed English values, their Chinese words,
    and the closest one ("did you mean")."""
    kind = alias_kind(raw.loc)
    value = raw.value
    if kind is None:
        expected = raw.ctx.get("expected")  # pydantic's "'a', 'b' or 'c'"
        if not expected:
            return checker_said(raw.message)
        values = [value.strip("'\"") for value in re.split(r", | or ", str(expected))]  # unquoted, as the
        return _("must be one of {expected}").format(expected=_(", ").join(values))  # allowed values below
    allowed = ", ".join(aliases.english_values(kind))
    chinese = "/".join(aliases.label(kind, e) for e in aliases.english_values(kind))
    if isinstance(value, str) and re.search(r"[，、,]", value) and kind == "weekday":
        return _("write one weekday per item, separated by ASCII commas: [周一, 周三] or [mon, wed]")
    guess = aliases.closest(kind, value) if isinstance(value, str) else None
    shown = value if isinstance(value, str) and key not in PERSONAL else None
    if guess and shown is not None:
        return _("unknown value '{value}'; did you mean '{guess}'? (one of {allowed}; or {chinese})").format(
            value=shown, guess=guess, allowed=allowed, chinese=chinese)
    if shown is not None:
        return _("unknown value '{value}' (one of {allowed}; or {chinese})").format(
            value=shown, allowed=allowed, chinese=chinese)
    return _("must be one of {allowed} (or {chinese})").format(allowed=allowed, chinese=chinese)


# -- YAML that does not parse ---------------------------------------------------------

def yaml_problem(text: str, line: int | None, column: int | None, message: str) -> Located:
    """A YAML parse error in plain words. Input-method mistakes are looked for from the
    top of the file to the parser's line (the parser often notices a full-width colon a
    line later): the first found is named with its own line and column, the character
    and the fix; anything else keeps the parser's position and message."""
    lines = text.split("\n")
    last = min(len(lines), line if line is not None else len(lines))
    for number in range(1, last + 1):
        found = ime.first(lines[number - 1], number)
        if found is not None:
            return found
    return Located(line, column, message)


def missing_hint(text: str, key: str) -> Located | None:
    """Why a required `key` may look missing: it is written with a full-width colon
    (`name：…`, or its Chinese name `名称：…`); the mistake's line, column and message."""
    for number, source in enumerate(text.split("\n"), start=1):
        if "：" not in source:
            continue
        for found in ime.mistakes(source, number):
            if found.kind == ime.COLON and key in (found.key, aliases.field_of(found.key)):
                return found
    return None
