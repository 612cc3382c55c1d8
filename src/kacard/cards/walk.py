"""The one folder walker: the card files under a folder, and what it skips and why
(issue 13: nothing it meets can hang or crash a reader)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import NamedTuple

from kacard.cards.cache import Stat
from kacard.cards.paths import (
    CARD_SUFFIX,
    RESERVED_FOLDERS,
    SETTINGS_FILE,
    inside,
    is_card_file,
    looks_like_card,
)
from kacard.errors import Problem, os_reason
from kacard.i18n import _

NOT_READ = "file name"  # the field of the warning about a card-looking file kacard does not read


def card_files(folder: Path, stats: dict[str, Stat] | None = None) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Card files under the folder (any depth) as (relative path with /, path), sorted;
    hidden entries, kacard.yaml and the RESERVED_FOLDERS (plans/, import/) skipped. The one folder walker: it never opens a file,
    and reports and skips what could hang or crash a reader — a symlink leading outside
    the folder, a symlink loop or a dangling link, a `*.yaml` that is not a regular file
    (a FIFO would block every read, a device or socket is no card), a folder it cannot
    read. It does not follow links to folders, nor cross into another file system (like
    `find -xdev`: `--dir /` never walks /proc). With `stats`, each card file's stat as the
    cache records it (mtime_ns, size, inode) is put there by its relative path: the walk
    stats every card file anyway (is it a regular file?), so a load need not stat it again."""
    keep_stats = stats is not None and os.name != "nt"  # Windows' DirEntry.stat() has no inode
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    try:
        device = os.stat(folder).st_dev
    except OSError as exc:
        return found, [Problem(".", None, None, "", _("cannot read folder: {reason}").format(reason=os_reason(exc)))]
    stack = [("", str(folder))]
    while stack:
        rel_dir, current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = list(scan)
        except OSError as exc:
            problems.append(Problem(rel_dir or ".", None, None, "",
                                    _("cannot read folder: {reason}").format(reason=os_reason(exc))))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = rel_dir + name
            try:
                if name.endswith(CARD_SUFFIX) and entry.is_file(follow_symlinks=False) and (rel_dir or name != SETTINGS_FILE):
                    # the common case, a regular file (not a link): what _entry_problem takes
                    info = entry.stat()  # as _entry_problem would (a file gone meanwhile is reported)
                    found.append((rel, entry.path))
                    if keep_stats:
                        stats[rel] = (info.st_mtime_ns, info.st_size, info.st_ino)  # type: ignore[index]
                    continue
                problem = _entry_problem(folder, entry, device)
                if problem is not None:
                    if problem and (problem == _("symlink loop; ignored") or is_card_file(name) or entry.is_dir()):
                        problems.append(Problem(rel, None, None, "", problem))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if not rel_dir and name in RESERVED_FOLDERS:
                        continue
                    stack.append((rel + "/", entry.path))
                elif is_card_file(name) and not (not rel_dir and name == SETTINGS_FILE):
                    found.append((rel, entry.path))
                    if keep_stats:
                        info = entry.stat()  # cached by the entry: no system call
                        stats[rel] = (info.st_mtime_ns, info.st_size, info.st_ino)  # type: ignore[index]
                elif looks_like_card(name):
                    problems.append(Problem(rel, None, None, NOT_READ, _("not read: only files named <id>.yaml "
                                            "are cards; rename it if it is one"), severity="warning"))
            except OSError as exc:  # vanished or unreadable while walking
                if is_card_file(name):
                    problems.append(Problem(rel, None, None, "",
                                            _("cannot read file: {reason}").format(reason=os_reason(exc))))
    found.sort()
    return found, problems


def _entry_problem(folder: Path, entry: os.DirEntry[str], device: int) -> str | None:
    """Why the walker skips an entry ("" = silently), or None to take it."""
    import stat as st

    if entry.is_symlink():
        try:
            target = Path(entry.path).resolve(strict=True)
        except (RuntimeError, OSError) as exc:  # RuntimeError: Python 3.11's "Symlink loop"
            loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
            return _("symlink loop; ignored") if loop else _("dangling symlink; ignored")
        if not inside(folder, target):
            return _("symlink points outside the card folder; ignored")
        if target.is_dir():
            return ""  # links to folders are not followed (no walking in circles)
    if entry.is_dir(follow_symlinks=False):
        return "" if entry.stat(follow_symlinks=False).st_dev != device else None
    if is_card_file(entry.name) and not st.S_ISREG(entry.stat().st_mode):
        return _("not a regular file (a FIFO, device or socket); skipped")
    return None


# Cards to parse before a load starts worker processes (below that, forking costs more).


class Walk(NamedTuple):
    """A walk of the card folder (card_files) with each card file's stat."""

    files: list[tuple[str, str]]
    problems: list[Problem]
    stats: dict[str, Stat]


def walk(folder: Path) -> Walk:
    stats: dict[str, Stat] = {}
    files, problems = card_files(folder, stats)
    return Walk(files, problems, stats)
