"""The merge driver's fast path (kacard.team.mergefast) gives the round-trip merge's result:
the same bytes, the same conflicts in the same order, the same problems (issue 14, point 4).

Differential property test on generated triples: cards written in varied styles (block and
flow records, comment lines between records and before sections, CRLF, a BOM, a header
comment), each side edited the way reps edit (visits logged, edited and deleted, contacts
and trades changed, fields added and removed, the list restyled)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kacard.team.merge import merge_cards, round_trip_merge
from kacard.team.mergefast import fast_merge
from kacard.team.mergetree import Unsupported, outline
from tests.test_dialect import FUZZ
from tests.test_merge import BASE, add_visit
from tests.test_merge_properties import edited as rep_edits

DATES = ["2026-10-01", "2026-11-01", "2026-11-05", "2026-11-10"]
REPS = ["zhangwei", "lina"]
ORDER = ["id", "name", "status", "owner", "industry", "credit", "contacts", "trades", "visits", "notes", "tags"]


@dataclass(frozen=True)
class Style:
    header: bool  # a comment line before the first field
    flow_records: bool  # `- {date: ..., by: ...}` rather than one field a line
    comment_after: int  # a comment line after this visit (-1: none)
    sections: frozenset[str]  # a blank line and a comment line before these fields
    eol: bool  # end-of-line comments after `credit` and on the visits' key
    crlf: bool
    bom: bool


def _scalar(value: Any) -> str:
    return "null" if value is None else str(value)


def _record(record: dict[str, Any], flow: bool) -> str:
    def value(v: Any) -> str:
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}: {_scalar(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(map(_scalar, v)) + "]"
        return _scalar(v)

    if flow:
        return "  - {" + ", ".join(f"{k}: {value(v)}" for k, v in record.items()) + "}\n"
    lines = [f"{k}: {value(v)}" for k, v in record.items()]
    return "  - " + "\n    ".join(lines) + "\n"


def render(card: dict[str, Any], style: Style) -> bytes:
    out = ["# the account's card\n"] if style.header else []
    for key in [k for k in ORDER if k in card] + [k for k in card if k not in ORDER]:
        value = card[key]
        if key in style.sections:
            out.append(f"\n# {key} section\n")
        eol = "  # 备注" if style.eol and key in ("credit", "visits") else ""
        if value is None:
            out.append(f"{key}:{eol}\n")
        elif isinstance(value, dict):
            out.append(f"{key}: {{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}" + eol + "\n")
        elif isinstance(value, list) and key == "tags":
            out.append(f"{key}: [" + ", ".join(value) + "]\n")
        elif isinstance(value, list):
            if not value:
                out.append(f"{key}: []\n")
                continue
            out.append(f"{key}:{eol}\n")
            for index, record in enumerate(value):
                out.append(_record(record, style.flow_records))
                if key == "visits" and index == style.comment_after:
                    out.append("    # 补记：客户周一不在\n")
        else:
            out.append(f"{key}: {_scalar(value)}\n")
    text = "".join(out)
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if style.bom else b"") + text.encode("utf-8")


styles = st.builds(Style, st.booleans(), st.booleans(), st.integers(-1, 3),
                   st.frozensets(st.sampled_from(["contacts", "trades", "visits", "tags", "notes"])),
                   st.booleans(), st.booleans(), st.booleans())
visits = st.fixed_dictionaries({
    "date": st.sampled_from(DATES), "by": st.sampled_from(REPS), "kind": st.sampled_from(["visit", "call"]),
    "summary": st.sampled_from(["报价", "演示", "回访"]),
}, optional={"next": st.fixed_dictionaries({"date": st.just("2026-12-01"), "action": st.just("跟进")}),
             "with": st.lists(st.sampled_from(["王建国", "李工"]), min_size=1, max_size=2, unique=True)})
contacts = st.fixed_dictionaries({"name": st.sampled_from(["王建国", "李娜", "赵敏"]),
                                  "title": st.sampled_from(["总监", "经理"])})
trades = st.fixed_dictionaries({"date": st.sampled_from(DATES), "amount": st.sampled_from([1000, 2000])},
                               optional={"invoice": st.sampled_from(["INV-1", "INV-2"]),
                                         "paid": st.sampled_from([None, "2026-11-20"])})
cards = st.fixed_dictionaries({
    "id": st.just("hz-x"), "name": st.just("星河"), "status": st.just("active"), "owner": st.sampled_from(REPS),
    "credit": st.fixed_dictionaries({"limit": st.sampled_from([1000, 2000]), "terms_days": st.just(60)}),
    "contacts": st.lists(contacts, max_size=3, unique_by=lambda c: c["name"]),
    "trades": st.lists(trades, max_size=3, unique_by=lambda t: t.get("invoice") or id(t)),
    "visits": st.lists(visits, min_size=1, max_size=5),
    "tags": st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3),
}, optional={"notes": st.sampled_from([None, "老客户"])})


@st.composite
def edited(draw: Any, card: dict[str, Any]) -> dict[str, Any]:
    """What one rep might do to a card between two pulls: test_merge_properties' edits, and more."""
    card = draw(rep_edits(card))
    if draw(st.booleans()):
        card["visits"].append(draw(visits))  # with `next` and `with`
    if draw(st.booleans()):
        card["visits"].sort(key=lambda v: v["date"])
    if draw(st.booleans()):
        card["contacts"].append({"name": draw(st.sampled_from(["钱伟", "孙丽"])), "title": "经理"})
    if draw(st.booleans()):
        card["trades"].append(draw(trades))
    if card["trades"] and draw(st.booleans()):
        card["trades"][0]["paid"] = "2026-11-21"
    if draw(st.booleans()):
        card["industry"] = draw(st.sampled_from(["textile", "fmcg"]))
    if "tags" in card and draw(st.integers(0, 5)) == 0:
        del card["tags"]
    if draw(st.integers(0, 3)) == 0:
        card["notes"] = draw(st.sampled_from([None, "老客户", "新"]))
    return card


