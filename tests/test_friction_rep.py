"""Everyday friction (issue 21) for the rep: logging mistakes (#3), edit keeps work (#1)."""

from __future__ import annotations

import json

from conftest import SAMPLE_CARD

LOST = SAMPLE_CARD.replace("status: active", "status: lost").replace("next: {date: 2026-11-24", "next: {date: 2026-11-12")


def due_ids(kacard) -> list[str]:
    result = kacard("due", "--format", "json")
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


# -- 3. logging mistakes -----------------------------------------------------------------------


def test_log_with_someone_not_on_the_card_is_refused_with_did_you_mean(kacard, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    step = ("--summary", "回访", "--next-date", "+7", "--next-action", "报价")
    result = kacard("log", "hz-xinghe", "--with", "王建", *step)
    assert result.exit_code == 2, result.output
    assert "王建 is not a contact of hz-xinghe (did you mean 王建国?)" in result.stderr
    assert "--new-contact" in result.stderr and "Traceback" not in result.output
    assert path.read_bytes() == before
    known = kacard("log", "hz-xinghe", "--with", "王建国", *step)
    assert known.exit_code == 0, known.output
    new = kacard("log", "hz-xinghe", "--with", "赵新人", "--new-contact", *step)
    assert new.exit_code == 0, new.output
    assert "with: [赵新人]" in path.read_text("utf-8")


def test_a_visit_to_a_lost_account_warns_off_a_terminal(kacard, write_card):
    path = write_card("hz-xinghe", LOST)
    result = kacard("log", "hz-xinghe", "--summary", "回访", "--next-date", "+1", "--next-action", "报价")
    assert result.exit_code == 0, result.output
    assert "hz-xinghe is marked lost" in result.stderr and "kacard due" in result.stderr
    assert "status: lost" in path.read_text("utf-8")
    assert due_ids(kacard) == []


def test_a_visit_to_a_lost_account_offers_to_reactivate_on_a_terminal(kacard, write_card, monkeypatch):
    from kacard.cli import cards

    path = write_card("hz-xinghe", LOST)
    monkeypatch.setattr(cards, "_interactive", lambda: True)
    result = kacard("log", "hz-xinghe", "--summary", "回访", "--next-date", "+1", "--next-action", "报价",
                    input="y\n")
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "status: active" in text and "# the account's card" in text
    assert due_ids(kacard) == ["hz-xinghe"]


SAME_DAY = SAMPLE_CARD + """\
  - date: 2026-11-20
    time: "15:00"
    summary: 下午复谈
    next: {date: 2026-11-30, action: 下午定的步骤}
  - date: 2026-11-20
    time: "09:00"
    summary: 上午拜访
    next: {date: 2026-11-21, action: 上午的旧步骤}
"""


def test_same_day_visits_are_ordered_by_their_time(kacard, write_card):
    write_card("hz-xinghe", SAME_DAY)
    rows = json.loads(kacard("list", "--format", "json").stdout)
    assert rows[0]["next_action"] == "下午定的步骤", rows[0]
    assert due_ids(kacard) == []  # the open step is the afternoon's 11-30 one, not the stale 11-21
    assert "two visits on" not in kacard("validate").output


def test_same_day_visits_without_time_are_flagged_in_validate(kacard, write_card):
    write_card("hz-xinghe", SAME_DAY.replace('    time: "15:00"\n', ""))
    result = kacard("validate")
    assert result.exit_code == 0, result.output
    assert "visits.2.time" in result.output and "two visits on 2026-11-20 leave a next step" in result.output


def test_log_time_records_when_and_orders_the_day(kacard, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    for at, action in (("16:00", "后来的步骤"), ("上午9点", "早上的步骤")):
        result = kacard("log", "hz-xinghe", "--date", "2026-11-20", "--time", at, "--summary", "拜访",
                        "--next-date", "2026-11-30", "--next-action", action)
        assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert 'time: "16:00"' in text and 'time: "09:00"' in text
    rows = json.loads(kacard("list", "--format", "json").stdout)
    assert rows[0]["next_action"] == "后来的步骤"
    bad = kacard("log", "hz-xinghe", "--time", "25:99", "--summary", "x", "--no-next", "y")
    assert bad.exit_code == 2 and "--time" in bad.stderr
