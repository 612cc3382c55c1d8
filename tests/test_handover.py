"""`kacard handover`: owner moves, a handovers record is appended, the successor gets the briefs."""

from __future__ import annotations

import json

from tests.conftest import SAMPLE_CARD

OTHER = SAMPLE_CARD.replace("hz-xinghe", "hz-other").replace("杭州星河纺织有限公司", "杭州其他公司")


def test_handover_all_cards_of_a_rep(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-other", OTHER.replace("owner: zhangwei", "owner: lina"))
    before = path.read_text("utf-8")
    result = kacard("handover", "zhangwei", "lina", "--reason", "离职")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Handover zhangwei → lina\n\n"
                                    "Handed over 1 card(s) from zhangwei to lina on 2026-11-23. Reason: 离职\n")
    assert "## 杭州星河纺织有限公司 (hz-xinghe)" in result.stdout and "王建国" in result.stdout
    after = path.read_text("utf-8")
    assert after.startswith("# the account's card\n")  # a patch: comments and layout kept
    assert after.replace("owner: lina", "owner: zhangwei").startswith(before)
    assert after.endswith("handovers:\n  - {date: 2026-11-23, from: zhangwei, to: lina, reason: 离职}\n")
    listed = json.loads(kacard("list", "--format", "json").stdout)
    assert {r["id"]: r["owner"] for r in listed} == {"hz-xinghe": "lina", "hz-other": "lina"}


def test_handover_selected_ids_as_json(kacard, folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-other", OTHER)
    result = kacard("handover", "zhangwei", "lina", "--ids", "hz-other", "--date", "2026-11-30", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"], data["date"], data["reason"]) == ("zhangwei", "lina", "2026-11-30", None)
    assert [c["id"] for c in data["cards"]] == ["hz-other"]
    assert "handovers" in (folder / "hz-other.yaml").read_text("utf-8")
    assert "handovers" not in (folder / "hz-xinghe.yaml").read_text("utf-8")


def test_unknown_reps_and_foreign_cards_are_refused_before_any_write(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    other = write_card("hz-other", OTHER.replace("owner: zhangwei", "owner: lina"))
    before = path.read_bytes(), other.read_bytes()
    result = kacard("handover", "zhangwei", "nobody")
    assert result.exit_code == 2 and "unknown rep 'nobody'" in result.output
    assert kacard("handover", "ghost", "lina").exit_code == 2
    result = kacard("handover", "zhangwei", "lina", "--ids", "hz-xinghe,hz-other")
    assert result.exit_code == 2 and "not owned by zhangwei: hz-other (lina)" in result.output
    assert kacard("handover", "zhangwei", "lina", "--ids", "hz-missing").exit_code == 2
    assert (path.read_bytes(), other.read_bytes()) == before


def test_handover_of_a_rep_without_cards_says_so(kacard, folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    result = kacard("handover", "lina", "zhangwei")
    assert result.exit_code == 0
    assert "lina owns no cards" in result.output
