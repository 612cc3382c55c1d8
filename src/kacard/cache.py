"""A per-user cache of validated cards, so warm whole-folder commands are fast.

It lives in the user's cache dir (never inside the shared folder), one SQLite
file per card folder, keyed by the file's relative path and the BLAKE2 hash of
its bytes: a changed file is simply a miss. Anything wrong with the cache
(corrupt, locked, read-only, written by another version) means it is rebuilt or
skipped silently; it can never change what kacard reports.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kacard.model.card import Card

# Bump when the Card model changes shape: old entries are then ignored.
FORMAT = "card-v3"
SCHEMA = 3  # the table's layout
# A file whose mtime is this close to when it was cached may have changed again within
# the same clock tick ("racy git"): its bytes are hashed instead of trusting the stat.
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Entry:
    digest: str
    stat: tuple[int, int, int]  # (mtime_ns, size, inode) when cached
    checked_ns: int  # wall clock when cached
    blob: bytes  # the pickled card, or its index (kacard.index) when loaded with index=True

    def trusted(self, stat: tuple[int, int, int]) -> bool:
        """Unchanged by its stat, and not modified within RACY_NS of being cached."""
        return stat == self.stat and stat[0] < self.checked_ns - RACY_NS


def cache_dir() -> Path:
    env = os.environ.get("KACARD_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kacard", appauthor=False))


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class CardCache:
    """get/put validated cards by (relative path, content digest)."""

    def __init__(self, folder: Path) -> None:
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, tuple[str, tuple[int, int, int], bytes, bytes]] = {}
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
        if db.execute("pragma user_version").fetchone()[0] != SCHEMA:
            db.execute("drop table if exists cards")  # written by another kacard version
            db.execute(f"pragma user_version = {SCHEMA}")
        db.execute(
            "create table if not exists cards (path text primary key, digest text not null,"
            " format text not null, mtime_ns integer, size integer, inode integer,"
            " checked_ns integer, blob blob not null, fast blob not null)"
        )
        db.execute("select count(*) from cards").fetchone()
        return db

    def load_all(self, index: bool = False) -> dict[str, Entry]:
        """Every entry of this format, by relative path, with the pickled card or (index=True)
        the card's index. One query, no per-file I/O."""
        if self._db is None:
            return {}
        column = "fast" if index else "blob"
        try:
            rows = self._db.execute(
                f"select path, digest, mtime_ns, size, inode, checked_ns, {column} from cards"
                " where format = ?",
                (FORMAT,),
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {
            path: Entry(dig, (mtime, size, inode), checked or 0, blob)
            for path, dig, mtime, size, inode, checked, blob in rows
        }

    @staticmethod
    def decode(blob: bytes) -> Card | None:
        try:
            card = pickle.loads(blob)
        except Exception:  # a damaged entry is a miss, whatever went wrong
            return None
        return card if isinstance(card, Card) else None

    def card_blob(self, rel: str) -> bytes | None:
        """The pickled card of one entry (when its index was not enough)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "select blob from cards where path = ? and format = ?", (rel, FORMAT)
            ).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put(self, rel: str, dig: str, stat: tuple[int, int, int], card: Card) -> bytes:
        """Queue a card (and its index) for writing; returns the index bytes."""
        from kacard import index

        queued = self._pending.get(rel)
        if queued is not None and queued[0] == dig:
            return queued[3]
        blob = pickle.dumps(card, protocol=pickle.HIGHEST_PROTOCOL)
        fast = index.build(card)
        self._pending[rel] = (dig, stat, blob, fast)
        return fast

    def flush(self, keep: Iterable[str]) -> None:
        """Write new entries and drop entries of files that are gone."""
        if self._db is None:
            return
        try:
            self._db.execute("begin")
            if self._pending:
                now = time.time_ns()
                self._db.executemany(
                    "insert or replace into cards (path, digest, format, mtime_ns, size, inode,"
                    " checked_ns, blob, fast) values (?,?,?,?,?,?,?,?,?)",
                    [(rel, dig, FORMAT, *stat, now, blob, fast)
                     for rel, (dig, stat, blob, fast) in self._pending.items()],
                )
            keep_set = set(keep)
            stale = [
                (p,) for (p,) in self._db.execute("select path from cards") if p not in keep_set
            ]
            if stale:
                self._db.executemany("delete from cards where path = ?", stale)
            self._db.execute("commit")
        except sqlite3.Error:
            try:
                self._db.execute("rollback")
            except sqlite3.Error:
                pass
        self._pending.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
