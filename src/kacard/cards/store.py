"""The card folder loaded: every card (or its cached rows), every problem, the team checks.

Four modules touch card files, one job each: kacard.cards.walk finds them,
kacard.cards.parse reads one, this module loads the folder (rows from the per-user
cache, changed cards parsed in worker processes) and kacard.cards.writing writes.
Loading never stops at a broken card: each problem becomes a
`Problem(file, line, col, field, message)` and the other cards load.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from kacard.cards import brief, index, yamlio
from kacard.cards.brief import Brief
from kacard.cards.cache import (
    CardCache,
    Record,
    Row,
    Stat,
    decode_brief,
    decode_numbers,
    digest,
    encode,
    loads,
)
from kacard.cards.index import CardIndex
from kacard.cards.model.settings import Settings
from kacard.cards.parse import load_settings, parse_card
from kacard.cards.paths import CARD_SUFFIX, check_id
from kacard.cards.walk import Walk, walk
from kacard.errors import CardInvalid, CardNotFound, Problem, os_reason
from kacard.i18n import Message, _, language, localize, set_language

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


@dataclass(frozen=True)
class LoadedCard:
    card: Card
    path: Path
    rel: str  # path relative to the folder, with /
    digest: str  # hash of the bytes read: a write checks the file still has them


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
        keys += self._broken_keys()  # a broken card is still found by its name, then its problems shown
        try:
            return lookup.resolve(text, keys)
        finally:
            lookup.save_readings()

    def _broken_keys(self) -> list[Any]:
        """Search keys of the cards that did not load: the file's stem and the `name:` line
        as typed (read leniently: the card may not be YAML at all)."""
        from kacard.cards import lookup

        found = []
        for file in sorted({p.file for p in self.errors if p.file.endswith(CARD_SUFFIX)}):
            stem = Path(file).stem
            try:
                head = (self.path / file).read_bytes()[:65536].decode("utf-8", "replace")
            except OSError:
                continue
            match = _NAME_LINE.search(head)
            name = match.group(1).strip().strip("\"'") if match else ""
            found.append(lookup.search_keys(stem, name))
        return found

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


Progress = Callable[[int, int], None]  # (files done, files in all), while a load reads cards
PARALLEL_MIN = 48
_NAME_LINE = re.compile(r"^name\s*[:：]\s*([^#\r\n]+)", re.M)


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
    data = _read(path)
    card, problems = parse_card(rel, data, expect_id=_stem(path))
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


def _read(path: str) -> bytes:
    """A card file's bytes (Path(path).read_bytes() without making a Path: a cold load
    reads 10,000 of them)."""
    with open(path, "rb") as file:
        return file.read()


def _stem(path: str) -> str:
    """The file name without its suffix: the id a card file must hold (Path(path).stem)."""
    return os.path.splitext(os.path.basename(path))[0]


def _unreadable(rel: str, exc: OSError) -> Problem:
    return Problem(rel, None, None, "", _("cannot read file: {reason}").format(reason=os_reason(exc)))


def _parse_row(job: tuple[str, str, Stat, bytes | None]) -> tuple[str, Stat, tuple[bytes | None, ...] | None, Any]:
    """A card file's row: (digest, stat, encoded columns, record when they are None).
    Runs in worker processes: it takes and gives plain data."""
    rel, path, stat, data = job
    if data is None:
        data = _read(path)
    card, problems = parse_card(rel, data, expect_id=_stem(path))
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
                data = _read(path)
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
        card, _ = parse_card(rel, _read(path), expect_id=_stem(path))
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

    def stands(self, message: Message) -> bool:
        """False for card_warnings' OWNER_NOT_HANDED when owner and `to` name the same rep
        (one by id, the other by name)."""
        from kacard.cards.model.card import OWNER_NOT_HANDED

        if getattr(message, "msgid", None) != OWNER_NOT_HANDED:
            return True
        return self.owner_id(str(message.params["owner"])) != self.owner_id(str(message.params["to"]))

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
            problems.append(Problem(rel, None, None, "id", _("duplicate id {card_id!r}: also in {file}").format(
                card_id=card_id, file=seen[card_id])))
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
                             for path, message in brief.warnings(s.upkeep, today) if check.stands(message)]
    folder.cards = [loaded for loaded in folder.cards if first(loaded.rel, loaded.card.id)]
    for loaded in folder.cards:
        card, rel = loaded.card, loaded.rel
        problems += check.problems(rel, card.owner, card.criteria)
        card.owner = check.owner_id(card.owner)
        if warnings:
            problems.extend(_warnings(rel, card, today, check))
    return _with_lines(folder.path, problems)


def _warnings(rel: str, card: Card, today: dt.date, check: _TeamCheck) -> list[Problem]:
    from kacard.cards.model.card import card_warnings

    return [Problem(rel, None, None, path, localize(message), severity="warning")
            for path, message in card_warnings(card, today) if check.stands(message)]


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
