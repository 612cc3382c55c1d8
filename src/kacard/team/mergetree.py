"""A card's outline from the C parser's events: each top-level field's lines and plain
value, and each item's lines in a block list (the merge driver's fast path, kacard.team.mergefast).

One pass over libyaml's event stream (ruamel.yaml.clib, as kacard.cards.fastyaml)
gives the same plain data as the card readers (the one dialect: fastyaml's scalar
rule, tags, anchors, duplicate keys and depth refused alike) plus line numbers:

* a field's *segment* runs from its key's line to the next top-level key's line (the
  comment lines before a key belong to the field above it, as in ruamel's round-trip
  documents, where they hang on the last node before them);
* an item of a block list starts at its `- ` line; its *content* ends with its last
  scalar or flow collection (block collections' end marks point at the next token).

`Unsupported` means the outline cannot be made the simple way (the pure-Python
parser would be needed, a flow-style top level, a key not at column 0, ...): the
caller then merges the slow way, which decides every such case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError

from kacard.cards import fastyaml, yamlio

_DASH_RE = re.compile(r" *- ")
_NEXT = "kacard-next-field"  # a key no card has: stands for the field below in a piece of text


class Unsupported(Exception):
    """The fast path cannot outline (or merge) this text; use the round-trip merge."""


@dataclass
class Item:
    start: int  # 0-based line of the item's `- `
    end: int  # line after its content (exclusive)
    data: Any


@dataclass
class Entry:
    key: str
    line: int  # 0-based line of the key
    data: Any
    items: list[Item] | None = None  # the value is a block list: its items
    end: int = 0  # line after the value's content (exclusive)


@dataclass
class Outline:
    lines: list[str]  # the text's lines, line endings kept
    entries: dict[str, Entry] = field(default_factory=dict)  # in file order
    starts: dict[str, int] = field(default_factory=dict)  # first line of each field's segment (cache)

    @property
    def data(self) -> dict[str, Any]:
        return {key: entry.data for key, entry in self.entries.items()}

    @property
    def header_end(self) -> int:
        """Lines before the first key (comments, directives, `---`)."""
        first = next(iter(self.entries.values()), None)
        return first.line if first else len(self.lines)

    def segment(self, key: str) -> tuple[int, int]:
        """(first line, end line) of a field: from its key (or the comment lines that belong to
        it) up to the next field's segment."""
        keys = list(self.entries)
        at = keys.index(key)
        end = self.start(keys[at + 1], keys[at]) if at + 1 < len(keys) else len(self.lines)
        return self.start(key, keys[at - 1] if at else None), end

    def start(self, key: str, previous: str | None) -> int:
        """Where a field's segment starts: its key's line, or the first of the comment lines
        above it that ruamel's round-trip reader hangs on this key rather than on the field
        above (after a flow collection or an empty value, for example; in a CRLF file the blank
        lines among them hang nowhere and stay)."""
        if key in self.starts:
            return self.starts[key]
        entry = self.entries[key]
        found = entry.line
        if previous is not None and self.entries[previous].end < entry.line:
            above = self.entries[previous]
            tail = above.items[-1].start if above.items else above.line
            head = self.lines[above.line] if above.items else ""
            text = head + self.text(tail, entry.line) + f"{_NEXT}: 0\n"
            try:
                root = yamlio._round_trip_yaml().load(text)
            except Exception as exc:  # noqa: BLE001 - a piece read otherwise than in the whole card
                raise Unsupported(f"the lines above {key}: {exc}") from None
            slot = root.ca.items.get(_NEXT) if hasattr(root, "ca") else None
            if slot and len(slot) > 1 and slot[1]:  # from the first comment line hung on this key
                first = min(token.start_mark.line for token in slot[1] if token is not None)
                found = tail + first - (1 if head else 0)
                if not above.end <= found <= entry.line:
                    raise Unsupported(f"the comment lines above {key}")  # pragma: no cover
        self.starts[key] = found
        return found

    def text(self, start: int, end: int) -> str:
        return "".join(self.lines[start:end])

    def closing(self, end: int) -> tuple[str, bool]:
        """A line to put after a piece of the text that ends before line `end`, so that
        ruamel hangs the piece's last comment lines where it does in the whole card (a
        comment before a following key or item is not one at the end of a document):
        ("", False) at the end of the text, an item `- 0` (True) before an item, else a key."""
        if end >= len(self.lines):
            return "", False
        dash = _DASH_RE.match(self.lines[end])
        return (dash.group(0) + "0\n", True) if dash else (f"{_NEXT}: 0\n", False)


