"""Invariants of the card merge on generated cards: merge(O, A, O) == A, symmetry, nothing lost."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kacard.team.merge import merge_cards
from kacard.cards.yamlio import load_data

DATES = ["2026-11-01", "2026-11-05", "2026-11-10"]
REPS = ["zhangwei", "lina"]

visits = st.fixed_dictionaries({
    "date": st.sampled_from(DATES), "by": st.sampled_from(REPS), "kind": st.sampled_from(["visit", "call"]),
    "summary": st.sampled_from(["报价", "演示", "回访"]),
})
contacts = st.fixed_dictionaries({"name": st.sampled_from(["王建国", "李娜", "赵敏"]),
                                  "title": st.sampled_from(["总监", "经理"])})
cards = st.fixed_dictionaries({
    "id": st.just("hz-x"), "name": st.just("星河"), "owner": st.sampled_from(REPS),
    "credit": st.fixed_dictionaries({"limit": st.sampled_from([1000, 2000, 3000])}),
    "contacts": st.lists(contacts, max_size=3, unique_by=lambda c: c["name"]),
    "visits": st.lists(visits, max_size=4),
    "tags": st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3),
})


@st.composite
def edited(draw: Any, card: dict[str, Any]) -> dict[str, Any]:
    """What one rep might do to a card between two pulls."""
    card = copy.deepcopy(card)
    if draw(st.booleans()):
        card["visits"].append(draw(visits))
    if card["visits"] and draw(st.booleans()):
        card["visits"][draw(st.integers(0, len(card["visits"]) - 1))]["summary"] = draw(st.sampled_from(["改", "补"]))
    if card["visits"] and draw(st.booleans()):
        del card["visits"][draw(st.integers(0, len(card["visits"]) - 1))]
    if card["contacts"] and draw(st.booleans()):
        card["contacts"][draw(st.integers(0, len(card["contacts"]) - 1))]["title"] = "副总"
    if card["contacts"] and draw(st.booleans()):
        del card["contacts"][draw(st.integers(0, len(card["contacts"]) - 1))]
    if draw(st.booleans()):
        card["credit"]["limit"] = draw(st.sampled_from([1000, 2000, 3000]))
    if draw(st.booleans()):
        card["tags"] = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3))
    if draw(st.booleans()):
        card["owner"] = draw(st.sampled_from(REPS))
    return card


def dump(card: dict[str, Any], flow: bool = False) -> bytes:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = flow or None
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(card, stream)
    return stream.getvalue().encode("utf-8")


def canonical(value: Any) -> Any:
    """Content without order: lists sorted (merge order of same-day additions is ours-first)."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def content(text: str) -> Any:
    return canonical(load_data(text))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_merge_with_unchanged_theirs_is_ours(data):
    base = data.draw(cards)
    ours = data.draw(edited(base))
    reformatted_base = dump(base, flow=True)  # same content, other bytes: the full merge runs
    result = merge_cards(dump(base), dump(ours), reformatted_base, "hz-x.yaml")
    assert result.clean, result.conflicts
    assert load_data(result.text) == load_data(dump(ours).decode())


@SETTINGS
@given(st.data())
def test_merge_is_symmetric_and_keeps_every_added_visit(data):
    base = data.draw(cards)
    ours, theirs = data.draw(edited(base)), data.draw(edited(base))
    one = merge_cards(dump(base), dump(ours), dump(theirs), "hz-x.yaml")
    two = merge_cards(dump(base), dump(theirs), dump(ours), "hz-x.yaml")
    assert sorted(c.path for c in one.conflicts) == sorted(c.path for c in two.conflicts)
    assert one.clean == two.clean
    if not one.clean:
        assert "<<<<<<< ours" in one.text and "<<<<<<< ours" in two.text
        return
    assert content(one.text) == content(two.text)
    merged = [json.dumps(v, sort_keys=True) for v in load_data(one.text)["visits"]]
    for side in (ours, theirs):
        for visit in side["visits"]:
            if visit not in base["visits"]:
                assert json.dumps(visit, sort_keys=True) in merged
