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
import typer.core
import typer.main

from kacard.errors import UsageError
from kacard.i18n import LANGUAGES, _

if TYPE_CHECKING:
    from kacard.cards.model.settings import Settings
    from kacard.cards.store import Folder
    from kacard.cards.walk import Walk
    from kacard.errors import Problem

DirOpt = Annotated[
    Path | None,
    typer.Option("--dir", "-d", help=_("Card folder (default: $KACARD_DIR, else the nearest folder with kacard.yaml)."),
                 show_default=False),
]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help=_("Pretend today is this date (YYYY-MM-DD; also $KACARD_TODAY)."), show_default=False),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", "-f", help=_("Output format (each command's help lists its own)."), show_default=False),
]

# The formats of each command, the first its default: the one list `run` checks and `--help`
# shows (cli/app.py writes it into each command's --format help).
FORMATS: dict[str, tuple[str, ...]] = {
    "show": ("table", "json", "md"), "validate": ("table", "json"),
    "list": ("table", "json", "csv"), "filter": ("table", "json", "csv"), "find": ("table", "json", "csv"),
    "score": ("table", "json", "csv"), "due": ("table", "json", "csv", "ics"),
    "review": ("table", "json", "md"), "brief": ("table", "md", "html"),
    "handover": ("table", "md", "json"), "export": ("json", "csv", "xlsx"), "import": ("table", "json"),
    "route": ("table", "json", "geojson", "ics", "svg"),
    "collect": ("table", "json", "csv"), "plan": ("table", "json", "csv"), "changes": ("table", "json", "csv"),
    "pipeline": ("table", "json", "csv", "svg"), "people": ("table", "json", "svg", "mermaid"),
}
TEXT_ONLY = ("table",)  # commands that print a message, not a list


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    return card_id_choices(ctx, incomplete)


CardIdArg = Annotated[
    str,
    typer.Argument(metavar="ID", autocompletion=_complete_ids,
                   help=_("The card: its id, an id prefix, part of its name, its pinyin or initials (e.g. 朗越, lyzy).")),
]


def _check_language(value: str | None) -> str | None:
    if value is not None and value not in LANGUAGES:
        raise typer.BadParameter(_("choose one of {choices}, not {value!r}").format(
            choices=", ".join(LANGUAGES), value=value))
    return value


LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help=_("Language of the output: zh or en (also $KACARD_LANG, the team's "
                                  "language: in kacard.yaml, else the locale)."),
                 metavar="zh|en", expose_value=False, callback=_check_language, show_default=False),
]


def _lang_placeholder(lang: LangOpt = None) -> None:
    """Only carries the --lang option (see lang_option)."""


