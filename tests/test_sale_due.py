"""The sales dangers feed `due` (reason kinds `opportunity` and `relationship`, explained,
weights in settings) and `review`; the folder snapshot keeps what they read (issue 18)."""

from __future__ import annotations

import datetime as dt
import json

from kacard.analysis.due import opportunity_reasons, relationship_reasons
from kacard.cards import brief
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings

TODAY = dt.date(2026, 11, 23)

CARD = """\
    id: hz-acme
    name: Acme
    owner: zhangwei
    contacts:
      - {name: 王总, role: decision_maker, level: top, influence: 5, stance: neutral}
      - {name: 小李, role: coach, level: middle, influence: 2, stance: ally, reports_to: 王总}
    opportunities:
      - {id: p1, title: 分拣线, stage: bidding, amount: 500000, close: 2026-11-13, stage_since: 2026-11-01,
         nodes: {accurate_info: 2026-05-01, project_approval: 2026-06-01, relationship: 2026-11-01}}
    visits:
      - {date: 2026-11-16, with: [小李, 王总], summary: 交流, next: {date: 2026-12-20, action: 报价}}
"""


def test_due_lists_opportunity_and_relationship_reasons_with_details(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    result = kacard("due", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    reasons = {r["kind"]: r for r in row["reasons"]}
    assert set(reasons) == {"opportunity", "relationship"}
    opp = reasons["opportunity"]
    assert (opp["problem"], opp["opportunity"], opp["days_overdue"], opp["date"]) == ("past_close", "p1", 10, "2026-11-13")
    rel = reasons["relationship"]
    assert (rel["warning"], rel["opportunity"], rel["days_overdue"]) == ("no_ally_at_decision_level", "p1", 0)
    terms = {t["name"]: t for t in row["terms"]}
    assert terms["reason opportunity"]["weight"] == 4.0 and terms["reason relationship"]["weight"] == 3.0
    assert terms["days overdue"]["value"] == 10 and terms["days overdue"]["source"] == "10 days overdue (opportunity)"
    assert row["urgency"] == 1.0 + 10 * 0.5 + 4.0 + 3.0  # tier C + days overdue + the two reasons


def test_due_weights_come_from_kacard_yaml_and_explain_names_them(kacard, write_card, folder) -> None:
    with (folder / "kacard.yaml").open("a", encoding="utf-8") as handle:
        handle.write("urgency:\n  reasons: {opportunity: 10, relationship: 0.5}\n")
    write_card("hz-acme", CARD)
    (row,) = json.loads(kacard("due", "--format", "json").stdout)
    assert row["urgency"] == 1.0 + 5.0 + 10 + 0.5
    text = kacard("due", "--explain", "hz-acme").stdout
    assert "reason opportunity" in text and "reason relationship" in text
    assert "- opportunity: opportunity p1 分拣线 (bidding): close date 2026-11-13 passed 10 days ago" in text
    assert "- relationship: no ally at decision level (decision makers and top level: 王总)" in text


def test_due_table_says_why_in_a_few_words(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    table = kacard("due").stdout
    assert "deal p1 past close 10d; people: no ally at decision level" in table


def test_a_sound_deal_adds_no_reason() -> None:
    sound = Card.model_validate({
        "id": "ok", "name": "Ok", "owner": "zhangwei",
        "contacts": [{"name": "王总", "role": "decision_maker", "level": "top", "stance": "ally"},
                     {"name": "小李", "role": "coach", "stance": "ally"}],
        "opportunities": [{"title": "t", "stage": "bidding", "close": "2027-03-01", "stage_since": "2026-11-01",
                           "nodes": {"accurate_info": "2026-05-01", "project_approval": "2026-06-01",
                                     "relationship": "2026-11-01"}}],
        "visits": [{"date": "2026-11-16", "with": ["王总"], "summary": "x", "no_next": "n/a"}],
    })
    b = brief.of(sound).as_of(TODAY)
    assert opportunity_reasons(b, Settings(), TODAY) == [] and relationship_reasons(b, Settings(), TODAY) == []


def test_review_lists_deal_problems_and_dangers_per_rep(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    doc = json.loads(kacard("review", "--format", "json").stdout)
    rep = next(r for r in doc["reps"] if r["rep"] == "zhangwei")
    assert [(d["id"], d["problem"]) for d in rep["deals"]] == [("hz-acme", "past_close")]
    assert [(d["id"], d["warning"]) for d in rep["people"]] == [("hz-acme", "no_ally_at_decision_level")]
    assert any("deal problem" in f for f in rep["flags"]) and any("key-people danger" in f for f in rep["flags"])
    markdown = kacard("review", "--format", "md").stdout
    assert "### Key-people dangers" in markdown and "- hz-acme: no ally at decision level" in markdown


def test_review_rates_a_top_decision_maker_never_met_high(kacard, write_card) -> None:
    """Seed 001: never meeting the top decision maker through a project is very dangerous:
    a flag of its own at high severity, the other dangers stay medium."""
    write_card("hz-acme", CARD)
    before = next(r for r in json.loads(kacard("review", "--format", "json").stdout)["reps"] if r["rep"] == "zhangwei")
    assert not any("never met" in f for f in before["flags"])
    never = CARD.replace("with: [小李, 王总]", "with: [小李]") if "with: [小李, 王总]" in CARD else None
    assert never is not None, "the test card names the top decision maker in a visit"
    write_card("hz-acme", never)
    after = next(r for r in json.loads(kacard("review", "--format", "json").stdout)["reps"] if r["rep"] == "zhangwei")
    assert any(d["warning"] == "top_never_met" for d in after["people"]), after["people"]
    assert any("top decision maker was never met" in f for f in after["flags"]), after["flags"]
    assert after["severity"] == "high"


def test_snapshot_keeps_deals_and_people_and_a_change_shows_at_once(kacard, write_card) -> None:
    path = write_card("hz-acme", CARD)
    assert "past_close" in kacard("due", "--format", "json").stdout  # writes the snapshot
    cached = json.loads(kacard("pipeline", "--format", "json").stdout)  # read from it
    assert cached["opportunities"][0]["nodes"]["relationship"] == "2026-11-01"
    path.write_text(path.read_text(encoding="utf-8").replace("close: 2026-11-13", "close: 2027-01-13"),
                    encoding="utf-8")
    assert "past_close" not in kacard("due", "--format", "json").stdout


def test_brief_record_round_trip_keeps_deals_and_people() -> None:
    card = Card.model_validate({
        "id": "acme", "name": "Acme", "owner": "zhangwei",
        "contacts": [{"name": "王总", "title": "总经理", "role": "decision_maker", "influence": 4, "stance": "ally"},
                     {"name": "小李", "reports_to": "王总"}],
        "opportunities": [{"id": "p1", "title": "t", "stage": "bidding", "amount": "1234.5", "close": "2027-01-01",
                           "stage_since": "2026-11-01", "nodes": {"bid": "2026-11-01"}},
                          {"title": "u"}],
        "visits": [{"date": "2026-11-16", "with": ["王总"], "summary": "x", "no_next": "n/a"},
                   {"date": "2026-10-16", "with": ["王总", "小李"], "summary": "x", "no_next": "n/a"}],
    })
    b = brief.of(card)
    again = brief.from_record(brief.record(b))
    assert again == b and again.deals == b.deals and again.people == b.people
    assert b.deals[0].nodes == (None, None, None, dt.date(2026, 11, 1), None, None)
    assert b.deals[1].id == "2" and b.people[0].met == (dt.date(2026, 10, 16).toordinal(), dt.date(2026, 11, 16).toordinal())


# Chinese translations of the sale's messages: tests/test_i18n_complete.py checks every catalog.

