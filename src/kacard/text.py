"""Text helpers shared by every renderer: display width and safe printing.

Card text is printed literally: control characters (terminal escape sequences
among them) are shown as visible escapes, never sent to the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import cache
from itertools import accumulate

import wcwidth

# Characters that can act on a terminal or reorder what it shows: C0 controls (tab,
# newline and CR among them: callers keep what they mean to), DEL, C1 controls, the
# line/paragraph separators and the bidi embeddings, overrides and isolates.
UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Whole escape sequences (ECMA-48): CSI, the string commands OSC/DCS/SOS/PM/APC up to
# their terminator (BEL or ST; an unterminated one to the end), two- and three-byte ESC
# sequences, and the 8-bit C1 forms of CSI and the string commands.
SEQUENCE_RE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[ -/]*[0-~]?"
    "|\x9b[0-?]*[ -/]*[@-~]?",
    re.DOTALL,
)
CONTROL_RE = re.compile(  # UNSAFE_RE but tab and newline
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_STRIP_KEEPING_LINES_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def strip_controls(text: str, *, keep_newlines: bool = False) -> str:
    """`text` without the UNSAFE_RE characters; with keep_newlines, tab, newline and
    CRLF stay (U+2028/9 become newlines) — the terminal and CSV sanitisers' last step."""
    if not keep_newlines:
        return UNSAFE_RE.sub("", text)
    return _STRIP_KEEPING_LINES_RE.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n"))


def clean(value: object) -> str:
    """One line of card text safe for a terminal: line breaks and tabs become spaces,
    other control characters \\xNN escapes (shown literally, never acted on)."""
    text = "" if value is None else str(value)
    if text.isprintable():  # no control, format or line-separator characters: as is
        return text
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# Display width is measured by grapheme cluster with wcwidth (a well-kept library that
# follows Unicode's East Asian Width and emoji data, with a C extension): a ZWJ family
# emoji or a thumbs-up with a skin tone is one cluster of two cells, a zero-width space,
# a combining accent or a variation selector takes none. (UAX #29 clusters, UAX #11 widths.)


@cache
def _cells(cluster: str) -> int:
    return max(0, wcwidth.width(cluster))


def _clusters(text: str) -> list[str]:
    return list(wcwidth.iter_graphemes(text))


def width(text: str) -> int:
    """Terminal cells taken by `text`: wide (CJK) characters and emoji take two;
    zero-width, combining, joiner and modifier characters take none."""
    if text.isascii():
        return len(text)
    return max(0, wcwidth.width(text))


def pad(text: str, cells: int, right: bool = False) -> str:
    gap = " " * max(0, cells - width(text))
    return gap + text if right else text + gap


def truncate(text: str, cells: int) -> str:
    """`text` cut to `cells` cells, ending in "…"; never inside a grapheme cluster."""
    if (len(text) <= cells and text.isascii()) or width(text) <= cells:
        return text
    out, used = [], 0
    for cluster in _clusters(text):
        w = _cells(cluster)
        if used + w > cells - 1:
            break
        out.append(cluster)
        used += w
    return "".join(out) + "…"


def wrap(text: str, cells: int, max_lines: int = 3) -> list[str]:
    """`text` in lines of at most `cells` terminal cells: broken at the last space that
    lets a line fit, else between any two grapheme clusters (as Chinese text breaks).
    When more than `max_lines` lines would be needed, the last one is cut with "…"."""
    parts = _clusters(text) if not text.isascii() else list(text)
    if not parts:
        return [text]
    ends = list(accumulate(map(_cells, parts)))  # cells taken by parts[:i + 1]
    lines: list[str] = []
    start, used = 0, 0  # where the rest of the text starts, and the cells before it
    while start < len(parts) and ends[-1] - used > cells:
        if len(lines) == max_lines - 1:
            lines.append(truncate("".join(parts[start:]), cells))
            return lines
        fits = max(bisect_right(ends, used + cells, start) - start, 1)
        space = _last_space(parts, start, start + fits + 1)
        if space > start:
            lines.append("".join(parts[start:space]).rstrip())
            start = space + 1
            while start < len(parts) and parts[start] == " ":
                start += 1
        else:
            lines.append("".join(parts[start:start + fits]))
            start += fits
        used = ends[start - 1]
    if start < len(parts) or not lines:
        lines.append("".join(parts[start:]))
    return lines


def _last_space(parts: list[str], lo: int, hi: int) -> int:
    for k in range(min(hi, len(parts)) - 1, lo - 1, -1):
        if parts[k] == " ":
            return k
    return -1


_IGNORABLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def fold(text: str) -> str:
    """Text as kacard compares it (filter, find): Unicode NFKC (so `Nestlé` typed
    precomposed matches one stored decomposed, and full-width `ＡＢＣ１２３` matches
    `ABC123`), case-folded, without zero-width and soft-hyphen characters."""
    if text.isascii():
        return text.casefold()
    folded = unicodedata.normalize("NFKC", text.translate(_IGNORABLE)).casefold()
    return unicodedata.normalize("NFKC", folded)
