"""The card folder on disk: read every card, report every problem, write safely.

Only this module reads or writes card files. Reading never stops at a broken
card: each problem becomes a `Problem(file, line, col, field, message)` and the
other cards load. Writing patches the original YAML document and replaces the
file atomically, refusing when it changed since it was read.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

from kacard.cards import brief, index, yamlio
from kacard.cards.brief import Brief
from kacard.cards.cache import CardCache, Snap, digest
from kacard.cards.cache import Entry as CacheEntry
from kacard.cards.index import CardIndex
from kacard.errors import CardInvalid, CardNotFound, KacardError, Problem, StaleWrite, UnsafePath
from kacard.i18n import _
from kacard.cards.model.settings import Settings
from kacard.cards.paths import (
    RESERVED_FOLDERS,
    SETTINGS_FILE,
    card_path,
    check_id,
    inside,
    is_card_file,
)

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
    """One card as the fast path of `list`, `filter` and `due` reads it."""

    rel: str
    brief: Brief
    card_index: CardIndex


@dataclass
class Folder:
    path: Path
    settings: Settings
    cards: list[LoadedCard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    # With load_folder(summary=True): each card's brief and index instead of `cards`.
    summaries: list[Summary] | None = None

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
        problem = Problem(rel, line, where[1] if where else None, _field_path(loc), message)
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
        raw = yamlio.load_data(text)
    except yamlio.YamlProblem as exc:
        raise CardInvalid(_("{rel} cannot be read").format(rel=rel),
                          [Problem(rel, exc.line, exc.column, "", exc.message)]) from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CardInvalid(_("{rel} is not valid").format(rel=rel), _validation_problems(rel, text, exc)) from None


def card_files(folder: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Card files under the folder (any depth) as (relative path with /, path), sorted;
    hidden entries, kacard.yaml and the RESERVED_FOLDERS (plans/, import/) skipped. Symlinks that lead outside the folder are
    refused with a problem."""
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    stack = [("", str(folder))]
    while stack:
        rel_dir, current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = list(scan)
        except OSError as exc:
            problems.append(Problem(rel_dir or ".", None, None, "", f"cannot read folder: {exc.strerror}"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = rel_dir + name
            if entry.is_symlink() and not inside(folder, Path(entry.path)):
                if name.endswith(".yaml") or entry.is_dir():
                    problems.append(Problem(rel, None, None, "", "symlink points outside the card folder; ignored"))
                continue
            if entry.is_dir(follow_symlinks=False):
                if not rel_dir and name in RESERVED_FOLDERS:
                    continue
                stack.append((rel + "/", entry.path))
            elif is_card_file(name) and not (not rel_dir and name == SETTINGS_FILE):
                found.append((rel, entry.path))
    found.sort()
    return found, problems


Progress = Callable[[int, int], None]  # (files done, files in all), while a load reads cards


def load_folder(
    folder: Path, today: dt.date, *, summary: bool = False, only: Collection[str] | None = None,
    progress: Progress | None = None,
) -> Folder:
    """Load settings and every card; problems are collected, never raised (but for settings).

    summary=True is the fast path of `list`, `filter` and `due`: each card comes as its
    brief and index (`summaries`) from the folder snapshot, and only files changed
    since are read; suspicious-data warnings (which they do not show) are not computed.
    `only` loads the files of those card ids and nothing else (`show`, `edit`, `log`:
    on a folder of 10,000 cards they cost a directory walk, not 10,000 cards).
    `progress` is told of every card file read (with summary=True, only of those not
    in the snapshot: the slow part of a first run)."""
    settings = load_settings(folder)
    result = Folder(folder, settings)
    files, result.problems = card_files(folder)
    result.files = len(files)
    if only is not None:
        wanted = {check_id(card_id) for card_id in only}
        files = [(rel, path) for rel, path in files if Path(rel).stem in wanted]
        result.problems = [p for p in result.problems if Path(p.file).stem in wanted]
    cache = CardCache(folder)
    # Loading allocates many small objects and frees none: the cyclic GC's passes over
    # them are pure overhead (measured: a fifth of a warm load), so it waits until after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if summary:
            _load_summaries(files, cache, result, today, progress)
        else:
            _load_cards(files, cache, result, progress, whole_folder=only is None)
    finally:
        cache.close()
        if collecting:
            gc.enable()
    result.problems.extend(folder_problems(result, today, warnings=not summary))
    return result


def _load_cards(
    files: list[tuple[str, str]], cache: CardCache, result: Folder, progress: Progress | None,
    *, whole_folder: bool,
) -> None:
    """Whole cards from the cache where their files are unchanged; with `whole_folder`,
    the cache also forgets files that are gone."""
    cached = cache.load_all() if whole_folder else {rel: e for rel, _ in files if (e := cache.entry(rel))}
    for done, (rel, path) in enumerate(files):
        if progress is not None:
            progress(done, len(files))
        try:
            loaded, problems = _load_card(Path(path), rel, cache, cached.get(rel))
        except OSError as exc:
            loaded, problems = None, [_unreadable(rel, exc)]
        if loaded is None:
            result.problems.extend(problems)
        else:
            result.cards.append(loaded)
    cache.flush([rel for rel, _ in files] if whole_folder else None)


def _unreadable(rel: str, exc: OSError) -> Problem:
    return Problem(rel, None, None, "", f"cannot read file: {exc.strerror}")


def _load_summaries(
    files: list[tuple[str, str]], cache: CardCache, result: Folder, today: dt.date, progress: Progress | None
) -> None:
    """Briefs and indexes from the snapshot; a file whose stat changed is re-read (and
    re-parsed only when its bytes changed) and the snapshot rewritten."""
    snaps = cache.snapshot()
    fresh: dict[str, Snap] = {}
    summaries: list[Summary] = []
    for done, (rel, path) in enumerate(files):
        snap = snaps.get(rel)
        try:
            info = os.stat(path)
            stat = (info.st_mtime_ns, info.st_size, info.st_ino)
            if snap is None or not snap.trusted(stat):
                if progress is not None:
                    progress(done, len(files))
                snap, problems = _snap(rel, path, stat, snap, cache)
        except OSError as exc:
            snap, problems = None, [_unreadable(rel, exc)]
        if snap is None:
            result.problems.extend(problems)
            continue
        fresh[rel] = snap
        summaries.append(_summary(rel, path, snap, cache, today))
    changed = [rel for rel, snap in fresh.items() if snaps.get(rel) is not snap]
    changed += [rel for rel in snaps if rel not in fresh]
    if changed:
        cache.flush(rel for rel, _ in files)
        cache.save_snapshot(fresh, changed)
    result.summaries = summaries


def _snap(
    rel: str, path: str, stat: tuple[int, int, int], old: Snap | None, cache: CardCache
) -> tuple[Snap | None, list[Problem]]:
    """A snapshot entry for a file that is new or whose stat changed."""
    checked = time.time_ns()
    with open(path, "rb") as handle:
        data = handle.read()
    dig = digest(data)
    if old is not None and old.digest == dig:  # touched, not changed
        return old._replace(stat=stat, checked_ns=checked), []
    entry = cache.entry(rel)
    loaded, problems = _load_card(Path(path), rel, cache, entry, data=data, dig=dig)
    if loaded is None:
        return None, problems
    card = loaded.card
    return Snap(dig, stat, checked, brief.record(brief.of(card, LAST_VISITS)), index.record(card)), []


def _summary(rel: str, path: str, snap: Snap, cache: CardCache, today: dt.date) -> Summary:
    """A card's brief as of today (kacard.cards.brief.Brief.as_of) and its index."""
    ix = index.from_record(snap.numbers)
    at = ix.visits_until(today)  # visits on or before today
    kept = len(snap.brief[brief.VISITS])
    first_kept = ix.visit_count - kept
    if at and at - 1 < first_kept:
        # --today is before the visits the snapshot keeps: brief the whole card
        loaded, _entry = _load_card(Path(path), rel, cache, cache.entry(rel))
        if loaded is not None:
            return Summary(rel, brief.of(loaded.card).as_of(today), ix)
    return Summary(rel, brief.from_record(snap.brief, max(0, at - first_kept)), ix)


def _load_card(
    path: Path, rel: str, cache: CardCache, entry: CacheEntry | None,
    *, data: bytes | None = None, dig: str | None = None,
) -> tuple[LoadedCard | None, list[Problem]]:
    """One card: from the cache when its stat (or else its content hash) is unchanged.
    `data` and `dig` are the file's bytes and hash when already read."""
    info = os.stat(path)
    stat = (info.st_mtime_ns, info.st_size, info.st_ino)
    if data is None and entry is not None and entry.trusted(stat):
        card = cache.decode(entry.blob)
        if card is not None and card.id == path.stem:
            return LoadedCard(card, path, rel, entry.digest), []
    if data is None or dig is None:
        data = path.read_bytes()
        dig = digest(data)
    if entry is not None and entry.digest == dig:
        card = cache.decode(entry.blob)
        if card is not None and card.id == path.stem:
            cache.put(rel, dig, stat, card)  # refresh the stat: next time no read
            return LoadedCard(card, path, rel, dig), []
    card, problems = parse_card(rel, data, expect_id=path.stem)
    if card is None:
        return None, problems
    cache.put(rel, dig, stat, card)
    return LoadedCard(card, path, rel, dig), []


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

    return [Problem(rel, None, None, path, message, severity="warning")
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


def write_atomic(path: Path, text: str, expect_digest: str | None) -> None:
    """Replace `path` with `text` atomically (lock file + fsync + rename + folder fsync).

    `expect_digest` is the hash of the bytes read before editing; if the file now
    holds something else, nothing is written (StaleWrite). None means the file must
    not exist yet. The lock file (`<name>.lock`, git's convention) also stops two
    kacard processes from writing the same card at once.
    """
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise StaleWrite(_("{name} is being written by another kacard (remove {name2} if that is not so)").format(name=path.name, name2=lock.name)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        _check_unchanged(path, expect_digest)
        os.replace(lock, path)
        _fsync_folder(path.parent)
    except BaseException:
        lock.unlink(missing_ok=True)
        raise


def _check_unchanged(path: Path, expect_digest: str | None) -> None:
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
            _("{name} changed on disk since kacard read it (another edit or a git pull?); nothing was written — run the command again").format(name=path.name)
        )


def _fsync_folder(folder: Path) -> None:
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


def update_card(folder: Path, loaded: LoadedCard, change: Callable[[yamlio.Document], None]) -> Card:
    """Patch a card's YAML document with `change`, validate the result, write it atomically.

    The document is read from the bytes whose digest `loaded` recorded, so an edit
    is never applied on top of content the user has not seen.
    """
    text, _digest = read_for_update(folder, loaded)
    document = yamlio.load_document(text)
    change(document)
    text = document.dump()
    card, problems = parse_card(loaded.rel, text.encode("utf-8"), expect_id=loaded.card.id)
    if card is None:
        raise CardInvalid(_("the change would make {rel} invalid; nothing was written").format(rel=loaded.rel), problems)
    write_atomic(loaded.path, text, loaded.digest)
    return card


def read_for_update(folder: Path, loaded: LoadedCard) -> tuple[str, str]:
    """(text, digest) of a card about to be patched: the very bytes `loaded` was read
    from (StaleWrite if the file changed since), inside the folder (UnsafePath)."""
    if not inside(folder, loaded.path):
        raise UnsafePath(_("{rel} is outside the card folder").format(rel=loaded.rel))
    data = loaded.path.read_bytes()
    if digest(data) != loaded.digest:
        raise StaleWrite(_("{rel} changed on disk since kacard read it; nothing was written — run the command again").format(rel=loaded.rel))
    return yamlio.decode(data), loaded.digest


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
                fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
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
                _check_unchanged(path, expect)
            except StaleWrite as exc:
                lock.unlink(missing_ok=True)
                failed.append((rel, exc))
                continue
            os.replace(lock, path)
            folders.add(path.parent)
        for parent in folders:
            _fsync_folder(parent)
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
    if path.exists():
        raise CardInvalid(_("card {card_id!r} already exists ({rel}); use `kacard edit {card_id}`").format(card_id=card_id, rel=rel))
    write_atomic(path, text, None)
    return path
