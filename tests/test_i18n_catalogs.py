"""The committed compiled catalogs (.mo) match their .po sources, and both languages load."""

from __future__ import annotations

import gettext

import pytest

from kacard import i18n


def _po_files():
    return sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("po", _po_files(), ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_compiled_catalog_matches_its_source(po):
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parts[-3])
    expected: dict = {}
    for m in catalog:
        if not m.id or m.fuzzy or not any(m.string if m.pluralizable else [m.string]):
            continue
        msgid = f"{m.context}\x04{m.id}" if m.context else m.id  # gettext keys pgettext as ctx\x04id
        if m.pluralizable:  # gettext keys plural forms as (msgid, index)
            expected.update({(m.id[0], i): s for i, s in enumerate(m.string)})
        else:
            expected[msgid] = m.string
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run python -m kacard.i18n.compile"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    compiled = {k: v for k, v in compiled.items() if k}
    assert compiled == expected, f"{mo} is stale: run python -m kacard.i18n.compile"


def test_chinese_catalog_translates_and_english_is_the_msgid():
    try:
        i18n.set_language("zh")
        assert i18n._("interrupted; nothing was written") == "已中断；没有写入任何内容"
        i18n.set_language("en")
        assert i18n._("interrupted; nothing was written") == "interrupted; nothing was written"
    finally:
        i18n.set_language("en")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.set_language("xx")
