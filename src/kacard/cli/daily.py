"""The day's rows of `list`, `filter` and `due`, worked out once per folder state and day.

A run first walks the folder (stat-ing every card file, as every load does) and asks the
day cache (kacard.cards.daycache) for rows kept under the folder's state, today, the
week and the language. Only when none are kept does it load every card's row
(kacard.cards.store.load_folder) and work them out: tiers over all accounts, every
account's list row (render.listing.card_rows) or due reasons and urgency
(analysis.due.due, then render.report.due_rows / the SPEC §8 JSON), then keeps them.

The rows kept are those the writers print, for every account (owner filters and
`filter`'s conditions are applied after, as the commands always did), with the load's
problems, so a run from the day cache prints the same bytes as one that works them out
(tests/test_daily.py runs both).

`score`, `review` and `validate` keep what their default report printed instead
(`day_output`): under the same key, with every option that changes it, so a run on an
unchanged folder prints the kept text (tests/test_day_reports.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kacard.cli.common import Run

if TYPE_CHECKING:
    from kacard.cards.store import Folder


def _problem_data(folder: Folder, walked: int) -> list[list[Any]]:
    """The load's problems after the walk's, as data; NotKept when one holds text that
    prints otherwise than its characters (a catalog Message localized where shown)."""
    from kacard.cards.daycache import NotKept

    found = [[p.file, p.line, p.column, p.field, p.message, p.severity] for p in folder.problems[walked:]]
    if any(isinstance(v, str) and type(v) is not str for problem in found for v in problem):
        raise NotKept("a problem with a catalog message")
    return found


def day_rows(opts: Run, kind: str, parts: tuple[object, ...], work: Callable[[Folder], list[dict[str, Any]]]
             ) -> tuple[Folder, list[dict[str, Any]]]:
    """(folder, rows): the folder as `report_problems` and owner checks read it (settings,
    path, problems; its cards' summaries only when the rows were worked out) and the rows
    `work(folder)` gives for a summary load, from the day cache when it holds them."""
    from kacard.cards import daycache, parse, store, walk
    from kacard.cards.cache import CardCache
    from kacard.cli.lifetime import keep
    from kacard.errors import Problem
    from kacard.i18n import language

    path = opts.folder()
    settings = parse.load_settings(path)
    started = time.time_ns()
    walked = walk.walk(path)
    what = (kind, opts.today, *parts, language())
    entry = daycache.key(daycache.folder_state(path, walked.files, walked.stats, started), *what)
    cache = CardCache(path)
    try:
        kept = daycache.get(cache, entry)
        if kept is not None:
            try:
                problems = [Problem(*p) for p in kept["problems"]]
                rows = daycache.decode_rows(kept["rows"])
                folder = store.Folder(path, settings, problems=walked.problems + problems, files=len(walked.files))
                keep(folder)
                return folder, rows
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # damaged: worked out again
        folder = opts.load(summary=True, walked=walked, settings=settings)
        rows = work(folder)
        if entry is not None:
            try:
                value = {"problems": _problem_data(folder, len(walked.problems)), "rows": daycache.encode_rows(rows)}
            except daycache.NotKept:
                return folder, rows
            daycache.put(cache, entry, value)
        return folder, rows
    finally:
        cache.close()


def folder_rows(folder: Folder, today: dt.date) -> list[dict[str, Any]]:
    """The `list` rows of the folder's cards (render.listing.card_rows), tiers over all."""
    from kacard.analysis.scoring import folder_tiers
    from kacard.render.listing import card_rows

    tier_of = folder_tiers(folder, today)
    if folder.summaries is not None:
        briefs = [s.brief for s in folder.summaries]
        indexes = {s.brief.id: s.card_index for s in folder.summaries}
        return card_rows(briefs, folder.settings, today, tier_of, indexes)
    return card_rows([c.card for c in folder.cards], folder.settings, today, tier_of)


def list_rows(opts: Run) -> tuple[Folder, list[dict[str, Any]]]:
    """Every card's `list` row (tiers over all), sorted by id."""
    return day_rows(opts, "list", (), lambda folder: folder_rows(folder, opts.today))


def due_rows(opts: Run, start: dt.date, fmt: str) -> tuple[Folder, list[dict[str, Any]]]:
    """The week's due list for every owner, most urgent first: the table and CSV rows
    (render.report.due_rows), or with fmt "json" each item's SPEC §8 JSON data."""

    def work(folder: Folder) -> list[dict[str, Any]]:
        from kacard.analysis import due as core
        from kacard.analysis.scoring import folder_tiers
        from kacard.render.output import to_jsonable
        from kacard.render.report import due_rows as table_rows

        briefs = [s.brief for s in folder.summaries or []]
        items = core.due(briefs, folder.settings, opts.today, start, None, tier_of=folder_tiers(folder, opts.today))
        return [_as_json_text(to_jsonable(item.as_json())) for item in items] if fmt == "json" else table_rows(items)

    return day_rows(opts, "due-json" if fmt == "json" else "due", (start,), work)


def _as_json_text(value: Any) -> Any:
    """JSON data with every text as JSON writes it: a str subclass (kacard.i18n.Message,
    whose str value is the English text) as that plain str, so it can be kept."""
    if isinstance(value, dict):
        return {_as_json_text(k): _as_json_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_text(v) for v in value]
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)  # the characters json.dumps writes, as a plain str
    return value


