"""The one way kacard replaces a file: atomic, faithful, locked, recoverable.

`write_atomic(path, data, expect_digest)`:

* writes the bytes to a hidden temporary file beside the target
  (`.<name>.<pid>.kacard-tmp`), fsyncs it, then renames it over the target and
  fsyncs the folder: a reader sees the old file or the new one, never half;
* keeps the file's permission bits (a 0600 card stays 0600) and, when the path
  is a symlink, writes the file it points to (the link stays a link);
* holds `<name>.lock` meanwhile, which records who holds it (pid, host, time) and
  never a copy of the card; a lock whose process is gone (same host), or that is
  older than an hour, or that is unreadable and older than ten seconds, is
  removed with its temporary file and the write goes ahead (README "Safety");
* refuses (StaleWrite) when the file no longer has the bytes the edit was made
  from (`expect_digest`; None: the file must not exist yet).

`saved()` tells whether this process wrote files and none of its writes failed, so
the CLI can tell "the card was saved but printing failed" from a failed command
(issue 11, kind 4).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from pathlib import Path

from kacard.cards.cache import digest
from kacard.errors import StaleWrite, reports_write_errors
from kacard.i18n import _

LOCK_SUFFIX = ".lock"
TEMP_SUFFIX = ".kacard-tmp"
STALE_AFTER_S = 3600.0  # no kacard write holds a lock this long
UNREADABLE_AFTER_S = 10.0  # a lock file with no holder recorded (crash while making it)

_written: list[str] = []
_failed: list[str] = []


def saved() -> bool:
    """Whether this process wrote at least one file and no write of it failed."""
    return bool(_written) and not _failed


def temp_path(target: Path, pid: int | None = None) -> Path:
    return target.with_name(f".{target.name}.{os.getpid() if pid is None else pid}{TEMP_SUFFIX}")


@reports_write_errors  # cannot write X: no space left on device; nothing was written
def write_atomic(path: Path, data: bytes | str, expect_digest: str | None) -> None:
    """Replace `path` with `data` (str is written as UTF-8); see the module docstring."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    lock = acquire(target)
    temp = temp_path(target)
    _failed.append(str(target))  # until the rename is done
    try:
        check_unchanged(target, expect_digest)
        mode = _mode(target)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else 0o600)
        with os.fdopen(fd, "wb") as handle:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None and not hasattr(os, "fchmod"):  # pragma: no cover - Windows
            os.chmod(temp, mode)
        os.replace(temp, target)
        _failed.remove(str(target))
        _written.append(str(target))
        fsync_folder(target.parent)
    finally:
        temp.unlink(missing_ok=True)
        lock.unlink(missing_ok=True)


def _mode(target: Path) -> int | None:
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        return None


def check_unchanged(path: Path, expect_digest: str | None) -> None:
    if expect_digest is None:
        if path.exists():
            raise StaleWrite(_("{name} already exists; nothing was written").format(name=path.name))
        return
    try:
        current = digest(path.read_bytes())
    except FileNotFoundError:
        raise StaleWrite(_("{name} was deleted since it was read; nothing was written").format(name=path.name)) from None
    if current != expect_digest:
        raise StaleWrite(
            _("{name} changed on disk since kacard read it (another edit or a git pull?); "
              "nothing was written — run the command again").format(name=path.name)
        )


# -- the lock ----------------------------------------------------------------------------


def _holder_record() -> bytes:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": now,
                       "program": "kacard"}).encode("utf-8")


def acquire(target: Path) -> Path:
    """Create `<name>.lock` for `target` (recovering a stale one once); StaleWrite if held."""
    lock = target.with_name(target.name + LOCK_SUFFIX)
    for attempt in (1, 2):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = read_lock(lock)
            if attempt == 1 and is_stale(lock, holder):
                _recover(lock, target, holder)
                continue
            raise StaleWrite(_held_message(target, lock, holder)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_holder_record())
        except BaseException:
            lock.unlink(missing_ok=True)
            raise
        return lock
    raise StaleWrite(_held_message(target, lock, read_lock(lock)))  # pragma: no cover - a race


def read_lock(lock: Path) -> dict[str, object] | None:
    """The holder a lock file records, or None (unreadable, empty, not kacard's)."""
    try:
        value = json.loads(lock.read_bytes()[:4096].decode("utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and isinstance(value.get("pid"), int) else None


def is_stale(lock: Path, holder: dict[str, object] | None) -> bool:
    """A lock nobody can still hold: its process is gone (same host), or it is too old."""
    try:
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return True
    if age > STALE_AFTER_S:
        return True
    if holder is None:
        return age > UNREADABLE_AFTER_S
    if holder.get("host") != socket.gethostname():
        return False
    return not _alive(int(holder["pid"]))  # type: ignore[call-overload]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _recover(lock: Path, target: Path, holder: dict[str, object] | None) -> None:
    if holder is not None and holder.get("host") == socket.gethostname():
        temp_path(target, int(holder["pid"])).unlink(missing_ok=True)  # type: ignore[call-overload]
    lock.unlink(missing_ok=True)


def _held_message(target: Path, lock: Path, holder: dict[str, object] | None) -> str:
    if holder is None:
        return _("{card} is being written by another program ({lock} exists); try again in a moment, "
                 "or delete the lock file if nothing is writing").format(card=target.name, lock=lock.name)
    return _("{card} is being written by kacard (process {pid} on {host} since {time}); try again when "
             "it is done, or delete {lock} if that process is gone").format(
        card=target.name, pid=holder.get("pid"), host=holder.get("host"), time=holder.get("time"), lock=lock.name)


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: folders cannot be opened; rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
