"""The card folder on disk: read every card, report every problem, write safely.

Only this module reads or writes card files. Reading never stops at a broken
card: each problem becomes a `Problem(file, line, col, field, message)` and the
other cards load. Writing patches the original YAML document and replaces the
file atomically, refusing when it changed since it was read.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

from kacard.cards import brief, index, yamlio
from kacard.cards.brief import Brief
from kacard.cards.cache import CardCache, Record, Row, Stat, decode_brief, decode_numbers, digest, encode, loads
from kacard.cards.index import CardIndex
from kacard.cards.safewrite import check_unchanged, fsync_folder, write_atomic
from kacard.cards.textpatch import with_bom
from kacard.errors import (
    CardInvalid, CardNotFound, KacardError, Problem, StaleWrite, UnsafePath, os_reason,
)
from kacard.i18n import _, language, localize, set_language
from kacard.cards.model.settings import Settings
from kacard.cards.paths import (
    RESERVED_FOLDERS, SETTINGS_FILE, card_path, check_id, inside, is_card_file, looks_like_card,
    CARD_SUFFIX,
)

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


@dataclass(frozen=True)
class LoadedCard:
    card: Card
    path: Path
    rel: str  # path relative to the folder, with /
    digest: str  # hash of the bytes read: a write checks the file still has them


NOT_READ = "file name"  # the field of the warning about a card-looking file kacard does not read

# Visits a brief keeps in the snapshot: enough unless --today is before the third latest.
LAST_VISITS = 3


class Summary(NamedTuple):
    """One card as folder-wide commands read it (store.load_folder with summary=True)."""

    rel: str
    brief: Brief
    card_index: CardIndex
    upkeep: brief.Upkeep | None = None  # with load_folder(upkeep=True)


def summary_of(card: Card, today: dt.date, rel: str = "") -> Summary:
    """The summary of a whole card as a cached row gives it (brief as of today)."""
    return Summary(rel, brief.of(card).as_of(today), index.of(card), brief.upkeep(card))


@dataclass
class Folder:
    path: Path
    settings: Settings
    cards: list[LoadedCard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    # With load_folder(summary=True): each card's brief and index instead of `cards`.
    summaries: list[Summary] | None = None
    # With load_folder(summary=True): the digest of the bytes each card file's row came
    # from, by relative path (a file that could not be read has none).
    digests: dict[str, str] | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def resolve(self, text: str) -> str:
        """The id of the loaded card `text` names: its id, or a unique id prefix, part of
        its name, its pinyin or initials (kacard.cards.lookup.resolve; its errors)."""
        from kacard.cards import lookup

        if "/" in text or "\\" in text or text.startswith("."):
            check_id(text)  # a path, not a name: refused as such
        known = [loaded.card.id for loaded in self.cards] + [s.brief.id for s in self.summaries or ()]
        if text in known or any(Path(p.file).stem == text for p in self.problems):
            return text
        keys = [lookup.search_keys(c.card.id, c.card.name) for c in self.cards]
        keys += [lookup.search_keys(s.brief.id, s.brief.name) for s in self.summaries or ()]
        try:
            return lookup.resolve(text, keys)
        finally:
            lookup.save_readings()

    def get(self, card_id: str) -> LoadedCard:
        card_id = check_id(self.resolve(card_id))
        for loaded in self.cards:
            if loaded.card.id == card_id:
                return loaded
        self._missing(card_id)

    def brief(self, card_id: str) -> Brief:
        """A card's brief, of a folder loaded with summary=True; the errors of `get`."""
        card_id = check_id(self.resolve(card_id))
        for loaded in self.summaries or ():
            if loaded.brief.id == card_id:
                return loaded.brief
        self._missing(card_id)

    def _missing(self, card_id: str) -> NoReturn:
        broken = [p for p in self.problems if Path(p.file).stem == card_id]
        if broken:
            raise CardInvalid(_("card {card_id!r} has problems; fix them first").format(card_id=card_id), broken)
        raise CardNotFound(_("no card with id {card_id!r} in {path}").format(card_id=card_id, path=self.path))


