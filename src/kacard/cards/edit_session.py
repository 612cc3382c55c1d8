"""`kacard edit`: $EDITOR on a scratch copy; the card is replaced only with valid text."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kacard.cards.cache import digest
from kacard.cards.model.settings import Settings
from kacard.cards.store import LoadedCard, parse_card, settings_problems, write_atomic
from kacard.errors import CardInvalid, Problem, StaleWrite, UsageError, reports_write_errors

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
            if folder.is_symlink() or folder.stat().st_uid != os.getuid() or _alive(pid):
                continue
        except (ValueError, OSError):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _editor() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)


def edit_card(
    folder: Path,
    loaded: LoadedCard,
    settings: Settings,
    *,
    edit_again: Callable[[list[Problem]], bool] | None,
) -> bool:
    """Edit until valid (or the user gives up). Returns True when the card was saved.

    `edit_again(problems)` asks the user whether to re-open the editor; None (no
    terminal) means an invalid edit is refused at once. The scratch copy (it holds
    phones) is private and removed afterwards (`private_scratch`); the card is written atomically
    and only if it is still the version that was opened (no clobbering a
    concurrent change)."""
    original = loaded.path.read_bytes()
    if digest(original) != loaded.digest:
        raise StaleWrite(f"{loaded.rel} changed on disk since kacard read it; run the command again")
    with private_scratch() as scratch:
        temp = write_private(scratch / loaded.path.name, original)
        while True:
            try:
                subprocess.run([*_editor(), str(temp)], check=True)
            except (OSError, subprocess.CalledProcessError) as exc:
                raise UsageError(f"could not run the editor ({exc}); set $EDITOR") from None
            data = temp.read_bytes()
            if data == original:
                return False
            card, problems = parse_card(loaded.rel, data, expect_id=loaded.card.id)
            if card is not None:
                problems = settings_problems(loaded.rel, card.owner, card.criteria, settings)
            if card is not None and not problems:
                write_atomic(loaded.path, data.decode("utf-8-sig"), loaded.digest)
                return True
            if edit_again is None:
                raise CardInvalid(f"{loaded.rel} not saved: the edited card is invalid", problems)
            if not edit_again(problems):
                raise CardInvalid(f"{loaded.rel} not saved; your edit was discarded", problems)
