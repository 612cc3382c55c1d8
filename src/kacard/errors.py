"""Errors kacard raises, each with the exit code the CLI uses for it.

Domain code raises these; the CLI translates them in one place (cli/app.py).
Messages never carry personal data (phones, e-mails, private notes). A Problem's message may be
an i18n.Message: English in JSON, the run's language when printed.
"""

from __future__ import annotations

from dataclasses import dataclass

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


class UnsafePath(KacardError):
    """An id or path that would leave the card folder."""


class StaleWrite(KacardError):
    """The card changed on disk since it was read; nothing was written."""


class ProblemsFound(KacardError):
    """validate found problems (exit 1)."""

    exit_code = 1