# -- reading ----------------------------------------------------------------------------


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_problems(rel: str, text: str, exc: ValidationError) -> list[Problem]:
    """One problem per pydantic error, positioned with the round-trip document and put
    in plain words by kacard.cards.messages (which reads the card's line too)."""
    from kacard.cards import messages

    try:
        root: Any = yamlio.load_document(text).root
    except yamlio.YamlProblem:
        root = None
    lines = text.split("\n")
    problems: list[Problem] = []
    for error in exc.errors(include_url=False, include_input=True):
        loc = tuple(error["loc"])
        where = yamlio.locate(root, loc) if root is not None else None
        line = where[0] if where else None
        source = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
        raw_message = error["msg"]
        if error["type"] == "extra_forbidden":
            raw_message = _unknown_field_message(loc, root)
        raw = messages.Raw(error["type"], loc, raw_message, error.get("input"), dict(error.get("ctx") or {}))
        message = messages.explain(raw, source)
        if error["type"] == "missing" and loc:
            message = messages.missing_hint(text, str(loc[-1])) or message
        column = where[1] if where else None
        fixed = messages.corrected(raw, source)
        if fixed is not raw and source is not None:  # `amount: 1,200,000` in a {…} line: point at amount
            loc, column = fixed.loc, source.find(f"{fixed.loc[-1]}:") + 1 or column
        problem = Problem(rel, line, column, _field_path(loc), message)
        if not any(p.line == line and p.message == message for p in problems):
            problems.append(problem)
    return problems


def _unknown_field_message(loc: tuple[int | str, ...], root: Any) -> str:
    import difflib

    from kacard.cards.model import card as card_models

    name = str(loc[-1])
    known = _known_fields(loc[:-1], card_models.Card)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return _("unknown field '{name}'; did you mean '{close}'? (team fields go under 'custom')").format(
            name=name, close=close[0])
    return _("unknown field '{name}' (team fields go under 'custom')").format(name=name)


def _known_fields(parent: tuple[int | str, ...], model: Any) -> list[str]:
    """Field names (aliases first) of the model found by walking `parent` from Card."""
    import typing

    current = model
    for part in parent:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return []
        annotation = info.annotation
        for candidate in (annotation, *typing.get_args(annotation)):
            inner = [a for a in (candidate, *typing.get_args(candidate)) if hasattr(a, "model_fields")]
            if inner:
                current = inner[0]
                break
        else:
            return []
    return [f.alias or name for name, f in current.model_fields.items()]


def parse_card(rel: str, data: bytes, expect_id: str | None = None) -> tuple[Card | None, list[Problem]]:
    """Validate one card file's bytes; (card, problems). Never raises for bad content."""
    from kacard.cards.messages import yaml_problem
    from kacard.cards.model.card import Card

    text = ""
    try:
        text = yamlio.decode(data)
        raw = yamlio.load_data(text)
    except yamlio.YamlProblem as exc:
        found = yaml_problem(text, exc.line, exc.column, exc.message) if text else exc
        return None, [Problem(rel, found.line, found.column, "", found.message)]
    problems: list[Problem] = []
    if expect_id is not None and isinstance(raw.get("id"), str) and raw["id"] != expect_id:
        line = _key_line(text, "id")
        problems.append(Problem(rel, line, 1 if line else None, "id",
                                f"id {raw['id']!r} does not match the file name {expect_id}.yaml"))
    try:
        card = Card.model_validate(raw)
    except ValidationError as exc:
        return None, problems + _validation_problems(rel, text, exc)
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:  # a model rule hit data it
        # did not expect: this card is broken, the others are not (never a traceback)
        return None, problems + [Problem(rel, None, None, "", f"cannot be read as a card ({type(exc).__name__})")]
    return (None, problems) if problems else (card, [])


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_settings(folder: Path) -> Settings:
    if not (folder / SETTINGS_FILE).is_file():
        return Settings()
    return read_model(folder, SETTINGS_FILE, Settings)


M = TypeVar("M", bound=BaseModel)


def read_model(folder: Path, rel: str, model: type[M]) -> M:
    """A folder file that is not a card (kacard.yaml, plans/2027.yaml) read safely into `model`.

    Raises CardInvalid (exit 2) naming file:line:col: field: message for every problem.
    """
    data = (folder / rel).read_bytes()
    try:
        text = yamlio.decode(data)
        # an empty file (or comments only) is an empty mapping: every setting at its default
        blank = all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
        raw = {} if blank else yamlio.load_data(text)
    except yamlio.YamlProblem as exc:
        raise CardInvalid(_("{rel} cannot be read").format(rel=rel),
                          [Problem(rel, exc.line, exc.column, "", exc.message)]) from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CardInvalid(_("{rel} is not valid").format(rel=rel), _validation_problems(rel, text, exc)) from None


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


