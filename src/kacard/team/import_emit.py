"""A new card's YAML text, written directly (no ruamel emitter).

New cards are built as round-trip documents by the same patch functions that update
existing cards (import_patch), then written here in the layout ruamel gives them
(`  - ` lists under a key, one-line records, block visits). ruamel's emitter takes
about 4 ms a small card (40 s for 10,000 new cards); this takes a few µs. A string is
written plain only when YAML cannot read it as anything else, else double-quoted; the
text is parsed and validated again before it is written (importer._render), so an
emitter mistake can never reach a card file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

# JSON leaves these raw; YAML wants them escaped in a double-quoted scalar
_NOT_PRINTABLE_RE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_KEYWORDS = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "="}
# not plain: YAML punctuation, controls and line separators, astral characters
_UNSAFE_RE = re.compile("[:#,\\[\\]{}&*!|>'\"%@`?\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\U00010000-\U0010ffff]")


def scalar(value: Any) -> str:
    """One scalar as YAML text that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if "e" not in text and "n" not in text else f"{value:.10f}".rstrip("0")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, DoubleQuotedScalarString) or not _plain_ok(text):
        return _NOT_PRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))
    return text


def _plain_ok(text: str) -> bool:
    return not (
        not text or text != text.strip() or text[0] in "-.+~0123456789" or text.lower() in _KEYWORDS
        or _UNSAFE_RE.search(text)
    )


def _flow(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def _is_block(value: Any) -> bool:
    return isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0 and not value.fa.flow_style()


def _lines(key: Any, value: Any, indent: str, out: list[str]) -> None:
    """`key: value` at `indent`, a block collection's items under it."""
    if isinstance(value, CommentedSeq) and _is_block(value):
        out.append(f"{indent}{scalar(key)}:")
        for item in value:
            if _is_block(item) and isinstance(item, CommentedMap):
                first = True
                for k, v in item.items():
                    prefix = indent + ("  - " if first else "    ")
                    if _is_block(v):
                        _nested(k, v, prefix, indent + "    ", out)
                    else:
                        _lines(k, v, prefix, out)
                    first = False
            else:
                out.append(f"{indent}  - {_flow(item)}")
    elif isinstance(value, CommentedMap) and _is_block(value):
        out.append(f"{indent}{scalar(key)}:")
        for k, v in value.items():
            _lines(k, v, indent + "  ", out)
    else:
        out.append(f"{indent}{scalar(key)}: {_flow(value)}")


def _nested(key: Any, value: Any, prefix: str, indent: str, out: list[str]) -> None:
    start = len(out)
    _lines(key, value, indent, out)
    out[start] = prefix + out[start][len(indent):]


def card_text(root: CommentedMap, header: list[str]) -> str:
    """The card's text: the header comment lines, then every top-level key in order."""
    out = list(header)
    for key, value in root.items():
        _lines(key, value, "", out)
    return "\n".join(out) + "\n"
