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

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError

from kacard.cards import fastyaml

MAX_DEPTH = 24  # yamlio.MAX_DEPTH (not imported: yamlio imports ruamel's round-trip machinery)


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


@dataclass
class Outline:
    lines: list[str]  # the text's lines, line endings kept
    entries: dict[str, Entry] = field(default_factory=dict)  # in file order

    @property
    def data(self) -> dict[str, Any]:
        return {key: entry.data for key, entry in self.entries.items()}

    @property
    def header_end(self) -> int:
        """Lines before the first key (comments, directives, `---`)."""
        first = next(iter(self.entries.values()), None)
        return first.line if first else len(self.lines)

    def segment(self, key: str) -> tuple[int, int]:
        """(first line, end line) of a field: its key's line up to the next key's line."""
        keys = list(self.entries)
        at = keys.index(key)
        end = self.entries[keys[at + 1]].line if at + 1 < len(keys) else len(self.lines)
        return self.entries[key].line, end

    def text(self, start: int, end: int) -> str:
        return "".join(self.lines[start:end])


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
    found = Outline(text.splitlines(keepends=True))
    stack: list[Any] = []  # containers being built
    flows: list[bool] = []  # each container's flow style
    keys: list[Any] = []  # pending key per mapping (or _NO_KEY)
    root: Any = None
    documents = 0
    last_end: Any = None  # end mark of the last scalar or flow collection
    entry: Entry | None = None  # the top-level field whose value is being read
    item_start: int | None = None  # line of the item being read in a top-level block list
    for event in fastyaml._c_events(text):
        kind = type(event)
        if kind is ev.ScalarEvent:
            if event.anchor is not None:
                raise Unsupported("anchor")
            value = fastyaml._scalar(event)
            last_end = event.end_mark
            if len(stack) == 2 and entry is not None and entry.items is not None:
                item_start = _item_line(found, event)
            elif len(stack) == 1 and keys[-1] is _NO_KEY:
                if event.start_mark.column != 0:
                    raise Unsupported("top-level key not at column 0")
                entry = Entry(str(value), event.start_mark.line, None)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported("anchor or tag")
            if len(stack) >= MAX_DEPTH:
                raise Unsupported("nesting is too deep")
            if not stack and (kind is not ev.MappingStartEvent or event.flow_style):
                raise Unsupported("a card is a block mapping")
            if len(stack) == 1 and keys[-1] is _NO_KEY:
                raise Unsupported("a collection as a key")
            if len(stack) == 1 and kind is ev.SequenceStartEvent and not event.flow_style and entry is not None:
                entry.items = []
            if len(stack) == 2 and entry is not None and entry.items is not None:
                item_start = _item_line(found, event)
            stack.append({} if kind is ev.MappingStartEvent else [])
            flows.append(bool(event.flow_style))
            keys.append(_NO_KEY)
            continue
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            value = stack.pop()
            keys.pop()
            if flows.pop():
                last_end = event.end_mark
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Unsupported("a second document")
            fastyaml._check_directives(event)
            continue
        elif kind is ev.DocumentEndEvent:
            if getattr(event, "explicit", False):
                raise Unsupported("an explicit document end")
            continue
        elif kind is ev.StreamEndEvent:
            break
        elif kind is ev.AliasEvent:
            raise Unsupported("alias")
        else:  # StreamStart
            continue
        if not stack:
            root = value
            continue
        parent = stack[-1]
        if isinstance(parent, list):
            parent.append(value)
            if len(stack) == 2 and entry is not None and entry.items is not None:
                if item_start is None or last_end is None:
                    raise Unsupported("an item without content")
                end = _line_end(last_end)
                previous = entry.items[-1].end if entry.items else entry.line + 1
                if item_start < previous or end <= item_start:
                    raise Unsupported("items sharing a line")
                entry.items.append(Item(item_start, end, value))
                item_start = None
        elif keys[-1] is _NO_KEY:
            if isinstance(value, dict | list) or value in parent:
                raise Unsupported("duplicate or complex key")
            keys[-1] = value
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY
            if len(stack) == 1 and entry is not None:
                entry.data = value
                if str(entry.key) in found.entries or not isinstance(entry.key, str):
                    raise Unsupported("a key that is not text")
                found.entries[entry.key] = entry
                entry = None
    if not isinstance(root, dict):
        raise Unsupported("not a mapping")
    if list(found.entries) != list(root) or any(found.entries[k].data is not root[k] for k in root):
        raise Unsupported("outline and data disagree")  # pragma: no cover - a walker bug
    return found


def _item_line(found: Outline, event: Any) -> int:
    """The line of a block list item whose content starts at `event`; it must be `- ` there."""
    mark = event.start_mark
    line = found.lines[mark.line] if mark.line < len(found.lines) else ""
    if line[: mark.column].strip() != "-":
        raise Unsupported("an item not on its dash's line")
    return int(mark.line)


class _Sentinel:
    pass


_NO_KEY: Any = _Sentinel()
