"""The day's folder-wide results, kept until anything they depend on changes.

`list`, `filter` and `due` answer from every card's row, then work out what depends on
the whole folder and on today: tiers (Pareto and 10/2 over all accounts), due reasons
and urgency, window sums. Issue 14 allows keeping those for the day; this module keeps
them, as the rows a writer prints, in a `day` table of the per-user cache
(kacard.cards.cache: same file, same privacy), under a key made of:

* the folder's state (`folder_state`): every card file's relative path and stat
  (mtime, size, inode: the walk stats every file anyway, kacard.cards.walk.walk) and
  kacard.yaml's bytes. Any change to a card file changes its stat, as the cache's rows
  and git assume; a file modified in the last RACY_NS leaves the folder without a state
  (nothing is read or kept until it has settled);
* what the results are for: the command's kind, today, the week, the language of the
  messages (kacard.i18n);
* kacard's own code: the (name, size, mtime) of every module and message catalog of the
  package, so an upgrade or a changed catalog never serves yesterday's words.

Values are data only (JSON text of str/int/float/bool/None, lists and dicts, with
Decimals, dates and times tagged), never pickle, each with a CRC-32: a damaged entry is
a miss. Anything not exactly representable (a float NaN, a date subclass, an integer
beyond 64 bits, a dict with non-text keys) is simply not kept: `encode_rows` refuses it,
and the command works the results out each run, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import sqlite3
import zlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from kacard.cards.cache import RACY_NS, CardCache, Stat
from kacard.cards.paths import SETTINGS_FILE

KEEP = 24  # entries kept per folder (the newest): a few commands, options, weeks and languages


class NotKept(ValueError):
    """A value the day cache cannot give back exactly as it was."""


class FolderState(NamedTuple):
    """The state of a card folder, as a run finds it: `digest` names it (None: a file
    changed too recently to be told apart from a later change, or kacard.yaml cannot be
    read) and `files` is how many card files it has."""

    digest: str | None
    files: int


def folder_state(folder: Path, files: list[tuple[str, str]], stats: dict[str, Stat], started_ns: int) -> FolderState:
    """The state of a folder from its walk (kacard.cards.walk.walk, begun at `started_ns`:
    its card files in order and their stats) and kacard.yaml's stat and bytes.

    Two runs that find every card file with the same (mtime, size, inode) read the same
    bytes — as the cache's rows assume (kacard.cards.cache.trusted) and git does — as long
    as no file was modified within RACY_NS before the walk: such a file could change again
    within the same clock tick, so the folder then has no state (nothing is kept or read)."""
    if len(stats) < len(files):
        return FolderState(None, len(files))
    names = [rel for rel, _path in files]
    listed = [stats[rel] for rel in names]
    try:
        info = os.stat(folder / SETTINGS_FILE)
        listed.append((info.st_mtime_ns, info.st_size, info.st_ino))
        settings = (folder / SETTINGS_FILE).read_bytes()
    except FileNotFoundError:
        settings = b"\0no settings"
    except OSError:
        return FolderState(None, len(files))
    if max(map(itemgetter(0), listed), default=0) >= started_ns - RACY_NS:
        return FolderState(None, len(files))
    state = hashlib.blake2b(settings, digest_size=16)
    state.update("\0".join(names).encode("utf-8", "surrogatepass"))
    try:
        state.update(array("q", chain.from_iterable(listed)).tobytes())
    except OverflowError:  # a stat beyond 64 bits: as text
        state.update(repr(listed).encode())
    return FolderState(state.hexdigest(), len(files))


_stamp: str | None = None


def code_stamp() -> str:
    """The (relative name, size, mtime) of every module and compiled catalog of the kacard
    package, hashed: a different kacard (or a changed catalog) makes different keys."""
    global _stamp
    if _stamp is None:
        import kacard

        root = Path(kacard.__file__).parent
        seen = []
        stack = [str(root)]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            stack.append(entry.path)
                    elif entry.name.endswith((".py", ".mo", ".yaml")):
                        info = entry.stat()
                        seen.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")
        _stamp = hashlib.blake2b("\n".join(sorted(seen)).encode("utf-8", "surrogatepass"),
                                 digest_size=16).hexdigest()
    return _stamp


def key(state: FolderState, *parts: object) -> str | None:
    """The key of one result (its kind, the day, ...: `parts`) for a folder state (None
    when there is no state)."""
    if state.digest is None:
        return None
    text = "\0".join([state.digest, code_stamp(), *(str(p) for p in parts)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _table(db: sqlite3.Connection) -> None:
    db.execute("create table if not exists day (key text primary key, value blob not null, check_ integer not null)")


def get(cache: CardCache, entry: str | None) -> Any:
    """The value kept under `entry` (decoded JSON), or None: none kept, or damaged."""
    db = cache.db
    if db is None or entry is None:
        return None
    try:
        found = db.execute("select value, check_ from day where key = ?", (entry,)).fetchone()
    except sqlite3.Error:  # no such table yet (or another layout): a miss
        return None
    if found is None or not isinstance(found[0], bytes) or zlib.crc32(found[0]) != found[1]:
        return None
    try:
        return orjson.loads(found[0])
    except orjson.JSONDecodeError:
        return None


def put(cache: CardCache, entry: str | None, value: Any) -> None:
    """Keep `value` (JSON data: see encode_rows) under `entry`; the oldest entries beyond
    KEEP go. A cache that cannot be written is skipped."""
    db = cache.db
    if db is None or entry is None:
        return
    try:
        text = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return  # beyond what JSON keeps exactly (an integer beyond 64 bits): not kept
    with writing(db):
        _table(db)
        db.execute("insert or replace into day (key, value, check_) values (?, ?, ?)",
                   (entry, text, zlib.crc32(text)))
        db.execute(f"delete from day where rowid not in (select rowid from day order by rowid desc limit {KEEP})")


@contextmanager
def writing(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on the cache; any SQLite error rolls it back and is swallowed
    (a cache that cannot be written is skipped, never an error)."""
    try:
        db.execute("begin")
        yield
        db.execute("commit")
    except sqlite3.Error:
        try:
            db.execute("rollback")
        except sqlite3.Error:
            pass


