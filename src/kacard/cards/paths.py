"""Where the card folder is, and keeping every path inside it."""

from __future__ import annotations

import os
from pathlib import Path

from kacard.cards.model.common import ID_RE
from kacard.errors import FolderNotFound, UnsafePath
from kacard.i18n import _

SETTINGS_FILE = "kacard.yaml"
CARD_SUFFIX = ".yaml"
# Top-level folders of kacard's own files, never cards: annual plans (`kacard plan`) and
# import mappings (`kacard import`). Versioned with the cards, read by their commands.
RESERVED_FOLDERS = ("plans", "import")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {
    f"lpt{i}" for i in range(1, 10)
}


def find_folder(option: Path | None, cwd: Path | None = None) -> Path:
    """--dir, then $KACARD_DIR, then the nearest ancestor holding kacard.yaml."""
    if option is not None:
        return _existing(option, "--dir")
    env = os.environ.get("KACARD_DIR")
    if env:
        return _existing(Path(env), "$KACARD_DIR")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise FolderNotFound(
        _("no card folder found: no kacard.yaml here or in any parent folder.\n"
        "Run `kacard init` to make one here, or pass --dir PATH (or set KACARD_DIR).")
    )


def _existing(path: Path, source: str) -> Path:
    if not path.is_dir():
        raise FolderNotFound(_("{source} {path} is not a folder").format(source=source, path=path))
    return path.resolve()


def check_id(card_id: str) -> str:
    """A portable slug that names a file inside the folder, or UnsafePath."""
    if not ID_RE.match(card_id) or ".." in card_id:
        raise UnsafePath(
            _("invalid id {card_id!r}: use lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. hz-xinghe)").format(card_id=card_id)
        )
    if card_id.split(".")[0] in _WINDOWS_RESERVED:
        raise UnsafePath(_("invalid id {card_id!r}: a reserved file name on Windows").format(card_id=card_id))
    return card_id


def inside(folder: Path, path: Path) -> bool:
    """True when `path` (after resolving symlinks) stays inside `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def card_path(folder: Path, card_id: str) -> Path:
    """The file for a new card with this id, refusing anything that leaves the folder."""
    path = folder / f"{check_id(card_id)}{CARD_SUFFIX}"
    if not inside(folder, path):
        raise UnsafePath(_("{card_id!r} would be written outside the card folder").format(card_id=card_id))
    return path


def is_card_file(name: str) -> bool:
    return name.endswith(CARD_SUFFIX) and not name.startswith(".")
