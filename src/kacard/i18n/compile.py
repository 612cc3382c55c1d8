"""Compile every `.po` catalog under kacard/i18n/locale into its `.mo` (needs Babel).

Run `python -m kacard.i18n.compile` after editing a `.po` file and commit both.
"""

from __future__ import annotations

import sys

import datetime as dt

from kacard.i18n import LOCALE_DIR

_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def compile_all() -> list[str]:
    """Write each `<name>.mo` next to its `<name>.po`; return the paths written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        catalog.creation_date = _EPOCH  # not "now": the same .po always gives the same .mo
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(str(po.with_suffix(".mo")))
    return written


if __name__ == "__main__":
    for path in compile_all():
        sys.stdout.write(path + "\n")