def lang_option() -> typer.core.TyperOption:
    """The `--lang` option, for the root and every command (cli.app adds it to each one).

    The language itself is chosen before the app is built (kacard.i18n.choose reads the
    same argv); the option documents it in --help and refuses an unknown value."""
    holder = typer.Typer()
    holder.command()(_lang_placeholder)
    option = typer.main.get_command(holder).params[0]
    assert isinstance(option, typer.core.TyperOption)
    return option


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
    settings: Settings | None = None  # set by settings_or_defaults; else each load reads kacard.yaml

    def folder(self) -> Path:
        from kacard.cards.paths import find_folder

        return find_folder(self.dir_option)

    def settings_or_defaults(self) -> tuple[Settings, list[Problem]]:
        """For commands that only read cards (`show`, `find`, `validate`): the team's
        settings, or, when kacard.yaml is broken, the defaults and its problems (the caller
        warns or reports them). Later loads of this run use the settings returned. A team
        expects to read a card before a visit even when someone broke kacard.yaml; commands
        that write or weigh the whole folder still stop (cards.parse.load_settings)."""
        from kacard.cards.model.settings import Settings
        from kacard.cards.parse import load_settings
        from kacard.errors import SettingsInvalid

        problems: list[Problem] = []
        try:
            self.settings = load_settings(self.folder())
        except SettingsInvalid as exc:
            self.settings, problems = Settings(), list(exc.problems)
        return self.settings, problems

    def warn_settings(self) -> None:
        """settings_or_defaults, with kacard.yaml's problems as a warning on stderr."""
        from kacard.cards.paths import SETTINGS_FILE
        from kacard.render.output import note

        _settings, problems = self.settings_or_defaults()
        if problems:
            note(_("warning: {file} has a problem; showing cards with default settings (other commands "
                   "stop until it is fixed):").format(file=SETTINGS_FILE))
            for problem in problems:
                note(f"  {problem}")

    def load(self, *, summary: bool = False, only: Collection[str] | None = None,
             upkeep: bool = False, walked: Walk | None = None, settings: Settings | None = None) -> Folder:
        """Every card; summary=True gives each card's brief and index from the per-user
        cache (with upkeep=True its completeness flags and warnings too), as every
        folder-wide command reads them; only=[ID, ...] just those cards, whole
        (store.load_folder; `walked` and `settings` when the caller has them)."""
        from kacard.cards.store import load_folder
        from kacard.cli.lifetime import keep
        from kacard.render.output import Progress, folder_ids

        progress = Progress() if sys.stderr.isatty() else None
        try:
            folder = load_folder(self.folder(), self.today, summary=summary, only=only, progress=progress,
                                 upkeep=upkeep, walked=walked, settings=settings or self.settings)
        finally:
            if progress is not None:
                progress.close()
        keep(folder)
        folder_ids([*(c.card.id for c in folder.cards), *(s.brief.id for s in folder.summaries or ()),
                    *(Path(p.file).stem for p in folder.problems)])
        return folder


    def card_ids(self, texts: list[str]) -> list[str]:
        """The ids the user's words name (an id, a unique id prefix, part of a name, its
        pinyin or initials: kacard.cards.lookup.resolve). Ids of card files are taken as
        they are, without reading any card; anything else is looked up in the folder's
        snapshot (the fast path of `list`)."""
        from kacard.cards.walk import card_files

        files, _problems = card_files(self.folder())
        stems = {Path(rel).stem for rel, _path in files}
        if all(text in stems for text in texts):
            return list(texts)
        folder = self.load(summary=True)
        return [text if text in stems else folder.resolve(text) for text in texts]

    def card_id(self, text: str) -> str:
        """The one id `text` names (see card_ids)."""
        return self.card_ids([text])[0]


def card_id_choices(ctx: typer.Context, incomplete: str) -> list[str]:
    """Card ids for shell completion: those starting with `incomplete`, else containing it.
    Reads only the folder's file names (--dir on the line, else $KACARD_DIR, else the
    nearest folder with kacard.yaml); nothing at all when no folder is found."""
    from kacard.cards.paths import find_folder
    from kacard.cards.walk import card_files

    root = ctx.find_root()
    chosen = ctx.params.get("dir") or (root.params.get("dir") if root is not None else None)
    try:
        files, _problems = card_files(find_folder(Path(chosen) if chosen else None))
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    ids = sorted(Path(rel).stem for rel, _path in files)
    starting = [i for i in ids if i.startswith(incomplete)]
    return starting or [i for i in ids if incomplete and incomplete in i]


def today_pinned(ctx: typer.Context, today: str | None) -> bool:
    """Whether --today (before or after the subcommand) or $KACARD_TODAY chose the date."""
    root = ctx.find_root().obj
    return bool(today or (root.today if root is not None else None) or os.environ.get("KACARD_TODAY"))


def parse_clock(text: str, what: str) -> dt.time:
    """A time of day as people type it (kacard.dates.parse_clock: 14:30, 9点半, 下午3点);
    UsageError naming the option otherwise."""
    from kacard.dates import parse_clock as clock

    try:
        return clock(text)
    except ValueError:
        raise UsageError(_("{what} must be a time like 14:30, not {text!r}").format(what=what, text=text)) from None


