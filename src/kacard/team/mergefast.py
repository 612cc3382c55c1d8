"""The merge driver's fast path: the same merge as kacard.team.merge, paid only for what changed.

The round-trip merge loads three whole documents with ruamel's pure-Python loader and
dumps ours twice (about 65 s for an 867 KB card). Here (issue 14, point 4):

1. the three texts are outlined from the C parser's events (kacard.team.mergetree):
   each top-level field's lines and plain value, each block-list record's lines;
2. a field whose plain value is the same in all three versions is left as it is
   (the round-trip merge leaves it too: nothing in it can change);
3. any other field is merged by the round-trip merge's own code (`_Merger`) on a
   small round-trip document holding only that field;
4. a record list (visits, trades, ...) is planned on plain data by the same code
   (`_Merger.plan_records`: identities, deletions, additions, conflicts, in the same
   order); only the records both sides changed are merged, on documents of one record
   each; the list's removals and insertions are then replayed, in the same order and
   with the same comment moves, on small windows of ours' list (the records around each
   change), whose changed lines are spliced into ours' text as the round-trip merge
   splices them (kacard.cards.textpatch).

What it cannot outline or write that way (a flow-style card, a line the splice cannot
place, a list that becomes empty, ...) raises `Unsupported`, and merge_cards merges
the round-trip way. tests/test_merge_fast.py checks on generated triples that both ways
give the same bytes and the same conflicts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kacard.cards import yamlio
from kacard.cards.editing import key_position, move_tail_comment
from kacard.cards.textpatch import newline_of, splice
from kacard.team.fieldmerge import (
    MISSING,
    RECORD_RULES,
    Conflict,
    MergeResult,
    RecordPlan,
    RecordRule,
    _Merger,
    _same,
    record_date,
    record_position,
)
from kacard.team.mergetext import finish
from kacard.team.mergetree import Entry, Outline, Unsupported, empty, outline

Side = Literal["ours", "theirs"]
Layout = tuple[int, int, int]


def fast_merge(base: bytes, ours: bytes, theirs: bytes, path: str = "") -> MergeResult:
    """merge_cards' result, computed from the changed fields and records only. Raises Unsupported."""
    texts: dict[str, str] = {}
    trees: dict[str, Outline] = {}
    for side, data in (("ours", ours), ("theirs", theirs)):
        try:
            texts[side] = yamlio.decode(data)
            yamlio.precheck(texts[side])
        except yamlio.YamlProblem as exc:
            raise Unsupported(str(exc)) from None  # the round-trip merge writes the whole-file conflict
        trees[side] = outline(texts[side])
    trees["base"] = _base_outline(base)
    ours_text = texts["ours"]
    layout = (yamlio._mapping_indent(ours_text), *yamlio._sequence_layout(ours_text))
    newline = newline_of(ours_text)

    def resolve(side: Side) -> tuple[str, list[Conflict]]:
        merge = _FastMerge(side, trees["base"], trees["ours"], trees["theirs"], layout, newline)
        text = merge.run()
        return (text if merge.changed else ours_text), merge.merger.conflicts

    return finish(ours, theirs, texts, path, resolve)


def _base_outline(base: bytes) -> Outline:
    """The common ancestor; an empty or unreadable one (add/add) counts as an empty card."""
    try:
        text = yamlio.decode(base)
        if not text.strip():
            return empty()
        yamlio.precheck(text)
    except yamlio.YamlProblem:
        return empty()
    return outline(text)  # Unsupported: the round-trip merge decides whether it is readable


# -- round-trip documents of a few lines -------------------------------------------------


def _load(text: str, layout: Layout) -> CommentedMap:
    try:
        root = yamlio._round_trip_yaml(*layout).load(text)
    except Exception as exc:  # noqa: BLE001 - a piece the round-trip reader reads otherwise
        raise Unsupported(f"a piece of the card: {exc}") from None
    if not isinstance(root, CommentedMap):
        raise Unsupported("a piece of the card is not a mapping")
    return root


def _editable(text: str, layout: Layout, newline: str) -> yamlio.Document:
    document = yamlio.Document(_load(text, layout), *layout, source=text, newline=newline)
    document.before = document.render()
    return document


