"""`kacard edit`: $EDITOR on a scratch copy; the card is replaced only with valid text.

An edit is never thrown away (issue 21 #1): when it cannot be saved (the user gives up on
an invalid card, or the card changed on disk while the editor was open) the buffer is kept
in a private file (0600 in a 0700 folder under the user's cache dir, never the card
folder) whose path the error names; `kacard edit ID --from PATH` starts from it again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kacard.cards.cache import cache_dir, digest
from kacard.cards.model.settings import Settings
from kacard.cards.safewrite import write_atomic
from kacard.cards.store import LoadedCard, checked_card
from kacard.errors import CardInvalid, Problem, StaleWrite, UsageError, os_reason, reports_write_errors
from kacard.i18n import _

# Lines kacard puts at the top of a re-opened buffer; removed again before validating.
HEADER = "# kacard: "

SCRATCH_PREFIX = "kacard-edit-"


@contextlib.contextmanager
def private_scratch() -> Iterator[Path]:
    """A private scratch folder for copies of cards (they hold personal data): mode 0700
    in the system temp folder, named after this process, removed when the block ends —
    also on Ctrl-C, SIGTERM and SIGHUP (turned into an exit while the block runs). A copy
    left by a process that was killed outright (SIGKILL, power loss) is removed by the next
    `edit` (`sweep_scratch`): its folder names a process that no longer runs."""
    sweep_scratch()
    path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))  # mkdtemp: 0700
    previous: dict[int, Any] = {}

    def leave(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            try:
                previous[signum] = signal.signal(signum, leave)
            except ValueError:  # not the main thread: no handlers, the sweep still cleans up
                pass
    try:
        yield path
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        shutil.rmtree(path, ignore_errors=True)


@reports_write_errors
def write_private(path: Path, data: bytes) -> Path:
    """Create `path` readable and writable by its owner only (0600), holding `data`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def sweep_scratch(root: Path | None = None) -> list[Path]:
    """Remove this user's scratch folders whose process is gone; the folders removed."""
    removed = []
    for folder in (root or Path(tempfile.gettempdir())).glob(f"{SCRATCH_PREFIX}*-*"):
        try:
            pid = int(folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0])
            getuid = getattr(os, "getuid", None)  # not on Windows, where the temp folder is per user
            if folder.is_symlink() or (getuid and folder.stat().st_uid != getuid()) or _alive(pid):
                continue
        except (ValueError, OSError):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there: never probe, never sweep
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _editor() -> list[str]:
    default = "notepad" if sys.platform == "win32" else "vi"
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or default
    if sys.platform != "win32":
        return shlex.split(editor)
    # Windows: backslashes are path separators, quotes only group ("C:\\Program Files\\...")
    return [part.strip('"') for part in shlex.split(editor, posix=False)]


def kept_dir() -> Path:
    """The private folder of kept edits (0700; its files 0600): `<cache dir>/kept-edits`."""
    folder = cache_dir() / "kept-edits"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)  # also when it existed with a looser mode
    return folder


def keep_buffer(card_id: str, data: bytes) -> Path:
    """Save an edit that could not be saved as `<kept_dir>/<card_id>[-N].yaml`, readable
    only by the user; returns its path. Never overwrites an earlier kept edit."""
    folder = kept_dir()
    for n in range(1, 10_000):
        path = folder / (f"{card_id}.yaml" if n == 1 else f"{card_id}-{n}.yaml")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return path
    raise UsageError(_("too many kept edits of {id} in {folder}; remove old ones").format(id=card_id, folder=folder))


def strip_header(data: bytes) -> bytes:
    """The buffer without kacard's `# kacard: ` comment lines at its top."""
    lines = data.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(HEADER.encode()):
        start += 1
    return b"".join(lines[start:])


def with_header(body: bytes, problems: list[Problem]) -> bytes:
    """`body` with the problems as `# kacard: ` comments on top, their line numbers counted
    in the file as the user sees it (header included)."""
    intro = [_("not saved: fix these and save again (kacard removes these lines)")]
    shift = len(problems) + 1
    lines = [str(dataclasses.replace(p, line=p.line + shift) if p.line is not None else p) for p in problems]
    header = "".join(f"{HEADER}{line}\n" for line in intro + lines)
    return header.encode("utf-8") + body


def edit_card(
    folder: Path,
    loaded: LoadedCard,
    settings: Settings,
    *,
    edit_again: Callable[[list[Problem]], bool] | None,
    start_from: bytes | None = None,
) -> bool:
    """Edit until valid (or the user gives up). Returns True when the card was saved.

    `edit_again(problems)` asks the user whether to re-open the editor; None (no
    terminal) means an invalid edit is refused at once. `start_from` is the buffer to
    start with (a kept edit) instead of the card. The scratch file lives in a private
    temp folder and is removed afterwards; the card is written atomically and only if it
    is still the version that was opened (no clobbering a concurrent change). Whenever an
    edit is not saved it is kept (keep_buffer) and the error names the file.
    Raises UsageError (no editor), CardInvalid (invalid edit), StaleWrite (card changed)."""
    original = loaded.path.read_bytes()
    if digest(original) != loaded.digest:
        raise StaleWrite(_("{rel} changed on disk since kacard read it; run the command again").format(rel=loaded.rel))
    with private_scratch() as scratch:
        temp = write_private(scratch / loaded.path.name, start_from if start_from is not None else original)
        while True:
            _run_editor(temp)
            data = strip_header(temp.read_bytes())
            if data == original:
                return False
            card, problems = checked_card(loaded.rel, data, loaded.card.id, settings)
            if card is not None:
                try:
                    write_atomic(loaded.path, data, loaded.digest)  # the bytes as saved (BOM, CRLF)
                except StaleWrite:
                    kept = keep_buffer(loaded.card.id, data)
                    raise StaleWrite(_("{file} changed on disk while the editor was open; not saved. "
                                       "Your edit is kept in {kept}").format(file=loaded.rel, kept=kept)) from None
                return True
            if edit_again is None or not edit_again(problems):
                kept = keep_buffer(loaded.card.id, data)
                raise CardInvalid(_("{file} not saved: the edited card is invalid. Your edit is kept in {kept} "
                                    "(kacard edit {id} --from {kept})").format(
                                        file=loaded.rel, kept=kept, id=loaded.card.id), problems)
            temp.write_bytes(with_header(data, problems))


def _run_editor(path: Path) -> None:
    command = _editor()
    try:
        subprocess.run([*command, str(path)], check=True)
    except OSError as exc:
        # one message, translated whole (the editor choices are words too: "on Windows")
        raise UsageError(_("could not start the editor '{editor}' ({reason}). Choose one with $EDITOR, "
                           "e.g. EDITOR=nano, EDITOR=vim, EDITOR='code --wait'; on Windows: "
                           "set EDITOR=notepad").format(editor=" ".join(command), reason=os_reason(exc))) from None
    except subprocess.CalledProcessError as exc:
        raise UsageError(_("the editor '{editor}' ended with an error (exit {code}); the card was not "
                           "changed").format(editor=" ".join(command), code=exc.returncode)) from None
