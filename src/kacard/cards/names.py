"""When two company names are the same account, and when they are clearly two.

One rule for every place that must not mix up accounts: `kacard new` refuses a second
card with the same name, and `kacard import` never lets a phone number or a credit code
move a row onto a card whose name is clearly another company's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kacard.errors import DuplicateAccount
from kacard.i18n import _

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
    return _SPACE_PUNCT_RE.sub("", without_forms(name))


def without_forms(name: str) -> str:
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


def same_name(a: str, b: str) -> bool:
    """Whether two names are one company's by `normalise_name` (form words, width,
    spaces and case aside): 杭州星河纺织有限公司 = 杭州星河纺织 = 杭州 星河纺织（中国）有限公司."""
    return normalise_name(a) == normalise_name(b)


def clearly_different(a: str, b: str) -> bool:
    """Whether two names are clearly two companies: after `normalise_name` neither holds
    the other. 杭州星河燃气 and 杭州星河燃气集团 (or 星河燃气) may be one account, written
    longer or shorter; 宁波完全不同 and 杭州星河燃气集团 are not. An empty name differs
    from nothing (it says nothing)."""
    x, y = normalise_name(a), normalise_name(b)
    return bool(x and y) and x not in y and y not in x


def namesakes(name: str, cards: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(id, file) of every card, given as (id, name, file), whose name is `name`'s by
    `same_name`: the accounts a new card of that name would duplicate."""
    key = normalise_name(name)
    return [(card_id, rel) for card_id, card_name, rel in cards if key and normalise_name(card_name) == key]


def refuse_namesake(name: str, cards: Iterable[tuple[str, str, str]]) -> None:
    """Raise DuplicateAccount (exit 2) naming the cards that already have this name
    (`kacard new` without an explicit id: an id given says "a second account, deliberately")."""
    found = namesakes(name, cards)
    if found:
        raise DuplicateAccount(_(
            "{name!r} is already the name of {cards}; nothing was written. To add another account of that "
            "name on purpose, give its id: kacard new ID --name …").format(
            name=name, cards=_(", ").join(_("{id} ({file})").format(id=card_id, file=rel) for card_id, rel in found)))