def _dump(document: yamlio.Document, closing: str) -> list[str]:
    """The piece's lines with only the changed ones replaced (yamlio.Document.dump's splice),
    without its `closing` line; Unsupported where that dump would re-render the piece (the
    whole card's dump decides)."""
    after = document.render()
    assert document.source is not None and document.before is not None
    patched = document.source
    if after != document.before:
        spliced = splice(document.source, document.before, after, document.newline)
        intended = yamlio._data(after)
        if spliced is None or yamlio.unreadable(intended) or not yamlio._same_data(yamlio._data(spliced), intended):
            raise Unsupported("the change falls where the dump and the file disagree")
        patched = spliced
    lines = patched.splitlines(keepends=True)
    if closing:
        if not lines or lines[-1] != closing:
            raise Unsupported("the piece's closing line moved")  # pragma: no cover - nothing edits it
        lines.pop()
    return lines


def _render(key: str, value: Any, layout: Layout, newline: str) -> list[str]:
    """The lines of a new top-level field as the whole card's dump writes them."""
    stream = io.StringIO()
    yamlio._round_trip_yaml(*layout).dump(CommentedMap([(key, value)]), stream)
    return [line + newline for line in stream.getvalue().splitlines()]


# -- one pass ----------------------------------------------------------------------------


@dataclass
class _Piece:
    """What becomes of one of ours' top-level fields (or a new one) in the result."""

    key: str
    lines: list[str] | None = None  # new lines of the whole segment; None: ours' own
    windows: list[tuple[int, int, list[str]]] = field(default_factory=list)  # (start, end, lines) in ours


