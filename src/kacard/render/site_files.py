"""Writing the site folder of `kacard site -o DIR`: only kacard's own files change.

kacard lists what it wrote in `DIR/.kacard-site.json` (the manifest); a later run removes
the pages it wrote before that are no longer part of the site (cards that are gone or no
longer carried), and never touches any other file. DIR may not be the card folder, nor a
folder inside it that holds anything but an earlier site (so cards are never overwritten
or deleted, and a site is not mixed into the cards by mistake).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from kacard.errors import UsageError
from kacard.i18n import _

MANIFEST = ".kacard-site.json"


def check_output(out: Path, card_folder: Path) -> None:
    """UsageError when `out` cannot hold the site: it is a file, the card folder itself or
    one of its parents, or a folder inside the card folder that is neither new, empty nor
    an earlier site (one with kacard's manifest)."""
    target, cards = out.resolve(), card_folder.resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(_("{path} is a file, not a folder: give -o a folder for the site").format(path=out))
    if target == cards or target in cards.parents:
        raise UsageError(_("{path} holds the card folder: give -o a folder of its own for the site, "
                           "e.g. -o site").format(path=out))
    if cards in target.parents and target.exists() and any(target.iterdir()) \
            and not (target / MANIFEST).is_file():
        raise UsageError(_("{path} is inside the card folder and holds other files: give -o a new "
                           "or empty folder for the site").format(path=out))


def _manifest(out: Path) -> list[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    safe = []
    for name in listed if isinstance(listed, list) else []:
        path = PurePosixPath(str(name))
        if not path.is_absolute() and ".." not in path.parts and path.suffix == ".html":
            safe.append(str(path))
    return safe


def write_site(out: Path, pages: Mapping[str, str]) -> tuple[int, list[str]]:
    """Write `pages` ({relative path: HTML}) under `out`, each atomically, then remove the
    pages an earlier run listed that are not in `pages`. Returns (pages written, paths
    removed). Only `.html` files kacard listed are ever removed."""
    out.mkdir(parents=True, exist_ok=True)
    before = _manifest(out)
    for name, text in pages.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    removed = []
    for name in sorted(set(before) - set(pages)):
        path = out / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(name)
    manifest = {"generator": "kacard site", "files": sorted(pages)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return len(pages), removed


__all__ = ["MANIFEST", "check_output", "write_site"]
