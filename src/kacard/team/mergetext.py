"""The merge's text: conflict markers, whole-file conflicts, and the result of a merge
resolved both ways (`finish`, shared by the round-trip merge and the fast path)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Literal

from kacard.cards.textpatch import opcodes, with_bom
from kacard.errors import Problem
from kacard.i18n import Message, _
from kacard.team.fieldmerge import (
    OURS_MARKER,
    SEPARATOR,
    THEIRS_MARKER,
    WHOLE_FILE,
    Conflict,
    MergeResult,
)


def _with_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def whole_file_conflict(ours: str, theirs: str) -> str:
    return OURS_MARKER + _with_newline(ours) + SEPARATOR + _with_newline(theirs) + THEIRS_MARKER


def whole_file_conflict_bytes(ours: bytes, theirs: bytes) -> bytes:
    """Both sides as they are on disk (any encoding, BOM, line endings), between markers."""
    def ended(data: bytes) -> bytes:
        return data if not data or data.endswith(b"\n") else data + b"\n"

    return (OURS_MARKER.encode() + ended(ours) + SEPARATOR.encode() + ended(theirs)
            + THEIRS_MARKER.encode())


def conflict_hunks(ours: str, theirs: str) -> str:
    """Both resolutions of a merge, with markers around the lines where they differ."""
    a = _with_newline(ours).splitlines(keepends=True)
    b = _with_newline(theirs).splitlines(keepends=True)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            out.extend(a[i1:i2])
        else:
            out += [OURS_MARKER, *a[i1:i2], SEPARATOR, *b[j1:j2], THEIRS_MARKER]
    return "".join(out)


def _whole_file(ours: bytes, theirs: bytes, reason: Message, problems: list[Problem] | None = None) -> MergeResult:
    data = whole_file_conflict_bytes(ours, theirs)
    return MergeResult(data.decode("utf-8", errors="replace"), [Conflict(WHOLE_FILE, reason)],
                       problems or [], data=data)


def finish(ours: bytes, theirs: bytes, texts: dict[str, str], path: str,
           resolve: Callable[[Literal["ours", "theirs"]], tuple[str, list[Conflict]]]) -> MergeResult:
    """The result from the merge resolved to ours (and, on a conflict, to theirs): a clean
    merge must validate as a card; conflicts become hunks between markers."""
    resolved_ours, conflicts = resolve("ours")
    if not conflicts:
        problems = _validate(path, resolved_ours) if resolved_ours not in (texts["ours"], texts["theirs"]) else []
        if problems:
            return _whole_file(ours, theirs, Message("the merged card would not be valid; both versions kept"), problems)
        return MergeResult(resolved_ours, data=with_bom(ours, resolved_ours))
    resolved_theirs, _conflicts = resolve("theirs")
    text = conflict_hunks(resolved_ours, resolved_theirs)
    if OURS_MARKER not in text:  # pragma: no cover - a conflict always differs somewhere
        return _whole_file(ours, theirs, Message("both versions kept"))
    return MergeResult(text, _unique(conflicts), data=with_bom(ours, text))


def _validate(path: str, text: str) -> list[Problem]:
    from kacard.cards.parse import parse_card

    name = PurePosixPath(path).name if path else ""
    expect = name[: -len(".yaml")] if name.endswith(".yaml") else None
    _card, problems = parse_card(path or _("merged card"), text.encode("utf-8"), expect_id=expect)
    return problems


def _unique(conflicts: list[Conflict]) -> list[Conflict]:
    return list(dict.fromkeys(conflicts))
