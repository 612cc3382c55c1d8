"""The direct reader: a card's plain data built inside the C parser's own event calls.

Why: kacard.cards.fastyaml's event reader spent about three quarters of a cold
parse (1.8 of 2.4 ms for an 11 KB card, ~1,150 events) making one Python event
object per event (three chained ``__init__`` calls) and then dispatching on it.
This reader gets the same card in less than half that time (0.76 ms; about 0.53 ms
of it is libyaml and the two ``Mark`` objects the C parser makes per event).

How: ruamel.yaml.clib's ``CParser`` makes each event by calling the class bound to
``ScalarEvent``, ``MappingStartEvent`` … in its own module. For one parse (`load`)
those names are bound to small functions that put each value straight into the
list being filled (a plain scalar resolved by ``fastyaml.resolve_plain``, a quoted
one kept as text; a mapping's keys and values in turn, made a dict at its end), then
bound back. A lock keeps one such parse at a time; another library using ruamel's C
parser in another thread during a parse would see these functions (kacard parses
in one thread per process).

What it refuses it does not word: everything the dialect refuses (an anchor, an
alias, a tag other than ``!!str``, a ``%TAG`` or a ``%YAML`` other than 1.2, a second
document, a key that is not a plain value, a duplicate key, nesting beyond
``max_depth``) and any parser error raise ``Stop``; ``fastyaml.load`` then reads the
text again with the event reader, which words the refusal with its line and column
(and falls back to the round-trip parser where libyaml refuses). So this reader
only ever returns what the event reader returns: tests/test_fastevents.py checks
equal data and equal refusals on the sample cards, generated cards, hand-written
corner cases and random documents.

If the installed ruamel.yaml.clib does not make its events this way (``ready()``
parses a probe document covering every event kind at first use), this reader is
off and every text goes to the event reader: slower, never different.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar

# The event classes the C parser calls, by the names it looks up in its module.
_NAMES = ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent", "AliasEvent",
          "ScalarEvent", "SequenceStartEvent", "SequenceEndEvent", "MappingStartEvent", "MappingEndEvent")
# A document using every kind of event, and the data it means.
_PROBE = "%YAML 1.2\n---\na: [1, 'x', {b: null}]\nc: !!str 2\nd:\n  - e: 1.5\n...\n"
_PROBE_DATA = {"a": [1, "x", {"b": None}], "c": "2", "d": [{"e": 1.5}]}


class Stop(Exception):
    """The direct reader stops: the event reader decides (and words any refusal)."""


class _Setup:
    ready: bool | None = None  # None: not tried yet
    module: ClassVar[dict[str, Any]] = {}  # the C parser's module namespace
    original: ClassVar[dict[str, Any]] = {}  # its event classes
    parser: Any = None
    resolve: Callable[[str], Any] = str
    str_tag = ""
    maybe_not_text: frozenset[str] = frozenset()


_LOCK = threading.Lock()
# resolve_plain's value of the short plain scalars read so far that may not be text
# (dates, numbers, keys like `name`): one dict look-up instead of a call and a regex.
# At most 100,000 of at most 40 characters (a few MB).
_RESOLVED: dict[str, Any] = {}
_RESOLVED_MAX = 100_000
_drain: Callable[[Any], None] = deque(maxlen=0).extend  # runs an iterator to its end without a Python loop


def use(parser: Any, resolve: Callable[[str], Any], str_tag: str, maybe_not_text: frozenset[str]) -> None:
    """The reader's parts, given by kacard.cards.fastyaml: the C parser (None when there is
    none), its plain-scalar resolver, the !!str tag, and the first characters of the plain
    scalars the resolver may make something other than text."""
    _Setup.parser, _Setup.resolve, _Setup.str_tag, _Setup.maybe_not_text = parser, resolve, str_tag, maybe_not_text
    _Setup.ready = None


def ready() -> bool:
    """Whether the direct reader is on (decided once, at first use)."""
    if _Setup.ready is None:
        _Setup.ready = _set_up()
    return _Setup.ready


def _set_up() -> bool:
    parser = _Setup.parser
    if parser is None:  # pragma: no cover - platforms without the C extension
        return False
    from ruamel.yaml import events

    namespace = getattr(sys.modules.get(parser.__module__), "__dict__", {})
    if any(namespace.get(name) is not getattr(events, name) for name in _NAMES):
        return False  # another clib, or someone else's functions bound there
    _Setup.module, _Setup.original = namespace, {name: namespace[name] for name in _NAMES}
    _Setup.ready = True  # for the probe
    try:
        return load(_PROBE, 8) == _PROBE_DATA and list(iter(parser("a: 1\n").get_event, None))[3].value == "a"
    except Exception:  # noqa: BLE001 - whatever the clib does, the event reader is there
        return False


def load(text: str | bytes, max_depth: int) -> Any:
    """Plain data of a single-document YAML text (or its UTF-8 bytes, a leading BOM
    allowed: the C parser reads both alike), as fastyaml's event reader gives it;
    raises Stop where that reader would refuse the text or the C parser fails (or when
    this reader is off: see `ready`)."""
    if not (_Setup.ready or ready()):
        raise Stop("the direct reader is off")
    resolve, str_tag, no_key, maybe_not_text = _Setup.resolve, _Setup.str_tag, _NO_KEY, _Setup.maybe_not_text
    resolved = _RESOLVED
    root: list[Any] = []  # the document's node, once read
    # What the container being filled has read: a sequence's items, or a mapping's keys and
    # values in turn (made a dict when it ends); and that list of each enclosing container.
    items: list[Any] = root
    around: list[list[Any]] = []
    documents = 0

    def scalar(anchor: Any, tag: Any, implicit: Any, value: str, start: Any, end: Any, style: Any) -> bool:
        if anchor is not None:
            raise Stop
        if tag is None:
            if not style and (not value or value[0] in maybe_not_text):
                found = resolved.get(value, no_key)
                if found is no_key:
                    found = resolve(value)
                    if len(value) <= 40 and len(resolved) < _RESOLVED_MAX:
                        resolved[value] = found
                value = found
        elif tag != str_tag:
            raise Stop
        items.append(value)
        return True

    def open_(anchor: Any, tag: Any, implicit: Any, start: Any, end: Any, flow: Any) -> bool:
        nonlocal items
        if anchor is not None or tag is not None or len(around) >= max_depth:
            raise Stop
        around.append(items)
        items = []
        return True

    def end_sequence(start: Any, end: Any) -> bool:
        nonlocal items
        done = items
        items = around.pop()
        items.append(done)
        return True

    def end_mapping(start: Any, end: Any) -> bool:
        nonlocal items
        mapping = {}
        pairs = iter(items)
        try:
            for key in pairs:  # faster than dict(zip(...)) for a card's small mappings
                mapping[key] = next(pairs)
        except TypeError:
            raise Stop from None  # a mapping or a sequence as a key
        if 2 * len(mapping) != len(items):
            raise Stop  # a duplicate key
        items = around.pop()
        items.append(mapping)
        return True

    def document(start: Any, end: Any, explicit: Any, version: Any, tags: Any) -> bool:
        nonlocal documents
        documents += 1
        if documents > 1 or tags or (version is not None and tuple(version) != (1, 2)):
            raise Stop
        return True

    def alias(*_: Any) -> bool:
        raise Stop

    def other(*_: Any) -> bool:
        return True

    ours = {"StreamStartEvent": other, "StreamEndEvent": other, "DocumentStartEvent": document,
            "DocumentEndEvent": other, "AliasEvent": alias, "ScalarEvent": scalar,
            "SequenceStartEvent": open_, "SequenceEndEvent": end_sequence,
            "MappingStartEvent": open_, "MappingEndEvent": end_mapping}
    with _LOCK:
        _Setup.module.update(ours)
        try:
            _drain(iter(_Setup.parser(text).get_event, None))
        except Stop:
            raise
        except Exception as exc:  # noqa: BLE001 - a parser error (or anything): the event reader words it
            raise Stop(str(exc)) from None
        finally:
            _Setup.module.update(_Setup.original)
    return root[0] if root else None


class _Sentinel:
    pass


_NO_KEY: Any = _Sentinel()
