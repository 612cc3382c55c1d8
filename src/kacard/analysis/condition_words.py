"""How reps type a `kacard filter` condition, as data (issue 15 "中文优先", and after it).

A condition is a field, an operator and a value, and each part has many spellings:

* fields: the English name or a Chinese one (`等级`, `负责人`; kacard.cards.aliases.FIELD_NAMES);
* operators: `OPERATORS` — the symbols (`=`, and `==`, `:` from YAML habit, `<>` from Excel),
  full-width ones as an input method types them (`＝ ： ～ ＞ ＜ ！ ≥ ≤ ≠`), and Chinese words
  after a field name (`营收大于100万`, `名称包含燃气`, `最近拜访早于9月1日`);
* tier values: `A`, `A类`, `A级`, `A类客户` (the course's ABC 分类 names a class "A类");
* a bare word that says its own field is a whole condition: `A类客户` (tier=A), `流失客户`
  (status=lost), `巩固` (relationship=strengthen).

`split` and `bare` read a condition's text with these tables; kacard.analysis.query then
reads the value by the field's kind (dates through kacard.dates.parse_day, amounts through
kacard.cards.messages.plain_amount). A new spelling is a new row in a table, not a new case.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kacard.cards import aliases
from kacard.i18n import _
from kacard.text import fold

FIELDS = (
    "id", "name", "status", "owner", "tier", "industry", "sector", "region", "address",
    "relationship", "since", "visit_minutes", "tags", "revenue", "margin", "last_visit",
    "next_date", "contacts", "receivable",
)
TIERS = ("S", "A", "B", "C")

# Every spelling of an operator, and the operator it means.
OPERATORS: dict[str, str] = {
    "=": "=", "==": "=", ":": "=", "!=": "!=", "<>": "!=", "~": "~", "!~": "!~",
    ">": ">", ">=": ">=", "<": "<", "<=": "<=",
    # words, read only right after a field name
    "等于": "=", "是": "=", "为": "=", "不等于": "!=", "不是": "!=", "不为": "!=",
    "包含": "~", "含": "~", "不包含": "!~", "不含": "!~",
    "大于": ">", "高于": ">", "超过": ">", "多于": ">", "晚于": ">",
    "大于等于": ">=", "不少于": ">=", "不低于": ">=", "不早于": ">=",
    "小于": "<", "低于": "<", "少于": "<", "早于": "<",
    "小于等于": "<=", "不超过": "<=", "不多于": "<=", "不高于": "<=", "不晚于": "<=",
}
ORDERING = frozenset({">", ">=", "<", "<="})

# Characters an input method types for an operator, read as the ASCII ones.
FULL_WIDTH = str.maketrans({"＝": "=", "～": "~", "〜": "~", "＞": ">", "＜": "<", "！": "!", "：": ":",
                            "≥": ">=", "≧": ">=", "≤": "<=", "≦": "<=", "≠": "!=", "\u3000": " ", "．": "."})

_LONGEST_FIRST = sorted(OPERATORS, key=len, reverse=True)
_SYMBOLS = "|".join(re.escape(op) for op in _LONGEST_FIRST if op.isascii())
_ANY_FIELD_RE = re.compile(rf"^\s*([^\W\d][\w.]*)\s*({_SYMBOLS})\s*(.*?)\s*$")
_WORDS = "|".join(op for op in _LONGEST_FIRST if not op.isascii())
_ANY_FIELD_WORD_RE = re.compile(rf"^\s*([^\W\d][\w.]*?)\s*({_WORDS})\s*(.+?)\s*$")
_NAMES = sorted(((word.casefold(), english) for english in FIELDS
                 for word in (english, *aliases.FIELD_NAMES.get(english, ()))), key=lambda p: -len(p[0]))
_FIELD_OF = dict(_NAMES)
_TIER_RE = re.compile(rf"([{''.join(TIERS).lower()}])\s*([类類级級]?)\s*((?:客户|客戶)?)")
_CUSTOMER = ("客户", "客戶")


class Parts(NamedTuple):
    """A condition's three parts: the field (English, `custom.NAME`, or the unknown name as
    typed), the operator (one of = != ~ !~ > >= < <=) and the value as typed."""

    field: str
    op: str
    value: str


def split(text: str) -> Parts | None:
    """`text` (full-width operators already read as ASCII, see FULL_WIDTH) as its parts: a
    field name (longest first, ASCII names in any case) then any spelling of an operator;
    else any name then a symbol operator (a custom.NAME, or an unknown field to refuse).
    None when no operator follows a name."""
    text = text.strip()
    for word, english in _NAMES:
        if text[:len(word)].casefold() == word:
            rest = text[len(word):].lstrip()
            op = next((o for o in _LONGEST_FIRST if rest.startswith(o)), None)
            if op is not None:
                return Parts(english, OPERATORS[op], rest[len(op):].strip())
    match = _ANY_FIELD_RE.match(text)
    if match is None:
        return None
    field = match.group(1)
    return Parts(field if field.startswith("custom.") else field.lower(), OPERATORS[match.group(2)], match.group(3))


def unknown_named(text: str) -> Parts | None:
    """A name no field has followed by an operator word (`业绩大于100万`: 业绩, >, 100万), so
    it is refused as an unknown field, not as unreadable; else None. Read after `bare`."""
    match = _ANY_FIELD_WORD_RE.match(text)
    return Parts(match.group(1).lower(), OPERATORS[match.group(2)], match.group(3)) if match else None


def field_of(word: str) -> str | None:
    """The English field a whole word names (`tier`, `Tier`, `等级`), else None."""
    return _FIELD_OF.get(word.strip().casefold())


def tier(value: str, *, bare: bool = False) -> str | None:
    """The tier letter of `A`, `a`, `Ａ`, `A类`, `A级`, `A类客户` (with `bare`, a word alone
    as a condition, the letter needs 类, 级 or 客户 after it); else None."""
    match = _TIER_RE.fullmatch(fold(value).strip())
    if match is None or (bare and not (match.group(2) or match.group(3))):
        return None
    return match.group(1).upper()


def enumerated(field: str, value: str) -> str | None:
    """The English value of an enumerated field's word (`活跃`, `流失客户`, `active`), else None."""
    kind = aliases.FIELD_VALUES[field]
    for word in (value, value.removesuffix(_CUSTOMER[0]).removesuffix(_CUSTOMER[1])):
        english = aliases.to_english(kind, word.strip())
        if english in aliases.english_values(kind):
            return str(english)
    return None


