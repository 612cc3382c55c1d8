"""Finding the card an imported row is about, and naming new cards.

An account is found by id, then by its normalised company name, then by its
统一社会信用代码 (unified social credit code, GB 32100-2015) or a contact's phone; the
name decides when they disagree (AccountIndex.find). Names are compared by
kacard.cards.names, the rule `kacard new` uses too.
New cards get an id made of the name's pinyin (pypinyin), made unique in the folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kacard.cards.model.common import ID_RE
from kacard.cards.names import clearly_different, normalise_name, without_forms

__all__ = ["AccountIndex", "Found", "credit_code_ok", "normalise_name", "phone_key", "suggest_id", "with_check_char"]


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

    words = lazy_pinyin(without_forms(name) or name, errors=lambda text: text)
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(words).lower()).strip("-")[:48].strip("-") or "account"
    if not ID_RE.match(slug):
        slug = "account"
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


@dataclass(frozen=True)
class Found:
    """Where a row points: `how` is id | name | credit_code | phone (the card `card_id`),
    ambiguous (several cards share the `key`: `others`), conflict (the cards `others`
    have the row's name but another credit code), or none."""

    how: str
    card_id: str | None = None
    key: str = ""
    others: tuple[str, ...] = ()


@dataclass
class AccountIndex:
    """Where to find an account: by id, normalised name, credit code, phone.

    A phone never puts a row on a card whose name is clearly another company's
    (kacard.cards.names.clearly_different): the name outranks it."""

    ids: set[str] = field(default_factory=set)
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    codes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    phones: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    code_of: dict[str, str] = field(default_factory=dict)
    name_of: dict[str, str] = field(default_factory=dict)

    def add(self, card_id: str, name: str | None, code: str | None = None, phones: Iterable[str] = ()) -> None:
        self.ids.add(card_id)
        if name:
            _add_once(self.names[normalise_name(name)], card_id)
            self.name_of[card_id] = name
        if code:
            _add_once(self.codes[code.upper()], card_id)
            self.code_of[card_id] = code.upper()
        for phone in phones:
            key = phone_key(phone)
            if key:
                _add_once(self.phones[key], card_id)

    def find(self, *, card_id: str | None = None, name: str | None = None, code: str | None = None,
             phone: str | None = None) -> Found:
        """The one account these point to, tried in the order id, name, credit code, phone.

        A given id is the user's word; so is a 统一社会信用代码, the company's legal
        identity (GB 32100-2015, check character verified on reading), which a renamed
        company keeps. A name whose cards all have another credit code is a conflict (two
        companies, or a wrong code: the user must say which). A phone is a person's, and
        people change companies: a card whose name is clearly another company's
        (kacard.cards.names.clearly_different) or whose credit code differs is not found
        by it, and the row is a new account."""
        if card_id and card_id in self.ids:
            return Found("id", card_id)
        code = code.upper() if code else None
        if name:
            named = self.names.get(normalise_name(name), [])
            found = [i for i in named if not self._code_conflict(i, code)]
            if len(found) == 1:
                return Found("name", found[0])
            if found:
                return Found("ambiguous", key="name", others=tuple(found))
            if named:
                return Found("conflict", key="credit_code", others=tuple(named))
        if code:  # the company's legal identity: a renamed company keeps it
            coded = self.codes.get(code, [])
            if len(coded) == 1:
                return Found("credit_code", coded[0])
            if coded:
                return Found("ambiguous", key="credit_code", others=tuple(coded))
        key = phone_key(phone) if phone else None
        if key:
            found = [i for i in self.phones.get(key, [])
                     if not self._code_conflict(i, code) and not self._name_conflict(i, name)]
            if len(found) == 1:
                return Found("phone", found[0])
            if found:
                return Found("ambiguous", key="phone", others=tuple(found))
        return Found("none")

    def _code_conflict(self, card_id: str, code: str | None) -> bool:
        known = self.code_of.get(card_id)
        return bool(code and known and known != code)

    def _name_conflict(self, card_id: str, name: str | None) -> bool:
        known = self.name_of.get(card_id)
        return bool(name and known and clearly_different(known, name))


def _add_once(ids: list[str], card_id: str) -> None:
    if card_id not in ids:
        ids.append(card_id)