Progress = Callable[[int, int], None]  # (files done, files in all), while a load reads cards

# Cards to parse before a load starts worker processes (below that, forking costs more).
PARALLEL_MIN = 48


class Walk(NamedTuple):
    """A walk of the card folder (card_files) with each card file's stat."""

    files: list[tuple[str, str]]
    problems: list[Problem]
    stats: dict[str, Stat]


def walk(folder: Path) -> Walk:
    stats: dict[str, Stat] = {}
    files, problems = card_files(folder, stats)
    return Walk(files, problems, stats)


def load_folder(
    folder: Path, today: dt.date, *, summary: bool = False, only: Collection[str] | None = None,
    progress: Progress | None = None, upkeep: bool = False, walked: Walk | None = None,
    settings: Settings | None = None,
) -> Folder:
    """Load settings and every card; problems are collected, never raised (but for settings).

    summary=True is the path of every folder-wide command (`list`, `filter`, `due`,
    `score`, `review`, `validate`, `route`, `brief`): each card comes as its brief and
    index (`summaries`, and with upkeep=True its kacard.cards.brief.Upkeep too) from the
    per-user cache's rows (kacard.cards.cache); only files whose stat changed are read, only
    those whose bytes changed are parsed, in worker processes when there are many.
    Without summary, whole cards are parsed (`show`, `edit`, `log`, `export`,
    `handover`); `only` loads the files of those card ids and nothing else (on a folder
    of 10,000 cards they cost a directory walk, not 10,000 cards).
    `progress` is told of every card file parsed (the slow part of a first run).
    `walked` and `settings`: the folder's walk and settings when the caller has them."""
    result = Folder(folder, settings if settings is not None else load_settings(folder))
    walked = walked if walked is not None else walk(folder)
    files, result.problems, stats = walked.files, list(walked.problems), walked.stats
    result.files = len(files)
    if only is not None:
        wanted = {check_id(card_id) for card_id in only}
        files = [(rel, path) for rel, path in files if Path(rel).stem in wanted]
        result.problems = [p for p in result.problems if Path(p.file).stem in wanted]
    # Loading allocates many small objects and frees none: the cyclic GC's passes over
    # them are pure overhead (measured: a fifth of a warm load), so it waits until after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if summary:
            cache = CardCache(folder)
            try:
                _load_summaries(files, cache, result, today, progress, upkeep=upkeep,
                                whole_folder=only is None, stats=stats)
            finally:
                cache.close()
        else:
            _load_cards(files, result, progress)
    finally:
        if collecting:
            gc.enable()
    result.problems.extend(folder_problems(result, today, warnings=not summary or upkeep))
    return result


def _load_cards(files: list[tuple[str, str]], result: Folder, progress: Progress | None) -> None:
    """Whole cards, parsed (in worker processes when there are many)."""
    for rel, path, outcome in _parse_all([(rel, path) for rel, path in files], _parse_whole, progress):
        if isinstance(outcome, OSError):
            result.problems.append(_unreadable(rel, outcome))
            continue
        card, dig, problems = outcome
        if card is None:
            result.problems.extend(problems)
        else:
            result.cards.append(LoadedCard(card, Path(path), rel, dig))


def _parse_whole(job: tuple[str, str]) -> tuple[Card | None, str, list[Problem]]:
    rel, path = job
    data = Path(path).read_bytes()
    card, problems = parse_card(rel, data, expect_id=Path(path).stem)
    return card, digest(data), problems


