"""`kacard score` through the CLI: the JSON contract, --explain, --what-if, --chart, bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

BIG = """\
id: big
name: Big <b>& Co
owner: zhangwei
purchasing: {centralized: true, pattern: recurring}
criteria: {strategic_goals: 2, product_fit: 2, influence: 2}
trades:
  - {date: 2024-06-01, amount: 100}
  - {date: 2025-06-01, amount: 100}
  - {date: 2026-03-01, amount: 300000}
  - {date: 2026-10-01, amount: 500000}
visits:
  - {date: 2026-11-10, summary: 拜访, next: {date: 2026-11-24, action: 报价}}
"""
MID = """\
id: mid
name: 中等客户
owner: lina
tier: A
trades:
  - {date: 2026-05-01, amount: 150000}
"""
SMALL = """\
id: small
name: Small
owner: lina
trades:
  - {date: 2026-05-01, amount: 50000}
  - {date: 2025-11-23, amount: 999999}
  - {date: 2026-11-24, amount: 999999}
"""
PROSPECT = """\
id: pros
name: Prospect
status: prospect
owner: lina
"""
ACCOUNT_KEYS = {
    "id",
    "metric",
    "share",
    "pareto",
    "ten_two",
    "ten_two_class",
    "tier",
    "tier_pinned",
    "quadrant",
}
SUMMARY_KEYS = {"accounts", "total", "a_share_of_accounts", "top20_share"}


@pytest.fixture
def four(write_card):  # type: ignore[no-untyped-def]
    for card_id, text in (("big", BIG), ("mid", MID), ("small", SMALL), ("pros", PROSPECT)):
        write_card(card_id, text)


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def refused(result, *words: str):  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output
    return result


def test_json_contract(kacard, four):
    document = json.loads(ok(kacard("score", "--format", "json")).stdout)
    accounts = document["accounts"]
    assert all(ACCOUNT_KEYS <= set(a) for a in accounts)
    assert SUMMARY_KEYS <= set(document["summary"])
    got = [
        (a["id"], a["metric"], a["share"], a["pareto"], a["tier"], a["tier_pinned"])
        for a in accounts
    ]
    assert got == [
        ("big", 800000, 0.8, "A", "S", False),  # crosses 80 % exactly at its end: A
        ("mid", 150000, 0.15, "B", "A", True),  # before = 80 %: B, but pinned A
        ("small", 50000, 0.05, "C", "C", False),  # window start and future trades don't count
        ("pros", 0, 0.0, "C", "C", False),
    ]
    big = accounts[0]
    assert (big["ten_two"], big["ten_two_class"], big["quadrant"]) == (18, "key", "true_friend")
    assert document["summary"]["accounts"] == 4 and document["summary"]["total"] == 1000000
    assert document["summary"]["a_share_of_accounts"] == 0.25
    assert document["summary"]["top20_share"] == 0.8  # top 20 % of 4 accounts = 1 account
    for account in accounts:
        assert account["pareto"] in "ABC" and account["tier"] in "SABC"
        assert 0 <= account["ten_two"] <= 20
        assert account["ten_two_class"] in ("key", "potential", "regular")
        assert account["quadrant"] in ("true_friend", "butterfly", "barnacle", "stranger")


def test_table_has_bars_summary_and_pin_marks(kacard, four):
    out = ok(kacard("score")).stdout
    assert "█" in out and "A*" in out
    assert "1 of 4 accounts (25.0%) are class A and bring 80.0% of revenue" in out
    assert "Tiers: S 1  A 1  B 0  C 2" in out


def test_csv(kacard, four):
    lines = ok(kacard("score", "--format", "csv")).stdout.splitlines()
    assert lines[0].startswith("rank,id,name,owner,status,metric,share")
    assert lines[1].startswith("1,big,Big <b>& Co,zhangwei,active,800000,0.8,")


def test_owner_filters_rows_but_scores_stay_team_wide(kacard, four):
    document = json.loads(ok(kacard("score", "--owner", "lina", "--format", "json")).stdout)
    assert [a["id"] for a in document["accounts"]] == ["mid", "small", "pros"]
    assert document["accounts"][0]["share"] == 0.15  # share of the team's total
    assert document["summary"]["total"] == 200000 and document["summary"]["owner"] == "lina"
    refused(kacard("score", "--owner", "nobody"), "unknown owner")  # the one --owner resolver (cli.visits.resolve_owner)


def test_explain_shows_every_input(kacard, four):
    out = ok(kacard("score", "--explain", "big")).stdout
    assert "2026-03-01" in out and "2026-10-01" in out  # the trades in the window
    assert "not counted: 2 trade(s) before the window" in out
    assert "class A: the accounts ranked above it hold 0.0%" in out
    assert "strategic goals          2  manual: rated on the card" in out
    assert "profit share             2  derived: Pareto class A" in out
    assert "Tier S: computed S: Pareto A and 10/2 key" in out
    assert "Quadrant true friend" in out and "真正的朋友" in out
    pinned = ok(kacard("score", "--explain", "mid")).stdout
    assert "pinned A on the card" in pinned and "computed B: Pareto B" in pinned


def test_explain_json(kacard, four):
    doc = json.loads(ok(kacard("score", "--explain", "small", "--format", "json")).stdout)
    assert doc["id"] == "small" and doc["metric"] == 50000
    assert [t["date"] for t in doc["trades"]] == ["2026-05-01"]
    assert doc["trades_not_counted"] == {"older": 1, "future": 1}
    detail = {c["name"]: c for c in doc["criteria_detail"]}
    assert detail["profit_share"]["manual"] is False and detail["profit_share"]["value"] == 0
    assert doc["tier_rule"].startswith("C:") and doc["quadrant_hint"]
    refused(kacard("score", "--explain", "ghost"), "no card")
    refused(kacard("score", "--explain", "big", "--format", "csv"))


def test_what_if(kacard, four):
    document = json.loads(ok(kacard("score", "--what-if", "--format", "json")).stdout)
    assert document["changes"] == [
        {
            "id": "mid",
            "name": "中等客户",
            "owner": "lina",
            "now": "A",
            "now_pinned": True,
            "would_be": "B",
            "direction": "down",
            "rule": "B: Pareto B (10/2 not key)",
            "pareto": "B",
            "ten_two": 3,
        }
    ]
    wider = json.loads(ok(kacard("score", "--set", "pareto.b=0.99", "--format", "json")).stdout)
    assert wider["overrides"] == ["pareto.b=0.99"]  # --set implies --what-if
    assert [(c["id"], c["now"], c["would_be"], c["direction"]) for c in wider["changes"]] == [
        ("mid", "A", "B", "down"),
        ("small", "C", "B", "up"),
    ]
    refused(kacard("score", "--what-if", "--set", "pareto.a=1.5"), "pareto.a")
    refused(kacard("score", "--what-if", "--set", "pareto.zzz=1"), "unknown setting")
    refused(kacard("score", "--what-if", "--set", "nonsense"), "KEY=VALUE")


def test_chart_is_well_formed_svg_and_escapes_card_text(kacard, four, tmp_path: Path):
    path = tmp_path / "pareto.svg"
    ok(kacard("score", "--chart", str(path)))
    text = path.read_text("utf-8")
    root = ET.fromstring(text)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Big &lt;b&gt;&amp; Co" in text and "<b>" not in text
    assert len(root.findall(".//{http://www.w3.org/2000/svg}polyline")) == 1  # the cumulative curve
    assert "a = 80%" in text
    refused(kacard("score", "--chart", str(tmp_path / "p.png")), ".svg")
    refused(kacard("score", "--chart", str(tmp_path / "missing" / "p.svg")), "does not exist")


def test_chart_of_an_empty_folder_is_still_svg(kacard, tmp_path: Path):
    path = tmp_path / "empty.svg"
    ok(kacard("score", "--chart", str(path)))
    ET.fromstring(path.read_text("utf-8"))


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pareto", "words"),
    [
        ("{a: 0.9, b: 0.8}", ("kacard.yaml", "must not be above")),
        ("{a: 1.5}", ("kacard.yaml", "scoring.pareto.a")),
        ("{a: 0}", ("kacard.yaml", "scoring.pareto.a")),
        ("{b: -0.1}", ("kacard.yaml", "scoring.pareto.b")),
        ("{metric: profit}", ("kacard.yaml", "scoring.pareto.metric")),
    ],
)
def test_bad_cutoffs_are_refused_clearly(kacard, folder, four, pareto, words):
    (folder / "kacard.yaml").write_text(
        f"schema: 1\nscoring:\n  pareto: {pareto}\n", encoding="utf-8"
    )
    refused(kacard("score"), *words)


def test_bad_derivation_settings_are_refused(kacard, folder, four):
    (folder / "kacard.yaml").write_text(
        "schema: 1\nscoring:\n  ten_two:\n    derive:\n      loss_impact: {full: 0.01, partly: 0.05}\n",
        encoding="utf-8",
    )
    refused(kacard("score"), "partly", "full")


def test_bad_cards_are_reported_and_the_rest_scored(kacard, four, write_card):
    write_card("three", "id: three\nname: T\nowner: lina\ncriteria: {influence: 3}\n")
    write_card("noamount", "id: noamount\nname: N\nowner: lina\ntrades:\n  - {date: 2026-10-01}\n")
    write_card(
        "odd",
        "id: odd\nname: O\nowner: lina\ncriteria: {charisma: 2}\n"
        "trades:\n  - {date: 2026-10-01, amount: 1}\n",
    )
    result = ok(kacard("score", "--format", "json"))
    ids = [a["id"] for a in json.loads(result.stdout)["accounts"]]
    assert "three" not in ids and "noamount" not in ids and "odd" in ids
    assert (
        "three.yaml" in result.stderr
        and "rating for 'influence' must be 0, 1 or 2" in result.stderr
    )
    assert "noamount.yaml" in result.stderr and "trades.0.amount" in result.stderr
    assert "unknown criterion 'charisma'" in result.stderr


def test_no_trades_at_all_is_nothing_to_score(kacard, write_card):
    write_card("pros", PROSPECT)
    write_card("quiet", "id: quiet\nname: Q\nowner: lina\ncriteria: {strategic_goals: 2}\n")
    result = ok(kacard("score", "--format", "json"))
    assert "nothing to score" in result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["total"] == 0 and document["summary"]["top20_share"] == 0
    assert {a["pareto"] for a in document["accounts"]} == {"C"}
    assert "nothing to score" in ok(kacard("score")).output


def test_empty_folder_gives_valid_json(kacard):
    result = ok(kacard("score", "--format", "json"))
    assert json.loads(result.stdout) == {
        "accounts": [],
        "summary": json.loads(result.stdout)["summary"],
    }
    assert json.loads(result.stdout)["summary"]["accounts"] == 0
    assert "nothing to score" in result.stderr


def test_bad_format_and_option_mix(kacard, four):
    refused(kacard("score", "--format", "ics"), "--format")
    refused(kacard("score", "--explain", "big", "--what-if"), "--explain")


def test_list_uses_the_computed_tier(kacard, four):
    rows = json.loads(ok(kacard("list", "--format", "json")).stdout)
    assert {r["id"]: r["tier"] for r in rows} == {"big": "S", "mid": "A", "small": "C", "pros": "C"}


def test_sample_folder_gives_a_plausible_spread():
    sample = Path(__file__).resolve().parent.parent / "cards"
    if not (sample / "kacard.yaml").is_file():
        pytest.skip("no sample folder")
    from typer.testing import CliRunner

    from kacard.cli.app import app

    result = CliRunner().invoke(app, ["score", "--dir", str(sample), "--today", "2026-11-23", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["total"] > 0
    assert sum(1 for n in summary["tiers"].values() if n) >= 3  # not everyone in one or two tiers
    assert 0.05 <= summary["a_share_of_accounts"] <= 0.5
    assert summary["a_share_of_total"] >= 0.8  # class A holds at least the a cut-off, by the rule