class _FastMerge:
    """One pass (conflicts resolved to `side`) over the outlines; `run` gives the text."""

    def __init__(self, side: Side, o: Outline, a: Outline, b: Outline, layout: Layout, newline: str) -> None:
        self.merger = _Merger(side)
        self.o, self.a, self.b = o, a, b
        self.layout, self.newline = layout, newline
        self.changed = False

    def run(self) -> str:
        pieces: list[_Piece] = []
        for key, entry in self.a.entries.items():
            piece = self.field(key, entry)
            if piece is not None:
                pieces.append(piece)
        keys = [p.key for p in pieces]
        for key in self.b.entries:
            if key in self.a.entries:
                continue
            merged = self.merger.merge(key, (key,), self._node(self.o, key), MISSING, self._node(self.b, key))
            if merged is MISSING:
                continue
            self.changed = True
            at = key_position(keys, key)
            keys.insert(at, key)
            pieces.insert(at, _Piece(key, _render(key, merged, self.layout, self.newline)))
        return self.assemble(pieces)

    def field(self, key: str, entry: Entry) -> _Piece | None:
        """Merge one of ours' fields; None when it is deleted."""
        o_entry, b_entry = self.o.entries.get(key), self.b.entries.get(key)
        if o_entry is not None and b_entry is not None and _same(o_entry.data, entry.data) \
                and _same(entry.data, b_entry.data):
            return _Piece(key)  # the same in all three: nothing in it can change
        rule = RECORD_RULES.get(key)
        if rule is not None and entry.items is not None and b_entry is not None and b_entry.items is not None:
            return _Piece(key, windows=self.records(key, rule, entry, b_entry))
        start, end = self.a.segment(key)
        closing, _item = self.a.closing(end)
        document = _editable(self.a.text(start, end) + closing, self.layout, self.newline)
        before, self.merger.changed = self.merger.changed, False
        node = document.root[key]
        merged = self.merger.merge(key, (key,), self._node(self.o, key), node, self._node(self.b, key))
        if merged is MISSING:
            self.changed = True
            return None
        if merged is not node:
            document.root[key] = merged
            self.merger.changed = True
        after = document.root[key]
        if entry.items is not None and isinstance(after, CommentedSeq) and not after:
            raise Unsupported("the list becomes empty")  # ruamel writes `key: []`, not always cleanly
        if not self.merger.changed:
            self.merger.changed = before
            return _Piece(key)
        self.changed = True
        return _Piece(key, _dump(document, closing))

    def _node(self, tree: Outline, key: str) -> Any:
        """The round-trip node of a field of base or theirs (a document of that field only)."""
        if key not in tree.entries:
            return MISSING
        start, end = tree.segment(key)
        return _load(tree.text(start, end) + tree.closing(end)[0], self.layout)[key]

    # -- record lists --------------------------------------------------------------------

    def records(self, key: str, rule: RecordRule, entry: Entry, b_entry: Entry) -> list[tuple[int, int, list[str]]]:
        o_entry = self.o.entries.get(key)
        o_list = o_entry.data if o_entry is not None and isinstance(o_entry.data, list) else []
        assert entry.items is not None and b_entry.items is not None
        a_list = [item.data for item in entry.items]
        b_list = [item.data for item in b_entry.items]
        merged: dict[int, Any] = {}  # ours' index -> its merged node (records both sides changed)

        def merge_at(index: int, where: str, o_index: int | None, b_index: int) -> None:
            if _same(a_list[index], b_list[b_index]):
                return  # what the round-trip merge does for equal records
            node = _items(self.a, key, [index], self.layout)[index]
            o_node = MISSING if o_index is None else _items(self.o, key, [o_index], self.layout)[o_index]
            b_node = _items(self.b, key, [b_index], self.layout)[b_index]
            before, self.merger.changed = self.merger.changed, False
            result = self.merger.merge(where, ("[record]",), o_node, node, b_node)
            if result is not MISSING and result is not node:
                node, self.merger.changed = result, True
            if self.merger.changed:
                merged[index] = node
            self.merger.changed = before or self.merger.changed

        plan = self.merger.plan_records(key, rule, o_list, a_list, b_list, merge_at)
        if not plan.removals and not plan.additions and not merged:
            return []
        self.changed = self.merger.changed = True
        takes = _items(self.b, key, sorted({j for _, j in plan.additions}), self.layout)
        added = {j: self.merger.take(node) for j, node in takes.items()}
        steps, final = _simulate(rule, plan, [record_date(merged.get(i, r)) for i, r in enumerate(a_list)],
                                 {j: record_date(node) for j, node in added.items()})
        return self.windows(key, entry, merged, added, steps, final)

    def windows(self, key: str, entry: Entry, merged: dict[int, Any], added: dict[int, Any],
                steps: list[_Step], final: list[_Ref]) -> list[tuple[int, int, list[str]]]:
        """Replay the list's changes on windows of ours' records; their new lines."""
        assert entry.items is not None
        items, count = entry.items, len(entry.items)
        dirty = set(merged) | {s.ref[1] for s in steps if s.kind == "remove"}
        for order in (final, final[::-1]):  # the records of ours just before and after each of theirs
            near: int | None = None
            for kind, i in order:
                if kind == "a":
                    near = i
                elif near is not None:
                    dirty.add(near)
        if not final:
            raise Unsupported("the list becomes empty")  # ruamel writes `key: []` there
        marks = sorted({j for i in dirty for j in (i - 1, i, i + 1) if 0 <= j < count})
        ranges: list[list[int]] = []
        for i in marks:
            if ranges and i <= ranges[-1][1]:
                ranges[-1][1] = i + 1
            else:
                ranges.append([i, i + 1])
        window_of = {i: w for w, (lo, hi) in enumerate(ranges) for i in range(lo, hi)}
        owner: dict[_Ref, int] = {}  # a record of theirs belongs to the window of the records around it
        previous: int | None = None
        for at, ref in enumerate(final):
            if ref[0] == "a":
                previous = ref[1]
            else:
                near = previous if previous is not None else next((i for k, i in final[at + 1:] if k == "a"), 0)
                owner[ref] = window_of[near]  # no record of ours kept: every one is in the one window
        _, seg_end = self.a.segment(key)
        head = self.a.lines[entry.line]
        documents = []
        closings: list[str] = []
        for lo, hi in ranges:
            end = items[hi].start if hi < count else seg_end
            closing, item = self.a.closing(end)
            document = _editable(head + self.a.text(items[lo].start, end) + closing, self.layout, self.newline)
            closings.append(closing)
            seq = document.root[key]
            if not isinstance(seq, CommentedSeq) or len(seq) != hi - lo + item:
                raise Unsupported("a window that does not read as its records")  # pragma: no cover
            for i in range(lo, hi):
                if i in merged:
                    seq[i - lo] = merged[i]
            documents.append(document)
        current: list[_Ref] = [("a", i) for i in range(count)]
        for step in steps:
            w = window_of[step.ref[1]] if step.ref[0] == "a" else owner[step.ref]
            seq = documents[w].root[key]
            if step.kind == "remove":
                at = current.index(step.ref)
                mini = sum(1 for ref in current[:at] if _in(ref, w, window_of, owner))
                if step.tail:
                    move_tail_comment(seq, mini, mini - 1)
                del seq[mini]
                del current[at]
            else:
                current.insert(step.at, step.ref)
                mini = sum(1 for ref in current[:step.at] if _in(ref, w, window_of, owner))
                seq.insert(mini, added[step.ref[1]])
                if step.tail:
                    move_tail_comment(seq, mini - 1, mini)
        out = []
        for (lo, hi), document, closing in zip(ranges, documents, closings, strict=True):
            lines = _dump(document, closing)
            if not lines or lines[0] != head:
                raise Unsupported("the list's own line changes")
            end = items[hi].start if hi < count else seg_end
            out.append((items[lo].start, end, lines[1:]))
        return out

    # -- the text ------------------------------------------------------------------------

    def assemble(self, pieces: list[_Piece]) -> str:
        a = self.a
        out = list(a.lines[: a.header_end])
        for piece in pieces:
            if piece.key in a.entries and piece.lines is None:
                start, end = a.segment(piece.key)
                lines: list[str] = []
                done = start
                for w_start, w_end, new in piece.windows:
                    lines += a.lines[done:w_start] + new
                    done = w_end
                lines += a.lines[done:end]
            else:
                lines = piece.lines or []
            if out and lines and not out[-1].endswith("\n"):
                out[-1] += self.newline
            out += lines
        return "".join(out)


