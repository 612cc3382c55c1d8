"""The map of key people (issue 18, seeds 001 and 003): scores and ranks, support, coverage,
reports_to, last met, every warning the course calls dangerous, and the `people` command."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kacard.analysis.people import people_report, reports_tree, warnings
from kacard.cards import brief
from kacard.cards.model.card import Card, card_warnings
from kacard.cards.model.settings import Settings

TODAY = dt.date(2026, 11, 23)
DM = {"name": "王总", "title": "总经理", "role": "decision_maker", "level": "top", "influence": 5, "stance": "ally"}
COACH = {"name": "小李", "title": "采购专员", "role": "coach", "level": "operational", "influence": 2,
         "stance": "ally", "reports_to": "王总"}


def account(contacts: list[dict], stage: str = "bidding", visits: list[dict] | None = None) -> brief.Brief:
    return brief.of(Card.model_validate({
        "id": "acme", "name": "Acme", "owner": "zhangwei", "sector": "soe", "contacts": contacts,
        "opportunities": [{"id": "p1", "title": "分拣线", "stage": stage}],
        "visits": visits if visits is not None else [{"date": "2026-11-02", "with": ["王总", "小李"], "summary": "x",
                                                      "no_next": "n/a"}],
    }))


def kinds(b: brief.Brief, settings: Settings | None = None) -> list[str]:
    return [w.kind for w in warnings(b, (settings or Settings()).people, TODAY)]


def test_a_sound_account_has_no_warning() -> None:
    assert kinds(account([DM, COACH])) == []


def test_top_decision_maker_never_met_past_proposal() -> None:
    b = account([DM, COACH], visits=[{"date": "2026-11-02", "with": ["小李"], "summary": "x", "no_next": "n/a"}])
    (w,) = warnings(b, Settings().people, TODAY)
    assert (w.kind, w.detail["person"], w.detail["last_met"]) == ("top_never_met", "王总", None)
    assert "王总" in w.text and "bidding" in w.text


def test_no_decision_maker_at_all_past_proposal_is_never_met_too() -> None:
    b = account([{**COACH, "reports_to": None}, {"name": "赵工", "level": "top", "stance": "ally"}])
    assert kinds(b) == ["top_never_met"]
    assert warnings(b, Settings().people, TODAY)[0].detail["person"] is None


@pytest.mark.parametrize("stage", ["development", "initiation", "proposal"])
def test_the_top_decision_maker_rule_starts_after_proposal(stage: str) -> None:
    b = account([DM, COACH], stage=stage, visits=[])
    assert "top_never_met" not in kinds(b)


@pytest.mark.parametrize(("days", "warned"), [(90, False), (91, True)])
def test_top_decision_maker_not_met_within_not_met_days(days: int, warned: bool) -> None:
    met = TODAY - dt.timedelta(days=days)
    b = account([DM, COACH], stage="negotiation", visits=[
        {"date": str(met), "with": ["王总"], "summary": "x", "no_next": "n/a"},
        {"date": "2026-11-20", "with": ["小李"], "summary": "x", "no_next": "n/a"}])
    found = warnings(b, Settings().people, TODAY)
    assert [w.kind for w in found] == (["top_not_met"] if warned else [])
    if warned:
        assert found[0].days_overdue == 1 and found[0].detail["last_met"] == met


def test_not_met_days_comes_from_the_settings() -> None:
    b = account([DM, COACH], visits=[{"date": "2026-10-01", "with": ["王总", "小李"], "summary": "x", "no_next": "n/a"}])
    assert kinds(b) == []
    assert kinds(b, Settings.model_validate({"people": {"not_met_days": 30}})) == ["top_not_met"]


def test_no_ally_at_decision_level() -> None:
    assert kinds(account([{**DM, "stance": "neutral"}, COACH])) == ["no_ally_at_decision_level"]
    # a top-level ally who is not the decision maker still counts as decision level
    vp = {"name": "钱副总", "level": "top", "stance": "ally", "influence": 4}
    assert kinds(account([{**DM, "stance": "neutral"}, vp, COACH])) == []


def test_opposing_decision_maker() -> None:
    found = kinds(account([{**DM, "stance": "opponent"}, COACH]))
    assert found == ["no_ally_at_decision_level", "opposing_decision_maker"]
    vp = {"name": "钱副总", "level": "top", "stance": "opponent"}
    assert kinds(account([DM, vp, COACH])) == ["opposing_decision_maker"]


def test_no_coach() -> None:
    assert kinds(account([DM, {**COACH, "role": "buyer"}])) == ["no_coach"]
    assert kinds(account([DM, {**COACH, "stance": "opponent"}])) == ["no_coach"]  # a coach against us is none


def test_warnings_start_at_warn_from_and_need_an_open_deal() -> None:
    lonely = [{**DM, "stance": "opponent"}]
    assert kinds(account(lonely, stage="development")) == []
    assert kinds(account(lonely, stage="won")) == []
    assert kinds(account(lonely, stage="initiation")) == ["no_ally_at_decision_level", "opposing_decision_maker",
                                                          "no_coach"]
    late = Settings.model_validate({"people": {"warn_from": "proposal"}})
    assert kinds(account(lonely, stage="initiation"), late) == []


def test_scores_ranks_support_and_coverage() -> None:
    people = [
        {"name": "甲", "role": "technical", "level": "operational", "influence": 3, "stance": "opponent"},
        DM,
        {"name": "乙", "role": "finance", "level": "middle", "stance": "neutral"},  # influence not rated
        COACH,
    ]
    report = people_report(account(people), Settings(), TODAY)
    ranked = [(v.rank, v.person.name, v.influence, v.score) for v in report.people]
    assert ranked == [(1, "王总", 5, 5.0), (2, "甲", 3, -3.0), (3, "小李", 2, 2.0), (4, "乙", 2, 0.0)]
    (term,) = report.people[3].terms
    assert "not rated" in term.source and term.value == 2.0 and term.weight == 0.0
    s = report.support
    assert (s["allies"], s["neutral"], s["opponents"], s["unknown"]) == (2, 1, 1, 0)
    assert s["ally_influence_share"] == round(7 / 12, 2) and s["net_score"] == 4.0
    cov = report.coverage
    assert cov["levels"]["top"] == {"people": ["王总"], "allies": 1}
    assert cov["missing_roles"] == ["user"] and cov["missing_levels"] == []
    assert report.people[0].last_met == dt.date(2026, 11, 2) and report.people[0].days_since_met == 21


def test_stance_weights_are_settings() -> None:
    team = Settings.model_validate({"people": {"stance": {"ally": 2, "neutral": 0.5, "opponent": -1, "unknown": 0}}})
    report = people_report(account([DM, COACH]), team, TODAY)
    assert [v.score for v in report.people] == [10.0, 4.0]


def test_reports_to_tree_with_unknown_bosses_and_loops() -> None:
    b = account([DM, COACH, {"name": "丙", "reports_to": "小李"}, {"name": "丁", "reports_to": "不在卡上"},
                 {"name": "戊", "reports_to": "己"}, {"name": "己", "reports_to": "戊"}])
    assert reports_tree(b.people) == (("王总", 0), ("小李", 1), ("丙", 2), ("丁", 0), ("戊", 0), ("己", 1))


def test_reports_to_must_name_a_contact_of_the_card() -> None:
    card = Card.model_validate({"id": "acme", "name": "Acme", "owner": "zhangwei",
                                "contacts": [DM, {"name": "丁", "reports_to": "外人"}, {"name": "戊", "reports_to": "戊"}]})
    assert card_warnings(card, TODAY) == [("contacts.1.reports_to", "reports_to names no contact of this card"),
                                          ("contacts.2.reports_to", "a contact cannot report to themself")]


# -- the command ---------------------------------------------------------------------------

CARD = """\
    id: hz-acme
    name: 杭州艾可集团
    owner: zhangwei
    sector: government
    contacts:
      - {name: 王总, title: 主任, role: decision_maker, level: top, influence: 5, stance: opponent, phone: "+86 138 0000 0001"}
      - {name: 小李, title: 科员, role: user, level: operational, influence: 2, stance: ally, reports_to: 王总,
         notes: 私人备注不外传}
    opportunities:
      - {id: p1, title: 分拣线, stage: negotiation, amount: 500000, stage_since: 2026-11-01,
         nodes: {accurate_info: 2026-05-01, project_approval: 2026-06-01, relationship: 2026-08-01, bid: 2026-11-01}}
    visits:
      - {date: 2026-11-10, with: [小李], summary: 交流, no_next: 等合同}
