"""A per-user cache of per-card rows, so warm folder-wide commands never parse a card.

It lives in the user's cache dir (platformdirs; never inside the shared folder), one
SQLite file per card folder, private to the user (folder 0700, files 0600: the rows
hold phones and e-mails). One row per card file, keyed by its relative path and
recorded with the file's stat and the BLAKE2 digest of its bytes:

* a valid card's parts as plain data: its brief (kacard.cards.brief), its index
  (kacard.cards.index: dates as packed integers, running totals) and its upkeep (the
  completeness flags and warnings of `review` and `validate`);
* an invalid card's problems, so a broken card is not parsed again until it changes.

Rows are data only: JSON text and packed integer arrays, never pickle or marshal, so
nothing in the cache can run code. Each row carries a CRC-32 of its columns; a row
whose check or shape does not fit is a miss (the card is read again), never shown.
Anything wrong with the cache (corrupt, locked, read-only, another layout) means it
is rebuilt or skipped silently; it can never change what kacard reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
import zlib

import orjson
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

# Bump when kacard.cards.brief / kacard.cards.index records change: old rows are then dropped.
FORMAT = "rows-v8"  # v8: SHA-256 digests; v7: phones and e-mails checked and normalised (cards.model.reach); v6: the owner-vs-last-handover warning; v5: problems kept with their language, warnings as (msgid, params)
SCHEMA = 7  # the tables' layout (pragma user_version)
# A file whose mtime is this close to when it was cached may have changed again within
# the same clock tick ("racy git"): its bytes are hashed instead of trusting the stat.
RACY_NS = 2_000_000_000

Stat = tuple[int, int, int]  # (mtime_ns, size, inode)


def trusted(recorded: Stat, checked_ns: int, stat: Stat) -> bool:
    """A file is unchanged when its (mtime, size, inode) are those recorded, and it was
    not modified within RACY_NS of being recorded (else it is hashed: "racy git")."""
    return stat == recorded and stat[0] < checked_ns - RACY_NS


def cache_dir() -> Path:
    env = os.environ.get("KACARD_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kacard", appauthor=False))


def digest(data: bytes) -> str:
    """A card file's content digest: 32 hex digits (the first 128 bits of its SHA-256).
    SHA-256, not BLAKE2b: Python's BLAKE2 is a portable C implementation, while
    SHA-256 runs on the CPU's SHA instructions through OpenSSL where there are some —
    on the 2-core machine the benchmarks ran on, half the time for a 12 KB card (35 against
    71 µs), and a cold load digests every card."""
    return hashlib.sha256(data).hexdigest()[:32]


class Record(NamedTuple):
    """What the cache keeps of one valid card (plain records, see `encode`)."""

    brief: tuple[Any, ...]  # kacard.cards.brief.record
    numbers: tuple[Any, ...]  # kacard.cards.index.record
    upkeep: tuple[Any, ...]  # kacard.cards.brief.upkeep_record


class Row(NamedTuple):
    """One row as read: the file it describes and its still-encoded parts."""

    digest: str
    stat: Stat
    checked_ns: int
    columns: tuple[bytes | None, ...]  # see COLUMNS; upkeep None when not read
    checks: tuple[int, int | None]  # of the columns but upkeep, of upkeep (None: not read)

    def trusted(self, stat: Stat) -> bool:
        return trusted(self.stat, self.checked_ns, stat)

    def intact(self) -> bool:
        """Whether the columns read are those written (CRC-32 of each part)."""
        return self.checks == _checks(self.digest, self.columns, self.checks[1] is not None)


# The encoded parts of a row, in the order of Row.columns. Upkeep (read by `review` and
# `validate` only) has a check of its own, so the other commands need not read it.
COLUMNS = ("brief", "numbers", "ords", "sums", "open", "upkeep", "problems")
UPKEEP = COLUMNS.index("upkeep")


def _checks(dig: str, columns: tuple[bytes | None, ...], upkeep: bool = True) -> tuple[int, int | None]:
    main = _crc(dig, columns[:UPKEEP] + columns[UPKEEP + 1:])
    return main, _crc(dig, columns[UPKEEP:UPKEEP + 1]) if upkeep else None


def _crc(dig: str, columns: Iterable[bytes | None]) -> int:
    crc = zlib.crc32(dig.encode("ascii"))
    for column in columns:
        crc = zlib.crc32(b"\0", crc) if column is None else zlib.crc32(column, zlib.crc32(b"\1", crc))
    return crc


# Dates and times in `custom` (YAML timestamps) are kept as {TAG: [kind, ISO text]}.
TAG = "\u0000kacard"
_KINDS: dict[str, Any] = {"date": dt.date, "datetime": dt.datetime, "time": dt.time}


def _tag(value: Any) -> Any:
    for kind in ("datetime", "date", "time"):  # datetime first: it is a date too
        if isinstance(value, _KINDS[kind]):
            return {TAG: [kind, value.isoformat()]}
    raise TypeError(f"{type(value).__name__} is not kept in the cache")


def untag(obj: dict[str, Any]) -> Any:
    """json.loads' object_hook for `_json`'s text: tagged dates and times back."""
    if TAG in obj and len(obj) == 1:
        kind, text = obj[TAG]
        return _KINDS[kind].fromisoformat(text)
    return obj


def _json(value: Any) -> bytes:
    """Compact UTF-8 JSON of a record part, dates and times tagged (`_tag`): orjson (several
    times faster than json on these rows), json for what orjson refuses (integers beyond 64
    bits). orjson writes NaN and infinity as null where json refuses them: only `custom` can
    hold them (the card model refuses them elsewhere), and `encode` sends a card whose custom
    does not read back equal to be read each time."""
    try:
        return orjson.dumps(value, default=_tag, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                          default=_tag).encode("utf-8")


def encode(record: Record | None, problems: list[tuple[Any, ...]] | None) -> tuple[bytes | None, ...] | None:
    """The columns of a valid card's record, or of an invalid card's problems (as
    (line, column, field, message, severity) tuples). None when the record holds
    something JSON cannot give back as it was (a date in `custom`): such a card is
    simply read each time."""
    if record is None:
        return (None, None, None, None, None, None, _json(problems or []))
    brief_rec, numbers, upkeep = record
    (card_id, status, tier, criteria, centralized, pattern, pipeline, ords, trades, visits_from,
     sums, scale, open_visits, kinds) = numbers
    custom = brief_rec[16]
    try:
        if custom and not _same_json(custom):
            return None  # JSON would change it (a number as a key, a tuple): read it each time
        packed_sums = sums if isinstance(sums, bytes) else None
        plain = [card_id, status, tier, criteria, centralized, pattern, pipeline, trades, visits_from,
                 None if packed_sums is not None else list(sums), scale, list(kinds)]
        return (_json(brief_rec), _json(plain), ords, packed_sums, bytes(open_visits), _json(upkeep), None)
    except (TypeError, ValueError, KeyError):
        return None


def _same_json(value: Any) -> bool:
    """Whether `value` reads back from its JSON text as it was, by the reader of the rows
    (`loads`): NaN and infinity (written as null) never do, nor integers beyond 64 bits
    (orjson reads them as floats)."""
    return untag_all(loads(_json(value))) == value


def loads(text: bytes) -> Any:
    """JSON text to data: orjson (about twice as fast as json on these rows), json for
    what orjson refuses (integers beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def untag_all(value: Any) -> Any:
    """`value` with every tagged date and time (see `_tag`) made a date or time again."""
    if isinstance(value, dict):
        value = {k: untag_all(v) for k, v in value.items()}
        return untag(value)
    if isinstance(value, list):
        return [untag_all(v) for v in value]
    return value


def decode_brief(text: bytes) -> list[Any]:
    """A kacard.cards.brief record from its column (custom's dates and times untagged)."""
    record = loads(text)
    if record[16]:  # custom
        record[16] = untag_all(record[16])
    return record


def decode_numbers(columns: tuple[bytes | None, ...]) -> tuple[Any, ...]:
    """The kacard.cards.index record of a row's columns (raises on a wrong shape)."""
    _, numbers, ords, sums, open_visits, _, _ = columns
    assert numbers is not None and ords is not None and open_visits is not None
    (card_id, status, tier, criteria, centralized, pattern, pipeline, trades, visits_from,
     plain_sums, scale, kinds) = loads(numbers)
    if not isinstance(card_id, str) or not isinstance(status, str) or not isinstance(criteria, dict):
        raise ValueError("index row of the wrong shape")
    return (card_id, status, tier, criteria, centralized, pattern, pipeline, ords,
            trades, visits_from, sums if sums is not None else tuple(plain_sums), scale, open_visits, kinds)


class CardCache:
    """Rows by relative path: read them, queue new ones, write them in one transaction."""

    def __init__(self, folder: Path) -> None:
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, tuple[str, Stat, tuple[bytes | None, ...] | None]] = {}
        self._touched: dict[str, Stat] = {}
        if os.environ.get("KACARD_NO_CACHE"):
            return
        name = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=8).hexdigest()
        path = cache_dir() / f"{name}.sqlite"
        try:
            self._db = self._open(path)
        except (sqlite3.Error, OSError):
            try:
                for stale in (path, *_sidecars(path)):
                    stale.unlink(missing_ok=True)
                self._db = self._open(path)
            except (sqlite3.Error, OSError):
                self._db = None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        _private_dir(path.parent)
        old = os.umask(0o077)  # the database and its -wal/-shm files: 0600
        try:
            db = sqlite3.connect(path, timeout=1.0, isolation_level=None)
            db.execute("pragma journal_mode=wal")
            db.execute("pragma synchronous=normal")
            if db.execute("pragma user_version").fetchone()[0] != SCHEMA or not CardCache._tables_fit(db):
                for table in ("cards", "snapshot", "rows", "meta"):  # other kacards' layouts
                    db.execute(f"drop table if exists {table}")
                db.execute(f"pragma user_version = {SCHEMA}")
            db.execute(
                "create table if not exists rows (path text primary key, digest text not null,"
                " mtime_ns integer, size integer, inode integer, checked_ns integer, check_ integer,"
                " check_upkeep integer,"
                " brief blob, numbers blob, ords blob, sums blob, open blob, upkeep blob, problems blob)"
            )
            db.execute("create table if not exists meta (key text primary key, value text)")
            found = db.execute("select value from meta where key = 'format'").fetchone()
            if found is None or found[0] != FORMAT:
                db.execute("delete from rows")
                db.execute("insert or replace into meta values ('format', ?)", (FORMAT,))
        finally:
            os.umask(old)
        for file in (path, *_sidecars(path)):
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)  # made by an earlier kacard with the default umask
        return db

    @staticmethod
    def _tables_fit(db: sqlite3.Connection) -> bool:
        """Whether existing tables have the columns this version reads and writes."""
        try:
            db.execute("select path, digest, mtime_ns, size, inode, checked_ns, check_, check_upkeep, "
                       + ", ".join(COLUMNS) + " from rows limit 0")
            db.execute("select key, value from meta limit 0")
        except sqlite3.OperationalError as exc:
            return "no such table" in str(exc)  # a new file: nothing to drop
        return True

    def rows(self, paths: Iterable[str] | None = None, *, upkeep: bool = False) -> dict[str, Row]:
        """Rows by relative path: all of them, or those of `paths`; the upkeep column
        only with `upkeep` (else None). One query for all."""
        if self._db is None:
            return {}
        wanted = ", ".join(c if c != "upkeep" or upkeep else "null" for c in COLUMNS)
        select = (f"select path, digest, mtime_ns, size, inode, checked_ns, check_, "
                  f"{'check_upkeep' if upkeep else 'null'}, {wanted} from rows")
        try:
            if paths is None:
                found = self._db.execute(select).fetchall()
            else:
                found = [r for p in paths for r in self._db.execute(select + " where path = ?", (p,))]
        except sqlite3.Error:
            return {}
        return {
            path: Row(dig, (mtime, size, inode), checked or 0, tuple(columns),
                      (check or 0, (check_upkeep or 0) if upkeep else None))
            for path, dig, mtime, size, inode, checked, check, check_upkeep, *columns in found
        }

    def put(self, rel: str, dig: str, stat: Stat, columns: tuple[bytes | None, ...] | None) -> None:
        """Queue a row (columns None: forget the path's row, the card is read each time)."""
        self._pending[rel] = (dig, stat, columns)

    def touch(self, rel: str, stat: Stat) -> None:
        """Queue a row's new stat (the file was touched, not changed)."""
        self._touched[rel] = stat

    def flush(self, keep: Iterable[str] | None) -> None:
        """Write the queued rows and drop the rows of files not in `keep` (gone from the
        folder); `keep=None` drops none (a load of some cards only)."""
        if self._db is None or (not self._pending and not self._touched and keep is None):
            return
        with self._transaction() as db:
            now = time.time_ns()
            if self._touched:
                db.executemany("update rows set mtime_ns = ?, size = ?, inode = ?, checked_ns = ? where path = ?",
                               [(*stat, now, rel) for rel, stat in self._touched.items()])
            if self._pending:
                gone = [(rel,) for rel, (_, _, columns) in self._pending.items() if columns is None]
                db.executemany("delete from rows where path = ?", gone)
                db.executemany(
                    "insert or replace into rows (path, digest, mtime_ns, size, inode, checked_ns, check_, "
                    "check_upkeep, " + ", ".join(COLUMNS) + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(rel, dig, *stat, now, *_checks(dig, columns), *columns)
                     for rel, (dig, stat, columns) in self._pending.items() if columns is not None],
                )
            if keep is not None:
                kept = set(keep)
                stale = [(p,) for (p,) in db.execute("select path from rows") if p not in kept]
                if stale:
                    db.executemany("delete from rows where path = ?", stale)
        self._pending.clear()
        self._touched.clear()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any SQLite error rolls it back and is swallowed (a
        cache that cannot be written is skipped, never an error)."""
        assert self._db is not None
        try:
            self._db.execute("begin")
            yield self._db
            self._db.execute("commit")
        except sqlite3.Error:
            try:
                self._db.execute("rollback")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection | None:
        """The open database (None: no cache), for kacard.cards.daycache's table."""
        return self._db


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _private_dir(folder: Path) -> None:
    """Make the cache folder (and missing parents) readable by the user alone."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