# -- rows as data ------------------------------------------------------------------------

_PLAIN = (str, int, bool, type(None))
_LOW, _HIGH = -(2**63), 2**63  # integers JSON keeps exactly here (orjson: 64 bits)
_DECODE: dict[str, Any] = {
    "D": Decimal, "d": dt.date.fromisoformat, "T": dt.datetime.fromisoformat, "t": dt.time.fromisoformat,
}


def _encode(value: Any) -> tuple[Any, str | None]:
    """(JSON value, its tag or None) for one cell; NotKept when it cannot come back as it was."""
    kind = type(value)
    if kind in _PLAIN:
        if kind is int and not _LOW <= value < _HIGH:
            raise NotKept("integer beyond 64 bits")
        return value, None
    if kind is float:
        if not math.isfinite(value):
            raise NotKept("not a finite number")
        return value, None
    if kind is Decimal:
        return str(value), "D"
    if kind is dt.date:
        return value.isoformat(), "d"
    if kind is dt.datetime:
        if value.tzinfo is not None and not isinstance(value.tzinfo, dt.timezone):
            raise NotKept("a time zone other than a fixed offset")
        return value.isoformat(), "T"
    if kind is dt.time:
        if value.tzinfo is not None:
            raise NotKept("a time of day with a time zone")
        return value.isoformat(), "t"
    if kind is list:
        cells = [_encode(v) for v in value]
        if any(tag is not None for _, tag in cells):
            return [[v, tag] for v, tag in cells], "L"
        return [v for v, _ in cells], None
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise NotKept("a mapping with keys that are not text")
        entries = [(k, *_encode(v)) for k, v in value.items()]
        if any(tag is not None for _, _, tag in entries):
            return [[k, v, tag] for k, v, tag in entries], "M"
        return {k: v for k, v, _ in entries}, None
    raise NotKept(f"a {kind.__name__}")


def _decode(value: Any, tag: str) -> Any:
    if tag == "L":
        return [v if t is None else _decode(v, t) for v, t in value]
    if tag == "M":
        return {k: v if t is None else _decode(v, t) for k, v, t in value}
    return _DECODE[tag](value)


def encode_rows(rows: list[dict[str, Any]]) -> list[Any]:
    """Rows (dicts of cells) as JSON data that `decode_rows` gives back equal, each cell of
    the same type, each dict's keys in the same order. NotKept for a cell it cannot."""
    shapes: dict[tuple[str, ...], int] = {}
    out = []
    for row in rows:
        shape = shapes.setdefault(tuple(row), len(shapes))
        values = list(row.values())
        tags: list[Any] = []
        for position, cell in enumerate(values):
            kind = type(cell)
            if kind is str or cell is None or kind is bool or (kind is int and _LOW <= cell < _HIGH):
                continue  # most cells: kept as they are
            if kind is Decimal or kind is dt.date:  # the next most: amounts and days
                values[position] = str(cell) if kind is Decimal else cell.isoformat()
                tags += [position, "D" if kind is Decimal else "d"]
                continue
            value, tag = _encode(cell)
            values[position] = value
            if tag is not None:
                tags += [position, tag]
        out.append([shape, values, tags])
    return [[list(shape) for shape in shapes], out]


def decode_rows(data: list[Any]) -> list[dict[str, Any]]:
    """The rows `encode_rows` was given (raises ValueError/TypeError/KeyError on a damaged value)."""
    shapes, encoded = data
    keys = [tuple(shape) for shape in shapes]
    rows = []
    for shape, values, tags in encoded:
        for i in range(0, len(tags), 2):
            position = tags[i]
            values[position] = _decode(values[position], tags[i + 1])
        if len(values) != len(keys[shape]):
            raise ValueError("a row of the wrong length")
        rows.append(dict(zip(keys[shape], values)))
    return rows
