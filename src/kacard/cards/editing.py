"""Changes to cards, as patches of the original YAML document (pure, no file I/O).

Patching the round-trip document (never re-dumping the model) keeps the user's
comments, key order and quoting, so a logged visit's diff is only added lines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from kacard.cards import aliases
from kacard.cards.fastyaml import has_forbidden
from kacard.cards.model.card import Card
from kacard.cards.yamlio import Document, flow_map, flow_seq

# Top-level key order of a card, as in the model; new keys are inserted in this order.
CARD_KEYS: tuple[str, ...] = tuple(f.alias or name for name, f in Card.model_fields.items())

SCHEMA_COMMENT = "# yaml-language-server: $schema={schema}"


def insert_key(root: CommentedMap, key: str, value: Any) -> None:
    """Set a top-level key, inserting a missing one where the model's order puts it."""
    if key in root:
        root[key] = value
        return
    root.insert(key_position(list(root), key), key, value)


def key_position(keys: list[Any], key: str) -> int:
    """Where a missing top-level key goes among `keys`: before the first key the model orders after it."""
    order = {k: i for i, k in enumerate(CARD_KEYS)}
    rank = order.get(key, len(CARD_KEYS))
    for i, existing in enumerate(keys):
        if order.get(existing, len(CARD_KEYS)) > rank:
            return i
    return len(keys)


