"""Three-way, field-aware merge of one card: the core of `kacard merge-driver` (pure: text in, text out).

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
from pathlib import PurePosixPath
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from kacard.cards import yamlio
from kacard.cards.editing import insert_key, move_tail_comment
from kacard.cards.paths import RESERVED_FOLDERS, SETTINGS_FILE
from kacard.cards.textpatch import opcodes, with_bom
from kacard.errors import KacardError, Problem
from kacard.i18n import _

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
    path: str  # e.g. credit.limit, contacts[王建国].title
    reason: str


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
            reason = "deleted on one side, changed on the other"
        else:
            reason = "added differently on both sides" if o is MISSING else "changed differently on both sides"
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
        o_ids, a_ids, b_ids = _identities(rule, o, list(a), list(b))
        base = dict(zip(o_ids, o, strict=True))
        theirs = dict(zip(b_ids, b, strict=True))
        removals: list[int] = []
        additions: list[tuple[tuple[str, ...], Any]] = []
        kept_both: set[tuple[str, ...]] = set()
        twice: list[tuple[str, ...]] = []
        for index, ident in enumerate(a_ids):
            where = f"{path}[{_label(ident)}]"
            o_rec, a_rec, b_rec = base.get(ident, MISSING), a[index], theirs.get(ident, MISSING)
            if b_rec is MISSING:
                if o_rec is MISSING:
                    continue  # added by ours
                if _same(o_rec, a_rec):
                    removals.append(index)  # deleted by theirs
                elif self.clash(where, "deleted on one side, changed on the other", a_rec, MISSING) is MISSING:
                    removals.append(index)
                continue
            if o_rec is MISSING and rule.events and not _same(a_rec, b_rec):
                kept_both.add(ident)  # two different events with one identity: keep both
                continue
            if o_rec is MISSING and ident[0] in WEAK_IDENTITIES:  # same content added on both sides
                self.conflicts.append(Conflict(where, _("added on both sides with the same content: "
                                                        "one record or two? keep one or both")))
                if self.side == "theirs":
                    twice.append(ident)
                continue
            merged = self.merge(where, ("[record]",), o_rec, a_rec, b_rec)
            if merged is MISSING:  # pragma: no cover - a record present on both sides stays
                removals.append(index)
            elif merged is not a_rec:
                a[index] = merged
                self.changed = True
        ours = set(a_ids)
        for ident, b_rec in zip(b_ids, b, strict=True):
            if ident in ours and ident not in kept_both:
                continue
            o_rec = base.get(ident, MISSING)
            if ident in kept_both or o_rec is MISSING:
                additions.append((ident, self.take(b_rec)))  # added by theirs
            elif not _same(o_rec, b_rec):
                where = f"{path}[{_label(ident)}]"
                if self.clash(where, "deleted on one side, changed on the other", MISSING, b_rec) is not MISSING:
                    additions.append((ident, self.take(b_rec)))
        additions += [((*ident, "twice"), self.take(theirs[ident])) for ident in twice]
        current = list(a_ids)
        for index in reversed(removals):
            if index == len(a) - 1 and len(a) > 1:
                move_tail_comment(a, index, index - 1)
            del a[index]
            del current[index]
            self.changed = True
        if additions and a.fa.flow_style():
            a.fa.set_block_style()
        for ident, record in additions:
            position = self._position(rule, a, current, b_ids, ident, record)
            a.insert(position, record)
            current.insert(position, ident)
            if position == len(a) - 1 and position > 0:
                move_tail_comment(a, position - 1, position)
            self.changed = True

    @staticmethod
    def _position(rule: RecordRule, a: CommentedSeq, current: list[tuple[str, ...]],
                  b_ids: list[tuple[str, ...]], ident: tuple[str, ...], record: Any) -> int:
        """Dated lists: before the first later record. Others: after theirs' previous record."""
        if rule.dated:
            date = _text(plain(record.get("date")) if isinstance(record, dict) else "")
            for index, existing in enumerate(a):
                other = _text(plain(existing.get("date")) if isinstance(existing, dict) else "")
                if date and other and other > date:
                    return index
            return len(a)
        previous = b_ids[: b_ids.index(ident)]
        for candidate in reversed(previous):
            if candidate in current:
                return current.index(candidate) + 1
        return 0 if previous == [] and current else len(a)


# -- whole files -------------------------------------------------------------------------


