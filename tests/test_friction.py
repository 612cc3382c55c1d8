"""Everyday friction (issue 21): each point a rep or a manager trips over, with its test."""

from __future__ import annotations

import json

from conftest import SAMPLE_CARD

# -- 7. 10/2 ratings: `kacard rate`, the unrated note, --what-if --apply ------------------------


def test_rate_patches_criteria_and_keeps_everything_else(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_text("utf-8")
    result = kacard("rate", "hz-xinghe", "strategic_goals=2", "influence=1")
    assert result.exit_code == 0, result.output
    after = path.read_text("utf-8")
    assert "criteria: {strategic_goals: 2, influence: 1}" in after
    assert [line for line in after.splitlines() if "criteria" not in line] == before.splitlines()
    explain = kacard("score", "--explain", "hz-xinghe", "--format", "json")
    assert explain.exit_code == 0, explain.output
    assert "manual" in explain.stdout
    removed = kacard("rate", "hz-xinghe", "strategic_goals=-")
    assert removed.exit_code == 0 and "strategic_goals" not in path.read_text("utf-8")


def test_rate_refuses_unknown_criteria_and_values_without_writing(kacard, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    for bad in ("nonsense=1", "influence=3", "influence"):
        result = kacard("rate", "hz-xinghe", bad)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert path.read_bytes() == before


def test_score_says_how_many_accounts_lack_manual_ratings(kacard, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    result = kacard("score")
    assert result.exit_code == 0
    assert "1 of 1 account(s) lack a manual rating of strategic_goals, product_fit, influence" in result.stderr
    kacard("rate", "hz-xinghe", "strategic_goals=1", "product_fit=2", "influence=0")
    assert "lack a manual rating" not in kacard("score").stderr


def test_what_if_apply_pins_the_proposed_tier(kacard, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD.replace("status: active", "status: active\ntier: S"))
    proposed = json.loads(kacard("score", "--what-if", "--format", "json").stdout)["changes"]
    assert proposed and proposed[0]["id"] == "hz-xinghe" and proposed[0]["now"] == "S"
    would_be = proposed[0]["would_be"]
    result = kacard("score", "--what-if", "--apply", "hz-xinghe")
    assert result.exit_code == 0, result.output
    assert f"tier: {would_be}" in path.read_text("utf-8")
    again = kacard("score", "--what-if", "--apply", "hz-xinghe")
    assert again.exit_code == 2 and "no tier change proposed" in again.output


# -- 8. the Pareto chart ---------------------------------------------------------------------


def test_pareto_chart_names_accounts_scales_its_axis_and_caps_its_width(kacard, folder, tmp_path):
    import xml.etree.ElementTree as ET

    for i in range(150):
        (folder / f"hz-c{i:03d}.yaml").write_text(
            f"id: hz-c{i:03d}\nname: 杭州测试客户{i:03d}号\nowner: zhangwei\n"
            f"trades:\n  - {{date: 2026-10-01, amount: {1000 + i * 10}}}\n", encoding="utf-8")
    chart = tmp_path / "pareto.svg"
    result = kacard("score", "--chart", str(chart))
    assert result.exit_code == 0, result.output
    root = ET.fromstring(chart.read_text("utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert int(root.get("width")) <= 1200  # 150 accounts, not a 3,000-pixel picture
    assert "杭州测试客户149号" in texts and "hz-c149" not in texts  # names, not slugs
    assert "others (91)" in texts  # 59 bars, then the rest summed
    assert "131,950" in texts and "0" in texts  # the largest bar (the others: 91 x 1,000 + 10 x 4,095), zero
    assert len(root.findall(".//s:rect[s:title]", ns)) == 60


# -- 6. the review: severity and reason, stale cards named, visits counted, new prospects -------


def test_review_severity_reason_and_a_new_prospect(kacard, write_card):
    write_card("hz-new", """\
        id: hz-new
        name: 新客户
        owner: zhangwei
        status: prospect
        since: 2026-11-18
        """)
    write_card("hz-old", """\
        id: hz-old
        name: 老客户
        owner: lina
        visits:
          - {date: 2026-11-10, summary: 拜访, next: {date: 2026-12-10, action: 回访}}
        trades:
          - {date: 2026-06-01, amount: 5000}
        """)
    data = json.loads(kacard("review", "--format", "json").stdout)
    reps = {r["rep"]: r for r in data["reps"]}
    zhangwei, lina = reps["zhangwei"], reps["lina"]
    assert zhangwei["overdue_visits"] == [] and zhangwei["stale"] == []  # added last week: not yet
    assert zhangwei["reason"].startswith("cards ")  # only its card's completeness is flagged
    assert lina["severity"] == "high" and lina["needs_help"] is True
    assert lina["reason"].startswith("5,000 CNY receivable overdue > 60 days")
    assert lina["recent_visits"] == 1
    table = kacard("review").stdout
    assert "visits 28d" in table and "yes (high)" in table


def test_review_table_names_stale_cards(kacard, write_card):
    write_card("hz-quiet", """\
        id: hz-quiet
        name: 沉默客户
        owner: zhangwei
        since: 2025-01-01
        visits:
          - {date: 2025-06-01, summary: 拜访, next: {date: 2025-07-01, action: 回访}}
        """)
    table = kacard("review").stdout
    assert "hz-quiet" in table.split("\n\n")[0]  # in the table itself


# -- 4. long lists -----------------------------------------------------------------------------


def test_a_terminal_shows_the_most_urgent_30_and_counts_the_rest(folder, tmp_path):
    from test_terminal import on_terminal, sample_env

    for i in range(45):
        (folder / f"hz-c{i:02d}.yaml").write_text(f"id: hz-c{i:02d}\nname: 客户{i:02d}\nowner: zhangwei\n",
                                                  encoding="utf-8")
    out, err = on_terminal(["due", "--dir", str(folder)], 120, sample_env(tmp_path))
    rows = [line for line in out.splitlines() if "hz-c" in line]
    assert len(rows) == 30 and "15 less urgent account(s): kacard due --all" in err
    out, err = on_terminal(["due", "--dir", str(folder), "--all"], 120, sample_env(tmp_path))
    assert len([line for line in out.splitlines() if "hz-c" in line]) == 45 and "less urgent" not in err


def test_scripts_get_every_row(kacard, folder):
    for i in range(45):
        (folder / f"hz-c{i:02d}.yaml").write_text(f"id: hz-c{i:02d}\nname: 客户{i:02d}\nowner: zhangwei\n",
                                                  encoding="utf-8")
    assert len([line for line in kacard("due").stdout.splitlines() if "hz-c" in line]) == 45


# -- 5. coordinates --------------------------------------------------------------------------


def test_swapped_coordinates_are_named_as_swapped(kacard, folder):
    result = kacard("new", "hz-swap", "--name", "测试", "--owner", "zhangwei", "--lat", "120.16", "--lon", "30.27")
    assert result.exit_code == 2 and "swapped?" in result.output and "lat: 30.27, lon: 120.16" in result.output
    assert not (folder / "hz-swap.yaml").exists()


def test_a_location_far_from_every_base_is_a_validate_warning(kacard, folder):
    result = kacard("new", "hz-far", "--name", "北京客户", "--owner", "zhangwei", "--lat", "39.9", "--lon", "116.4")
    assert result.exit_code == 0, result.output
    checked = kacard("validate", "--format", "json")
    assert checked.exit_code == 0  # a warning, not an error
    warning = [p for p in json.loads(checked.stdout) if p["field"] == "location"]
    assert warning and "km from the nearest team base" in warning[0]["message"]