def outline(text: str) -> Outline:
    """The outline of a card's text (BOM already removed). Raises Unsupported."""
    try:
        fastyaml.check_text(text)
        return _walk(text)
    except (fastyaml.EventError, MarkedYAMLError, ValueError, RecursionError) as exc:
        raise Unsupported(str(exc)) from None


def empty() -> Outline:
    """The outline of a missing common ancestor (git's add/add: an empty card)."""
    return Outline([])


def _line_end(mark: Any) -> int:
    """The line after a content end mark (a mark at column 0 ends the line before it)."""
    return mark.line + 1 if mark.column else mark.line


def _walk(text: str) -> Outline:
    """fastyaml's own builder reads the events (the same data, the same refusals); a
    tracker between the parser and the builder notes the lines."""
    found = Outline(text.splitlines(keepends=True))
    root = fastyaml._build(_Tracker(found).watch(fastyaml._c_events(text)), yamlio.MAX_DEPTH)
    if not isinstance(root, dict) or list(root) != list(found.entries):
        raise Unsupported("not a card's mapping")
    for key, entry in found.entries.items():
        entry.data = root[key]
        if entry.items is not None:
            if not isinstance(entry.data, list) or len(entry.data) != len(entry.items):
                raise Unsupported("a list's items and lines disagree")  # pragma: no cover - a tracker bug
            for item, value in zip(entry.items, entry.data, strict=True):
                item.data = value
    return found


class _Tracker:
    """Lines of top-level keys and of the items of top-level block lists, from the events."""

    def __init__(self, found: Outline) -> None:
        self.found = found
        self.depth = 0
        self.flows: list[bool] = []
        self.key_next = False  # at depth 1: the next node is a key
        self.entry: Entry | None = None  # the top-level field being read
        self.item_start: int | None = None
        self.last_end: Any = None  # end mark of the last scalar or flow collection

    def watch(self, events: Iterable[Any]) -> Iterator[Any]:
        for event in events:
            kind = type(event)
            if kind is ev.ScalarEvent:
                self.last_end = event.end_mark
                self.node(event, None)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                self.node(event, kind)
                self.depth += 1
                self.flows.append(bool(event.flow_style))
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                self.depth -= 1
                if self.flows.pop():
                    self.last_end = event.end_mark
                self.ended()
            elif kind is ev.DocumentEndEvent and getattr(event, "explicit", False):
                raise Unsupported("an explicit document end")
            yield event

    def node(self, event: Any, start: Any) -> None:
        """A scalar (start None) or a collection starts at the current depth."""
        if self.depth == 0:
            if start is not ev.MappingStartEvent or event.flow_style:
                raise Unsupported("a card is a block mapping")
            self.key_next = True
        elif self.depth == 1 and self.key_next:
            if start is not None or event.start_mark.column != 0:
                raise Unsupported("a top-level key that is not text at column 0")
            key = fastyaml._scalar(event)
            if not isinstance(key, str):
                raise Unsupported("a top-level key that is not text")
            self.entry = Entry(key, event.start_mark.line, None)
            self.key_next = False
        elif self.depth == 1:
            if start is ev.SequenceStartEvent and not event.flow_style and self.entry is not None:
                self.entry.items = []
            if start is None:
                self.ended()
        elif self.depth == 2 and self.entry is not None and self.entry.items is not None:
            self.item_start = _item_line(self.found, event)
            if start is None:
                self.ended()

    def ended(self) -> None:
        """A node ended at the current depth: an item of a top-level list, or a field's value."""
        entry = self.entry
        if self.depth == 2 and entry is not None and entry.items is not None and self.item_start is not None:
            if self.last_end is None:
                raise Unsupported("an item without content")
            end = _line_end(self.last_end)
            previous = entry.items[-1].end if entry.items else entry.line + 1
            if self.item_start < previous or end <= self.item_start:
                raise Unsupported("items sharing a line")
            entry.items.append(Item(self.item_start, end, None))
            self.item_start = None
        elif self.depth == 1 and entry is not None:
            entry.end = max(_line_end(self.last_end), entry.line + 1)
            if entry.key in self.found.entries:
                raise Unsupported("a duplicate key")  # the builder refuses it too
            self.found.entries[entry.key] = entry
            self.entry = None
            self.key_next = True


def _item_line(found: Outline, event: Any) -> int:
    """The line of a block list item whose content starts at `event`; it must be `- ` there."""
    mark = event.start_mark
    line = found.lines[mark.line] if mark.line < len(found.lines) else ""
    if line[: mark.column].strip() != "-":
        raise Unsupported("an item not on its dash's line")
    return int(mark.line)
