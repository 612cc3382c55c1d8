"""A safe, fast YAML reader for card files, built on the C parser's event stream,
and the one YAML dialect every reader and writer of cards shares.

Why not `YAML(typ="safe")`? Measured on 11 KB cards, ruamel's safe loader spends
~25 ms a card in its Python resolver and constructor; building plain data straight
from the C parser's events takes a few ms. It is also stricter in the ways cards
need: no tags (so no object construction), no anchors or aliases (so no alias
bombs), duplicate keys refused with their line, bounded nesting, and dates and
times kept as text for pydantic to check (so `2026-13-45` is a field error).

The dialect (README "The card format"; issue 11), one rule for every reader:

* YAML 1.2, core schema (YAML 1.2.2 §10.3.2): `resolve_plain` is the only
  plain-scalar resolver; the round-trip reader (yamlio) calls it too. No
  sexagesimal `10:00`, no `yes`/`on` booleans, no timestamps, no `_` in numbers,
  no signed hex: all of those are text.
* The grammar is ruamel's round-trip parser's: when libyaml refuses a document
  that parser accepts (e.g. `{time: 10:00}` in flow style), its events are read
  instead, so flow and block style mean the same in both readers.
* Refused with their position before either parser sees them (`check_text`):
  TAB, NEL (U+0085), line/paragraph separators (U+2028/9), other control
  characters, a lone CR, a BOM inside the text (the parsers read them
  differently); then a `%YAML` directive other than 1.2, `%TAG` directives, tags
  other than `!!str`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError

from kacard.cards import fastevents
from kacard.i18n import N_, _

try:  # the C parser (ruamel.yaml.clib)
    from ruamel.yaml.cyaml import CParser as _Parser

    def _c_events(text: str) -> Iterable[Any]:
        return iter(_Parser(text).get_event, None)

except ImportError:  # pragma: no cover - platforms without the C extension
    _Parser = None

    def _c_events(text: str) -> Iterable[Any]:
        return _pure_events(text)


def _pure_events(text: str) -> Iterable[Any]:
    """The round-trip reader's own event stream (ruamel's pure-Python parser)."""
    from ruamel.yaml import YAML

    return YAML(typ="rt").parse(io.StringIO(text))


class EventError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


# Characters the parsers read differently: refused with their position (check_text).
# One character class (a fast scan), and a carriage return not followed by a line feed.
_FORBIDDEN_CHAR_RE = re.compile("[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_LONE_CR_RE = re.compile("\r(?!\n)")
_FORBIDDEN_NAMES = {  # translated when a message is made (kacard.i18n)
    "\t": N_("a TAB character (indent and separate with spaces; inside double quotes write \\t)"),
    "\x85": N_("an invisible next-line character (U+0085)"),
    "\u2028": N_("an invisible line separator (U+2028, often pasted from a chat app)"),
    "\u2029": N_("an invisible paragraph separator (U+2029)"),
    "\ufeff": N_("a byte-order mark inside the text (U+FEFF)"),
    "\r": N_("a carriage return without a line feed (save with LF or CRLF line endings)"),
}


def _first_forbidden(text: str) -> int:
    """The index of the first character the parsers read differently, or -1."""
    found = _FORBIDDEN_CHAR_RE.search(text)
    at = found.start() if found is not None else -1
    if "\r" in text:
        lone = _LONE_CR_RE.search(text)
        if lone is not None and (at < 0 or lone.start() < at):
            at = lone.start()
    return at


# The same characters in a text's UTF-8 bytes, looked for without decoding (maybe_forbidden):
# every byte a refused ASCII control character is, and the first bytes of the refused
# multi-byte ones (C2 leads U+0080..U+00BF, which holds NEL and the C1 controls).
_SAFE_BYTES = bytes(b for b in range(256) if b in (0x0A, 0x0D) or 0x20 <= b <= 0x7E or b >= 0x80)
_REFUSED_SEQUENCES = (b"\xc2", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_BOM = b"\xef\xbb\xbf"


def maybe_forbidden(data: bytes) -> bool:
    """Whether the UTF-8 bytes of a text (a leading BOM allowed) may hold a character
    check_text refuses: never False when they do; True also for some that do not (any
    character U+0080..U+00BF, e.g. the middle dot of 约翰·史密斯). About ten times
    cheaper than the character-class scan on a card's 12 KB (kacard.cards.parse reads
    every card through it)."""
    if data.translate(None, _SAFE_BYTES):
        return True  # a refused ASCII control character (TAB, NUL, DEL ...)
    body = data[3:] if data.startswith(_BOM) else data
    if any(sequence in body for sequence in _REFUSED_SEQUENCES):
        return True
    return b"\r" in body and body.count(b"\r") != body.count(b"\r\n")  # a lone CR


def has_forbidden(text: str) -> bool:
    """Whether `text` holds a character a card may carry only escaped (in double quotes)."""
    return _first_forbidden(text) >= 0


def check_text(text: str) -> None:
    """Refuse characters the YAML parsers disagree on; EventError with 1-based line and column."""
    at = _first_forbidden(text)
    if at < 0:
        return
    ch = text[at]
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    what = _(_FORBIDDEN_NAMES[ch]) if ch in _FORBIDDEN_NAMES else _("a control character (U+{code})").format(
        code=f"{ord(ch):04X}")
    raise EventError(_("invalid YAML: {what} is not allowed in a card; delete it or type it again").format(
        what=what), line, column)


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_NUMBER_RE = re.compile(f"{_INT_RE.pattern}|{_FLOAT_RE.pattern}")
# The first characters of the plain scalars resolve_plain may make something other than
# their text (null, ~, true, false, a number): a plain scalar starting otherwise is text.
MAYBE_NOT_TEXT = frozenset(v[0] for v in (*_NULL, *_TRUE, *_FALSE, *_SPECIAL_FLOATS) if v) | frozenset(
    "0123456789+-.")
STR_TAG = "tag:yaml.org,2002:str"
_TAGS = {type(None): "tag:yaml.org,2002:null", bool: "tag:yaml.org,2002:bool",
         int: "tag:yaml.org,2002:int", float: "tag:yaml.org,2002:float", str: STR_TAG}


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core-schema value of a plain scalar: None, bool, int, float, else the text."""
    if value in _NULL:
        return None
    first = value[0]
    if first in "tTfF":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return value
    if first in "0123456789+-.":
        if _NUMBER_RE.fullmatch(value) is None:  # one look for the many dates (2026-11-23)
            return _SPECIAL_FLOATS.get(value, value)
        if _INT_RE.fullmatch(value):
            if value.startswith("0o"):
                return int(value, 8)
            if value.startswith("0x"):
                return int(value, 16)
            return int(value)
        return float(value)
    return value


