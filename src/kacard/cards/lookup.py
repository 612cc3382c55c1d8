"""Find a card the way people remember it: an id or its start, part of the name, the
name's full pinyin or its initials (`朗越`, `langyue`, `lyzy`), a contact, an address.

Pinyin comes from pypinyin (the maintained pinyin library; its per-character data
lists every reading of a heteronym, so 单 matches dan, shan and chan, 曾 ceng and zeng).
A card's search keys (`search_keys`) are a pure function of its name, contacts and
address; the readings of each character are memoised in the user's cache folder, so a
warm lookup neither imports pypinyin (0.4 s) nor converts a name.
"""

from __future__ import annotations

import difflib
import marshal
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kacard.errors import CardNotFound, UsageError
from kacard.i18n import _
from kacard.privacy import handles as found_handles
from kacard.privacy import scrub
from kacard.text import fold, pad, width

Readings = tuple[tuple[str, ...], ...]  # per character of a text: its readings, lowercase


@dataclass(frozen=True)
class SearchKeys:
    """What a card is found by: id, name, contacts' names and address. The pinyin
    readings of the name and contacts (`Readings`) are worked out when first needed:
    most lookups are settled by the id or the Chinese text."""

    id: str
    name: str
    contact_names: tuple[str, ...] = ()
    address: str = ""
    phones: tuple[str, ...] = ()  # the contacts' phone numbers, digits only (`kacard find` by caller id)
    handles: tuple[str, ...] = ()  # the contacts' e-mails and WeChat/QQ ids, lowercase (found, never shown)

    @cached_property
    def name_readings(self) -> Readings:
        return readings(self.name)

    @cached_property
    def name_letters(self) -> frozenset[str]:
        """Every letter of every reading of the name (a quick test before matching)."""
        return frozenset("".join(r for char in self.name_readings for r in char))

    @cached_property
    def contacts(self) -> tuple[tuple[str, Readings], ...]:
        return tuple((c, readings(c)) for c in self.contact_names)


@dataclass(frozen=True)
class Match:
    id: str
    name: str
    rank: int  # lower is better: see RANKS
    where: str  # "id", "name", "pinyin", "contact", "address"


RANKS = {"id": 0, "id_prefix": 1, "name": 2, "id_part": 3, "name_part": 4, "pinyin": 5,
         "contact": 6, "contact_pinyin": 7, "phone": 8, "handle": 8, "address": 9}
PHONE_DIGITS = 4  # a query of at least this many digits (spaces, dashes, '+' ignored) searches phones


# -- pinyin readings ------------------------------------------------------------------

# The memo: a character -> its readings; "\0" + a text -> the text's Readings.
_memo: dict[str, Any] | None = None
_memo_changed = False
MEMO_LIMIT = 300_000  # entries; past it the memo starts afresh (names that are gone)


def _memo_path() -> Path | None:
    if os.environ.get("KACARD_NO_CACHE"):
        return None
    from kacard.cards.cache import cache_dir

    return cache_dir() / "pinyin-readings.marshal"


def _char_table() -> dict[str, Any]:
    global _memo
    if _memo is None:
        _memo = {}
        path = _memo_path()
        if path is not None:
            try:
                loaded = marshal.loads(path.read_bytes())
                if isinstance(loaded, dict):
                    _memo = loaded
            except (OSError, ValueError, EOFError, TypeError):
                pass
    return _memo


def save_readings() -> None:
    """Write the characters' readings learnt in this run to the user's cache folder."""
    global _memo_changed
    path = _memo_path()
    if not _memo_changed or _memo is None or path is None:
        return
    memo = _memo if len(_memo) <= MEMO_LIMIT else {k: v for k, v in _memo.items() if len(k) == 1}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_bytes(marshal.dumps(memo))
        os.replace(temp, path)
        _memo_changed = False
    except OSError:
        pass  # a cache that cannot be written only costs speed


def char_readings(char: str) -> tuple[str, ...]:
    """Every pinyin reading of one character, lowercase without tones; a letter or digit
    reads as itself; other characters (spaces, punctuation) read as nothing."""
    global _memo_changed
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ()
    table = _char_table()
    found = table.get(char)
    if found is None:
        from pypinyin import Style, pinyin

        readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        found = tuple(dict.fromkeys(r.replace("ü", "v") for r in readings[0])) if readings else ()
        found = tuple(r for r in found if r.isascii() and r.isalpha())
        table[char] = found
        _memo_changed = True
    return found


def readings(text: str) -> Readings:
    """The readings of each character of `text` that has any (see `char_readings`);
    remembered per text, so a warm lookup over a folder's names only reads the memo."""
    global _memo_changed
    table = _char_table()
    key = "\0" + text
    found = table.get(key)
    if found is None:
        found = tuple(r for r in (char_readings(c) for c in text) if r)
        table[key] = found
        _memo_changed = True
    return found  # type: ignore[no-any-return]


def search_keys(card_id: str, name: str, contacts: Iterable[str] = (), address: str | None = None,
                phones: Iterable[str | None] = (), handles: Iterable[str | None] = ()) -> SearchKeys:
    """A card's search keys: a pure function of its id, name, contacts' names, address,
    contacts' phones (kept as digits: `+86 138 0000 2679` is found by `13800002679`) and
    `handles`: the contacts' e-mails and the texts (notes) that may name a WeChat or QQ id;
    the e-mails and the ids found in them (kacard.privacy.handles) are kept lowercase."""
    kept = tuple(dict.fromkeys(h for text in handles if text for h in found_handles(text)))
    return SearchKeys(card_id, name, tuple(contacts), address or "", tuple(_digits(p) for p in phones if p), kept)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _phone_query(query: str) -> str | None:
    """The digits of a query that is a phone number or part of one (`138 0000 2679`,
    `0571-8888`), else None."""
    if not re.fullmatch(r"[\d\s()+\-.]+", query):
        return None
    digits = _digits(query)
    return digits if len(digits) >= PHONE_DIGITS else None


def _handle_query(text: str, handles: tuple[str, ...]) -> bool:
    """`text` names one of a card's e-mails or WeChat/QQ ids: a whole e-mail or id
    (`jianguo.jin@example.com`, `微信 jinjg_1975`, `jinjg_1975`), case ignored; an e-mail's
    part before `@` or its whole domain does not count (too many cards share a domain)."""
    wanted = set(found_handles(text)) or {text.strip().lower()}
    return any(h in wanted for h in handles)


def matches_pinyin(query: str, keys: Readings) -> int | None:
    """Where `query` (ASCII letters, no spaces) starts in a text with these readings,
    spelled in full pinyin, by initials (first letter, or zh/ch/sh), or mixed; the last
    syllable may be cut short. None when it does not match. At least two letters."""
    if len(query) < 2:
        return None
    n, m = len(keys), len(query)
    seen: dict[tuple[int, int], bool] = {}

    def fits(i: int, q: int) -> bool:
        if q == m:
            return True
        if i == n:
            return False
        if (i, q) in seen:
            return seen[(i, q)]
        rest = query[q:]
        ok = any(
            (rest.startswith(reading) and fits(i + 1, q + len(reading)))  # the whole syllable
            or (reading.startswith(rest) and len(rest) >= 2)  # the last syllable, cut short
            or (rest[0] == reading[0] and fits(i + 1, q + 1))  # its initial
            or (len(reading) > 2 and reading[1] == "h" and rest.startswith(reading[:2])
                and fits(i + 1, q + 2))  # zh, ch, sh
            for reading in keys[i]
        )
        seen[(i, q)] = ok
        return ok

    for start in range(n):
        if query[0] in {r[0] for r in keys[start]} and fits(start, 0):
            return start
        seen.clear()
    return None


# -- ranking and resolving ------------------------------------------------------------


def _pinyin_query(query: str) -> str | None:
    compact = re.sub(r"[\s'’-]", "", query).lower()
    return compact if compact.isascii() and compact.isalpha() else None


def rank(query: str, keys: SearchKeys, *, deep: bool = False) -> Match | None:
    """How well `query` names the card (best kind of match), or None. `deep` also
    searches contacts and the address (for `kacard find`)."""
    text = fold(query.strip())  # compared after Unicode normalisation (kacard.text.fold)
    if not text:
        return None
    card_id, name = keys.id, fold(keys.name)

    def hit(where: str) -> Match:
        return Match(keys.id, keys.name, RANKS[where], where.split("_")[0])

    if text == card_id:
        return hit("id")
    if card_id.startswith(text):
        return hit("id_prefix")
    if text == name:
        return hit("name")
    if len(text) >= 2 and text in card_id:
        return hit("id_part")
    if text in name:
        return hit("name_part")
    spelled = _pinyin_query(text)
    if spelled and set(spelled) <= keys.name_letters and matches_pinyin(spelled, keys.name_readings) is not None:
        return hit("pinyin")
    if not deep:
        return None
    if any(text in fold(contact) for contact in keys.contact_names):
        return hit("contact")
    if spelled and any(matches_pinyin(spelled, r) is not None for _c, r in keys.contacts):
        return hit("contact_pinyin")
    dialled = _phone_query(text)
    if dialled and any(dialled in phone for phone in keys.phones):
        return hit("phone")
    if keys.handles and _handle_query(text, keys.handles):
        return hit("handle")
    if keys.address and text in fold(keys.address):
        return hit("address")
    return None


def find(query: str, cards: Sequence[SearchKeys], *, deep: bool = True) -> list[Match]:
    """Every card `query` names, best match first (then by id)."""
    found = [m for keys in cards if (m := rank(query, keys, deep=deep)) is not None]
    return sorted(found, key=lambda m: (m.rank, m.id))


