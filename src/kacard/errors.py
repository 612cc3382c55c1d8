"""Errors kacard raises, each with the exit code the CLI uses for it.

Domain code raises these; the CLI translates them in one place (cli/app.py).
Messages never carry personal data (phones, e-mails, private notes): every Problem and
KacardError message passes kacard.privacy.scrub when it is made. A Problem's message may be
an i18n.Message: English in JSON, the run's language when printed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

from kacard.i18n import _, localize


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one card file, printable as file:line:col: field: message."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __post_init__(self) -> None:
        # Errors never print personal values: a phone typed as a key (`phone +86 138…:`)
        # is shown masked in the field path and the message (kacard.privacy, one rule).
        from kacard.privacy import scrub

        object.__setattr__(self, "field", scrub(self.field))
        object.__setattr__(self, "message", scrub(self.message))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        prefix = _("warning: ") if self.severity == "warning" else ""
        return f"{where}:{field} {prefix}{localize(self.message)}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


def problem_order(problem: Problem) -> tuple[str, int, int, str, str]:
    """Sort key: by file, then position (problems without a line first), then field."""
    return (problem.file, problem.line or 0, problem.column or 0, problem.field, problem.message)


class KacardError(Exception):
    """Base error: a message for the user and an exit code."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        from kacard.privacy import scrub

        message = scrub(message)  # no personal value in any error (kacard.privacy)
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class UsageError(KacardError):
    """Bad options or arguments (exit 2)."""


class FolderNotFound(KacardError):
    """No card folder could be found."""


class CardNotFound(KacardError):
    """No card with that id."""


class CardInvalid(KacardError):
    """A card (or settings file) failed to parse or validate; carries its problems."""


class SettingsInvalid(CardInvalid):
    """kacard.yaml cannot be read or is not valid (exit 2); carries its problems."""


class DuplicateAccount(KacardError):
    """A new card would repeat an account already on file (same name; exit 2)."""


class UnsafePath(KacardError):
    """An id or path that would leave the card folder."""


class StaleWrite(KacardError):
    """The card changed on disk since it was read; nothing was written."""


class ProblemsFound(KacardError):
    """validate found problems (exit 1)."""

    exit_code = 1


class WriteFailed(KacardError):
    """The system refused a write (disk full, read-only, permission, quota, I/O error);
    nothing was written (exit 2). Built by `write_failed`."""


def os_reason(exc: OSError) -> str:
    """An OSError in plain words (`no space left on device`), in the user's language."""
    import errno

    from kacard.i18n import _, language

    reasons = {
        errno.ENOSPC: _("no space left on device"),
        errno.EROFS: _("the file system is read-only"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("operation not permitted"),
        errno.EDQUOT: _("disk quota exceeded"),
        errno.EIO: _("input/output error (the disk or network drive failed)"),
        errno.ENOENT: _("no such file or folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EISDIR: _("it is a folder"),
        errno.EFBIG: _("the file is too large"),
        errno.ENAMETOOLONG: _("the name is too long"),
        errno.EMFILE: _("too many open files"),
        errno.EEXIST: _("file exists"),
        errno.ENOTEMPTY: _("the folder is not empty"),
        errno.EBUSY: _("the file is in use"),
        errno.ETXTBSY: _("the file is in use"),
        errno.ELOOP: _("too many levels of symbolic links (a symlink loop)"),
        errno.EXDEV: _("cannot move a file to another drive"),
        errno.EINVAL: _("invalid argument"),
        errno.ENXIO: _("no such device"),
        errno.ENODEV: _("no such device"),
        errno.EAGAIN: _("resource temporarily unavailable"),
        errno.ETIMEDOUT: _("the operation timed out"),
        errno.ECONNREFUSED: _("connection refused"),
        errno.ECONNRESET: _("connection reset"),
        errno.EHOSTUNREACH: _("no route to host"),
        errno.ENETUNREACH: _("the network is unreachable"),
        errno.EPIPE: _("the other end closed the pipe"),
    }
    if exc.errno in reasons:
        return reasons[exc.errno]
    reason = (exc.strerror or type(exc).__name__).lower()
    code = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    if language() == "en" or code is None:
        return reason
    return _("system error {code}: {reason}").format(code=code, reason=reason)


def write_failed(path: object, exc: OSError) -> WriteFailed:
    """The error for a failed write of `path`: `cannot write X: no space left on device;
    nothing was written`. The path is shown (it is the user's own file name), the data never."""
    from kacard.i18n import _

    return WriteFailed(_("cannot write {path}: {reason}; nothing was written").format(
        path=path, reason=os_reason(exc)))


def reports_write_errors(write: Callable[..., T]) -> Callable[..., T]:
    """Decorate a function whose first argument is the path it writes: an OSError from
    the system (disk full, read-only, permission, quota, I/O) becomes WriteFailed naming
    that path. The function itself must leave nothing half-written when it raises."""

    @functools.wraps(write)
    def guarded(path: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return write(path, *args, **kwargs)
        except OSError as exc:
            raise write_failed(getattr(path, "name", path), exc) from None

    return guarded