_Ref = tuple[str, int]  # ("a", ours' index) or ("b", theirs' index)


@dataclass(frozen=True)
class _Step:
    kind: Literal["remove", "insert"]
    ref: _Ref
    at: int  # insert: position in the list at that moment
    tail: bool  # the comment after the list's last record moves (editing.move_tail_comment)


def _simulate(rule: RecordRule, plan: RecordPlan, a_dates: list[str], b_dates: dict[int, str]) -> tuple[list[_Step], list[_Ref]]:
    """_Merger.merge_records' edits of ours' list, on references: the steps and the final order."""
    current: list[_Ref] = [("a", i) for i in range(len(a_dates))]
    ids = list(plan.a_ids)
    dates = list(a_dates)
    steps: list[_Step] = []
    for index in reversed(plan.removals):
        steps.append(_Step("remove", current[index], index, index == len(current) - 1 and len(current) > 1))
        del current[index], ids[index], dates[index]
    for ident, b_index in plan.additions:
        at = record_position(rule, dates, ids, plan.b_ids, ident, b_dates[b_index])
        current.insert(at, ("b", b_index))
        ids.insert(at, ident)
        dates.insert(at, b_dates[b_index])
        steps.append(_Step("insert", ("b", b_index), at, at == len(current) - 1 and at > 0))
    return steps, current


def _in(ref: _Ref, window: int, window_of: dict[int, int], owner: dict[_Ref, int]) -> bool:
    return (window_of.get(ref[1], -1) if ref[0] == "a" else owner.get(ref, -1)) == window


def _items(tree: Outline, key: str, indexes: list[int], layout: Layout) -> dict[int, Any]:
    """Round-trip nodes of some records of a list (one document holding only those records,
    each with the comment lines after it, as in the whole card)."""
    entry = tree.entries[key]
    start, seg_end = tree.segment(key)
    if entry.items is None:  # a flow list (or other value): the whole field
        seq = _load(tree.text(start, seg_end) + tree.closing(seg_end)[0], layout)[key]
        return {i: seq[i] for i in indexes}
    if not indexes:
        return {}
    items = entry.items
    ends = [items[i + 1].start if i + 1 < len(items) else seg_end for i in indexes]
    closing, item = tree.closing(ends[-1])
    text = tree.lines[entry.line] + "".join(
        tree.text(items[i].start, end) for i, end in zip(indexes, ends, strict=True)) + closing
    seq = _load(text, layout)[key]
    if not isinstance(seq, CommentedSeq) or len(seq) != len(indexes) + item:
        raise Unsupported("records that do not read alone")  # pragma: no cover
    return dict(zip(indexes, seq, strict=False))
