"""Faithful rewrites of a card's text: only the lines a change touches are new.

A round-trip YAML dump re-renders the whole document (line endings, long lines,
number forms, directives), so kacard never writes one as it is. Instead:

    source  the file's text as read (endings as saved, BOM split off)
    before  the dump of the untouched document
    after   the dump of the changed document

The lines that differ between `before` and `after` are the change. They are put
into `source` at the place the same lines have there (a line alignment of source
and before); every other line of the file is kept byte for byte. `splice` returns
None when the change falls where the dump and the file disagree (the caller then
decides). New lines take the file's line ending (CRLF when most lines have it).

A UTF-8 BOM is kept too (`with_bom`); the file's mode and symlinks are the
store's business (safewrite.write_atomic). Issue 11, kind 3.
"""

from __future__ import annotations

import difflib

BOM = b"\xef\xbb\xbf"


def newline_of(text: str) -> str:
    """The line ending new lines take: CRLF when at least half the lines have it, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def with_bom(original: bytes, text: str) -> bytes:
    """UTF-8 bytes of `text`, with a BOM when the `original` file had one."""
    return (BOM if original.startswith(BOM) else b"") + text.encode("utf-8")


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from a to b, with the common head and tail matched first: a card's
    change is a few lines among thousands of look-alike ones (`    by: lina`), on which
    SequenceMatcher alone is quadratic."""
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    out: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    middle = difflib.SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=False)
    out += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


def _bare(line: str) -> str:
    return line.rstrip("\r\n")


def splice(source: str, before: str, after: str, newline: str = "\n") -> str | None:
    """`source` with the lines that changed from `before` to `after`; None when the change
    touches lines where `source` and `before` differ (see the module docstring).

    `before`/`after` are LF dumps; `source` may use any line endings (kept as they are)."""
    src = source.splitlines(keepends=True)
    old = before.splitlines()
    new = after.splitlines()
    bare = [_bare(line) for line in src]
    if bare == old:
        where: list[int | None] = list(range(len(old)))
    else:
        where = [None] * len(old)
        for tag, i1, i2, j1, _j2 in opcodes(bare, old):
            if tag == "equal":
                for k in range(i2 - i1):
                    where[j1 + k] = i1 + k
    edits: list[tuple[int, int, list[str]]] = []  # (start, end) in src, replacement lines
    for tag, i1, i2, j1, j2 in opcodes(old, new):
        if tag == "equal":
            continue
        if i1 < i2:
            span = where[i1:i2]
            if any(k is None for k in span) or span != list(range(span[0], span[0] + len(span))):  # type: ignore[arg-type, operator]
                return None
            start, end = span[0], span[-1] + 1  # type: ignore[operator]
        else:
            at = _boundary(where, i1, len(src))
            if at is None:
                return None
            start = end = at
        edits.append((start, end, [line + newline for line in new[j1:j2]]))
    out: list[str] = []
    done = 0
    for start, end, lines in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < done:
            return None
        out += src[done:start]
        if out and not out[-1].endswith("\n") and lines:
            out[-1] += newline  # the file's last line had no line ending
        out += lines
        done = end
    out += src[done:]
    return "".join(out)


def _boundary(where: list[int | None], i: int, size: int) -> int | None:
    """Where, in the source, the gap before dump line `i` is."""
    if i > 0 and where[i - 1] is not None:
        return where[i - 1] + 1  # type: ignore[operator]
    if i < len(where) and where[i] is not None:
        return where[i]
    if i == 0:
        return 0
    if i == len(where):
        return size
    return None
