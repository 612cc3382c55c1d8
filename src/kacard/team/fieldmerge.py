"""Three-way, field-aware merge of one card: the rules and the merger (pure: documents in, documents out).

Git's line merge turns two visits logged on the same day into a conflict, and
`merge=union` into silent loss. This merge works on the YAML structure instead:

* mappings merge field by field: changed on one side → that side; changed the
  same way on both → that value; changed differently → a conflict on that field;
* record lists (visits, trades, contacts, signals, opportunities, handovers)
  merge record by record, matched by a stable identity (RECORD_RULES below); both
  sides' additions survive (dated lists stay in date order); deleted on one side
  and changed on the other → a conflict;
* lists of plain values (tags, a visit's `with`, visit_hours.days) merge as sets
  that keep the order they are written in.

The result patches *ours* (the round-trip document of %A), so its comments,
key order and quoting survive, and it must validate as a card. On a conflict the
clashing lines get standard markers (`<<<<<<< ours` / `=======` / `>>>>>>> theirs`):
the file is merged twice, once resolving every conflict to ours and once to
theirs, and the lines that differ between the two are the conflict hunks. When a
side cannot be parsed, or the merged card would not validate, the whole file is
one conflict. A result that looks clean is always a complete, valid merge.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from kacard.cards.editing import insert_key, move_tail_comment
from kacard.errors import KacardError, Problem
from kacard.i18n import N_, Message

# The reasons of a conflict: English in data (MergeResult), the reader's language when printed.
DELETED_AND_CHANGED = N_("deleted on one side, changed on the other")
ADDED_DIFFERENTLY = N_("added differently on both sides")
CHANGED_DIFFERENTLY = N_("changed differently on both sides")
ADDED_TWICE = N_("added on both sides with the same content: one record or two? keep one or both")
WHOLE_FILE = "(whole file)"  # a conflict's path when both whole files are kept (printed translated)

OURS_MARKER = "<<<<<<< ours\n"
SEPARATOR = "=======\n"
THEIRS_MARKER = ">>>>>>> theirs\n"


class MergeConflict(KacardError):
    """The merge driver left conflict markers (exit 1, as git expects)."""

    exit_code = 1


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""A key or record that one version does not have."""


# -- record identity ---------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _amount(value: Any) -> str:
    try:
        return str(Decimal(str(value)).normalize())
    except (InvalidOperation, ValueError):
        return _text(value)


def _trade_identity(r: dict[str, Any]) -> tuple[str, ...]:
    if _text(r.get("invoice")):
        return ("invoice", _text(r.get("invoice")))
    return ("trade", _text(r.get("date")), _amount(r.get("amount")))


def _opportunity_identity(r: dict[str, Any]) -> tuple[str, ...]:
    if _text(r.get("id")):
        return ("id", _text(r.get("id")))
    return ("title", _text(r.get("title")))


@dataclass(frozen=True)
class RecordRule:
    """How the records of one list are matched across versions and ordered."""

    identity: Callable[[dict[str, Any]], tuple[str, ...]]
    dated: bool  # the list is kept in date order
    events: bool  # same identity added on both sides with different content: keep both


RECORD_RULES: dict[str, RecordRule] = {
    # a rep's visit of one kind on one day; visits are events, so two reps' (or one
    # rep's two) different records with the same identity both survive
    "visits": RecordRule(
        lambda r: ("visit", _text(r.get("date")), _text(r.get("by")), _text(r.get("kind") or "visit")),
        dated=True, events=True,
    ),
    "signals": RecordRule(
        lambda r: ("signal", _text(r.get("date")), _text(r.get("kind") or "other")), dated=True, events=True
    ),
    "trades": RecordRule(_trade_identity, dated=True, events=False),  # invoice, else date + amount
    "contacts": RecordRule(lambda r: ("name", _text(r.get("name"))), dated=False, events=False),
    "opportunities": RecordRule(_opportunity_identity, dated=False, events=False),  # id, else title
    "handovers": RecordRule(
        lambda r: ("handover", _text(r.get("date")), _text(r.get("from")), _text(r.get("to"))),
        dated=True, events=False,
    ),
}
"""Identity of a record in each list. When one identity occurs more than once in a
version, the records with it are told apart by their content (an edit of such a
record is then a deletion plus an addition, which still merges cleanly)."""