def _parse_all(jobs: list[Any], work: Callable[[Any], Any], progress: Progress | None) -> Iterator[tuple[str, str, Any]]:
    """(rel, path, work(job) or the OSError it raised) for jobs whose first two items are
    rel and path, in order; in worker processes (about one per core) when there are at
    least PARALLEL_MIN jobs, else here."""
    workers = min(os.cpu_count() or 1, 8)
    total = len(jobs)
    if total < PARALLEL_MIN or workers < 2:
        for done, job in enumerate(jobs):
            if progress is not None:
                progress(done, total)
            try:
                yield job[0], job[1], work(job)
            except OSError as exc:
                yield job[0], job[1], exc
        return
    import concurrent.futures
    import multiprocessing

    from kacard.cards.model.card import Card  # noqa: F401  (imported once, before the workers fork)

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        chunk = max(1, min(64, total // (workers * 8)))
        for done, (job, outcome) in enumerate(zip(jobs, pool.map(_guarded, [(work, j, language()) for j in jobs],
                                                               chunksize=chunk), strict=True)):
            if progress is not None:
                progress(done, total)
            yield job[0], job[1], outcome


def _guarded(item: tuple[Callable[[Any], Any], Any, str]) -> Any:
    work, job, lang = item
    if lang != language():  # a spawned worker (Windows, macOS) starts in English
        set_language(lang)
    try:
        return work(job)
    except OSError as exc:
        return OSError(exc.errno, exc.strerror)


def _unreadable(rel: str, exc: OSError) -> Problem:
    return Problem(rel, None, None, "", f"cannot read file: {exc.strerror}")


def _parse_row(job: tuple[str, str, Stat, bytes | None]) -> tuple[str, Stat, tuple[bytes | None, ...] | None, Any]:
    """A card file's row: (digest, stat, encoded columns, record when they are None).
    Runs in worker processes: it takes and gives plain data."""
    rel, path, stat, data = job
    if data is None:
        data = Path(path).read_bytes()
    card, problems = parse_card(rel, data, expect_id=Path(path).stem)
    if card is None:
        found = [(p.line, p.column, p.field, p.message, p.severity) for p in problems]
        # the messages are in the reader's language: kept with it, and read again in another
        return digest(data), stat, encode(None, [language(), found]), found
    record = Record(brief.record(brief.of(card, LAST_VISITS)), index.record(card),
                    brief.upkeep_record(brief.upkeep(card)))
    columns = encode(record, None)
    return digest(data), stat, columns, record if columns is None else None


def _load_summaries(
    files: list[tuple[str, str]], cache: CardCache, result: Folder, today: dt.date,
    progress: Progress | None, *, upkeep: bool, whole_folder: bool, stats: dict[str, Stat] | None = None,
) -> None:
    """Summaries from the cache's rows; files whose stat changed are read, those whose
    bytes changed (or whose row is damaged) parsed, and their rows rewritten."""
    rows = cache.rows(None if whole_folder else [rel for rel, _ in files], upkeep=upkeep)
    found: dict[str, Summary | list[Problem]] = {}
    digests: dict[str, str] = {}
    jobs: list[tuple[str, str, Stat, bytes | None]] = []
    for rel, path in files:
        row = rows.get(rel)
        try:
            stat = stats.get(rel) if stats else None
            if stat is None:
                info = os.stat(path)
                stat = (info.st_mtime_ns, info.st_size, info.st_ino)
            data = None
            if row is not None and not row.trusted(stat):
                data = Path(path).read_bytes()
                if row.digest == digest(data):  # touched, not changed
                    cache.touch(rel, stat)
                else:
                    row = None
            if row is not None and (summary := _from_row(rel, path, row, today, upkeep)) is not None:
                found[rel] = summary
                digests[rel] = row.digest
            else:
                jobs.append((rel, path, stat, data))
        except OSError as exc:
            found[rel] = [_unreadable(rel, exc)]
    for rel, path, outcome in _parse_all(jobs, _parse_row, progress):
        if isinstance(outcome, OSError):
            found[rel] = [_unreadable(rel, outcome)]
            continue
        dig, stat, columns, record = outcome
        cache.put(rel, dig, stat, columns)
        digests[rel] = dig
        if columns is not None:
            fresh = _from_row(rel, path, Row(dig, stat, 0, columns, (0, None)), today, upkeep, made=True)
            if fresh is not None:
                found[rel] = fresh
                continue
            record = _parse_row((rel, path, stat, None))[3]  # cannot happen: columns it just made
        if record is not None and isinstance(record, Record):
            found[rel] = _summary(rel, path, record.brief, index.from_record(record.numbers),
                                  brief.upkeep_from_record(record.upkeep) if upkeep else None, today)
        else:
            found[rel] = [Problem(rel, *problem) for problem in record or []]
    summaries: list[Summary] = []
    for rel, _path in files:
        item = found.get(rel)
        if isinstance(item, Summary):
            summaries.append(item)
        elif item is not None:
            result.problems.extend(item)
    cache.flush([rel for rel, _ in files] if whole_folder else None)
    result.summaries = summaries
    result.digests = digests


def _from_row(rel: str, path: str, row: Row, today: dt.date, upkeep: bool, *, made: bool = False
              ) -> Summary | list[Problem] | None:
    """A card's summary (or problems) from its row; None when the row is damaged.
    `made`: a row this process just made (not read from the cache: nothing to check)."""
    if not made and not row.intact():
        return None
    try:
        columns = row.columns
        if columns[0] is None:
            lang, found = loads(columns[6] or b"[]")
            if lang != language():
                return None
            return [Problem(rel, line, column, str(field), str(message), str(severity))
                    for line, column, field, message, severity in found]
        ix = index.from_record(decode_numbers(columns))
        kept = decode_brief(columns[0])  # type: ignore[arg-type]
        if ix.id != kept[0] or ix.id + CARD_SUFFIX != rel.rpartition("/")[2]:
            return None
        care = brief.upkeep_from_record(loads(columns[5])) if upkeep else None  # type: ignore[arg-type]
        return _summary(rel, path, kept, ix, care, today)
    except (ValueError, TypeError, KeyError, IndexError, AssertionError, OverflowError):
        return None


def _summary(rel: str, path: str, record: tuple[Any, ...] | list[Any], ix: CardIndex, care: brief.Upkeep | None,
             today: dt.date) -> Summary:
    """A card's brief as of today (kacard.cards.brief.Brief.as_of), its index and upkeep."""
    at = ix.visits_until(today)  # visits on or before today
    kept = len(record[brief.VISITS])
    first_kept = ix.visit_count - kept
    if at and at - 1 < first_kept:
        # --today is before the visits the row keeps: brief the whole card
        card, _ = parse_card(rel, Path(path).read_bytes(), expect_id=Path(path).stem)
        if card is not None:
            return Summary(rel, brief.of(card).as_of(today), ix, care)
    return Summary(rel, brief.from_record(record, max(0, at - first_kept)), ix, care)


def settings_problems(rel: str, owner: str, criteria: dict[str, int], settings: Settings) -> list[Problem]:
    """What makes a valid card wrong for this team: an owner not in the team, an
    unknown 10/2 criterion. Used when loading and before any write (edit)."""
    return _TeamCheck(settings).problems(rel, owner, criteria)


class _TeamCheck:
    """settings_problems with the team and the criteria worked out once per folder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.team = {rep.id for rep in settings.team}
        self.known = set(settings.scoring.ten_two.criteria)

    def owner_id(self, owner: str) -> str:
        """The rep id of a card's `owner:` (which may name the rep: `owner: 张伟`)."""
        if owner in self.team or not self.team:
            return owner
        from kacard.cards.reps import matching

        found = matching(self.settings, owner)
        return found[0].id if len(found) == 1 else owner

    def problems(self, rel: str, owner: str, criteria: dict[str, int]) -> list[Problem]:
        problems = []
        if self.team and owner not in self.team:
            from kacard.cards.reps import problem

            trouble = problem(self.settings, owner, "owner")
            if trouble is not None:
                problems.append(Problem(rel, None, None, "owner", trouble))
        for name in criteria:
            if name not in self.known:
                problems.append(Problem(rel, None, None, f"criteria.{name}",
                                        _("unknown criterion '{name}' (see scoring.ten_two.criteria)").format(
                                            name=name)))
        return problems


def folder_problems(folder: Folder, today: dt.date, *, warnings: bool = True) -> list[Problem]:
    """Checks across cards and against settings: duplicate ids, owners, criteria names."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}

    def first(rel: str, card_id: str) -> bool:
        if card_id in seen:
            problems.append(Problem(rel, None, None, "id", f"duplicate id {card_id!r}: also in {seen[card_id]}"))
            return False
        seen[card_id] = rel
        return True

    check = _TeamCheck(folder.settings)
    if folder.summaries is not None:
        folder.summaries = [s for s in folder.summaries if first(s.rel, s.brief.id)]
        for i, s in enumerate(folder.summaries):
            problems += check.problems(s.rel, s.brief.owner, s.card_index.criteria)
            owner = check.owner_id(s.brief.owner)
            if owner != s.brief.owner:  # `owner: 张伟`: every command reads the rep's id
                folder.summaries[i] = s._replace(brief=s.brief._replace(owner=owner))
            if warnings and s.upkeep is not None:
                problems += [Problem(s.rel, None, None, path, localize(message), severity="warning")
                             for path, message in brief.warnings(s.upkeep, today)]
    folder.cards = [loaded for loaded in folder.cards if first(loaded.rel, loaded.card.id)]
    for loaded in folder.cards:
        card, rel = loaded.card, loaded.rel
        problems += check.problems(rel, card.owner, card.criteria)
        card.owner = check.owner_id(card.owner)
        if warnings:
            problems.extend(_warnings(rel, card, today))
    return _with_lines(folder.path, problems)


def _warnings(rel: str, card: Card, today: dt.date) -> list[Problem]:
    from kacard.cards.model.card import card_warnings

    return [Problem(rel, None, None, path, localize(message), severity="warning")
            for path, message in card_warnings(card, today)]


def _with_lines(folder: Path, problems: list[Problem]) -> list[Problem]:
    """Fill in line/column for problems found after loading, from the round-trip document."""
    out: list[Problem] = []
    docs: dict[str, Any] = {}
    for problem in problems:
        if problem.line is not None or not problem.field:
            out.append(problem)
            continue
        if problem.file not in docs:
            try:
                docs[problem.file] = yamlio.load_document((folder / problem.file).read_text("utf-8-sig")).root
            except (OSError, UnicodeDecodeError, yamlio.YamlProblem):
                docs[problem.file] = None
        root = docs[problem.file]
        parts: list[str | int] = [int(p) if p.isdigit() else p for p in problem.field.split(".")]
        where = yamlio.locate(root, parts) if root is not None else None
        out.append(Problem(problem.file, where[0] if where else None, where[1] if where else None,
                           problem.field, problem.message, problem.severity))
    return out


# -- writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedWrite:
    """A checked change of one card, not yet written (see prepare_update)."""

    loaded: LoadedCard
    data: bytes  # the card's new bytes
    card: Card


def update_card(folder: Path, loaded: LoadedCard, change: Callable[[yamlio.Document], None]) -> Card:
    """prepare_update, then write it (commit)."""
    return commit(prepare_update(folder, loaded, change))


def commit(prepared: PreparedWrite) -> Card:
    """Write a prepared change (atomic; StaleWrite if the file changed since it was read)."""
    loaded = prepared.loaded
    write_atomic(loaded.path, prepared.data, loaded.digest)
    return prepared.card


def prepare_update(folder: Path, loaded: LoadedCard, change: Callable[[yamlio.Document], None]) -> PreparedWrite:
    """Patch a card's YAML document with `change` and validate the result; nothing is written
    yet (`commit` writes it), so a command changing several cards checks them all first.

    The document is read from the bytes whose digest `loaded` recorded, so an edit
    is never applied on top of content the user has not seen. Every line the change
    does not touch is written back byte for byte (line endings, BOM, long lines,
    number forms); write_atomic keeps the file's mode and a symlink's target.
    """
    text, _digest = read_for_update(folder, loaded)
    data = loaded.path.read_bytes()  # the same bytes (read_for_update checked them): for the BOM
    document = yamlio.load_document(text, editable=True)
    change(document)
    try:
        new = with_bom(data, document.dump())  # only the changed lines are new (textpatch)
    except yamlio.YamlProblem as exc:
        raise CardInvalid(f"{loaded.rel}: {exc.message}") from None
    card, problems = parse_card(loaded.rel, new, expect_id=loaded.card.id)
    if card is None:
        raise CardInvalid(_("the change would make {rel} invalid; nothing was written").format(rel=loaded.rel), problems)
    return PreparedWrite(loaded, new, card)


def read_for_update(folder: Path, loaded: LoadedCard) -> tuple[str, str]:
    """(text, digest) of a card about to be patched: the very bytes `loaded` was read
    from (StaleWrite if the file changed since), inside the folder (UnsafePath)."""
    if not inside(folder, loaded.path):
        raise UnsafePath(_("{rel} is outside the card folder").format(rel=loaded.rel))
    data = loaded.path.read_bytes()
    if digest(data) != loaded.digest:
        raise StaleWrite(_("{rel} changed on disk since kacard read it; nothing was written — run the command again").format(rel=loaded.rel))
    return yamlio.decode(data), loaded.digest


# Lock files are written in binary mode everywhere: on Windows os.open is text mode (and
# would turn "\n" into "\r\n") unless told O_BINARY, which POSIX does not have.
LOCK_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def replace(source: Path, target: Path) -> None:
    """os.replace, with Windows' refusal to replace a file another program holds open (an
    editor, Excel) as StaleWrite rather than a traceback."""
    try:
        os.replace(source, target)
    except PermissionError:
        if os.name != "nt":  # elsewhere a real permission problem: the write error's own message
            raise
        raise StaleWrite(_("{file} could not be replaced: it is open in another program or "
                           "read-only; close it and run the command again").format(file=target.name)) from None


def write_many(folder: Path, items: list[tuple[str, str, str | None]]) -> list[tuple[str, KacardError]]:
    """Write many cards (rel, text, digest read or None for a new file) as write_atomic
    does one, with one flush to disk for all: every text goes to its `<name>.lock` first,
    then `os.sync()`, then each lock is renamed over its card (after the digest check),
    then each folder is synced once. Per-file fsyncs cost ~20 ms each on a plain disk:
    10,000 imported cards would wait minutes. Returns the cards not written, and why."""
    failed: list[tuple[str, KacardError]] = []
    locked: list[tuple[str, Path, Path, str | None]] = []
    try:
        for rel, text, expect in items:
            path = folder / rel
            lock = path.with_name(path.name + ".lock")
            if not inside(folder, path) or not is_card_file(path.name):
                failed.append((rel, UnsafePath(_("{rel} is outside the card folder").format(rel=rel))))
                continue
            try:
                fd = os.open(lock, LOCK_FLAGS, 0o644)
            except FileExistsError:
                failed.append((rel, StaleWrite(_("{rel} is being written by another kacard (remove {name} if that is not so)").format(rel=rel, name=lock.name))))
                continue
            with os.fdopen(fd, "wb") as handle:
                locked.append((rel, path, lock, expect))
                handle.write(text.encode("utf-8"))
        if hasattr(os, "sync"):
            os.sync()
        folders = set()
        locked.reverse()
        while locked:
            rel, path, lock, expect = locked.pop()
            try:
                check_unchanged(path, expect)
                replace(lock, path)
            except StaleWrite as exc:
                lock.unlink(missing_ok=True)
                failed.append((rel, exc))
                continue
            folders.add(path.parent)
        for parent in folders:
            fsync_folder(parent)
    finally:
        for _rel, _path, lock, _expect in locked:
            lock.unlink(missing_ok=True)
    return failed


def create_card(folder: Path, card_id: str, text: str) -> Path:
    """Write a new card file from text, after validating it; never overwrites."""
    path = card_path(folder, card_id)
    rel = path.relative_to(folder).as_posix()
    card, problems = parse_card(rel, text.encode("utf-8"), expect_id=card_id)
    if card is None:
        raise CardInvalid(_("the new card {rel} would be invalid; nothing was written").format(rel=rel), problems)
    taken = existing_id_file(folder, card_id)
    if taken is not None:
        raise CardInvalid(_("card {id} already exists ({file}); use `kacard edit {stem}` (ids are unique in "
                            "the whole folder, whatever the case of their letters)").format(
            id=repr(card_id), file=taken, stem=Path(taken).stem))
    write_atomic(path, text, None)
    return path


def existing_id_file(folder: Path, card_id: str) -> str | None:
    """The card file anywhere in the folder whose id equals `card_id` ignoring case (file
    systems on Windows and macOS do), or None."""
    wanted = card_id.casefold()
    files, _ = card_files(folder)
    for rel, _path in files:
        if Path(rel).stem.casefold() == wanted:
            return rel
    return None
