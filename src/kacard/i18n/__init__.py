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

import gettext
from pathlib import Path

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
    translation: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(catalog_files(language)):
        with path.open("rb") as handle:
            loaded = gettext.GNUTranslations(handle)
        loaded.add_fallback(translation)
        translation = loaded
    _translation = translation
    _language = language


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
    """`message` in the current language, as translated for `context` (a .po `msgctxt`):
    one English word may need two translations (a lost deal 输单, a lost account 已流失)."""
    return _translation.pgettext(context, message)
