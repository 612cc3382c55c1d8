"""The merge driver's file work: git's %O %A %B in, the result in %A, nothing left behind.

Guarantees (README "Working as a team"; issue 11, kind 6):

* Until the merge is written, %A holds both sides between conflict markers
  (`seed`): a driver killed at any moment leaves markers, never ours alone
  looking merged (git then reports the conflict, and `kacard validate` fails).
* The result replaces %A by an atomic rename from a temporary file in git's own
  folder (`.git/`), so no temporary file can be left in the work tree; a signal
  (TERM, HUP, INT) removes it there too.
* %A's permission bits are kept; the bytes written are `MergeResult.bytes`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from kacard.i18n import Message
from kacard.team.gitsetup import run_git
from kacard.team.merge import (
    WHOLE_FILE,
    Conflict,
    MergeResult,
    merge_cards,
    whole_file_conflict_bytes,
)


def merge_files(base: Path, ours: Path, theirs: Path, path: str) -> MergeResult:
    """Merge git's three temporary files into `ours` (%A); returns the result written."""
    original, other = ours.read_bytes(), theirs.read_bytes()
    fallback = whole_file_conflict_bytes(original, other)
    _overwrite(ours, fallback)  # from here on a killed driver leaves markers
    try:
        result = merge_cards(base.read_bytes(), original, other, path)
    except Exception as exc:  # noqa: BLE001 - never leave a half-merged card that looks clean
        result = MergeResult(fallback.decode("utf-8", errors="replace"),
                             [Conflict(WHOLE_FILE, Message("kacard could not merge it: {error}",
                                                        error=type(exc).__name__))],
                             data=fallback)
    if result.bytes != fallback:
        replace(ours, result.bytes)
    return result


def _overwrite(target: Path, data: bytes) -> None:
    with open(target, "r+b") as handle:
        handle.truncate(0)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _git_dir(near: Path) -> Path | None:
    try:
        done = run_git(near.parent.resolve(), "rev-parse", "--absolute-git-dir")
    except (OSError, subprocess.SubprocessError):
        return None
    found = done.stdout.strip()
    return Path(found) if done.returncode == 0 and found else None


def replace(target: Path, data: bytes) -> None:
    """Atomically replace `target` with `data` through a temporary file outside the work tree
    (git's folder, else the system's); in place when no rename can reach it."""
    folder = _git_dir(target) or Path(tempfile.gettempdir())
    mode = os.stat(target).st_mode & 0o7777
    with _signals_clean_up():
        fd, name = tempfile.mkstemp(prefix="kacard-merge-", suffix=".tmp", dir=folder)
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), mode)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.replace(temp, target)
            except OSError:  # another file system: write in place (%A held markers until now)
                _overwrite(target, data)
        finally:
            temp.unlink(missing_ok=True)


@contextlib.contextmanager
def _signals_clean_up() -> Iterator[None]:
    """TERM and HUP end the driver through Python's unwinding (finally blocks run)."""
    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                previous[sig] = signal.signal(sig, stop)
            except ValueError:  # not the main thread
                pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
