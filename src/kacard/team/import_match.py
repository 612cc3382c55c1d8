"""Finding the card an imported row is about, and naming new cards.

An account is found by id, then by its normalised company name, then by its
统一社会信用代码 (unified social credit code, GB 32100-2015) or a contact's phone.
New cards get an id made of the name's pinyin (pypinyin), made unique in the folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kacard.cards.model.common import ID_RE

# Company-form words left out when comparing names (after NFKC, so full-width forms and
# （中国） are already half-width). Longest first: 股份有限公司 before 有限公司.
_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司", "股份", "公司",
          "co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "company limited", "corporation", "limited", "ltd.",
          "ltd", "inc.", "inc", "co.", " co")
_BRACKETED_PLACE_RE = re.compile(r"\((?:中国|china)\)")
_SPACE_PUNCT_RE = re.compile(r"[\s·・,.，。、'\"“”‘’\-_/]+")


def normalise_name(name: str) -> str:
    """A company name as compared: NFKC (full-width → half-width, （中国） → (中国)),
    lower case, without (中国)/(China), company forms (有限公司, 股份, Co., Ltd.) and
    spaces or punctuation. 「杭州星河燃气股份有限公司」 and 「杭州 星河燃气（中国）有限公司」
    both give 「杭州星河燃气」."""
    return _SPACE_PUNCT_RE.sub("", _without_forms(name))


def _without_forms(name: str) -> str:
    """NFKC, lower case, without (中国) and trailing company forms; spaces kept."""
    text = unicodedata.normalize("NFKC", name).lower().strip()
    text = _BRACKETED_PLACE_RE.sub("", text)
    text = re.sub(r"\s+", " ", text)
    changed = True
    while changed:
        changed = False
        for form in _FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)].rstrip(" ,.")
                changed = True
    return text


def phone_key(phone: str) -> str | None:
    """The last 11 digits of a phone number (so +86 138… and 138… agree); None if < 7 digits."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone) if ch.isdigit())
    return digits[-11:] if len(digits) >= 7 else None


_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def with_check_char(first17: str) -> str:
    """The 17 first characters of a unified social credit code and its check character
    (GB 32100-2015: weights 3^i mod 31 over the first 17, check = 31 - sum mod 31)."""
    total = sum(_CODE_CHARS.index(ch) * w for ch, w in zip(first17, _CODE_WEIGHTS, strict=True))
    return first17 + _CODE_CHARS[(31 - total % 31) % 31]


def credit_code_ok(code: str) -> bool:
    """Whether an 18-character unified social credit code has a valid check character."""
    if len(code) != 18 or any(ch not in _CODE_CHARS for ch in code):
        return False
    return with_check_char(code[:17]) == code


def suggest_id(name: str, taken: set[str]) -> str:
    """A new card id from a company name: its pinyin, lower case, at most 48 characters,
    made unique with -2, -3 … (pypinyin; a fuller id generator may replace this)."""
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(_without_forms(name) or name, errors=lambda text: text)
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(words).lower()).strip("-")[:48].strip("-") or "account"
    if not ID_RE.match(slug):
        slug = "account"
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


@dataclass
class AccountIndex:
    """Where to find an account: by id, normalised name, credit code, phone."""

    ids: set[str] = field(default_factory=set)
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    codes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    phones: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    code_of: dict[str, str] = field(default_factory=dict)

    def add(self, card_id: str, name: str | None, code: str | None = None, phones: Iterable[str] = ()) -> None:
        self.ids.add(card_id)
        if name:
            _add_once(self.names[normalise_name(name)], card_id)
        if code:
            _add_once(self.codes[code.upper()], card_id)
            self.code_of[card_id] = code.upper()
        for phone in phones:
            key = phone_key(phone)
            if key:
                _add_once(self.phones[key], card_id)

    def find(self, *, card_id: str | None = None, name: str | None = None, code: str | None = None,
             phone: str | None = None) -> tuple[str | None, str | None]:
        """(id, how) of the one account these point to; (None, "ambiguous:how:ids") when
        several match one key, (None, None) when none does. A card whose credit code
        differs from the row's is never matched by name or phone (two companies)."""
        if card_id and card_id in self.ids:
            return card_id, "id"
        code = code.upper() if code else None
        for how, table, key in (("name", self.names, normalise_name(name) if name else None),
                                ("credit_code", self.codes, code),
                                ("phone", self.phones, phone_key(phone) if phone else None)):
            found = [i for i in (table.get(key, []) if key else []) if not self._conflict(i, code)]
            if len(found) == 1:
                return found[0], how
            if len(found) > 1:
                return None, f"ambiguous:{how}:{','.join(found)}"
        return None, None

    def _conflict(self, card_id: str, code: str | None) -> bool:
        known = self.code_of.get(card_id)
        return bool(code and known and known != code)


def _add_once(ids: list[str], card_id: str) -> None:
    if card_id not in ids:
        ids.append(card_id)
