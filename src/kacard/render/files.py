"""Writing the files of -o/--output/--chart: guarded, whole or not at all.

Every command that writes a file the user named goes through `save`: the path passes
the one guard (kacard.cards.paths.check_output: no card or settings overwritten, no link
followed, nothing under a hidden folder, never a FIFO), the bytes go to a private temp
file beside it, are synced, and replace the target in one rename. A full disk, a
read-only folder, a quota or an I/O error leaves the old file as it was and becomes
one line: `cannot write X: no space left on device; nothing was written` (exit 2).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kacard.cards.paths import check_output
from kacard.errors import write_failed


def save(path: Path, data: str | bytes, folder: Path | None = None, *, own: bool = False) -> Path:
    """Write `data` (text as UTF-8) to `path` atomically; the path after the guard
    (`own=True`: one of kacard's own files in the folder, e.g. an import mapping).

    Raises UnsafePath (refused by the guard) or WriteFailed (the system refused)."""
    target = check_output(folder, path, own=own)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # as a plain open() would have made it
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise write_failed(target, exc) from None
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
