"""Compile every `.po` catalog under kacard/i18n/locale into its `.mo` (needs Babel).

Run `python -m kacard.i18n.compile` after editing a `.po` file and commit both.
"""

from __future__ import annotations

import sys

from kacard.i18n import LOCALE_DIR


def compile_all() -> list[str]:
    """Write each `<name>.mo` next to its `<name>.po`; return the paths written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(str(po.with_suffix(".mo")))
    return written


if __name__ == "__main__":
    for path in compile_all():
        sys.stdout.write(path + "\n")
