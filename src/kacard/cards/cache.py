"""A per-user cache of validated cards, so warm whole-folder commands are fast.

It lives in the user's cache dir (never inside the shared folder), one SQLite
file per card folder, and holds two things:

* `cards`: each validated card, pickled, keyed by the file's relative path and the
  BLAKE2 hash of its bytes (a changed file is simply a miss);
* `snapshot`: the whole folder in SHARDS rows: every card file's stat, hash,
  brief (kacard.cards.brief) and index (kacard.cards.index) as plain records in marshal
  blobs, so `list`, `filter` and `due` read 64 rows instead of ten thousand, and
  a changed card rewrites only its shard.

Anything wrong with the cache (corrupt, locked, read-only, written by another
version) means it is rebuilt or skipped silently; it can never change what
kacard reports.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic.version import VERSION as PYDANTIC_VERSION

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


# Bump when the Card model changes shape: old entries are then ignored.
# Pickled cards are only as good as the pydantic and Python that wrote them, and
# marshal's format is Python's: both are part of an entry's format, so an upgrade
# reads the cards afresh instead of trusting objects another version made.
_RUNTIME = f"py{sys.version_info[0]}.{sys.version_info[1]}/pydantic{PYDANTIC_VERSION}"
FORMAT = f"card-v4/{_RUNTIME}"
SHARDS = 64  # snapshot rows: a changed card rewrites 1/64 of the snapshot
# bump the v-number when kacard.cards.brief or kacard.cards.index records change
SNAPSHOT_FORMAT = f"snapshot-v4/{SHARDS}/{_RUNTIME}/marshal{marshal.version}"
SCHEMA = 5  # the tables' layout
# A file whose mtime is this close to when it was cached may have changed again within
# the same clock tick ("racy git"): its bytes are hashed instead of trusting the stat.
RACY_NS = 2_000_000_000


def trusted(recorded: tuple[int, int, int], checked_ns: int, stat: tuple[int, int, int]) -> bool:
    """A file is unchanged when its (mtime, size, inode) are those recorded, and it was
    not modified within RACY_NS of being recorded (else it is hashed: "racy git")."""
    return stat == recorded and stat[0] < checked_ns - RACY_NS


@dataclass(frozen=True)
class Entry:
    digest: str
    stat: tuple[int, int, int]  # (mtime_ns, size, inode) when cached
    checked_ns: int  # wall clock when cached
    blob: bytes  # the pickled card

    def trusted(self, stat: tuple[int, int, int]) -> bool:
        return trusted(self.stat, self.checked_ns, stat)


def shard_of(rel: str) -> int:
    """The snapshot row of a card file (stable across runs, unlike hash())."""
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


def cache_dir() -> Path:
    env = os.environ.get("KACARD_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kacard", appauthor=False))


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Snap(NamedTuple):
    """One card file in the folder snapshot."""

    digest: str
    stat: tuple[int, int, int]
    checked_ns: int
    brief: tuple[Any, ...]  # kacard.cards.brief.record
    numbers: tuple[Any, ...]  # kacard.cards.index.record

    def trusted(self, stat: tuple[int, int, int]) -> bool:
        return trusted(self.stat, self.checked_ns, stat)


class CardCache:
    """get/put validated cards by (relative path, content digest); read/write the snapshot."""

    def __init__(self, folder: Path) -> None:
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, tuple[str, tuple[int, int, int], bytes]] = {}
        if os.environ.get("KACARD_NO_CACHE"):
            return
        name = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=8).hexdigest()
        path = cache_dir() / f"{name}.sqlite"
        try:
            self._db = self._open(path)
        except (sqlite3.Error, OSError):
            try:
                path.unlink(missing_ok=True)
                self._db = self._open(path)
            except (sqlite3.Error, OSError):
                self._db = None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=1.0, isolation_level=None)
        db.execute("pragma journal_mode=wal")
        db.execute("pragma synchronous=normal")
        if db.execute("pragma user_version").fetchone()[0] != SCHEMA or not CardCache._tables_fit(db):
            db.execute("drop table if exists cards")  # another kacard's layout
            db.execute("drop table if exists snapshot")
            db.execute(f"pragma user_version = {SCHEMA}")
        db.execute(
            "create table if not exists cards (path text primary key, digest text not null,"
            " format text not null, mtime_ns integer, size integer, inode integer,"
            " checked_ns integer, blob blob not null)"
        )
        db.execute(
            "create table if not exists snapshot (shard integer primary key,"
            " format text not null, blob blob not null)"
        )
        db.execute("select count(*) from cards").fetchone()
        return db

    @staticmethod
    def _tables_fit(db: sqlite3.Connection) -> bool:
        """Whether existing tables have the columns this version reads and writes."""
        try:
            db.execute("select path, digest, format, mtime_ns, size, inode, checked_ns, blob"
                       " from cards limit 0")
            db.execute("select shard, format, blob from snapshot limit 0")
        except sqlite3.OperationalError as exc:
            return "no such table" in str(exc)  # a new file: nothing to drop
        return True

    def load_all(self) -> dict[str, Entry]:
        """Every entry of this format, by relative path. One query, no per-file I/O."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "select path, digest, mtime_ns, size, inode, checked_ns, blob from cards"
                " where format = ?",
                (FORMAT,),
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {
            path: Entry(dig, (mtime, size, inode), checked or 0, blob)
            for path, dig, mtime, size, inode, checked, blob in rows
        }

    def entry(self, rel: str) -> Entry | None:
        """One card's entry (the warm summary path reads only the files that changed)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "select digest, mtime_ns, size, inode, checked_ns, blob from cards"
                " where path = ? and format = ?",
                (rel, FORMAT),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        dig, mtime, size, inode, checked, blob = row
        return Entry(dig, (mtime, size, inode), checked or 0, blob)

    @staticmethod
    def decode(blob: bytes) -> Card | None:
        from kacard.cards.model.card import Card

        try:
            card = pickle.loads(blob)
        except Exception:  # a damaged entry is a miss, whatever went wrong
            return None
        return card if isinstance(card, Card) else None

    def put(self, rel: str, dig: str, stat: tuple[int, int, int], card: Card) -> None:
        """Queue a card for writing."""
        queued = self._pending.get(rel)
        if queued is not None and queued[0] == dig:
            return
        self._pending[rel] = (dig, stat, pickle.dumps(card, protocol=pickle.HIGHEST_PROTOCOL))

    def snapshot(self) -> dict[str, Snap]:
        """The folder snapshot by relative path; a missing, damaged or other-format
        shard is simply missing (its files are read again)."""
        if self._db is None:
            return {}
        snaps: dict[str, Snap] = {}
        try:
            rows = self._db.execute("select blob from snapshot where format = ?", (SNAPSHOT_FORMAT,)).fetchall()
        except sqlite3.Error:
            return {}
        for (blob,) in rows:
            try:
                snaps.update({rel: Snap._make(fields) for rel, fields in marshal.loads(blob).items()})
            except Exception:  # a damaged shard is a miss, whatever went wrong
                continue
        return snaps

    def save_snapshot(self, snaps: dict[str, Snap], changed: Iterable[str]) -> None:
        """Rewrite the shards holding the `changed` paths (new, updated or gone)."""
        if self._db is None:
            return
        dirty = {shard_of(rel) for rel in changed}
        if not dirty:
            return
        shards: dict[int, dict[str, tuple[Any, ...]]] = {k: {} for k in dirty}
        for rel, snap in snaps.items():
            shard = shards.get(shard_of(rel))
            if shard is not None:
                shard[rel] = tuple(snap)
        with self._transaction() as db:
            db.execute("delete from snapshot where format != ?", (SNAPSHOT_FORMAT,))
            for k, shard in shards.items():
                try:
                    blob = marshal.dumps(shard)
                except ValueError:  # a value marshal cannot store: that shard is read afresh
                    db.execute("delete from snapshot where shard = ?", (k,))
                    continue
                db.execute("insert or replace into snapshot (shard, format, blob) values (?, ?, ?)",
                           (k, SNAPSHOT_FORMAT, blob))

    def flush(self, keep: Iterable[str] | None) -> None:
        """Write new entries and drop the entries of files not in `keep` (gone from the
        folder); `keep=None` drops none (a load of some cards only)."""
        if self._db is None:
            return
        with self._transaction() as db:
            if self._pending:
                now = time.time_ns()
                db.executemany(
                    "insert or replace into cards (path, digest, format, mtime_ns, size, inode,"
                    " checked_ns, blob) values (?,?,?,?,?,?,?,?)",
                    [(rel, dig, FORMAT, *stat, now, blob)
                     for rel, (dig, stat, blob) in self._pending.items()],
                )
            if keep is not None:
                kept = set(keep)
                stale = [(p,) for (p,) in db.execute("select path from cards") if p not in kept]
                if stale:
                    db.executemany("delete from cards where path = ?", stale)
        self._pending.clear()

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
