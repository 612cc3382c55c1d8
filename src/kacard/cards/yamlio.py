"""Safe YAML in and out.

Two readers, one purpose each:

* `load_data` — the fast path for reading whole folders: ruamel's C parser with a
  safe constructor (no tags, no object construction), dates left as text for
  pydantic to check, duplicate keys refused, aliases refused (no alias bombs),
  size and nesting capped *before* the C parser sees the text.
* `load_document` — the round-trip path for edits and error positions: keeps
  comments, key order and quoting so a rewrite only changes what was edited.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kacard.cards import fastyaml
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

MAX_BYTES = 1_000_000
MAX_DEPTH = 24

_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a file could not be read as a card document; line/column are 1-based."""

    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return self.message


class _CardRoundTripConstructor(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date (2026-13-45) as text, so the
    document still loads and the error can be positioned by pydantic's message."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_CardRoundTripConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _CardRoundTripConstructor.construct_yaml_timestamp
)


def decode(data: bytes) -> str:
    """UTF-8 text of a card file (a BOM is allowed); a clear problem otherwise."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(f"file is larger than {MAX_BYTES // 1000} KB; a card should be small")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            "file is not UTF-8 text (save it as UTF-8)", line=line, column=None
        ) from None


def precheck(text: str) -> None:
    """Refuse what is not worth parsing: conflict markers, empty files.

    Deep nesting needs no scan here: fastyaml reads the parser's event stream and
    stops at MAX_DEPTH, before libyaml's quadratic slow-down on deep flow nesting."""
    marker = _CONFLICT_RE.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        raise YamlProblem(
            "unresolved git conflict marker; resolve the merge conflict first", line, 1
        )
    if not text.strip():
        raise YamlProblem("file is empty; a card needs at least id, name and owner", 1, 1)


def _problem_from(exc: YAMLError) -> YamlProblem:
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in message:
            message = message.split(" with value")[0]
        if mark is not None:
            return YamlProblem(f"invalid YAML: {message}", mark.line + 1, mark.column + 1)
        return YamlProblem(f"invalid YAML: {message}")
    return YamlProblem(f"invalid YAML: {str(exc).splitlines()[0]}")


def load_data(text: str) -> dict[str, Any]:
    """Plain Python data of one card document (fast path). Raises YamlProblem."""
    precheck(text)
    try:
        data = fastyaml.load(text, MAX_DEPTH)
    except fastyaml.EventError as exc:
        raise YamlProblem(exc.message, exc.line, exc.column) from None
    except YAMLError as exc:
        raise _problem_from(exc) from None
    except (ValueError, RecursionError) as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    if data is None:
        raise YamlProblem("file has no content; a card needs at least id, name and owner", 1, 1)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise YamlProblem(f"a card must be a mapping of fields, not {kind}", 1, 1)
    return data


# -- round trip -------------------------------------------------------------------------


def _round_trip_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """Round-trip YAML with kacard's default layout (`  - item` under a key, as in SPEC §2)."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _CardRoundTripConstructor
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_NESTED_KEY_RE = re.compile(r"^[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n( +)[^\s#-]", re.MULTILINE)


def _mapping_indent(text: str) -> int:
    """Indent of a nested block mapping (the first one found), default 2."""
    match = _NESTED_KEY_RE.search(text)
    return len(match.group(1)) if match else 2


_SEQ_UNDER_KEY_RE = re.compile(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ", re.MULTILINE)


def _sequence_layout(text: str) -> tuple[int, int]:
    """(sequence indent, dash offset) of the first block list under a key; default (4, 2)."""
    match = _SEQ_UNDER_KEY_RE.search(text)
    if not match:
        return 4, 2
    offset = max(0, len(match.group(2)) - len(match.group(1)))
    return offset + 2, offset


@dataclass
class Document:
    """A card's round-trip document and the indentation it was written with."""

    root: CommentedMap
    mapping: int = 2
    sequence: int = 4
    offset: int = 2

    def dump(self) -> str:
        stream = io.StringIO()
        _round_trip_yaml(self.mapping, self.sequence, self.offset).dump(self.root, stream)
        return stream.getvalue()


def load_document(text: str) -> Document:
    """The round-trip document (comments, order, quoting kept). Raises YamlProblem.

    The text first passes the fast safe reader, so the round-trip loader never sees
    tags, aliases, duplicate keys or deep nesting."""
    load_data(text)
    try:
        layout = (_mapping_indent(text), *_sequence_layout(text))
        root = _round_trip_yaml(*layout).load(text)  # preserve_quotes needs our loader
    except YAMLError as exc:
        raise _problem_from(exc) from None
    except (ValueError, RecursionError) as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    if root is None:
        raise YamlProblem("file has no content", 1, 1)
    if not isinstance(root, CommentedMap):
        raise YamlProblem("a card must be a mapping of fields", 1, 1)
    return Document(root, *layout)


def locate(root: Any, path: Sequence[str | int]) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest existing node along `path` in a round-trip doc."""
    found: tuple[int, int] | None = None
    node = root
    for part in path:
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.key(part)
            found = (line + 1, col + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            found = (line + 1, col + 1)
            node = node[part]
        else:
            break
    return found


def line_of_key(root: Any, key: str) -> int | None:
    where = locate(root, [key])
    return where[0] if where else None


def flow_map(items: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def flow_seq(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq
