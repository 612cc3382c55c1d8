"""The six-stage pipeline (issue 18, SPEC §9): days in stage, stalled deals, slipped close
dates, missing key nodes, weighted amounts and the per-stage figures; the `pipeline` command."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from kacard.analysis.pipeline import STAGES, deal_states, missing_node, pipeline, stage_date
from kacard.cards import brief
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.cards.sale import NODE_NAMES

TODAY = dt.date(2026, 11, 23)


def card(opportunities: list[dict], visits: list[dict] | None = None, **extra) -> Card:
    return Card.model_validate({
        "id": extra.pop("id", "acme"), "name": "Acme", "owner": extra.pop("owner", "zhangwei"),
        "opportunities": opportunities, "visits": visits or [], **extra,
    })


def state(opp: dict, visits: list[dict] | None = None, settings: Settings | None = None):
    (found,) = deal_states(brief.of(card([opp], visits)), settings or Settings(), TODAY)
    return found


def nodes_before(stage: str, day: str = "2026-10-01") -> dict[str, str]:
    return {name: day for name in NODE_NAMES[:STAGES.index(stage)]}


def test_days_in_stage_counts_from_stage_since() -> None:
    s = state({"title": "t", "stage": "proposal", "stage_since": "2026-11-03", "nodes": nodes_before("proposal")})
    assert (s.stage_date, s.stage_date_source, s.days_in_stage) == (dt.date(2026, 11, 3), "stage_since", 20)


def test_without_stage_since_the_latest_node_reached_is_the_stage_date() -> None:
    s = state({"title": "t", "stage": "bidding",
               "nodes": {"accurate_info": "2026-08-01", "project_approval": "2026-09-10", "relationship": "2026-10-20",
                         "bid": "2026-12-15"}})  # a node dated after today does not count yet
    assert (s.stage_date, s.stage_date_source, s.days_in_stage) == (dt.date(2026, 10, 20), "node:relationship", 34)
    b = brief.of(card([{"title": "t", "stage": "proposal"}]))
    assert stage_date(b.deals[0], TODAY) == (None, None)


@pytest.mark.parametrize(("quiet", "stalled"), [(44, False), (45, True), (46, True)])
def test_stalled_when_no_stage_change_and_no_visit_for_stalled_days(quiet: int, stalled: bool) -> None:
    since = TODAY - dt.timedelta(days=quiet)
    s = state({"title": "t", "stage": "initiation", "stage_since": str(since), "nodes": nodes_before("initiation")},
              [{"date": str(since - dt.timedelta(days=10)), "summary": "x", "no_next": "n/a"}])
    assert s.quiet_days == quiet and s.stalled is stalled
    assert ("stalled" in s.problems) is stalled


def test_a_recent_visit_keeps_an_old_stage_from_stalling() -> None:
    s = state({"title": "t", "stage": "negotiation", "stage_since": "2026-06-01", "nodes": nodes_before("negotiation")},
              [{"date": "2026-11-13", "summary": "x", "no_next": "n/a"}])
    assert s.days_in_stage == 175 and s.quiet_days == 10 and not s.stalled


def test_a_visit_after_today_does_not_count() -> None:
    s = state({"title": "t", "stage": "proposal", "stage_since": "2026-08-01", "nodes": nodes_before("proposal")},
              [{"date": "2026-11-30", "summary": "x", "no_next": "n/a"}])
    assert s.last_visit is None and s.stalled


def test_nothing_known_is_stalled_with_unknown_days() -> None:
    s = state({"title": "t", "stage": "development"})
    assert s.stalled and s.quiet_days is None and s.days_in_stage is None


@pytest.mark.parametrize(("close", "days"), [("2026-11-10", 13), ("2026-11-22", 1), ("2026-11-23", 0), ("2027-01-01", 0)])
def test_days_past_close_of_an_open_deal(close: str, days: int) -> None:
    s = state({"title": "t", "stage": "bidding", "close": close, "stage_since": "2026-11-20",
               "nodes": nodes_before("bidding")})
    assert s.days_past_close == days
    assert ("past_close" in s.problems) is bool(days)


@pytest.mark.parametrize("stage", ["won", "lost"])
def test_closed_deals_never_stall_slip_or_miss_nodes(stage: str) -> None:
    s = state({"title": "t", "stage": stage, "close": "2026-01-10"})
    assert s.problems == [] and not s.stalled and s.days_past_close == 0


@pytest.mark.parametrize("stage", STAGES[1:])
def test_each_stage_needs_the_key_node_of_the_stage_before(stage: str) -> None:
    previous = NODE_NAMES[STAGES.index(stage) - 1]
    complete = card([{"title": "t", "stage": stage, "nodes": nodes_before(stage)}])
    assert missing_node(brief.of(complete).deals[0]) is None
    lacking = card([{"title": "t", "stage": stage,
                     "nodes": {k: v for k, v in nodes_before(stage).items() if k != previous}}])
    assert missing_node(brief.of(lacking).deals[0]) == previous


def test_development_needs_no_node_and_check_nodes_can_be_switched_off() -> None:
    assert missing_node(brief.of(card([{"title": "t", "stage": "development"}])).deals[0]) is None
    off = Settings.model_validate({"pipeline": {"check_nodes": False}})
    s = state({"title": "t", "stage": "bidding", "stage_since": "2026-11-20"}, settings=off)
    assert s.missing_node is None and s.problems == []


def test_weighted_amount_is_amount_times_the_stage_probability() -> None:
    s = state({"title": "t", "stage": "bidding", "amount": 1_000_000, "stage_since": "2026-11-20",
               "nodes": nodes_before("bidding")})
    assert s.probability == 0.6 and s.weighted == Decimal(600_000)
    (term,) = s.terms
    assert (term.value, term.weight, term.contribution, term.source) == (
        1_000_000.0, 0.6, 600_000.0, "pipeline.probabilities.bidding")
    team = Settings.model_validate({"pipeline": {"probabilities": {"bidding": 0.25}}})
    assert state({"title": "t", "stage": "bidding", "amount": 1_000_000}, settings=team).weighted == Decimal(250_000)


def test_probabilities_outside_zero_to_one_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Settings.model_validate({"pipeline": {"probabilities": {"bidding": 1.5}}})


def test_per_stage_count_amount_weighted_and_oldest() -> None:
    a = card([
        {"id": "x", "title": "x", "stage": "proposal", "amount": 100, "stage_since": "2026-11-01"},
        {"id": "y", "title": "y", "stage": "proposal", "amount": 300, "stage_since": "2026-09-01"},
        {"id": "z", "title": "z", "stage": "won", "amount": 50},
    ], id="a-co", region="华东/杭州")
    b = card([{"id": "w", "title": "w", "stage": "proposal", "amount": 200, "stage_since": "2026-10-01"},
              {"id": "v", "title": "v", "stage": "lost", "amount": 70}], id="b-co", owner="lina", region="华东/宁波")
    report = pipeline([brief.of(a), brief.of(b)], Settings(), TODAY)
    rows = {r.stage: r for r in report.stages}
    assert [r.stage for r in report.stages] == [*STAGES, "won", "lost"]
    proposal = rows["proposal"]
    assert (proposal.count, proposal.amount, proposal.weighted) == (3, Decimal(600), Decimal(240))
    assert (proposal.oldest.account, proposal.oldest.deal.id, proposal.oldest.days_in_stage) == ("a-co", "y", 83)
    assert (rows["won"].count, rows["won"].weighted, rows["lost"].weighted) == (1, Decimal(50), Decimal(0))
    assert rows["bidding"].count == 0 and rows["bidding"].oldest is None
    totals = report.totals()
    assert (totals["count"], totals["amount"], totals["weighted"]) == (3, Decimal(600), Decimal(240))
    only_lina = pipeline([brief.of(a), brief.of(b)], Settings(), TODAY, owner="lina")
    assert [d.deal.id for d in only_lina.deals] == ["w", "v"]
    hangzhou = pipeline([brief.of(a), brief.of(b)], Settings(), TODAY, region="杭州")
    assert {d.account for d in hangzhou.deals} == {"a-co"}


# -- the command ---------------------------------------------------------------------------

DEALS = """\
    id: {id}
    name: {name}
    owner: {owner}
    region: 华东/杭州
    opportunities:
      - {{id: p1, title: 分拣线, stage: bidding, amount: 500000, close: 2026-11-10, stage_since: 2026-08-01,
         nodes: {{accurate_info: 2026-05-01, project_approval: 2026-06-01, relationship: 2026-08-01}}}}
      - {{id: p2, title: 冷库, stage: proposal, amount: 200000, close: 2027-03-01, stage_since: 2026-11-02}}
    visits:
      - {{date: 2026-09-01, summary: 技术交流, no_next: 等招标}}