def file_state(path: Path) -> str:
    """A file's stat and bytes, hashed ("" when it is missing): for a key (day_output's
    parts) when a command also reads a file outside the card walk."""
    from kacard.cards.cache import digest

    try:
        info = path.stat()
        data = path.read_bytes()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}:" + digest(data)


class _Recorder:
    """A stream that passes every write on to `stream` and records its text, so a run's
    output can be kept as printed."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []
        self.raw = False

    def write(self, text: str) -> int:
        if text or type(text) is not bytes:  # click writes b"" when it flushes: nothing printed
            self.parts.append(text)
        return self._stream.write(text)

    def write_raw(self, text: str) -> None:
        """kacard's control text (a terminal's progress line, then cleared; styling): passed
        on, not recorded; `raw` tells it was written."""
        from kacard.render.safe import write_raw

        self.raw = True
        write_raw(self._stream, text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, errors ...
        return getattr(self._stream, name)


def day_output(opts: Run, kind: str, parts: tuple[object, ...], produce: Callable[[Any], None]) -> None:
    """Run a folder-wide report (`score`, `review`, `validate`) from the day cache: what
    `produce(walked)` printed on stdout and stderr (and the ProblemsFound it raised) for
    the same folder state, day, language, folder path and `parts` (every option that
    changes the output, and any other file it reads) is printed again as it was; else
    `produce` runs with the folder's walk (for `Run.load(walked=...)`) and its output is
    kept. A table fitted to a terminal (stdout one) is worked out each run."""
    import sys

    from kacard.cards import daycache, walk
    from kacard.cards.cache import CardCache
    from kacard.errors import ProblemsFound
    from kacard.i18n import language
    from kacard.render.output import is_terminal

    if is_terminal():
        produce(None)
        return
    path = opts.folder()
    started = time.time_ns()
    walked = walk.walk(path)
    entry = daycache.key(daycache.folder_state(path, walked.files, walked.stats, started),
                         kind, opts.today, str(path), *parts, language())
    cache = CardCache(path)
    try:
        kept = daycache.get(cache, entry)
    finally:
        cache.close()
    if isinstance(kept, dict) and all(isinstance(kept.get(k), str) for k in ("out", "err")):
        sys.stdout.write(kept["out"])
        sys.stderr.write(kept["err"])
        if isinstance(kept.get("found"), str):
            raise ProblemsFound(kept["found"])
        return
    saved = sys.stdout, sys.stderr
    out, err = _Recorder(saved[0]), _Recorder(saved[1])
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    found: str | None = None
    try:
        produce(walked)
    except ProblemsFound as exc:
        found = str.__str__(exc.message)
        raise
    except BaseException:
        entry = None  # an error (a usage error, a card that cannot be read): nothing kept
        raise
    finally:
        sys.stdout, sys.stderr = saved
        if entry is not None and not out.raw and all(type(p) is str for p in out.parts + err.parts):
            cache = CardCache(path)
            try:
                daycache.put(cache, entry, {"out": "".join(out.parts), "err": "".join(err.parts), "found": found})
            finally:
                cache.close()