fastevents.use(_Parser, resolve_plain, STR_TAG, MAYBE_NOT_TEXT)


def plain_tag(value: str) -> str:
    """The core-schema tag (tag:yaml.org,2002:...) of a plain scalar: resolve_plain's type."""
    value = resolve_plain(str(value))
    return STR_TAG if isinstance(value, str) else _TAGS[type(value)]


def _where(event: Any) -> tuple[int | None, int | None]:
    mark = getattr(event, "start_mark", None)
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _scalar(event: Any) -> Any:
    tag = event.tag
    if tag is not None and tag != STR_TAG:
        raise EventError(_("YAML tags are not allowed in cards (found {tag}; only !!str)").format(tag=tag),
                         *_where(event))
    if event.style or tag == STR_TAG:
        return event.value  # quoted or block scalars are strings
    return resolve_plain(event.value)


def load(text: str, max_depth: int, data: bytes | None = None) -> Any:
    """Plain data of a single-document YAML text. Raises EventError or MarkedYAMLError.

    The direct reader (kacard.cards.fastevents) reads first; when it stops (anything
    the dialect refuses, any parser error), the event reader below decides with the
    error's wording and position. It reads the C parser's events; when the C parser
    refuses the text, the round-trip reader's parser decides (its error, its
    position), so both readers accept the same documents.

    `data`: the text's UTF-8 bytes as read from the file (`text` being
    `data.decode("utf-8-sig")`), when the caller has them: the characters check_text
    refuses are then looked for in the bytes first, and the direct reader parses the
    bytes (the C parser would encode the text to UTF-8 again)."""
    if data is None or maybe_forbidden(data):
        check_text(text)
    try:
        return fastevents.load(text if data is None else data, max_depth)
    except fastevents.Stop:  # a refusal, a parser error, or the reader is off: the event reader
        pass  # decides, and words it
    return load_events(text, max_depth)