def cut_id(query: str) -> str:
    """`query` without the "…" (or "...") that ends an id a table cut to fit a terminal."""
    for mark in ("…", "..."):
        if query.endswith(mark) and len(query) > len(mark):
            return query[:-len(mark)]
    return query


def resolve(query: str, cards: Sequence[SearchKeys]) -> str:
    """The one card id `query` names: an id, a unique id prefix, part of the name, its
    pinyin or initials. Raises CardNotFound ("did you mean …") when none matches and
    UsageError listing the candidates when several match equally well. An id cut by a
    narrow terminal's table ("hz-hengch…", render.output.unique_cut) is its prefix."""
    query = cut_id(query)
    found = find(query, cards, deep=False)
    if found:
        best = [m for m in found if m.rank == found[0].rank]
        if len(best) == 1:
            return best[0].id
        shown = best[:12]
        cells = max(width(m.id) for m in shown)
        listed = "\n".join(f"  {pad(m.id, cells)}  {m.name}" for m in shown)
        more = _("\n  … and {n} more").format(n=len(best) - 12) if len(best) > 12 else ""
        raise UsageError(_("'{query}' matches {n} cards; say which (by id):\n{listed}{more}").format(
            query=scrub(query), n=len(best), listed=listed, more=more))
    raise CardNotFound(not_found_message(query, cards))


def not_found_message(query: str, cards: Sequence[SearchKeys], *, suggest_find: bool = True) -> str:
    """No card for `query`, with the closest ids and names ("did you mean …"). The query
    is echoed through kacard.privacy.scrub (the one redaction rule): a phone, e-mail or
    WeChat id typed as a query is shown masked, and the `kacard find` hint then asks for
    what was typed instead of repeating a masked text that could not be found."""
    shown = scrub(query)
    if shown != query:
        if not suggest_find:
            return _("no card matches '{query}'").format(query=shown)
        return _("no card matches '{query}' (use `kacard find` with the number or address you typed: "
                 "it searches contacts' phones, e-mails and WeChat ids)").format(query=shown)
    names = {k.name: k.id for k in cards}
    ids = {k.id: k.name for k in cards}
    close_ids = difflib.get_close_matches(query, list(ids), n=3, cutoff=0.6)
    close_names = [names[n] for n in difflib.get_close_matches(query, list(names), n=3, cutoff=0.4)]
    guesses = list(dict.fromkeys(close_ids + close_names))[:3]
    if guesses:
        said = _(", ").join(f"{g} ({ids[g]})" for g in guesses)
        return _("no card matches '{query}'; did you mean {guesses}?").format(query=query, guesses=said)
    if not suggest_find:
        return _("no card matches '{query}'").format(query=query)
    return _("no card matches '{query}' (try `kacard find {query}`)").format(query=query)


# -- a new card's id ------------------------------------------------------------------

_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "分公司")
_PLACES = ("北京", "上海", "天津", "重庆", "杭州", "宁波", "温州", "绍兴", "嘉兴", "湖州", "金华", "台州",
           "南京", "苏州", "无锡", "常州", "广州", "深圳", "东莞", "佛山", "成都", "武汉", "西安", "长沙",
           "郑州", "济南", "青岛", "合肥", "福州", "厦门", "沈阳", "大连", "哈尔滨", "长春", "昆明",
           "南昌", "南宁", "贵阳", "石家庄", "太原", "兰州", "乌鲁木齐", "海口", "浙江", "江苏", "广东")


def slug(name: str, taken: Iterable[str] = ()) -> str:
    """An id for a new card from its name, unique among `taken`: the place's initials and
    the pinyin of the rest, company suffixes left out (杭州朗越职业技术学院 ->
    hz-langyuezhiyejishuxueyuan); an ASCII name is lowercased with '-' between words.
    At most 48 characters; `-2`, `-3` … when taken."""
    text = name.strip()
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, stripped = text[: -len(suffix)], True
    place = next((p for p in _PLACES if text.startswith(p) and len(text) > len(p)), None)
    parts: list[str] = []
    if place:
        parts.append("".join(word[0] for word in _pinyin(place)))
        text = text[len(place):]
    parts.extend(_words(text))
    base = "-".join(p for p in parts if p)[:48].strip("-._") or "card"
    used = set(taken)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _words(text: str) -> list[str]:
    """ASCII words as they are (lowercase); each run of Chinese as one pinyin word."""
    words: list[str] = []
    for run in re.findall(r"[A-Za-z0-9]+|[^\x00-\x7f]+", text):
        if run.isascii():
            words.append(run.lower())
        else:
            words.append("".join(_pinyin(run)))
    return words


def _pinyin(text: str) -> list[str]:
    """The usual reading of each character (phrase-aware: 重庆 is chong qing)."""
    from pypinyin import lazy_pinyin

    syllables = [s.replace("ü", "v") for s in lazy_pinyin(text, errors="ignore")]
    return [s for s in syllables if s.isascii() and s.isalpha()]