"""


def test_people_json_contract_and_no_personal_data(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    result = kacard("people", "hz-acme", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["account"] == "hz-acme"
    first = doc["people"][0]
    assert {k: first[k] for k in ("name", "role", "level", "influence", "stance", "score", "rank", "last_met")} == {
        "name": "王总", "role": "decision_maker", "level": "top", "influence": 5, "stance": "opponent",
        "score": -5.0, "rank": 1, "last_met": None}
    assert doc["people"][1]["last_met"] == "2026-11-10" and doc["people"][1]["reports_to"] == "王总"
    assert [w["kind"] for w in doc["warnings"]] == [
        "top_never_met", "no_ally_at_decision_level", "opposing_decision_maker", "no_coach"]
    assert all(set(w) >= {"kind", "text"} for w in doc["warnings"])
    assert doc["hints"] and "138" not in result.stdout and "私人备注" not in result.stdout


def test_people_table_svg_and_mermaid(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    table = kacard("people", "hz-acme")
    assert table.exit_code == 0, table.output
    assert "! top decision maker 王总 never met while 分拣线 is at negotiation" in table.stdout
    assert "government: values long-standing supplier relationships" in table.stdout
    svg = kacard("people", "hz-acme", "--format", "svg").stdout
    assert svg.startswith("<?xml") and svg.count("<rect") == 3 and "#ffcdd2" in svg and "<line" in svg
    mermaid = kacard("people", "hz-acme", "--format", "mermaid").stdout
    assert mermaid.splitlines()[0] == "flowchart TD" and "p1 --> p2" in mermaid and ":::opponent" in mermaid


def test_people_of_an_unknown_card_is_an_input_error(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    result = kacard("people", "hz-nope")
    assert result.exit_code == 2 and "no card matches" in result.output


def test_people_in_chinese(kacard, write_card) -> None:
    write_card("hz-acme", CARD)
    result = kacard("people", "hz-acme", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "分拣线已到商务谈判阶段，却从未接触过最高决策者王总" in result.stdout
    assert "决策层的王总（主任）反对我方" in result.stdout
    assert "党政军：注重老客户关系" in result.stdout and "盟友" in result.stdout


def test_team_hints_in_kacard_yaml_replace_the_shipped_ones(kacard, write_card, folder) -> None:
    with (folder / "kacard.yaml").open("a", encoding="utf-8") as handle:
        handle.write("hints:\n  sector:\n    government: {en: [budget cycles decide everything]}\n")
    write_card("hz-acme", CARD)
    shown = kacard("show", "hz-acme").stdout
    assert "government: budget cycles decide everything" in shown
    assert "values long-standing" not in shown