def is_card_path(path: str) -> bool:
    """Whether git's %P names a card (not kacard.yaml, not a hidden file like .pre-commit-config.yaml,
    not a file under a reserved folder such as import/ or plans/: those keep git's line merge)."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if not parts or not parts[-1].endswith(".yaml") or parts[-1] == SETTINGS_FILE:
        return False
    return not any(part.startswith(".") or part in RESERVED_FOLDERS for part in parts[:-1]) and not parts[-1].startswith(".")


def _with_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def whole_file_conflict(ours: str, theirs: str) -> str:
    return OURS_MARKER + _with_newline(ours) + SEPARATOR + _with_newline(theirs) + THEIRS_MARKER


def whole_file_conflict_bytes(ours: bytes, theirs: bytes) -> bytes:
    """Both sides as they are on disk (any encoding, BOM, line endings), between markers."""
    def ended(data: bytes) -> bytes:
        return data if not data or data.endswith(b"\n") else data + b"\n"

    return (OURS_MARKER.encode() + ended(ours) + SEPARATOR.encode() + ended(theirs)
            + THEIRS_MARKER.encode())


def conflict_hunks(ours: str, theirs: str) -> str:
    """Both resolutions of a merge, with markers around the lines where they differ."""
    a = _with_newline(ours).splitlines(keepends=True)
    b = _with_newline(theirs).splitlines(keepends=True)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            out.extend(a[i1:i2])
        else:
            out += [OURS_MARKER, *a[i1:i2], SEPARATOR, *b[j1:j2], THEIRS_MARKER]
    return "".join(out)


def _whole_file(ours: bytes, theirs: bytes, reason: str, problems: list[Problem] | None = None) -> MergeResult:
    data = whole_file_conflict_bytes(ours, theirs)
    return MergeResult(data.decode("utf-8", errors="replace"), [Conflict("(whole file)", reason)],
                       problems or [], data=data)


def merge_cards(base: bytes, ours: bytes, theirs: bytes, path: str = "") -> MergeResult:
    """Merge three versions of one card file (git's %O, %A, %B); never raises for bad content.

    `path` (git's %P) names the card in messages and sets the id the result must have.
    The result's `data` are the bytes to write: ours' own lines (encoding, BOM, line
    endings) wherever the merge did not change them; in a whole-file conflict both
    sides' original bytes, whatever their encoding (a GBK side stays GBK)."""
    if theirs == base:
        return MergeResult(ours.decode("utf-8", errors="replace"), data=ours)
    if ours == base:
        return MergeResult(theirs.decode("utf-8", errors="replace"), data=theirs)
    texts: dict[str, str] = {}
    parsed: dict[str, yamlio.Document] = {}
    for side, data in (("ours", ours), ("theirs", theirs)):
        try:
            texts[side] = yamlio.decode(data)
            # only ours is written: only ours needs the patching state (one more dump)
            parsed[side] = yamlio.load_document(texts[side], editable=side == "ours")
        except yamlio.YamlProblem as exc:
            where = f" (line {exc.line})" if exc.line else ""
            return _whole_file(ours, theirs, f"{side} cannot be read{where}: {exc}")
    ours_text = texts["ours"]
    base_root = _base_root(base)  # neither base nor theirs is changed by a pass: both passes share them
    try:
        first = _Merger("ours")
        first.merge("", (), base_root, parsed["ours"].root, parsed["theirs"].root)
        resolved_ours = parsed["ours"].dump() if first.changed else ours_text
        if not first.conflicts:
            problems = _validate(path, resolved_ours) if resolved_ours not in (ours_text, texts["theirs"]) else []
            if problems:
                return _whole_file(ours, theirs, "the merged card would not be valid; both versions kept",
                                   problems)
            return MergeResult(resolved_ours, data=with_bom(ours, resolved_ours))
        second = _Merger("theirs")
        again = yamlio.load_document(ours_text)
        again.source, again.before, again.newline = (parsed["ours"].source, parsed["ours"].before,
                                                     parsed["ours"].newline)
        second.merge("", (), base_root, again.root, parsed["theirs"].root)
        resolved_theirs = again.dump() if second.changed else ours_text
    except yamlio.YamlProblem as exc:
        return _whole_file(ours, theirs, f"kacard cannot write the merge without rewriting other lines: {exc}")
    text = conflict_hunks(resolved_ours, resolved_theirs)
    if OURS_MARKER not in text:  # pragma: no cover - a conflict always differs somewhere
        return _whole_file(ours, theirs, "both versions kept")
    return MergeResult(text, _unique(first.conflicts), data=with_bom(ours, text))


def _base_root(base: bytes) -> CommentedMap:
    """The common ancestor; an empty or unreadable one (add/add) counts as an empty card."""
    try:
        text = yamlio.decode(base)
        return yamlio.load_document(text).root if text.strip() else CommentedMap()
    except yamlio.YamlProblem:
        return CommentedMap()


def _validate(path: str, text: str) -> list[Problem]:
    from kacard.cards.parse import parse_card

    name = PurePosixPath(path).name if path else ""
    expect = name[: -len(".yaml")] if name.endswith(".yaml") else None
    _, problems = parse_card(path or "merged card", text.encode("utf-8"), expect_id=expect)
    return problems


def _unique(conflicts: list[Conflict]) -> list[Conflict]:
    return list(dict.fromkeys(conflicts))