def load_events(text: str, max_depth: int) -> Any:
    """`load` by the event reader alone (the reference the direct reader is tested against)."""
    check_text(text)
    try:
        return _build(_c_events(text), max_depth)
    except MarkedYAMLError:
        return _build(_pure_events(text), max_depth)


def _build(events: Iterable[Any], max_depth: int) -> Any:
    stack: list[Any] = []  # containers being built
    keys: list[Any] = []  # for mappings: pending key (or _NO_KEY)
    root: Any = _MISSING
    documents = 0
    for event in events:
        kind = type(event)
        if kind is ev.ScalarEvent:
            if event.anchor is not None:
                raise EventError(_("YAML anchors and aliases are not allowed in cards"), *_where(event))
            value = _scalar(event)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if event.anchor is not None:
                raise EventError(_("YAML anchors and aliases are not allowed in cards"), *_where(event))
            if event.tag is not None:
                raise EventError(_("YAML tags are not allowed in cards (found {tag})").format(tag=event.tag), *_where(event))
            if len(stack) >= max_depth:
                raise EventError(_("nesting is too deep (a card has at most {depth} levels)").format(depth=max_depth), *_where(event))
            container: Any = {} if kind is ev.MappingStartEvent else []
            stack.append(container)
            keys.append(_NO_KEY)
            continue
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            value = stack.pop()
            keys.pop()
        elif kind is ev.AliasEvent:
            raise EventError(_("YAML anchors and aliases are not allowed in cards"), *_where(event))
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise EventError(_("a card file holds one YAML document (found a second ---)"), *_where(event))
            _check_directives(event)
            continue
        elif kind is ev.StreamEndEvent:
            break
        else:  # StreamStart, DocumentEnd
            continue
        # attach `value` to the enclosing container (or make it the root)
        if not stack:
            root = value
            continue
        parent = stack[-1]
        if isinstance(parent, list):
            parent.append(value)
        elif keys[-1] is _NO_KEY:
            if isinstance(value, dict | list):
                raise EventError(_("mapping keys must be plain values"), *_where(event))
            if value in parent:
                line, col = _where(event)
                raise EventError(_('duplicate key "{key}"').format(key=value), line, col)
            keys[-1] = value
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY
    return None if root is _MISSING else root


def _check_directives(event: Any) -> None:
    version = getattr(event, "version", None)
    if version is not None and tuple(version) != (1, 2):
        raise EventError(_("%YAML {version} directive: cards are YAML 1.2 (delete the %YAML line; "
                           "10:00 and yes then stay text)").format(version=".".join(map(str, version))),
                         *_where(event))
    if getattr(event, "tags", None):
        raise EventError(_("%TAG directives are not allowed in cards"), *_where(event))


class _Sentinel:
    pass


_MISSING: Any = _Sentinel()
_NO_KEY: Any = _Sentinel()

__all__ = ["EventError", "MarkedYAMLError", "check_text", "load", "load_events", "plain_tag", "resolve_plain"]
