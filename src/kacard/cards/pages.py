"""Per-card pages: what a brief shows of a card alone, kept per card version.

`kacard brief` prints, for each account due, its key people, last visits, credit and
open opportunities (kacard.render.brief.page): parts of the card the rows of
kacard.cards.cache leave out. Parsing those cards each run cost most of a brief for a
rep with 2,000 due accounts, so each card's page is kept in the per-user cache (same
file, same privacy: pages hold contacts' phones and e-mails, as briefs print them) under
its relative path, the digest of the bytes it was made from and kacard's code stamp
(kacard.cards.daycache.code_stamp). A card whose bytes changed has no page until it is
read again; a damaged page (CRC-32) is a miss. Data only (daycache.encode_rows), never
pickle.
"""

from __future__ import annotations

import sqlite3
import zlib
from typing import Any

import orjson

from kacard.cards import daycache
from kacard.cards.cache import CardCache


def get(cache: CardCache, wanted: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The pages kept for `wanted` ({relative path: digest of its bytes}), by path; a path
    without a page of that digest and this kacard is left out."""
    db = cache.db
    if db is None or not wanted:
        return {}
    stamp = daycache.code_stamp()
    found: dict[str, dict[str, Any]] = {}
    try:
        rows = [row for rel in wanted
                for row in db.execute("select path, digest, stamp, page, check_ from pages where path = ?", (rel,))]
    except sqlite3.Error:  # no such table yet: no pages
        return {}
    for rel, dig, made_by, page, check in rows:
        if wanted.get(rel) != dig or made_by != stamp or not isinstance(page, bytes) or zlib.crc32(page) != check:
            continue
        try:
            found[rel] = daycache.decode_rows(orjson.loads(page))[0]
        except (orjson.JSONDecodeError, ValueError, TypeError, KeyError, IndexError):
            continue
    return found


def put(cache: CardCache, made: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """Keep pages ({relative path: (digest, page)}); a page JSON cannot give back exactly
    is not kept. Pages of other versions of those files go."""
    db = cache.db
    if db is None or not made:
        return
    stamp = daycache.code_stamp()
    items = []
    for rel, (dig, page) in made.items():
        try:
            text = orjson.dumps(daycache.encode_rows([page]))
        except (daycache.NotKept, TypeError, orjson.JSONEncodeError):
            continue
        items.append((rel, dig, stamp, text, zlib.crc32(text)))
    with daycache.writing(db):
        db.execute("create table if not exists pages (path text primary key, digest text not null, "
                   "stamp text not null, page blob not null, check_ integer not null)")
        db.executemany("insert or replace into pages values (?, ?, ?, ?, ?)", items)


def prune(cache: CardCache, keep: set[str]) -> None:
    """Forget the pages of files not in `keep` (the folder's card files)."""
    db = cache.db
    if db is None:
        return
    try:
        gone = [(rel,) for (rel,) in db.execute("select path from pages") if rel not in keep]
    except sqlite3.Error:  # no pages yet
        return
    if gone:
        with daycache.writing(db):
            db.executemany("delete from pages where path = ?", gone)
