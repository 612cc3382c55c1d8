"""Options every command shares (--dir, --today, --format) and how they resolve.

They are accepted both before the subcommand (`kacard --today D due`) and after
it (`kacard due --today D`); the one after the subcommand wins.
This module stays light: `kacard --help` must not import pydantic or ruamel.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacard.errors import UsageError

if TYPE_CHECKING:
    from kacard.cards.store import Folder

DirOpt = Annotated[
    Path | None,
    typer.Option("--dir", "-d", help="Card folder (default: $KACARD_DIR, else the nearest folder with kacard.yaml).",
                 show_default=False),
]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Pretend today is this date (YYYY-MM-DD; also $KACARD_TODAY).", show_default=False),
]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="A card's id (its file name without .yaml).",
                                      show_default=False)]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", "-f", help="Output format: table, json or csv (some commands add more).",
                 show_default=False),
]


@dataclass
class Globals:
    dir: Path | None = None
    today: str | None = None
    format: str | None = None


@dataclass
class Run:
    """What a command runs with, after merging global and per-command options."""

    dir_option: Path | None
    today: dt.date
    format: str

    def folder(self) -> Path:
        from kacard.cards.paths import find_folder

        return find_folder(self.dir_option)

    def load(self, *, summary: bool = False, only: Collection[str] | None = None) -> Folder:
        """Every card; summary=True gives the fast reduced cards of `list`/`due` (kacard.cards.index),
        only=[ID, ...] just those cards (store.load_folder)."""
        from kacard.lifetime import keep
        from kacard.render.output import Progress
        from kacard.cards.store import load_folder

        progress = Progress() if sys.stderr.isatty() else None
        try:
            folder = load_folder(self.folder(), self.today, summary=summary, only=only, progress=progress)
        finally:
            if progress is not None:
                progress.close()
        keep(folder)
        return folder


def parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what} must be a date like 2026-11-25, not {text!r}") from None


_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def split_ids(text: str) -> list[str]:
    """The ids of an --ids option ("a, b,c"): stripped, empty ones dropped, in order."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_week(text: str) -> dt.date:
    """Monday of an ISO week written 2026-W48."""
    match = _WEEK_RE.match(text.strip())
    if not match:
        raise UsageError(f"--week must look like 2026-W48, not {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UsageError(f"{text!r} is not a week of {year}") from None


def run(
    ctx: typer.Context,
    dir: Path | None,
    today: str | None,
    format: str | None,
    formats: tuple[str, ...] = ("table", "json", "csv"),
) -> Run:
    root = ctx.find_root().obj if ctx.find_root().obj is not None else Globals()
    chosen_today = today or root.today or os.environ.get("KACARD_TODAY")
    chosen_format = (format or root.format or "table").lower()
    if chosen_format not in formats:
        raise UsageError(f"--format must be one of {', '.join(formats)}, not {chosen_format!r}")
    return Run(
        dir_option=dir or root.dir,
        today=parse_date(chosen_today, "--today") if chosen_today else dt.date.today(),
        format=chosen_format,
    )


def report_problems(folder: Folder) -> None:
    """Problems to stderr (one per line) and a summary line, so nothing is hidden."""
    from kacard.render.output import note

    errors = folder.errors
    if not errors:
        return
    for problem in errors[:20]:
        note(str(problem))
    more = " (first 20 shown; `kacard validate` lists all)" if len(errors) > 20 else ""
    note(f"{len(errors)} problem(s) in {folder.path.name}: affected cards are left out or flagged{more}")