WEAK_IDENTITIES = frozenset({"visit", "signal", "trade", "handover"})
"""Identities that are no real key (no invoice number, no name or id): the same record
added on both sides may be one event or two (two reps each selling 1,000 on one day),
so it is never collapsed into one: it is a conflict (ours keeps one, theirs two)."""


def plain(node: Any) -> Any:
    """Comparable plain data of a round-trip node (dates as ISO text, no formatting)."""
    kind = type(node)
    if kind is str or kind is int or kind is float:  # already plain (the fast path's data)
        return node
    if kind is dict:
        return {str(k): plain(v) for k, v in node.items()}
    if node is MISSING or node is None or isinstance(node, bool):
        return node
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if hasattr(node, "isoformat"):
        return node.isoformat()
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _emptied(x: Any) -> bool:
    return x is None or (isinstance(x, list) and not x)


def _same(x: Any, y: Any) -> bool:
    return plain(x) == plain(y)


def _base_identity(rule: RecordRule, record: Any) -> tuple[str, ...]:
    data = plain(record)
    if isinstance(data, dict):
        return rule.identity(data)
    return ("value", json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))


def _content_hash(record: Any) -> str:
    text = json.dumps(plain(record), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _identities(rule: RecordRule, *lists: list[Any]) -> list[list[tuple[str, ...]]]:
    """Unique identities for the records of each version (see RECORD_RULES)."""
    bases = [[_base_identity(rule, r) for r in records] for records in lists]
    repeated = {b for found in bases for b, n in Counter(found).items() if n > 1}
    result = []
    for records, found in zip(lists, bases, strict=True):
        seen: Counter[tuple[str, ...]] = Counter()
        ids = []
        for record, base in zip(records, found, strict=True):
            key = (*base, _content_hash(record)) if base in repeated else base
            seen[key] += 1
            ids.append((*key, str(seen[key])))
        result.append(ids)
    return result


def _label(identity: tuple[str, ...]) -> str:
    """The readable part of an identity: its fields without the kind, hash and count."""
    parts = identity[1:-1]
    if len(parts) > 1 and len(parts[-1]) == 12 and all(c in "0123456789abcdef" for c in parts[-1]):
        parts = parts[:-1]
    return " ".join(p for p in parts if p)


# -- comments ----------------------------------------------------------------------------


def _detached(node: Any) -> Any:
    """A copy of theirs' node to put into ours: end-of-line comments kept, comment
    lines that belonged to theirs' surroundings dropped."""
    node = copy.deepcopy(node)
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, CommentedMap | CommentedSeq):
            continue
        current.ca.comment = None
        current.ca.end = []
        for key, entry in list(current.ca.items.items()):
            current.ca.items[key] = [_eol_only(token) for token in entry]
        stack.extend(current.values() if isinstance(current, CommentedMap) else current)
    return node


def _eol_only(token: Any) -> Any:
    if not isinstance(token, CommentToken):
        return None
    first = token.value.split("\n")[0]
    if "#" not in first:
        return None
    token.value = first + "\n"
    return token


# -- the merge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    path: str  # e.g. credit.limit, contacts[王建国].title; WHOLE_FILE
    reason: str  # a Message (kacard.i18n): English as data, localized when printed


@dataclass
class MergeResult:
    text: str  # for reading; `data` is what is written
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # why a merged card would be invalid
    data: bytes | None = None  # the exact bytes of the result (None: `text` as UTF-8)

    @property
    def bytes(self) -> bytes:
        return self.data if self.data is not None else self.text.encode("utf-8")

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.problems


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


