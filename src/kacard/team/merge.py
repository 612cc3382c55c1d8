"""Three-way, field-aware merge of one card: the core of `kacard merge-driver` (pure: text in, text out).

The rules (kacard.team.fieldmerge): mappings merge field by field, record lists
record by record, lists of plain values as ordered sets; the result patches ours,
conflicts get standard markers around the clashing lines only (kacard.team.mergetext).
`merge_cards` runs the fast path (kacard.team.mergefast, the changed fields and
records only) and the round-trip merge of three whole documents where it cannot decide.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Literal

from ruamel.yaml.comments import CommentedMap

from kacard.cards import yamlio
from kacard.cards.editing import settle_emptied
from kacard.cards.paths import RESERVED_FOLDERS, SETTINGS_FILE
from kacard.i18n import Message
from kacard.team.fieldmerge import (
    MISSING,
    OURS_MARKER,
    RECORD_RULES,
    SEPARATOR,
    THEIRS_MARKER,
    WHOLE_FILE,
    Conflict,
    MergeConflict,
    MergeResult,
    _Merger,
    plain,
)
from kacard.team.mergefast import fast_merge
from kacard.team.mergetext import (
    _whole_file,
    conflict_hunks,
    finish,
    whole_file_conflict,
    whole_file_conflict_bytes,
)
from kacard.team.mergetree import Unsupported

__all__ = ["MISSING", "OURS_MARKER", "RECORD_RULES", "SEPARATOR", "THEIRS_MARKER", "WHOLE_FILE", "Conflict", "MergeConflict",
           "MergeResult", "conflict_hunks", "is_card_path", "merge_cards", "plain", "round_trip_merge",
           "whole_file_conflict", "whole_file_conflict_bytes"]


def is_card_path(path: str) -> bool:
    """Whether git's %P names a card (not kacard.yaml, not a hidden file like .pre-commit-config.yaml,
    not a file under a reserved folder such as import/ or plans/: those keep git's line merge)."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if not parts or not parts[-1].endswith(".yaml") or parts[-1] == SETTINGS_FILE:
        return False
    return not any(part.startswith(".") or part in RESERVED_FOLDERS for part in parts[:-1]) and not parts[-1].startswith(".")


def merge_cards(base: bytes, ours: bytes, theirs: bytes, path: str = "", *, fast: bool = True) -> MergeResult:
    """Merge three versions of one card file (git's %O, %A, %B); never raises for bad content.

    `path` (git's %P) names the card in messages and sets the id the result must have.
    The result's `data` are the bytes to write: ours' own lines (encoding, BOM, line
    endings) wherever the merge did not change them; in a whole-file conflict both
    sides' original bytes, whatever their encoding (a GBK side stays GBK).

    The fast path (kacard.team.mergefast: the C parser's outline, round-trip documents
    only for the changed fields and records) decides what it can; everything else,
    and anything it fails on, is merged by `round_trip_merge` (`fast=False`: only that)."""
    if theirs == base:
        return MergeResult(ours.decode("utf-8", errors="replace"), data=ours)
    if ours == base:
        return MergeResult(theirs.decode("utf-8", errors="replace"), data=theirs)
    if fast:
        try:
            return fast_merge(base, ours, theirs, path)
        except Unsupported:  # what the fast path cannot outline or write
            pass
        except Exception:  # noqa: BLE001, S110 - a fast-path failure never costs a merge: the round trip decides
            pass
    return round_trip_merge(base, ours, theirs, path)


def round_trip_merge(base: bytes, ours: bytes, theirs: bytes, path: str = "") -> MergeResult:
    """The merge on three whole round-trip documents (see merge_cards)."""
    texts: dict[str, str] = {}
    parsed: dict[str, yamlio.Document] = {}
    for side, data in (("ours", ours), ("theirs", theirs)):
        try:
            texts[side] = yamlio.decode(data)
            # only ours is written: only ours needs the patching state (one more dump)
            parsed[side] = yamlio.load_document(texts[side], editable=side == "ours")
        except yamlio.YamlProblem as exc:
            problem = str(exc)  # already in the reader's language (a YamlProblem's message)
            if side == "ours":
                reason = (Message("our version cannot be read (line {line}): {problem}", line=exc.line, problem=problem)
                          if exc.line else Message("our version cannot be read: {problem}", problem=problem))
            else:
                reason = (Message("their version cannot be read (line {line}): {problem}", line=exc.line,
                                  problem=problem)
                          if exc.line else Message("their version cannot be read: {problem}", problem=problem))
            return _whole_file(ours, theirs, reason)
    ours_text = texts["ours"]
    base_root = _base_root(base)  # neither base nor theirs is changed by a pass: both passes share them

    def resolve(side: Literal["ours", "theirs"]) -> tuple[str, list[Conflict]]:
        merger = _Merger(side)
        document = parsed["ours"]
        if side == "theirs":
            document = yamlio.load_document(ours_text)
            document.source, document.before, document.newline = (parsed["ours"].source, parsed["ours"].before,
                                                                   parsed["ours"].newline)
        merger.merge("", (), base_root, document.root, parsed["theirs"].root)
        if merger.changed:
            settle_emptied(document.root)  # a list or mapping the merge emptied: `key: []`
        return (document.dump() if merger.changed else ours_text), merger.conflicts

    try:
        return finish(ours, theirs, texts, path, resolve)
    except yamlio.YamlProblem as exc:
        return _whole_file(ours, theirs, Message("kacard cannot write the merge without rewriting other lines: "
                                                 "{problem}", problem=str(exc)))


def _base_root(base: bytes) -> CommentedMap:
    """The common ancestor; an empty or unreadable one (add/add) counts as an empty card."""
    try:
        text = yamlio.decode(base)
        return yamlio.load_document(text).root if text.strip() else CommentedMap()
    except yamlio.YamlProblem:
        return CommentedMap()
