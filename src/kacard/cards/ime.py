"""The mistakes a Chinese input method makes on a card's line, found by looking at the line
as typed: a full-width space (U+3000) or a tab in the indentation, a full-width colon `：`
after a key, a time left unquoted in a `{…}` line. kacard.cards.messages words a parse or
validation problem with them.

Each mistake names its own line, column and key (`Located`), so a message is only given to
the problem it explains: two problems on one `{…}` line are not both explained by the first
mistake found on it (issue s12 #1). A key written with a Chinese field name (`名称：…`) is
answered with the English key the card format uses (kacard.cards.aliases.FIELD_NAMES;
SPEC §2.2: card keys are English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kacard.cards import aliases
from kacard.i18n import _

_FULLWIDTH_COLON_RE = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#'\"{}\[\],-][^:：#{}]*?)\s*：")
_FLOW_FULLWIDTH_RE = re.compile(r"[{,]\s*([A-Za-z_][\w.]*)\s*：")
_FLOW_TIME_RE = re.compile(r"([A-Za-z_]\w*)\s*:\s*(\d{1,2}:\d{2})(?=\s*[,}\]])")

INDENT = "indent"  # Located.kind of a tab or full-width space in the indentation
COLON = "colon"  # a full-width colon after `key`
TIME = "time"  # an unquoted H:MM after `key` in a {…} line


@dataclass(frozen=True)
class Located:
    """A problem at (1-based) line and column; for an input-method mistake also its kind
    (INDENT, COLON, TIME), the key it follows ("" for INDENT) and that key's column."""

    line: int | None
    column: int | None
    message: str
    kind: str = ""
    key: str = ""
    at: int | None = None


def two_digit_time(text: str) -> str | None:
    """`9:00` (or `9：00`) as "09:00"; None when it is not a time of day."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[:：]\s*(\d{2})(?::\d{2})?\s*", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def mistakes(source: str, number: int) -> list[Located]:
    """Every input-method mistake on one line of a card (line `number`), left to right."""
    indent = re.match(r"[ \t\u3000]*", source)
    leading = indent.group(0) if indent else ""
    if "\t" in leading:
        return [Located(number, leading.index("\t") + 1, _(
            "a tab is used for indentation; YAML indents with spaces only "
            "(replace the tab with spaces)"), INDENT)]
    if "\u3000" in leading:
        return [Located(number, leading.index("\u3000") + 1, _(
            "a full-width space '\u3000' is used for indentation; indent with "
            "ordinary spaces"), INDENT)]
    found: list[Located] = []
    block = _FULLWIDTH_COLON_RE.match(source)
    colons = [block] if block else list(_FLOW_FULLWIDTH_RE.finditer(source))
    for match in colons:
        group = match.lastindex or 1
        key = match.group(group).strip()
        column = source.index("：", match.start()) + 1
        found.append(Located(number, column, _colon_message(key, top=block is not None and not block.group(1)),
                             COLON, key, match.start(group) + 1))
    for match in _FLOW_TIME_RE.finditer(source):
        key, value = match.group(1), match.group(2)
        fixed = two_digit_time(value) or value
        found.append(Located(number, match.start(2) + 1, _(
            "put the time in quotes: {key}: \"{fixed}\"").format(key=key, fixed=fixed), TIME, key,
            match.start(1) + 1))
    return sorted(found, key=lambda m: m.column or 0)


def first(source: str, number: int) -> Located | None:
    """The first input-method mistake on the line, if any."""
    found = mistakes(source, number)
    return found[0] if found else None


def about(source: str | None, key: str, column: int | None) -> Located | None:
    """The mistake on `source` that explains a problem with `key` (as the model read it) at
    `column`: one in the indentation (the whole line is misread), else the one after that
    key at that column (`summary： x` is read as the key "summary： x"; without a column,
    the line's only one after that key), else none."""
    if source is None:
        return None
    found = mistakes(source, 0)
    if found and found[0].kind == INDENT:
        return found[0]
    same = [m for m in found if key == m.key or (key.startswith(m.key) and "：" in key)]
    if column is not None:
        return next((m for m in same if m.at == column), None)
    return same[0] if len(same) == 1 else None


def _colon_message(key: str, *, top: bool) -> str:
    """A full-width colon after `key`; a Chinese field name (at the card's top level) is
    answered with its English key, an English key with itself."""
    english = aliases.field_of(key) if top else None
    if english is not None:
        return _("full-width colon '：' after '{key}'; card fields are written in English, with an ASCII "
                 "colon and a space: {english}: …").format(key=key, english=english)
    if not key.isascii():
        return _("full-width colon '：' after '{key}'; a card field is an English word followed by an "
                 "ASCII colon and a space, like name: …").format(key=key)
    return _("full-width colon '：' after '{key}'; write an ASCII colon and a "
             "space: {key}: …").format(key=key)