def bare(text: str) -> Parts | None:
    """A word that is a whole condition: a tier word (`A类客户` → tier=A) or the value of an
    enumerated field (`流失客户` → status=lost); else None."""
    letter = tier(text, bare=True)
    if letter is not None:
        return Parts("tier", "=", letter)
    for field in aliases.FIELD_VALUES:
        english = enumerated(field, text)
        if english is not None and text.strip():
            return Parts(field, "=", english)
    return None


def joined(texts: list[str]) -> list[str]:
    """The conditions of a command line typed with spaces (`tier: A`, `等级 ＝ A类`,
    `营收 大于 100万`): a field name alone, an operator alone or a condition without its value
    is joined with the next word that is not a condition itself."""
    out: list[str] = []
    for raw in texts:
        text = raw.translate(FULL_WIDTH).strip()
        if out and _open(out[-1]) and split(text) is None and split(out[-1] + text) is not None:
            out[-1] += text
        else:
            out.append(text)
    return out


def _open(text: str) -> bool:
    """Whether `text` still needs what follows: a field name alone, or a name and an operator."""
    parts = split(text)
    return field_of(text) is not None or (parts is not None and parts.value == "")


def unknown_field(typed: str) -> str:
    """The message for a field no card has: the closest field (by spelling, or by a word people
    use for it: `amount` → revenue / 营收 / 金额), and every field's names."""
    import difflib

    candidates = {word: english for word, english in _NAMES}
    hints = {word.casefold(): english for english, words in aliases.FIELD_HINTS.items() for word in words}
    close = difflib.get_close_matches(typed.casefold(), [*candidates, *hints], n=1, cutoff=0.5)
    hint = ""
    if close and close[0] in candidates and not close[0].isascii():
        hint = _("; did you mean '{field}'?").format(field=close[0])
    elif close:
        english = candidates.get(close[0]) or hints[close[0]]
        words = "/".join(aliases.FIELD_NAMES.get(english, ()))
        hint = _("; did you mean '{field}' ({words})?").format(field=english, words=words)
    chinese = "/".join(words[0] for words in aliases.FIELD_NAMES.values())
    return _("unknown filter field '{field}'{hint} (fields: {fields}, custom.NAME; or {chinese})").format(
        field=typed, hint=hint, fields=", ".join(FIELDS), chinese=chinese)


def refused(text: str) -> str:
    """The message for text that is no condition: what one looks like, with examples."""
    chinese = "/".join(words[0] for words in aliases.FIELD_NAMES.values())
    return _("cannot read condition '{text}': write a field, an operator and a value, e.g. tier=A, "
             "region~杭州, 'revenue>100万', 'last_visit<2026-09-01' (operators: = != ~ !~ > >= < <=; "
             "fields: {fields}; or {chinese})").format(text=text, fields=", ".join(FIELDS), chinese=chinese)