def _is_block(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and len(node) > 0 and not node.fa.flow_style()


def _tail_slot(seq: CommentedSeq, index: int) -> tuple[dict[Any, Any], Any, int]:
    """Where ruamel keeps the comment printed after item `index` (the last line's eol slot)."""
    node = seq[index]
    if not _is_block(node):
        return seq.ca.items, index, 0
    while True:
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        if _is_block(node[key]):
            node = node[key]
            continue
        return node.ca.items, key, 2 if isinstance(node, CommentedMap) else 0


def move_tail_comment(seq: CommentedSeq, old: int, new: int) -> None:
    """Comment lines after item `old` (e.g. the heading of the next section) follow to item `new`."""
    items, key, pos = _tail_slot(seq, old)
    entry = items.get(key)
    token = entry[pos] if entry and len(entry) > pos else None
    if entry is None or not isinstance(token, CommentToken):
        return
    first, _, rest = token.value.partition("\n")
    if not rest.strip("\n "):
        return
    if "#" in first:
        token.value = first + "\n"
    else:
        entry[pos] = None
    items, key, pos = _tail_slot(seq, new)
    entry = items.setdefault(key, [None, None, None, None])
    current = entry[pos] if len(entry) > pos else None
    if isinstance(current, CommentToken) and "#" in current.value.split("\n")[0]:
        current.value = current.value.split("\n")[0] + "\n" + rest
    else:
        entry[pos] = CommentToken("\n" + rest, CommentMark(0), None)


def settle_emptied(node: Any) -> None:
    """Write the collections an edit emptied in place as `key: []` / `key: {}`, with the
    comments that stood between the key and its first item after them.

    ruamel keeps an emptied block list or mapping in block style and writes the key's
    comments before its value, so `contacts:  # 关键人` emptied came out as the comment,
    `[]` at column 0 and the next key glued to it (`[]` then `visits:   - ...`): text that
    no longer reads as a card. A parsed document never holds an empty block collection
    (`key: []` reads as flow, `key:` as null), so only an edit's leftovers change here;
    `node` is walked whole (a card: a few thousand nodes)."""
    stack = [node]
    while stack:
        current = stack.pop()
        pairs = current.items() if isinstance(current, CommentedMap) else enumerate(current)
        for key, value in pairs:
            if not isinstance(value, CommentedMap | CommentedSeq):
                continue
            if value or value.fa.flow_style():
                stack.append(value)
            else:
                _settle(current, key, value)


def _settle(parent: CommentedMap | CommentedSeq, key: Any, value: CommentedMap | CommentedSeq) -> None:
    """`value` (empty) as flow, its comments folded into the one after `parent`'s `key: []`."""
    eol, lines = (value.ca.comment or [None, None])[:2] if value.ca.comment else (None, None)
    value.ca.comment = None
    end, value.ca.end = value.ca.end or [], []
    value.fa.set_flow_style()
    if not isinstance(parent, CommentedMap):
        return  # an item of a list: `- []` takes no key's comment
    entry = parent.ca.items.setdefault(key, [None, None, None, None])
    entry += [None] * (4 - len(entry))
    eol = entry[2] if isinstance(entry[2], CommentToken) else eol
    below = [t for t in [*(entry[3] or lines or []), *end] if isinstance(t, CommentToken)]
    entry[3] = None
    if not below:
        entry[2] = eol
        return
    first = eol.value.split("\n")[0] if isinstance(eol, CommentToken) else ""
    text = "".join(t.value if t.value.endswith("\n") else t.value + "\n" for t in below)
    if isinstance(eol, CommentToken) and eol.value.partition("\n")[2].strip():
        text = eol.value.partition("\n")[2] + text  # ruamel folded the lines into the eol token
        if not text.endswith("\n"):
            text += "\n"
    entry[2] = CommentToken(first + "\n" + text, CommentMark(eol.column if isinstance(eol, CommentToken) else 0))


def append_record(root: CommentedMap, key: str, record: CommentedMap) -> None:
    """Append one record to a block list (creating the list when missing)."""
    items = root.get(key)
    if not isinstance(items, CommentedSeq):
        items = CommentedSeq()
        insert_key(root, key, items)
    elif items.fa.flow_style():
        items.fa.set_block_style()
    items.append(record)
    if len(items) > 1:
        move_tail_comment(items, len(items) - 2, len(items) - 1)


_YAML_SPECIAL = set(":#,[]{}&*!|>'\"%@`?\\")


def text_scalar(text: str) -> str:
    """User text for a record: plain when unambiguous, else double-quoted.

    ruamel's emitter and the C parser disagree on a few plain scalars in flow
    context (e.g. `a?b` inside `{...}`), so anything with YAML punctuation, an
    astral character or edge spaces is written quoted; the dump is re-parsed
    before any write anyway, so a disagreement can never corrupt a card."""
    risky = (
        not text
        or text != text.strip()
        or text[0] in "-"
        or any(ch in _YAML_SPECIAL or ord(ch) > 0xFFFF for ch in text)
        or has_forbidden(text)  # TAB, U+2028 ...: only escaped inside double quotes (the dialect)
    )
    return DoubleQuotedScalarString(text) if risky else text


def visit_record(
    date: dt.date,
    summary: str,
    *,
    by: str | None,
    kind: str,
    with_: list[str],
    next_date: dt.date | None,
    next_time: dt.time | None,
    next_action: str | None,
    no_next: str | None,
    time: dt.time | None = None,
) -> CommentedMap:
    visit = CommentedMap()
    visit["date"] = date
    if time is not None:
        visit["time"] = DoubleQuotedScalarString(time.strftime("%H:%M"))  # plain 10:00 is 600 in YAML 1.1
    if by:
        visit["by"] = by
    visit["kind"] = kind
    if with_:
        visit["with"] = flow_seq([text_scalar(name) for name in with_])
    visit["summary"] = text_scalar(summary)
    if next_date is not None and next_action:
        step: dict[str, Any] = {"date": next_date}
        if next_time is not None:
            # quoted: the C parser refuses a plain `10:00` inside a flow mapping
            step["time"] = DoubleQuotedScalarString(next_time.strftime("%H:%M"))
        step["action"] = text_scalar(next_action)
        visit["next"] = flow_map(step)
    if no_next:
        visit["no_next"] = text_scalar(no_next)
    return visit


def same_visit_logged(card: Card, date: dt.date, by: str | None, kind: str, summary: str,
                      time: dt.time | None = None) -> bool:
    """Whether the card already has this very visit (same date, time, by, kind and summary,
    the summary compared as the model reads it: stripped): logging it again is most likely a
    repeated command, so the CLI asks first. Two visits at different times are two visits."""
    text = summary.strip()
    return any(v.date == date and v.time == time and v.by == by and v.kind == kind and v.summary == text
               for v in card.visits)


def log_visit(visit: CommentedMap, reactivate: bool = False) -> Any:
    """A change for store.update_card: append the visit, keep visits in date order; with
    `reactivate`, also set a lost account's status back to active (in the file's words).

    The usual case (the newest visit) appends at the end; a back-dated visit is
    inserted before the first later one so the list stays in date order."""

    def change(document: Document) -> None:
        if reactivate:
            status = document.root.get("status")
            chinese = aliases.uses_chinese("status", [status])
            document.root["status"] = aliases.label("status", "active") if chinese else "active"
        items = document.root.get("visits")
        if isinstance(items, CommentedSeq) and items:
            kinds = [v.get("kind") for v in items if isinstance(v, dict)]
            if aliases.uses_chinese("visit_kind", kinds):  # keep the words the file uses
                visit["kind"] = aliases.label("visit_kind", aliases.to_english("visit_kind", visit["kind"]))
        insert_dated(document.root, "visits", visit)

    return change


def insert_dated(root: CommentedMap, key: str, record: CommentedMap) -> None:
    """Add a dated record (visit, trade) to its list in date order: after every record of
    the same date or earlier, so the usual newest record is appended at the end."""
    items = root.get(key)
    if isinstance(items, CommentedSeq) and items:
        later = [i for i, v in enumerate(items) if _date_of(v) is not None and _date_of(v) > record["date"]]
        if later:
            items.insert(later[0], record)
            return
    append_record(root, key, record)


def _date_of(record: Any) -> dt.date | None:
    value = record.get("date") if isinstance(record, dict) else None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def new_card_text(fields: dict[str, Any], schema_path: str | None) -> str:
    """A new card as commented YAML text (the shape a rep then fills in)."""
    from kacard.cards.yamlio import _round_trip_yaml  # same emitter settings as every rewrite
    import io

    root = CommentedMap()
    for key in CARD_KEYS:
        if key in fields and fields[key] not in (None, [], {}):
            value = fields[key]
            if key in ("location", "visit_hours", "credit", "purchasing") and isinstance(value, dict):
                value = flow_map(value)
            elif key == "tags":
                value = flow_seq(value)
            elif key == "contacts":
                value = CommentedSeq([flow_map({k: text_scalar(v) for k, v in c.items()}) for c in value])
            root[key] = value
    for key in ("contacts", "trades", "visits"):
        if key not in root:
            root[key] = CommentedSeq()
            root[key].fa.set_flow_style()
    stream = io.StringIO()
    _round_trip_yaml().dump(root, stream)
    header = []
    if schema_path:
        header.append(SCHEMA_COMMENT.format(schema=schema_path))
    header.append("# Customer data card (客户资料卡). Field reference: kacard schema / README.")
    return "\n".join(header) + "\n" + stream.getvalue()


def set_ratings(ratings: dict[str, int | None]) -> Any:
    """A change for store.update_card: set manual 10/2 ratings in `criteria` (None removes
    one, so the criterion is derived again); other ratings and the map's style are kept."""

    def change(document: Document) -> None:
        root = document.root
        criteria = root.get("criteria")
        if not isinstance(criteria, CommentedMap):
            criteria = flow_map({})
            insert_key(root, "criteria", criteria)
        for name, value in ratings.items():
            if value is None:
                criteria.pop(name, None)
            else:
                criteria[name] = value

    return change


def set_tier_pin(tier: str | None) -> Any:
    """A change for store.update_card: pin the tier (S/A/B/C), or None to unpin."""

    def change(document: Document) -> None:
        insert_key(document.root, "tier", tier)

    return change


def unknown_people(card: Card, names: list[str]) -> list[tuple[str, list[str]]]:
    """The names met at a visit (`log --with`) that are none of the card's contacts, each
    with the contacts it may be a mistyping of (difflib, best first; at most 3)."""
    import difflib

    contacts = [c.name for c in card.contacts]
    found = []
    for name in names:
        if name in contacts:
            continue
        close = [c for c in contacts if name in c or c in name]
        close += [c for c in difflib.get_close_matches(name, contacts, n=3, cutoff=0.4) if c not in close]
        found.append((name, close[:3]))
    return found