"""


def test_pipeline_json_contract(kacard, write_card) -> None:
    write_card("hz-acme", DEALS.format(id="hz-acme", name="Acme", owner="zhangwei"))
    result = kacard("pipeline", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["stage"] for s in doc["stages"]] == [*STAGES, "won", "lost"]
    bidding = next(s for s in doc["stages"] if s["stage"] == "bidding")
    assert {k: bidding[k] for k in ("stage", "count", "amount", "weighted")} == {
        "stage": "bidding", "count": 1, "amount": 500000, "weighted": 300000}
    p1, p2 = doc["opportunities"][::-1]  # proposal before bidding
    assert {k: p1[k] for k in ("account", "id", "title", "stage", "amount", "close", "days_in_stage", "stalled")} == {
        "account": "hz-acme", "id": "p1", "title": "分拣线", "stage": "bidding", "amount": 500000,
        "close": "2026-11-10", "days_in_stage": 114, "stalled": True}
    assert p1["problems"] == ["stalled", "past_close"] and p1["quiet_days"] == 83
    assert p2["problems"] == ["missing_node"] and p2["missing_node"] == "project_approval"


def test_pipeline_table_csv_svg_and_filters(kacard, write_card) -> None:
    write_card("hz-acme", DEALS.format(id="hz-acme", name="Acme", owner="zhangwei"))
    write_card("hz-beta", DEALS.format(id="hz-beta", name="Beta", owner="lina"))
    table = kacard("pipeline")
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0] == "Pipeline on 2026-11-23"
    assert any(line.split()[:2] == ["bidding", "2"] for line in table.stdout.splitlines())
    csv = kacard("pipeline", "--owner", "lina", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("account,id,title,owner,region,stage,amount")
    assert len(csv) == 3 and all(line.startswith("hz-beta,") for line in csv[1:])
    svg = kacard("pipeline", "--format", "svg").stdout
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>") and "2 deals" in svg
    assert kacard("pipeline", "--region", "宁波", "--format", "json").stdout.count('"account"') == 0


def test_pipeline_unknown_owner_is_a_usage_error(kacard, write_card) -> None:
    write_card("hz-acme", DEALS.format(id="hz-acme", name="Acme", owner="zhangwei"))
    result = kacard("pipeline", "--owner", "nobody")
    assert result.exit_code == 2 and "unknown owner" in result.output