def same_result(base: bytes, ours: bytes, theirs: bytes, path: str = "hz-x.yaml") -> bool:
    """Whether both merges ran (and gave the same result); Unsupported from the fast path."""
    if base in (ours, theirs):
        return False  # merge_cards takes the other side as it is: neither merge runs
    fast = fast_merge(base, ours, theirs, path)
    slow = round_trip_merge(base, ours, theirs, path)
    assert fast.bytes == slow.bytes, (fast.text, slow.text)
    assert fast.conflicts == slow.conflicts
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
    return True


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_fast_path_gives_the_round_trip_merge(data):
    base_card = data.draw(cards)
    ours_card, theirs_card = data.draw(edited(base_card)), data.draw(edited(base_card))
    style = data.draw(styles)
    theirs_style = style if data.draw(st.integers(0, 3)) else data.draw(styles)
    triple = render(base_card, style), render(ours_card, style), render(theirs_card, theirs_style)
    try:
        event("fast path decided" if same_result(*triple) else "a side equal to the base: no merge")
    except Unsupported as exc:
        event(f"round-trip merge decides: {exc}")


EXAMPLES = {  # the merges of tests/test_merge.py, each decided by the fast path
    "visits on both sides, ours' comments": (
        BASE, add_visit(BASE, "2026-11-20", "zhangwei", "电话跟进").replace(
            "# the account's card", "# the account's card\n# ours: 客户周一不在"),
        add_visit(BASE, "2026-11-18", "lina", "现场拜访").replace("tags: [包装]", "tags: [包装, 华东]")),
    "one conflicting field": (
        BASE, BASE.replace("limit: 2000000", "limit: 3000000"),
        BASE.replace("limit: 2000000", "limit: 2500000").replace("kind: visit", "kind: meeting")),
    "a visit edited field by field": (
        BASE, BASE.replace("summary: 讨论三号线方案", "summary: 讨论三号线方案(补记)"),
        BASE.replace("with: [王建国]", "with: [王建国, 李工]")),
    "a field added on both sides": (
        BASE, BASE.replace("region: 华东/杭州\n", "region: 华东/杭州\nindustry: textile\n"),
        BASE.replace("region: 华东/杭州\n", "region: 华东/杭州\nindustry: fmcg\nsector: private\n")),
    "add/add": ("", BASE, BASE.replace("tags: [包装]", "tags: [纺织]").replace("2000000", "1")),
    "the last visit removed": (
        add_visit(BASE, "2026-11-20", "zhangwei", "电话跟进"), BASE.replace("limit: 2000000", "limit: 2100000"),
        add_visit(BASE.replace("limit: 2000000", "limit: 2100000"), "2026-11-20", "zhangwei", "电话跟进")),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_fast_path_decides_the_usual_merges(name):
    base, ours, theirs = (text.encode() for text in EXAMPLES[name])
    assert same_result(base, ours, theirs, "hz-xinghe.yaml")  # Unsupported would fail here


def test_a_flow_style_card_is_left_to_the_round_trip_merge():
    flow = b"{id: hz-x, name: x, owner: lina, credit: {limit: 1}}\n"
    with pytest.raises(Unsupported):
        outline(flow.decode())
    result = merge_cards(flow, flow.replace(b"limit: 1", b"limit: 2"), flow.replace(b"owner: lina", b"owner: zw"),
                         "hz-x.yaml")
    assert result == round_trip_merge(flow, flow.replace(b"limit: 1", b"limit: 2"),
                                      flow.replace(b"owner: lina", b"owner: zw"), "hz-x.yaml")


def test_outline_lines_of_fields_and_records():
    text = ("# head\nid: hz-x\nvisits:\n  - date: 2026-11-01\n    summary: a\n    # note\n"
            "  - {date: 2026-11-02, summary: b}\n\n# section\ntags: [a]\n")
    found = outline(text)
    assert found.header_end == 1
    assert found.segment("visits") == (2, 9)
    assert [(i.start, i.end) for i in found.entries["visits"].items or []] == [(3, 5), (6, 7)]
    assert found.data == {"id": "hz-x", "tags": ["a"], "visits": [
        {"date": "2026-11-01", "summary": "a"}, {"date": "2026-11-02", "summary": "b"}]}


def test_comment_lines_above_a_field_go_where_ruamel_hangs_them():
    head = "id: hz-x\nname: 星河\nowner: lina\n"
    after_flow = head + "tags: []\n\n# 备注\nindustry: textile\n"  # hung on `industry`
    assert outline(after_flow).segment("industry") == (4, 7)
    assert outline(after_flow.replace("\n", "\r\n")).segment("industry") == (5, 7)  # the blank line stays
    after_scalar = head + "status: active\n\n# 备注\nindustry: textile\n"  # hung on `status`
    assert outline(after_scalar).segment("industry") == (6, 7)
    for base in (after_flow, after_scalar, after_flow.replace("\n", "\r\n")):
        newline = "\r\n" if "\r" in base else "\n"
        ours = base.replace("owner: lina", "owner: zhangwei")
        theirs = base[: base.index("\n\n" if newline == "\n" else "\r\n\r\n")] + newline
        result = fast_merge(base.encode(), ours.encode(), theirs.encode(), "hz-x.yaml")
        assert result.clean and "industry" not in result.text and "owner: zhangwei" in result.text
        assert same_result(base.encode(), ours.encode(), theirs.encode())
