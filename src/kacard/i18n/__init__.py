"""Message catalogs: every user-facing string goes through `_()` / `ngettext()`.

Catalogs are gettext `.po` files under `kacard/i18n/locale/<lang>/LC_MESSAGES/`, one file
per area of the program (``core.po``, ``route.po``, ...), compiled to `.mo` files that are
committed beside them (`python -m kacard.i18n.compile` rebuilds them with Babel; a test
checks the committed `.mo` files match their `.po` sources). All catalogs of a language are
chained into one translation, so an area never needs to know where another's strings live.

The language is set once per process by `set_language` (the CLI does it from `--lang`,
`$KACARD_LANG`, the team's `language:` or the locale); English needs no catalog: the
msgids are the English text. Machine formats (JSON keys, CSV columns, enum values) never go
through here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def catalog_files(language: str) -> list[Path]:
    """The compiled catalogs (`*.mo`) of `language`, in name order."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.mo"))


def set_language(language: str) -> None:
    """Use `language` ("en" or "zh") for every later `_()` call in this process.

    Raises ValueError for a language kacard has no catalog for.
    """
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _translation = _chained(language)
    _language = language


@functools.cache
def _chained(language: str) -> gettext.NullTranslations:
    """All catalogs of `language` chained into one, read once a process (a run switches
    language for text made in both, e.g. render.people.hint_lines once a card)."""
    translation: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(catalog_files(language)):
        with path.open("rb") as handle:
            loaded = gettext.GNUTranslations(handle)
        loaded.add_fallback(translation)
        translation = loaded
    return translation


def language() -> str:
    """The language set by `set_language` ("en" until then)."""
    return _language


def _(message: str) -> str:
    """`message` (English, the msgid) in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for count `n`, in the current language."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, where `context` tells which meaning is meant
    (status "lost" 流失 vs stage "lost" 输单)."""
    return _translation.pgettext(context, message)


def C_(context: str, message: str) -> str:
    """Mark an enum value for the catalog under `context`, untranslated (see `label`)."""
    return message


def label(context: str, value: str | None) -> str:
    """An enum value (an English code kept in cards and JSON) as people read it, in the
    current language: `label("role", "decision_maker")` is "decision maker" in English and
    决策人 in Chinese. The English word comes from the one table kacard.i18n.words.WORDS (the
    catalog's msgid under `context`); a value it does not know (a team's own industry, or an
    English word already) is itself, translated when the catalog has it."""
    if value is None:
        return ""
    english = _words().get(context, _NO_WORDS).get(value, value)
    return english if _language == "en" else _translation.pgettext(context, english)


_NO_WORDS: dict[str, str] = {}


@functools.cache
def _words() -> dict[str, dict[str, str]]:
    from kacard.i18n.words import WORDS

    return WORDS


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, messages are in `language`; the language before is restored after."""
    before = _language
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


class Localized(str):
    """Text made in English and in the reader's language at once (hints from data files, not
    the catalog): as a ``str`` the English (JSON stays the same in every language); `localize`
    gives `here`, the text in the language it was made in."""

    here: str

    def __new__(cls, english: str, here: str) -> Self:
        self = super().__new__(cls, english)
        self.here = here
        return self


class Word(str):
    """An enum value inside a Message: itself in English (and JSON), its `label` in Chinese."""

    context: str

    def __new__(cls, context: str, value: str) -> Self:
        self = super().__new__(cls, value)
        self.context = context
        return self


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now (a table header defined at
    import time is translated where it is printed, with `_(header)`)."""
    return message


class Message(str):
    """Text that machine output (JSON) keeps in English and people read in their language.

    Core code builds such text once, e.g. ``Message("{days} days overdue", days=3)``: as a
    ``str`` it is the English text (so JSON documents are identical in every language);
    `localize` gives it in the current language, its parameters localized too (dates with
    the weekday, nested Messages, amounts given as `Amount`).
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Self:
        # ints and plain strings (most parameters) format as they are: a due list builds
        # thousands of these, so the common case skips _english's type tests
        text = msgid.format_map({k: v if type(v) in _PLAIN else _english(v) for k, v in params.items()})
        self = super().__new__(cls, text)
        self.msgid = msgid
        self.params = params
        return self


_PLAIN = frozenset({int, str})


class Amount:
    """A money amount inside a Message: `1,200,000` in English, `120万` in Chinese."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        from kacard.i18n.formats import money

        return money(self.value, "en")


class Shown:
    """A Message parameter that keeps its own English form: `Shown("Mon 2026-11-23", day)`
    is that text in English and JSON, and `localize(day)` for people."""

    __slots__ = ("english", "value")

    def __init__(self, english: str, value: Any) -> None:
        self.english = english
        self.value = value

    def __str__(self) -> str:
        return self.english


class Listed:
    """Several values inside a Message: `a, b, c` in English, `a、b、c` in Chinese (each localized)."""

    __slots__ = ("items",)

    def __init__(self, items: Any) -> None:
        self.items = tuple(items)

    def __str__(self) -> str:
        return ", ".join(_english(item) for item in self.items)


def _english(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def localize(value: Any) -> str:
    """`value` as people read it in the current language: a Message translated (its
    parameters localized), a date formatted (`12月1日 周二` in Chinese), an Amount in
    万/亿 in Chinese; anything else as `str`. In English a Message is its own text."""
    if isinstance(value, Localized):
        return value.here
    if isinstance(value, Message):
        if _language == "en":
            return str(value)
        return _(value.msgid).format(**{k: localize(v) for k, v in value.params.items()})
    if _language == "en":
        return _english(value)
    from kacard.i18n import formats

    if isinstance(value, dt.datetime):
        return formats.date(value.date()) + value.strftime(" %H:%M")
    if isinstance(value, dt.date):
        return formats.date(value)
    if isinstance(value, Amount):
        return formats.money(value.value)
    if isinstance(value, Word):
        return label(value.context, str(value))
    if isinstance(value, Shown):
        return localize(value.value)
    if isinstance(value, Listed):
        return _(", ").join(localize(item) for item in value.items)
    return str(value)