def parse_date(text: str, what: str, today: dt.date | None = None, *, past: bool = False) -> dt.date:
    """A date option as people type it, every option alike (kacard.dates.parse_day: 2026-11-25,
    2026/11/25, 11-25, +7, -3, yesterday/昨天, fri/周五, 下周五), relative to `today` (the
    clock's date for --today itself); `past` reads a weekday as the last one. UsageError
    naming the option otherwise."""
    from kacard.dates import parse_day

    try:
        return parse_day(text, today or dt.date.today(), past=past)
    except ValueError as exc:
        raise UsageError(_("{what}: {problem}").format(what=what, problem=exc)) from None


_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def split_ids(text: str) -> list[str]:
    """The ids of an --ids option ("a, b,c"): stripped, empty ones dropped, in order."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_week(text: str) -> dt.date:
    """Monday of an ISO week written 2026-W48."""
    match = _WEEK_RE.match(text.strip())
    if not match:
        raise UsageError(_("--week must look like 2026-W48, not {text!r}").format(text=text))
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UsageError(_("{text!r} is not a week of {year}").format(text=text, year=year)) from None


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE|REV",
                 help=_("Answer as the folder was then, from git (a date: its last commit, and that day as "
                      "today; a revision: its commit date). The work tree is not touched."),
                 show_default=False),
]


def run(
    ctx: typer.Context,
    dir: Path | None,
    today: str | None,
    format: str | None,
    as_of: str | None = None,
) -> Run:
    """The options a command runs with; --format is checked against FORMATS[the command]."""
    root = ctx.find_root().obj if ctx.find_root().obj is not None else Globals()
    chosen_today = today or root.today or os.environ.get("KACARD_TODAY")
    formats = FORMATS.get(ctx.command.name or "", TEXT_ONLY)
    chosen_format = (format or root.format or formats[0]).lower()
    if chosen_format not in formats:
        raise UsageError(_("--format must be one of {choices}, not {value!r}").format(
            choices=", ".join(formats), value=chosen_format))
    opts = Run(
        dir_option=dir or root.dir,
        today=parse_date(chosen_today, "--today") if chosen_today else dt.date.today(),
        format=chosen_format,
    )
    if as_of is not None:
        opts = _as_of(ctx, opts, as_of, explicit_today=bool(today or root.today))
    from kacard.i18n.formats import set_today

    set_today(opts.today)
    return opts


def _as_of(ctx: typer.Context, opts: Run, as_of: str, explicit_today: bool) -> Run:
    """The same run on the folder as it was at `as_of`, put into a temporary folder that is
    removed when the command ends; `today` becomes that day unless --today was given."""
    import shutil
    import tempfile

    from kacard.team.history import commit_at, commit_day, materialize

    folder = opts.folder()
    sha, day = commit_at(folder, as_of, opts.today)
    temp = Path(tempfile.mkdtemp(prefix="kacard-as-of-"))
    ctx.call_on_close(lambda: shutil.rmtree(temp, ignore_errors=True))
    then = materialize(folder, sha, temp)
    if not explicit_today:
        opts.today = day or commit_day(folder, sha)
    opts.dir_option = then
    return opts


def report_problems(folder: Folder) -> None:
    """Problems to stderr (one per line) and a summary line, so nothing is hidden."""
    from kacard.cards.walk import NOT_READ
    from kacard.render.output import note

    for problem in folder.problems:  # card-looking files kacard skips: never skipped silently
        if problem.field == NOT_READ:
            note(str(problem))
    errors = folder.errors
    if not errors:
        return
    for problem in errors[:20]:
        note(str(problem))
    more = _(" (first 20 shown; `kacard validate` lists all)") if len(errors) > 20 else ""
    note(_("{count} problem(s) in {folder}: affected cards are left out or flagged{more}").format(
        count=len(errors), folder=folder.path.name, more=more))