class _Merger:
    """One pass over the three documents; conflicts resolve to `side` (ours or theirs)."""

    def __init__(self, side: Literal["ours", "theirs"]) -> None:
        self.side = side
        self.conflicts: list[Conflict] = []
        self.changed = False

    def merge(self, path: str, raw: tuple[Any, ...], o: Any, a: Any, b: Any) -> Any:
        """The merged value for `a`'s place: `a` itself (possibly patched), a copy of `b`, or MISSING."""
        rule = RECORD_RULES.get(raw[0]) if len(raw) == 1 else None
        if rule is not None and _emptied(a) and _emptied(b):
            return a  # both sides emptied the list (`contacts:` or `contacts: []`: the same)
        if rule is not None and isinstance(a, CommentedSeq) and isinstance(b, CommentedSeq):
            # even when both lists are equal: a record both sides added may be two records
            self.merge_records(path, rule, o if isinstance(o, list) else [], a, b)
            return a
        if raw and _same(a, b):  # the card itself is always walked: its record lists may hold twins
            return a
        if isinstance(a, CommentedMap) and isinstance(b, CommentedMap):
            self.merge_map(path, raw, o if isinstance(o, dict) else {}, a, b)
            return a
        if isinstance(a, CommentedSeq) and isinstance(b, CommentedSeq):
            base = o if isinstance(o, list) else []
            if all(not isinstance(v, dict | list) for v in (*base, *a, *b)):
                self.merge_values(base, a, b)
                return a
        if _same(o, a):
            return self.take(b)
        if _same(o, b):
            return a
        if a is MISSING or b is MISSING:
            reason = Message(DELETED_AND_CHANGED)
        else:
            reason = Message(ADDED_DIFFERENTLY) if o is MISSING else Message(CHANGED_DIFFERENTLY)
        return self.clash(path, reason, a, b)

    def take(self, b: Any) -> Any:
        return MISSING if b is MISSING else _detached(b)

    def clash(self, path: str, reason: str, a: Any, b: Any) -> Any:
        self.conflicts.append(Conflict(path, reason))
        return a if self.side == "ours" else self.take(b)

    def merge_map(self, path: str, raw: tuple[Any, ...], o: dict[Any, Any], a: CommentedMap,
                  b: CommentedMap) -> None:
        ours_keys = list(a)
        for key in ours_keys:
            merged = self.merge(_join(path, key), (*raw, key), o.get(key, MISSING), a[key], b.get(key, MISSING))
            if merged is MISSING:
                del a[key]
                self.changed = True
            elif merged is not a[key]:
                a[key] = merged
                self.changed = True
        theirs_keys = list(b)
        for index, key in enumerate(theirs_keys):
            if key in ours_keys:
                continue
            merged = self.merge(_join(path, key), (*raw, key), o.get(key, MISSING), MISSING, b[key])
            if merged is MISSING:
                continue
            self.changed = True
            if not raw:
                insert_key(a, key, merged)  # top level: the card's field order
                continue
            before = [k for k in theirs_keys[:index] if k in a]
            a.insert(list(a).index(before[-1]) + 1 if before else 0, key, merged)

    def merge_values(self, o: list[Any], a: CommentedSeq, b: CommentedSeq) -> None:
        """Lists of plain values as ordered sets: ours' order, then theirs' additions."""
        base = {json.dumps(plain(v), default=str) for v in o}
        theirs = {json.dumps(plain(v), default=str) for v in b}
        ours = {json.dumps(plain(v), default=str) for v in a}
        for index in reversed(range(len(a))):
            key = json.dumps(plain(a[index]), default=str)
            if key in base and key not in theirs:
                del a[index]
                self.changed = True
        for value in b:
            key = json.dumps(plain(value), default=str)
            if key not in ours and key not in base:
                a.append(self.take(value))
                ours.add(key)
                self.changed = True

    def merge_records(self, path: str, rule: RecordRule, o: list[Any], a: CommentedSeq,
                      b: CommentedSeq) -> None:
        def merge_at(index: int, where: str, o_index: int | None, b_index: int) -> None:
            a_rec = a[index]
            merged = self.merge(where, ("[record]",), MISSING if o_index is None else o[o_index], a_rec,
                                b[b_index])
            if merged is not MISSING and merged is not a_rec:  # a record on both sides stays
                a[index] = merged
                self.changed = True

        plan = self.plan_records(path, rule, o, list(a), list(b), merge_at)
        current = list(plan.a_ids)
        for index in reversed(plan.removals):
            if index == len(a) - 1 and len(a) > 1:
                move_tail_comment(a, index, index - 1)
            del a[index]
            del current[index]
            self.changed = True
        if plan.additions and a.fa.flow_style():
            a.fa.set_block_style()
        for ident, b_index in plan.additions:
            record = self.take(b[b_index])
            position = record_position(rule, [record_date(r) for r in a], current, plan.b_ids, ident,
                                       record_date(record))
            a.insert(position, record)
            current.insert(position, ident)
            if position == len(a) - 1 and position > 0:
                move_tail_comment(a, position - 1, position)
            self.changed = True

    def plan_records(self, path: str, rule: RecordRule, o: list[Any], a: list[Any], b: list[Any],
                     merge_at: Callable[[int, str, int | None, int], None]) -> RecordPlan:
        """Which of ours' records go, which of theirs' come (in order), and the conflicts.

        `o`, `a`, `b` are the three lists (round-trip nodes or plain data: only their
        plain values are read). A record both sides have is merged by `merge_at(ours
        index, path, base index or None, theirs index)`, called in ours' order, so
        conflicts are reported in the same order by every caller."""
        o_ids, a_ids, b_ids = _identities(rule, o, a, b)
        base = {ident: i for i, ident in enumerate(o_ids)}
        theirs = {ident: j for j, ident in enumerate(b_ids)}
        removals: list[int] = []
        additions: list[tuple[tuple[str, ...], int]] = []
        kept_both: set[tuple[str, ...]] = set()
        twice: list[tuple[str, ...]] = []
        for index, ident in enumerate(a_ids):
            where = f"{path}[{_label(ident)}]"
            o_index, b_index = base.get(ident), theirs.get(ident)
            o_rec = MISSING if o_index is None else o[o_index]
            a_rec = a[index]
            if b_index is None:
                if o_rec is MISSING:
                    continue  # added by ours
                if _same(o_rec, a_rec):
                    removals.append(index)  # deleted by theirs
                else:
                    self.conflicts.append(Conflict(where, Message(DELETED_AND_CHANGED)))
                    if self.side == "theirs":
                        removals.append(index)
                continue
            if o_rec is MISSING and rule.events and not _same(a_rec, b[b_index]):
                kept_both.add(ident)  # two different events with one identity: keep both
                continue
            if o_rec is MISSING and ident[0] in WEAK_IDENTITIES:  # same content added on both sides
                self.conflicts.append(Conflict(where, Message(ADDED_TWICE)))
                if self.side == "theirs":
                    twice.append(ident)
                continue
            merge_at(index, where, o_index, b_index)
        ours = set(a_ids)
        for b_index, ident in enumerate(b_ids):
            if ident in ours and ident not in kept_both:
                continue
            o_index = base.get(ident)
            if ident in kept_both or o_index is None:
                additions.append((ident, b_index))  # added by theirs
            elif not _same(o[o_index], b[b_index]):
                self.conflicts.append(Conflict(f"{path}[{_label(ident)}]", Message(DELETED_AND_CHANGED)))
                if self.side == "theirs":
                    additions.append((ident, b_index))
        additions += [((*ident, "twice"), theirs[ident]) for ident in twice]
        return RecordPlan(a_ids, b_ids, removals, additions)


@dataclass(frozen=True)
class RecordPlan:
    """What merging one record list does to ours (see _Merger.plan_records)."""

    a_ids: list[tuple[str, ...]]
    b_ids: list[tuple[str, ...]]
    removals: list[int]  # ours' indexes, ascending
    additions: list[tuple[tuple[str, ...], int]]  # (identity, theirs' index), in insertion order


def record_date(record: Any) -> str:
    """A record's date as text ('' when it has none)."""
    return _text(plain(record.get("date")) if isinstance(record, dict) else "")


def record_position(rule: RecordRule, dates: list[str], current: list[tuple[str, ...]],
                    b_ids: list[tuple[str, ...]], ident: tuple[str, ...], date: str) -> int:
    """Where an added record goes in ours' list (`dates`/`current`: the list's records now).
    Dated lists: before the first later record. Others: after theirs' previous record."""
    if rule.dated:
        for index, other in enumerate(dates):
            if date and other and other > date:
                return index
        return len(dates)
    previous = b_ids[: b_ids.index(ident)]
    for candidate in reversed(previous):
        if candidate in current:
            return current.index(candidate) + 1
    return 0 if previous == [] and current else len(dates)
