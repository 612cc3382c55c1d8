"""Text helpers shared by every renderer: display width and safe printing.

Card text is printed literally: control characters (terminal escape sequences
among them) are shown as visible escapes, never sent to the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

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


# Line breaking (one breaker for table cells, help pages and prose; after UAX #14's
# spirit and the Chinese rules of 避头尾 (JIS X 4051 / W3C clreq §3.1.7): lines break at
# spaces or between two Chinese characters, never inside a run of Latin letters, digits
# and their punctuation (a word, number, date, id or URL); closing punctuation never
# starts a line and opening brackets never end one.
_WIDE = "\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6" \
        "\U00020000-\U0003fffd"
# a number with its Chinese units is one word: 2026年6月4日, 7月27日, 6.51万元, 09:00时, 30天
_CJK_NUMBER = r"(?:\d[\d.,:]*(?:[年月日号时点分秒天周次个岁％]|[万亿]元?|元))+\d*"
_TOKEN_RE = re.compile(f"{_CJK_NUMBER}| +|[^ {_WIDE}]+|[{_WIDE}]")
NO_START = frozenset("，。、；：）」』》！？％〕】,.;:)!?]…")  # never at the start of a line
NO_END = frozenset("（「『《〔【([")  # never at the end of a line


def wrap(text: str, cells: int, max_lines: int | None = 3, *, hang: int = 0,
         break_words: bool = True) -> list[str]:
    """`text` (one line) in lines of at most `cells` terminal cells, broken at spaces or
    between Chinese characters, never inside a Latin word, number, date, id or URL;
    closing punctuation goes down with the character before it (NO_START, NO_END).
    `hang`: the first `hang` characters (an indent, a list marker, a help option) stay
    on the first line and the others are indented by their width. A word wider than a
    line is broken between grapheme clusters with `break_words` (table cells), else it
    keeps a line of its own, wider than `cells` (prose: a URL stays whole to copy).
    When more than `max_lines` lines would be needed, the last one is cut with "…".
    The one line breaker of kacard: table cells (render.output), help pages
    (cli.helptext.rewrap) and prose on a terminal (wrap_line)."""
    if (len(text) <= cells and text.isascii()) or width(text) <= cells:
        return [text]
    head, indent = text[:hang], " " * width(text[:hang])
    room = max(cells - len(indent), 1)
    lines: list[str] = []
    starts: list[int] = []  # where each line's text starts in `text`
    parts: list[tuple[int, str]] = []  # (offset, token) on the line being filled
    used = 0
    for match in _TOKEN_RE.finditer(text, hang):
        offset, token = match.start(), match.group()
        n = width(token)
        pieces = [(offset, token, n)]
        if break_words and n > room and token[0] != " ":  # a word wider than a line: by clusters
            pieces, at = [], offset
            for cluster in _clusters(token):
                pieces.append((at, cluster, _cells(cluster)))
                at += len(cluster)
        for at, piece, n in pieces:
            if parts and piece[0] != " " and used + n > room:
                carry: list[tuple[int, str]] = []
                if piece[0] in NO_START:  # punctuation goes down with the word before it
                    while parts and (not carry or carry[0][1][0] in NO_START):
                        carry.insert(0, parts.pop())
                while parts and parts[-1][1][-1] in NO_END:
                    carry.insert(0, parts.pop())
                while carry and carry[0][1][0] == " ":
                    carry.pop(0)
                if parts:
                    starts.append(parts[0][0])
                    lines.append((head + "".join(t for _, t in parts)).rstrip())
                    head = indent
                parts = carry
                used = sum(width(t) for _, t in parts)
            if piece[0] == " " and not parts:
                continue
            parts.append((at, piece))
            used += n
    if parts or not lines:
        starts.append(parts[0][0] if parts else len(text))
        lines.append((head + "".join(t for _, t in parts)).rstrip())
    if max_lines is not None and len(lines) > max_lines:
        last = max_lines - 1
        rest = text[starts[last]:]
        lines = [*lines[:last], (indent if last else text[:hang]) + truncate(rest, room if last else cells - width(text[:hang]))]
    return lines


# A hanging indent: a help page's option column ("  --osrm URL   ", two spaces or more
# before its text), else a list marker ("- ", "• ", "1. ", "（1）"), else the line's indent.
_COLUMN_RE = re.compile(r"^(\s+[-A-Za-z0-9\[{]\S*(?: \S+)*?\s{2,})(?=\S)")
_MARKER_RE = re.compile(r"^( *(?:[-*•·] |\d{1,3}[.)] |\d{1,3}、|[（(]\d{1,3}[）)] ?))(?=\S)")


def wrap_line(line: str, cells: int) -> list[str]:
    """One line of prose (a card note, a review line, a warning, a help line) wrapped to
    `cells` with a hanging indent (_COLUMN_RE, _MARKER_RE, else its own indent); see wrap.
    Used only for a terminal: pipes and files keep one line an item."""
    if (len(line) <= cells and line.isascii()) or width(line) <= cells:
        return [line]
    found = _COLUMN_RE.match(line) or _MARKER_RE.match(line)
    hang = len(found.group(1)) if found else len(line) - len(line.lstrip(" "))
    if width(line[:hang]) > cells // 2:  # too deep to hang under: the line's own indent, if any
        hang = len(line) - len(line.lstrip(" "))
        hang = hang if hang <= cells // 2 else 0
    return wrap(line, cells, None, hang=hang, break_words=False)


_IGNORABLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def fold(text: str) -> str:
    """Text as kacard compares it (filter, find): Unicode NFKC (so `Nestlé` typed
    precomposed matches one stored decomposed, and full-width `ＡＢＣ１２３` matches
    `ABC123`), case-folded, without zero-width and soft-hyphen characters."""
    if text.isascii():
        return text.casefold()
    folded = unicodedata.normalize("NFKC", text.translate(_IGNORABLE)).casefold()
    return unicodedata.normalize("NFKC", folded)
