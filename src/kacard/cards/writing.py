"""Writing cards: patch the original YAML document, check the file did not change since
it was read, replace it atomically (one file or all-or-nothing for several), create a
new card."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kacard.cards import yamlio
from kacard.cards.cache import digest
from kacard.cards.parse import parse_card
from kacard.cards.paths import card_path, inside, is_card_file
from kacard.cards.safewrite import check_unchanged, fsync_folder, write_atomic
from kacard.cards.store import LoadedCard
from kacard.cards.textpatch import with_bom
from kacard.cards.walk import card_files
from kacard.errors import CardInvalid, KacardError, StaleWrite, UnsafePath
from kacard.i18n import _

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


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


def write_many(folder: Path, items: list[tuple[str, str, str | None]], *, all_or_nothing: bool = False,
               ) -> list[tuple[str, KacardError]]:
    """Write many cards (rel, text, digest read or None for a new file) as write_atomic
    does one, with one flush to disk for all: every text goes to its `<name>.lock` first,
    then `os.sync()`, then each lock is renamed over its card (after the digest check),
    then each folder is synced once. Per-file fsyncs cost ~20 ms each on a plain disk:
    10,000 imported cards would wait minutes. Returns the cards not written, and why.
    With `all_or_nothing`, a card that cannot be locked or has changed on disk stops
    them all: every digest is checked before the first rename, and nothing is written."""
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
        if all_or_nothing:
            failed += _stale(locked)
            if failed:
                return failed
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


def _stale(locked: list[tuple[str, Path, Path, str | None]]) -> list[tuple[str, KacardError]]:
    """The locked cards changed on disk since they were read."""
    stale: list[tuple[str, KacardError]] = []
    for rel, path, _lock, expect in locked:
        try:
            check_unchanged(path, expect)
        except StaleWrite as exc:
            stale.append((rel, exc))
    return stale


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
