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
    """The folder --dir or $KACARD_DIR names; a card folder holds kacard.yaml (what
    `kacard init` writes), so any other folder is refused, naming a card folder inside it
    when there is one (`--dir .` in a clone whose cards are in cards/). Without this a
    folder of other YAML files was read as cards, with no team settings."""
    if not path.is_dir():
        raise FolderNotFound(_("{source} {path} is not a folder").format(source=source, path=path))
    resolved = path.resolve()
    if (resolved / SETTINGS_FILE).is_file():
        return resolved
    inner = sorted(p.parent.name for p in resolved.glob(f"*/{SETTINGS_FILE}") if p.is_file())
    if inner:
        raise FolderNotFound(_("{source} {path} holds no kacard.yaml; its card folder is {inner}: "
                               "pass --dir {inner}").format(source=source, path=path, inner=path / inner[0]))
    raise FolderNotFound(_("{source} {path} is not a card folder (it holds no kacard.yaml); pass the folder "
                           "of your cards, or run `kacard init {path}` to make one").format(source=source, path=path))


def check_id(card_id: str) -> str:
    """A portable slug that names a file inside the folder, or UnsafePath."""
    if not isinstance(card_id, str) or not ID_RE.fullmatch(card_id) or ".." in card_id:  # fullmatch: no "id\n"
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


def looks_like_card(name: str) -> bool:
    """A file a user may take for a card that kacard does not read (`x.yml`, `x.YAML`, `x.Yaml`)."""
    lower = name.lower()
    return not name.startswith(".") and lower.endswith((".yaml", ".yml")) and not name.endswith(CARD_SUFFIX)
def check_output(folder: Path | None, path: Path, *, own: bool = False) -> Path:
    """The one guard of every -o/--output/--chart file: returns the path to write, or
    UnsafePath when writing it could harm the folder or follow a link.

    Refused: a symbolic link (kacard never writes through one, wherever it points);
    an existing file that is not a regular file (a FIFO would hang the write, a device
    would be written to); inside the card folder (`folder`), anything that would be read
    as a card or settings (`*.yaml`, `*.yml`, `kacard.yaml`), anything under a hidden
    folder (`.git/hooks/…` would run), and a path whose folders lead out of the card
    folder through a symlink. SPEC §7: kacard never follows a path outside the card folder.
    `own=True` is for kacard's own files in the folder (`kacard.yaml`, `.gitattributes`,
    `.schema/`): only the link, non-regular and leave-the-folder rules apply."""
    import stat

    if path.is_symlink():
        raise UnsafePath(_("{path} is a symbolic link; kacard does not write through links (choose another file)")
                         .format(path=path))
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise UnsafePath(_("{path} is not a regular file (a folder, FIFO or device); choose another file")
                         .format(path=path))
    if folder is None:
        return path
    plain = Path(os.path.abspath(path))
    home = Path(os.path.abspath(folder))
    try:
        rel = plain.relative_to(home)
    except ValueError:
        return path  # outside the folder as written: the user's own file
    if not inside(folder, plain.parent):
        raise UnsafePath(_("{path} leads out of the card folder through a symbolic link; nothing was written")
                         .format(path=path))
    if own:
        return path
    if any(part.startswith(".") for part in rel.parts):
        raise UnsafePath(_("{path} is in a hidden folder of the card folder; write the output elsewhere")
                         .format(path=path))
    if plain.name == SETTINGS_FILE or plain.suffix.lower() in (CARD_SUFFIX, ".yml"):
        raise UnsafePath(_("{path} would be read as a card (or the team settings); write the output elsewhere")
                         .format(path=path))
    return path
