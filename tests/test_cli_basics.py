"""The everyday commands on a small folder: new, log, list, show, filter, validate."""

from __future__ import annotations

import json

from tests.conftest import SAMPLE_CARD


def test_new_then_list_json(kacard, folder):
    result = kacard("new", "hz-new", "--name", "杭州新客户", "--owner", "lina", "--lat", "30.2", "--lon", "120.2")
    assert result.exit_code == 0, result.output
    text = (folder / "hz-new.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=.schema/card.schema.json")
    result = kacard("list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["name"], r["owner"], r["status"]) for r in rows] == [
        ("hz-new", "杭州新客户", "lina", "prospect")
    ]


def test_log_appends_only_lines(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_text("utf-8")
    result = kacard(
        "log", "hz-xinghe", "--summary", "现场讲解", "--with", "王建国", "--date", "2026-11-23",
        "--next-date", "2026-12-08", "--next-action", "报价",
    )
    assert result.exit_code == 0, result.output
    after = path.read_text("utf-8")
    assert after.startswith(before)  # comments, order and quoting kept; only lines added
    added = after[len(before):]
    assert "date: 2026-11-23" in added and "next: {date: 2026-12-08, action: 报价}" in added


def test_log_without_next_step_is_refused_without_terminal(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    result = kacard("log", "hz-xinghe", "--summary", "拜访")
    assert result.exit_code == 2
    assert "next step" in result.output
    assert path.read_bytes() == before


def test_log_refuses_a_visit_in_the_future(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    result = kacard("log", "hz-xinghe", "--summary", "x", "--date", "2026-12-25",
                    "--next-date", "2026-12-30", "--next-action", "y")
    assert result.exit_code == 2 and "after today" in result.output
    assert path.read_bytes() == before
