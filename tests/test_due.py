"""The core of `kacard due`: every reason and its edges, urgency terms and order.

Today is Monday 2026-11-23; its week (2026-W48) ends Sunday 2026-11-29.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kacard.dates import Week, iso_week, week_of
from kacard.analysis.due import assess, due, urgency_terms, Reason
from kacard.errors import UsageError
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings

TODAY = dt.date(2026, 11, 23)
MONDAY = TODAY
WEEK = Week(MONDAY)
SETTINGS = Settings.model_validate(  # parking off: these tests are about the cadence rule itself
    {"team": [{"id": "zhangwei", "name": "张伟"}, {"id": "lina", "name": "李娜"}], "parking": False}
)


def card(card_id: str = "acme", **fields: Any) -> Card:
    data = {"id": card_id, "name": f"{card_id} 公司", "owner": "zhangwei", "tier": "A"}
    data.update(fields)
    return Card.model_validate(data)


def visit(date: str, next_date: str | None = "2027-01-31", **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"date": date, "summary": "拜访"}
    if next_date is not None:
        record["next"] = {"date": next_date, "action": "跟进"}
    record.update(extra)
    return record


def reasons(c: Card, settings: Settings = SETTINGS, today: dt.date = TODAY, week: Week = WEEK) -> dict[str, Any]:
    item = assess(c, c.tier or "C", settings, today, week)
    return {r.kind: r for r in item.reasons}


# -- weeks --------------------------------------------------------------------------------


def test_week_is_monday_to_sunday():
    assert week_of(dt.date(2026, 11, 29)) == Week(dt.date(2026, 11, 23))
    assert week_of(dt.date(2026, 11, 23)).end == dt.date(2026, 11, 29)
    assert iso_week("2026-W48") == Week(dt.date(2026, 11, 23))
    assert Week(dt.date(2026, 11, 23)).label == "2026-W48"
    assert iso_week("2027-w1").start == dt.date(2027, 1, 4)
    for bad in ("2026-48", "W48", "2026-W", "2026-W60"):
        with pytest.raises(ValueError):
            iso_week(bad)


# -- cadence ------------------------------------------------------------------------------


def test_cadence_never_visited():
    found = reasons(card())
    assert found["cadence"].detail["status"] == "never"
    assert found["cadence"].days_overdue == 0
    assert set(found) == {"cadence"}


def test_cadence_never_visited_counts_overdue_from_since():
    found = reasons(card(tier="C", since="2026-01-01"))  # C: every 90 days -> 2026-04-01
    assert found["cadence"].days_overdue == (TODAY - dt.date(2026, 4, 1)).days


def test_cadence_due_on_the_exact_week_end_inclusive():
    # tier A = 14 days; 2026-11-15 + 14 = 2026-11-29, the Sunday ending the week
    on_the_edge = reasons(card(visits=[visit("2026-11-15")]))
    assert on_the_edge["cadence"].date == dt.date(2026, 11, 29)
    assert on_the_edge["cadence"].detail["status"] == "soon"
    assert on_the_edge["cadence"].days_overdue == 0
    assert "cadence" not in reasons(card(visits=[visit("2026-11-16")]))  # -> 11-30, next week


def test_cadence_soon_versus_overdue_with_a_maximum():
    settings = Settings.model_validate({"cadence_max_days": {"A": 21}, "parking": False})
    soon = reasons(card(visits=[visit("2026-11-05")]), settings)["cadence"]  # ideal 11-19, max 11-26
    assert (soon.detail["status"], soon.days_overdue, soon.detail["latest"]) == ("soon", 0, dt.date(2026, 11, 26))
    late = reasons(card(visits=[visit("2026-11-01")]), settings)["cadence"]  # max 11-22
    assert (late.detail["status"], late.days_overdue) == ("overdue", 1)


def test_cadence_without_a_maximum_is_overdue_past_the_ideal_date():
    late = reasons(card(visits=[visit("2026-11-08")]))["cadence"]  # ideal = max = 11-22
    assert (late.detail["status"], late.days_overdue) == ("overdue", 1)
    today = reasons(card(visits=[visit("2026-11-09")]))["cadence"]  # 11-23: due today, not late
    assert (today.detail["status"], today.days_overdue) == ("soon", 0)


def test_cadence_ignores_visits_dated_after_today():
    found = reasons(card(visits=[visit("2026-10-01"), visit("2026-12-01")]))
    assert found["cadence"].detail["last_visit"] == dt.date(2026, 10, 1)


# -- next step / no next step -----------------------------------------------------------


def test_next_step_due_on_the_week_end_but_not_after():
    found = reasons(card(visits=[visit("2026-11-20", next_date="2026-11-29")]))
    step = found["next_step"]
    assert (step.date, step.days_overdue, step.detail["status"], step.detail["action"]) == (
        dt.date(2026, 11, 29), 0, "planned", "跟进")
    assert "next_step" not in reasons(card(visits=[visit("2026-11-20", next_date="2026-11-30")]))


def test_next_step_overdue_counts_days_at_today():
    step = reasons(card(visits=[visit("2026-11-10", next_date="2026-11-20")]))["next_step"]
    assert (step.days_overdue, step.detail["status"]) == (3, "overdue")
    assert reasons(card(visits=[visit("2026-11-10", next_date="2026-11-23")]))["next_step"].detail["status"] == "today"


def test_next_step_closed_by_a_later_visit():
    closed = card(visits=[visit("2026-11-10", next_date="2026-11-20"), visit("2026-11-21", next_date="2026-12-20")])
    assert reasons(closed) == {}


def test_visit_without_next_step_is_flagged_unless_deliberate():
    assert set(reasons(card(visits=[visit("2026-11-20", next_date=None)]))) == {"no_next_step"}
    deliberate = card(visits=[visit("2026-11-20", next_date=None, no_next="客户已签约,年底再联系")])
    assert reasons(deliberate) == {}
    only_latest_counts = card(visits=[visit("2026-11-01", next_date=None), visit("2026-11-20")])
    assert reasons(only_latest_counts) == {}


# -- receivables --------------------------------------------------------------------------


def test_receivable_with_its_own_due_date():
    found = reasons(card(visits=[visit("2026-11-20")], credit={"terms_days": 90},
                         trades=[{"date": "2026-10-01", "invoice": "INV-1", "amount": 5000, "due": "2026-11-22"}]))
    r = found["receivable"]
    assert (r.date, r.days_overdue, r.detail["amount"], r.detail["due_source"]) == (
        dt.date(2026, 11, 22), 1, Decimal(5000), "invoice due date")


def test_receivable_due_from_credit_terms_then_default_30_days():
    by_terms = reasons(card(visits=[visit("2026-11-20")], credit={"terms_days": 60},
                            trades=[{"date": "2026-09-20", "amount": 100}]))["receivable"]
    assert (by_terms.date, by_terms.days_overdue, by_terms.detail["due_source"]) == (
        dt.date(2026, 11, 19), 4, "credit terms 60 days")
    by_default = reasons(card(visits=[visit("2026-11-20")], trades=[{"date": "2026-10-20", "amount": 100}]))
    assert (by_default["receivable"].date, by_default["receivable"].detail["due_source"]) == (
        dt.date(2026, 11, 19), "default 30 days")


def test_receivable_past_due_is_judged_at_today_not_the_week_end():
    def with_due(due: str) -> dict[str, Any]:
        return reasons(card(visits=[visit("2026-11-20")],
                            trades=[{"date": "2026-10-01", "amount": 100, "due": due}]))

    assert "receivable" not in with_due("2026-11-23")  # due today: not yet past due
    assert "receivable" not in with_due("2026-11-26")  # falls due later this week
    assert "receivable" in with_due("2026-11-22")


def test_paid_trades_and_credit_notes_are_not_receivables():
    found = reasons(card(visits=[visit("2026-11-20")], trades=[
        {"date": "2026-01-01", "amount": 100, "paid": "2026-02-01"},
        {"date": "2026-01-01", "amount": -50},
    ]))
    assert found == {}


def test_each_overdue_invoice_is_a_reason_but_weighted_once():
    c = card(visits=[visit("2026-11-20")],
             trades=[{"date": "2026-09-01", "amount": 100}, {"date": "2026-09-05", "amount": 200}])
    item = assess(c, "A", SETTINGS, TODAY, WEEK)
    assert [r.kind for r in item.reasons] == ["receivable", "receivable"]
    assert [t.name for t in item.terms].count("reason receivable") == 1


# -- signals ------------------------------------------------------------------------------


def test_signal_without_a_visit_since():
    found = reasons(card(visits=[visit("2026-11-05")], signals=[{"date": "2026-11-10", "kind": "sharing_wallet"}]))
    assert (found["signal"].detail["signal"], found["signal"].detail["days_open"]) == ("sharing_wallet", 13)


def test_signal_already_visited_on_or_after_its_date():
    same_day = card(visits=[visit("2026-11-10")], signals=[{"date": "2026-11-10"}])
    after = card(visits=[visit("2026-11-05"), visit("2026-11-12")], signals=[{"date": "2026-11-10"}])
    assert "signal" not in reasons(same_day)
    assert "signal" not in reasons(after)


# -- the list -----------------------------------------------------------------------------


def test_only_active_and_prospect_accounts():
    cards = [card("a-active"), card("b-prospect", status="prospect"), card("c-dormant", status="dormant"),
             card("d-lost", status="lost")]
    assert {i.id for i in due(cards, SETTINGS, TODAY, MONDAY)} == {"a-active", "b-prospect"}


def test_owner_filter_and_unknown_owner():
    cards = [card("a", owner="zhangwei"), card("b", owner="lina")]
    assert [i.id for i in due(cards, SETTINGS, TODAY, MONDAY, owner="lina")] == ["b"]
    with pytest.raises(UsageError, match="team: zhangwei \\(张伟\\), lina"):
        due(cards, SETTINGS, TODAY, MONDAY, owner="nobody")


def test_another_week_moves_the_horizon():
    c = card(visits=[visit("2026-11-20", next_date="2026-12-02")])
    assert due([c], SETTINGS, TODAY, MONDAY) == []
    assert [i.id for i in due([c], SETTINGS, TODAY, iso_week("2026-W49").start)] == ["acme"]


def test_urgency_is_the_sum_of_its_terms_and_orders_the_list():
    cards = [
        card("c-tier-c", tier="C", visits=[visit("2026-11-20", next_date=None)]),  # 1 + 3
        card("s-late", tier="S", visits=[visit("2026-11-01", next_date="2026-11-13")]),  # overdue cadence + step
        card("b-tie", tier="C", visits=[visit("2026-11-20", next_date=None)]),  # same urgency as c-tier-c
    ]
    items = due(cards, SETTINGS, TODAY, MONDAY)
    assert [i.id for i in items] == ["s-late", "b-tie", "c-tier-c"]
    late = items[0]
    # tier S 8 + days overdue: cadence 2026-11-01 + 7 = 11-08 -> 15 days (worst) × 0.5 + cadence 2 + next step 4
    assert {t.name: t.contribution for t in late.terms} == {
        "tier": 8.0, "days overdue": 7.5, "reason cadence": 2.0, "reason next_step": 4.0}
    assert late.urgency == pytest.approx(21.5)
    assert items[1].urgency == items[2].urgency == pytest.approx(4.0)


def test_days_overdue_are_capped_and_coefficients_come_from_settings():
    settings = Settings.model_validate({"urgency": {"per_day_overdue": 1.0, "max_days_overdue": 10,
                                                    "reasons": {"receivable": 7.0}}})
    c = card(tier="B", visits=[visit("2026-11-20")], trades=[{"date": "2026-01-01", "amount": 1}])
    item = assess(c, "B", settings, TODAY, WEEK)
    terms = {t.name: t for t in item.terms}
    assert terms["days overdue"].value == 10 and "counted up to 10" in terms["days overdue"].source
    assert terms["reason receivable"].weight == 7.0
    assert item.urgency == pytest.approx(3.0 + 10 + 7.0)  # tier B default 3 kept when not configured


def test_not_due_has_no_urgency():
    item = assess(card(visits=[visit("2026-11-20")]), "A", SETTINGS, TODAY, WEEK)
    assert (item.is_due, item.urgency, item.terms) == (False, 0.0, ())


def test_appointment_from_a_next_step_with_time():
    c = card(visits=[{"date": "2026-11-20", "next": {"date": "2026-11-25", "time": "10:30", "action": "签约"}}])
    (item,) = due([c], SETTINGS, TODAY, MONDAY)
    assert item.appointment == dt.datetime(2026, 11, 25, 10, 30)


def test_json_shape_of_an_item():
    (item,) = due([card(visits=[visit("2026-11-10", next_date="2026-11-20")])], SETTINGS, TODAY, MONDAY)
    data = item.as_json()
    assert {"id", "owner", "tier", "urgency", "reasons"} <= set(data)
    assert [r["kind"] for r in data["reasons"]] == ["cadence", "next_step"]  # 11-10 + 14 days = 11-24


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400),
       st.sampled_from(["S", "A", "B", "C"]), st.sampled_from(["cadence", "next_step", "receivable"]))
def test_urgency_never_falls_as_days_overdue_grow(d1: int, d2: int, tier: str, kind: str):
    low, high = sorted((d1, d2))

    def urgency(days: int) -> float:
        reason = Reason(kind, TODAY - dt.timedelta(days=days), days, "")
        return sum(t.contribution for t in urgency_terms(tier, False, [reason], SETTINGS.urgency))

    assert urgency(low) <= urgency(high)


@given(st.integers(min_value=0, max_value=300))
def test_urgency_of_a_card_never_falls_as_its_invoice_ages(extra: int):
    def urgency(days_late: int) -> float:
        due_date = TODAY - dt.timedelta(days=days_late)
        c = card(visits=[visit("2026-11-20")], trades=[{"date": "2026-01-01", "amount": 1, "due": due_date}])
        return assess(c, "A", SETTINGS, TODAY, WEEK).urgency

    assert urgency(extra) <= urgency(extra + 1)
