"""Every side of a merged card reads back, whatever kind of value a field holds and
wherever comments stand: scalars, empty text, null, flow and block lists and mappings,
multi-line text, lists emptied in place, in flow, block and mixed layouts with
end-of-line comments and comment lines between a key and its value.

Before the fix, ruamel wrote a list the merge emptied after its key's comment (`[]` at
column 0, the next key glued to it: `visits:   - ...`), and a value replaced after the
document's first dump onto its key's line (`k:   -`), so one side of a conflict did not
read (`tags: custom:`); the fast path and the round-trip merge both wrote it.
"""

from __future__ import annotations

import copy
import io
import re
import zlib
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kacard.cards.yamlio import YamlProblem, load_data
from kacard.team.merge import OURS_MARKER, SEPARATOR, THEIRS_MARKER, merge_cards

KINDS = ["a", "", None, [], {}, ["x"], ["x", "y"], {"k": 1}, {"k": [1, 2]}, "l1\nl2\n"]
values = st.sampled_from(KINDS)
maybe = st.sampled_from([True, False])

contact = st.fixed_dictionaries({"name": st.sampled_from(["王建国", "李娜", "赵敏"]), "title": st.just("总监")},
                                optional={"notes": values})
visit = st.fixed_dictionaries({"date": st.sampled_from(["2026-11-02", "2026-11-05"]), "by": st.just("lina"),
                               "summary": st.just("回访")}, optional={"with": values})
cards = st.fixed_dictionaries(
    {"id": st.just("hz-x"), "name": st.just("星河"), "owner": st.just("lina"),
     "contacts": st.lists(contact, max_size=2, unique_by=lambda c: c["name"])},
    optional={"credit": st.fixed_dictionaries({"limit": st.sampled_from([1, 2])}),
              "visits": st.lists(visit, max_size=2, unique_by=lambda v: v["date"]),
              "tags": st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=2),
              "custom": st.fixed_dictionaries({"notes": values, "k": values})},
)


@st.composite
def edited(draw: Any, card: dict[str, Any]) -> dict[str, Any]:
    """One rep's changes: any field to another kind of value, records removed, lists emptied."""
    card = copy.deepcopy(card)
    for person in card["contacts"]:
        if draw(maybe):
            person["notes"] = draw(values)
    for record in card.get("visits", []):
        if draw(maybe):
            record["with"] = draw(values)
    if card["contacts"] and draw(maybe):
        card["contacts"].pop(draw(st.integers(0, len(card["contacts"]) - 1)))
    if "custom" in card and draw(maybe):
        card["custom"][draw(st.sampled_from(["notes", "k"]))] = draw(values)
    if "credit" in card and draw(maybe):
        card["credit"]["limit"] = draw(st.sampled_from([3, None]))
    if draw(maybe):
        card["tags"] = draw(st.sampled_from([[], ["d"], ["a", "e"]]))
    if "visits" in card and draw(maybe):
        card["visits"] = []
    return card


def written(card: dict[str, Any], style: bool | None, salt: int) -> bytes:
    """The card as a rep's editor might hold it: ruamel's dump in one layout (flow, block
    or mixed), then comments after some lines (the same line gets the same comment in
    every version): at the line's end, a section heading at column 0, an indented one."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = style
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(card, stream)
    lines = []
    for line in stream.getvalue().splitlines():
        pick = zlib.crc32(f"{line}{salt}".encode()) % 8
        lines.append(line + "  # 备注" if pick == 0 else line)
        lines += {1: ["# 分段"], 2: ["  # 内部"]}.get(pick, [])
    text = "\n".join(lines) + "\n"
    assume(_reads(text) == _reads(stream.getvalue()))  # a comment placed inside a scalar: not a case
    return text.encode("utf-8")


def _reads(text: str) -> Any:
    try:
        return load_data(text)
    except YamlProblem:
        return None


def sides(text: str) -> tuple[str, str]:
    """The two resolutions a reader gets by keeping ours', or theirs', lines of each hunk."""
    ours: list[str] = []
    theirs: list[str] = []
    where = None
    for line in text.splitlines(keepends=True):
        if line in (OURS_MARKER, SEPARATOR, THEIRS_MARKER):
            where = {OURS_MARKER: "ours", SEPARATOR: "theirs", THEIRS_MARKER: None}[line]
            continue
        if where != "theirs":
            ours.append(line)
        if where != "ours":
            theirs.append(line)
    return "".join(ours), "".join(theirs)


styles = st.sampled_from([None, False, True])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_every_side_of_a_merge_reads_back_whatever_the_values_and_comments(data):
    base = data.draw(cards)
    salt = data.draw(st.integers(0, 10_000))
    versions = [written(card, data.draw(styles), salt) for card in (base, data.draw(edited(base)),
                                                                     data.draw(edited(base)))]
    fast = merge_cards(*versions, "hz-x.yaml")
    slow = merge_cards(*versions, "hz-x.yaml", fast=False)
    assert fast.bytes == slow.bytes and fast.conflicts == slow.conflicts
    if fast.clean or fast.conflicts[0].path == "(whole file)":
        return  # a clean merge is validated as a card; a whole-file conflict holds both files as they were
    keys = set(_reads(versions[1].decode())) | set(_reads(versions[2].decode()))
    for side in sides(fast.text):
        assert re.search(r"^\s*[a-z_]+: +[a-z_]+:(?: |$)", side, re.MULTILINE) is None, side
        read = _reads(side)
        assert isinstance(read, dict) and set(read) <= keys, side
