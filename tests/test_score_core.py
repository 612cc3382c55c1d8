"""The scoring core, without the CLI: Pareto boundaries, 10/2 derivations, tiers, quadrants, what-if."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.analysis.scoring import tiers
from kacard.analysis.scoring.pareto import classify, concentration
from kacard.analysis.scoring.periods import months_before, trailing_periods
from kacard.analysis.scoring.report import score, what_if, window_trades
from kacard.analysis.scoring.tier import computed_tier

TODAY = dt.date(2026, 11, 23)
D = Decimal


def card(card_id: str, *amounts: int | tuple[str, int], **fields: Any) -> Card:
    """A card with trades: ints are dated 2026-10-01, (date, amount) pairs as given."""
    trades = []
    for item in amounts:
        date, amount = item if isinstance(item, tuple) else ("2026-10-01", item)
        trades.append({"date": date, "amount": amount})
    data = {"id": card_id, "name": card_id.upper(), "owner": "zhangwei", "trades": trades, **fields}
    return Card.model_validate(data)


def by_id(report):  # type: ignore[no-untyped-def]
    return {s.id: s for s in report.accounts}


def settings(**scoring: Any) -> Settings:
    return Settings.model_validate({"scoring": scoring})


# -- Pareto / ABC ---------------------------------------------------------------------------


def classes(
    metrics: dict[str, int], prospects: set[str] = frozenset(), a: float = 0.8, b: float = 0.95
):  # type: ignore[assignment, no-untyped-def]
    entries = classify({k: D(v) for k, v in metrics.items()}, set(prospects), a, b)
    return {e.id: e.klass for e in entries}


def test_the_account_crossing_80_percent_is_still_a():
    # cumulative before: x 0 %, y 50 % (< 80 %, y takes it to 90 %), z 90 %
    assert classes({"x": 50, "y": 40, "z": 10}) == {"x": "A", "y": "A", "z": "B"}


def test_exactly_at_a_cutoff_is_b_and_exactly_at_b_is_c():
    # before: 0, 60 %, 80 % (not < 80 %), 95 % (not < 95 %)
    assert classes({"p": 60, "q": 20, "r": 15, "s": 5}) == {"p": "A", "q": "A", "r": "B", "s": "C"}
    assert classes({"p": 80, "q": 20}) == {"p": "A", "q": "B"}


def test_exact_decimal_comparison_no_float_drift():
    # with floats 0.7 + 0.2 is 0.8999999999999999 < 0.9; kacard compares exact Decimals
    entries = classify({"m": D("0.1"), "n": D("0.2"), "o": D("0.7")}, set(), 0.7, 0.9)
    got = {e.id: (e.klass, e.before) for e in entries}
    assert got["o"] == ("A", D(0))
    assert got["n"] == ("B", D("0.7"))  # exactly 0.7 before: not < a
    assert got["m"][0] == "C"  # 0.9 before: not < b


def test_ties_are_broken_by_id():
    entries = classify({"beta": D(50), "alpha": D(50)}, set(), 0.5, 0.95)
    assert [(e.id, e.rank, e.klass) for e in entries] == [("alpha", 1, "A"), ("beta", 2, "B")]


def test_prospects_and_zero_metric_are_c_and_unranked():
    entries = classify(
        {"buyer": D(100), "pros": D(900), "zero": D(0), "neg": D(-5)}, {"pros"}, 0.8, 0.95
    )
    got = {e.id: e for e in entries}
    assert got["buyer"].klass == "A" and got["buyer"].share == 1
    for name in ("pros", "zero", "neg"):
        assert got[name].klass == "C" and got[name].rank is None and got[name].share == 0
    assert "prospect" in got["pros"].reason and "metric is 0" in got["zero"].reason


def test_no_metric_at_all_never_divides_by_zero():
    entries = classify({"a": D(0), "b": D(0)}, set(), 0.8, 0.95)
    assert {e.klass for e in entries} == {"C"}
    summary = concentration(entries)
    assert (summary.total, summary.a_share_of_accounts, summary.top20_share) == (0, 0.0, 0.0)
    assert concentration([]).accounts == 0


def test_concentration_counts_a_accounts_and_the_top_20_percent():
    metrics = {f"c{i:02}": v for i, v in enumerate([500, 300, 100, 50, 20, 10, 10, 5, 3, 2])}
    summary = concentration(classify({k: D(v) for k, v in metrics.items()}, set(), 0.8, 0.95))
    assert summary.a_accounts == 2 and summary.a_share_of_accounts == 0.2  # 500 + 300 = 80 %
    assert summary.top20_accounts == 2 and summary.top20_share == pytest.approx(0.8)


@given(
    st.dictionaries(
        st.from_regex(r"[a-z]{1,6}", fullmatch=True),
        st.integers(min_value=0, max_value=10**9),
        max_size=40,
    ),
    st.floats(min_value=0.05, max_value=1.0),
    st.floats(min_value=0.0, max_value=1.0),
)
@hsettings(deadline=None, max_examples=150)
def test_pareto_classes_partition_the_accounts(metrics, a, extra):
    b = min(1.0, a + extra * (1 - a))
    entries = classify({k: D(v) for k, v in metrics.items()}, set(), a, b)
    assert sorted(e.id for e in entries) == sorted(metrics)  # every account exactly once
    assert {e.klass for e in entries} <= {"A", "B", "C"}
    ranked = [e for e in entries if e.rank is not None]
    order = {"A": 0, "B": 1, "C": 2}
    assert [order[e.klass] for e in ranked] == sorted(
        order[e.klass] for e in ranked
    )  # classes follow rank
    assert [e.metric for e in ranked] == sorted((e.metric for e in ranked), reverse=True)
    if ranked:
        assert sum(e.share for e in ranked) == pytest.approx(1)
        assert ranked[0].klass == "A"
        a_count = sum(1 for e in entries if e.klass == "A")
        # A = the fewest top accounts whose cumulative share reaches a
        assert a_count == next(
            i for i, e in enumerate(ranked, 1) if e.after >= D(str(a)) or i == len(ranked)
        )


# -- the window -------------------------------------------------------------------------------


def test_window_edges_today_in_window_start_and_future_out():
    cards = [
        card("edge", ("2025-11-23", 1000), ("2026-11-23", 7), ("2026-11-24", 1000)),
        card("other", ("2025-11-24", 5)),  # first day in the window
    ]
    report = score(cards, Settings(), TODAY)
    accounts = by_id(report)
    assert accounts["edge"].metric == 7
    assert [t.amount for t in window_trades(cards[0], report)] == [7]
    assert accounts["other"].metric == 5
    assert report.window_start == dt.date(2025, 11, 23)


def test_margin_metric_and_window_days_come_from_settings():
    cards = [
        Card.model_validate(
            {
                "id": "m",
                "name": "M",
                "owner": "z",
                "trades": [
                    {"date": "2026-11-01", "amount": 100, "margin": 30},
                    {"date": "2026-06-01", "amount": 100},
                ],
            }
        ),
    ]
    report = score(cards, settings(pareto={"metric": "margin", "window_days": 30}), TODAY)
    assert by_id(report)["m"].metric == 30


# -- 10/2 -------------------------------------------------------------------------------------


def ratings(report, card_id):  # type: ignore[no-untyped-def]
    return {t.name: (int(t.value), t.source) for t in by_id(report)[card_id].criteria}


def test_manual_rating_wins_over_derived_and_explain_says_so():
    cards = [card("big", 900, criteria={"profit_share": 0, "influence": 2}), card("small", 100)]
    got = ratings(score(cards, Settings(), TODAY), "big")
    assert got["profit_share"] == (0, "manual: rated on the card")  # derived would be 2 (Pareto A)
    assert got["influence"] == (2, "manual: rated on the card")
    assert got["strategic_goals"][0] == 0 and "not rated" in got["strategic_goals"][1]
    assert got["loss_impact"][1].startswith("derived:")


def test_profit_share_and_loss_impact_follow_pareto_and_share():
    # shares: 85 %, 10 %, 3 %, 2 %; c starts at exactly 95 %
    cards = [card("a", 850), card("b", 100), card("c", 30), card("d", 20)]
    report = score(cards, Settings(), TODAY)
    profit = {i: ratings(report, i)["profit_share"][0] for i in "abcd"}
    loss = {i: ratings(report, i)["loss_impact"][0] for i in "abcd"}
    assert [s.pareto.klass for s in report.accounts] == ["A", "B", "C", "C"]
    assert profit == {"a": 2, "b": 1, "c": 0, "d": 0}
    assert loss == {"a": 2, "b": 2, "c": 1, "d": 0}  # >= 10 % -> 2, >= 3 % -> 1


def test_loss_impact_thresholds_are_adjustable():
    cards = [card("a", 850), card("b", 100), card("c", 30), card("d", 20)]
    report = score(
        cards, settings(ten_two={"derive": {"loss_impact": {"full": 0.12, "partly": 0.02}}}), TODAY
    )
    assert {i: ratings(report, i)["loss_impact"][0] for i in "abcd"} == {
        "a": 2,
        "b": 1,
        "c": 1,
        "d": 1,
    }


@pytest.mark.parametrize(
    ("dates", "long_term", "continuous"),
    [
        (["2026-11-01", "2025-10-01", "2024-06-01"], 2, 1),  # each of the last 3 years
        (["2026-11-01", "2024-06-01"], 1, 1),  # 2 of 3
        (["2026-11-01", "2026-01-01"], 0, 0),  # one year only
        (["2023-11-23"], 0, 0),  # exactly 3 years ago: outside the last 3 years
        ([], 0, 0),
    ],
)
def test_long_term_and_continuous_purchasing_count_trading_years(dates, long_term, continuous):
    report = score([card("x", *[(d, 10) for d in dates])], Settings(), TODAY)
    got = ratings(report, "x")
    assert got["long_term"][0] == long_term
    assert got["continuous_purchasing"][0] == continuous


def test_recurring_and_centralized_purchasing():
    cards = [
        card("r", 10, purchasing={"centralized": True, "pattern": "recurring"}),
        card("p", 10, purchasing={"centralized": False, "pattern": "project"}),
        card("n", 10),
    ]
    report = score(cards, Settings(), TODAY)
    assert ratings(report, "r")["continuous_purchasing"][0] == 2
    assert ratings(report, "r")["centralized_purchasing"][0] == 2
    assert ratings(report, "p")["centralized_purchasing"][0] == 0
    assert ratings(report, "n")["centralized_purchasing"][0] == 0


def test_growth_potential_compares_open_opportunities_with_12_month_revenue():
    def opp(amount: int, stage: str = "proposal") -> dict[str, Any]:
        return {"title": "t", "stage": stage, "amount": amount}

    cards = [
        card("big", 100, opportunities=[opp(60), opp(40)]),  # 100 >= 100 -> 2
        card(
            "some", 100, opportunities=[opp(99), opp(500, "won"), opp(500, "lost")]
        ),  # 99 > 0 -> 1
        card("none", 100, opportunities=[opp(500, "won")]),
        card("new", opportunities=[opp(1)]),  # no revenue, some pipeline -> 2
    ]
    report = score(cards, Settings(), TODAY)
    assert {c.id: ratings(report, c.id)["growth_potential"][0] for c in cards} == {
        "big": 2,
        "some": 1,
        "none": 0,
        "new": 2,
    }


def test_time_invested_compares_visits_with_the_average_account():
    def visits(n: int) -> list[dict[str, Any]]:
        return [{"date": f"2026-{m + 1:02}-10", "summary": "s", "no_next": "x"} for m in range(n)]

    # 8 visits over 4 accounts in the window: average 2
    cards = [
        card("w", 1, visits=visits(4)),
        card("x", 1, visits=visits(3)),
        card("y", 1, visits=visits(1)),
        card("z", 1, visits=[{"date": "2025-01-01", "summary": "old"}]),
    ]
    report = score(cards, Settings(), TODAY)
    assert {c: ratings(report, c)["time_invested"][0] for c in "wxyz"} == {
        "w": 2,
        "x": 1,
        "y": 0,
        "z": 0,
    }
    quiet = score([card("q", 1)], Settings(), TODAY)
    assert ratings(quiet, "q")["time_invested"][0] == 0  # no visits at all: no division by zero


def test_criteria_list_manual_only_and_unknown_names():
    team = settings(
        ten_two={
            "criteria": ["profit_share", "centralized_purchasing", "references"],
            "derive": {"manual_only": ["centralized_purchasing"]},
            "key": 4,
            "potential": 2,
        }
    )
    cards = [
        card(
            "c",
            10,
            purchasing={"centralized": True},
            criteria={"references": 2, "not_a_criterion": 2},
        )
    ]
    got = ratings(score(cards, team, TODAY), "c")
    assert list(got) == [
        "profit_share",
        "centralized_purchasing",
        "references",
    ]  # unknown name ignored
    assert (
        got["centralized_purchasing"][0] == 0 and "turned off" in got["centralized_purchasing"][1]
    )
    assert got["references"] == (2, "manual: rated on the card")
    account = by_id(score(cards, team, TODAY))["c"]
    assert (account.ten_two, account.ten_two_class) == (4, "key")


@pytest.mark.parametrize(
    ("total", "klass"),
    [
        (20, "key"),
        (14, "key"),
        (13, "potential"),
        (10, "potential"),
        (9, "regular"),
        (0, "regular"),
    ],
)
def test_ten_two_thresholds(total, klass):
    names = [
        "strategic_goals",
        "product_fit",
        "influence",
        "loss_impact",
        "long_term",
        "growth_potential",
        "time_invested",
        "centralized_purchasing",
        "continuous_purchasing",
        "profit_share",
    ]
    rated = {n: 2 if i < total // 2 else 0 for i, n in enumerate(names)}
    if total % 2:
        rated[names[total // 2]] = 1
    account = by_id(score([card("t", criteria=rated, status="prospect")], Settings(), TODAY))["t"]
    assert (account.ten_two, account.ten_two_class) == (total, klass)


# -- tier, pins, quadrant, what-if ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pareto", "ten_two", "tier"),
    [
        ("A", "key", "S"),
        ("A", "potential", "A"),
        ("A", "regular", "A"),
        ("B", "key", "A"),
        ("C", "key", "A"),
        ("B", "potential", "B"),
        ("B", "regular", "B"),
        ("C", "potential", "B"),
        ("C", "regular", "C"),
    ],
)
def test_tier_rule(pareto, ten_two, tier):
    assert computed_tier(pareto, ten_two)[0] == tier


def test_pins_override_and_tiers_keeps_its_signature():
    cards = [
        card("big", 900, tier="C"),
        card("small", 100),
        card("pinned", tier="S", status="prospect"),
    ]
    assert tiers(cards, Settings(), TODAY) == {"big": "C", "small": "B", "pinned": "S"}
    accounts = by_id(score(cards, Settings(), TODAY))
    assert accounts["big"].computed_tier == "A" and accounts["big"].pinned == "C"


def test_quadrants():
    loyal_dates = [("2026-11-01", 10), ("2026-06-01", 10), ("2025-06-01", 10), ("2024-06-01", 10)]
    cards = [
        card("friend", *[(d, a * 100) for d, a in loyal_dates]),
        card("butterfly", ("2026-11-01", 2000)),  # profitable, one quarter, one year
        card("barnacle", *loyal_dates),  # loyal, tiny share -> Pareto C
        card("stranger", ("2025-12-01", 1)),
    ]
    report = score(cards, Settings(), TODAY)
    got = {s.id: s.quadrant.quadrant for s in report.accounts}
    assert got == {
        "friend": "true_friend",
        "butterfly": "butterfly",
        "barnacle": "barnacle",
        "stranger": "stranger",
    }
    assert "蝴蝶" in by_id(report)["butterfly"].quadrant.hint
    assert "wallet share" in by_id(report)["barnacle"].quadrant.hint


def test_a_manual_long_term_rating_feeds_the_quadrant():
    dates = [("2026-11-01", 10), ("2026-06-01", 10)]
    plain = by_id(score([card("x", *dates)], Settings(), TODAY))["x"]
    rated = by_id(score([card("x", *dates, criteria={"long_term": 2})], Settings(), TODAY))["x"]
    assert (plain.quadrant.loyal, rated.quadrant.loyal) == (False, True)


def test_what_if_lists_pins_that_differ_from_the_computed_tier():
    cards = [card("big", 900, tier="C"), card("small", 100, tier="B"), card("free", 5)]
    report = score(cards, Settings(), TODAY)
    changes = what_if(report, report)
    assert [(c.account.id, c.now, c.would_be, c.direction, c.now_pinned) for c in changes] == [
        ("big", "C", "A", "up", True)
    ]


def test_what_if_under_other_settings_compares_with_the_tiers_today():
    cards = [card("a", 50), card("b", 40), card("c", 10)]
    now = score(cards, Settings(), TODAY)
    assert [s.tier for s in now.accounts] == ["A", "A", "B"]
    stricter = score(cards, settings(pareto={"a": 0.5, "b": 0.95}), TODAY)
    assert [(c.account.id, c.now, c.would_be, c.direction) for c in what_if(now, stricter)] == [
        ("b", "A", "B", "down")
    ]


def test_months_before_clamps_to_month_end():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 3) == dt.date(2025, 10, 15)
    assert trailing_periods(TODAY, 2, 12) == [
        (dt.date(2025, 11, 23), TODAY),
        (dt.date(2024, 11, 23), dt.date(2025, 11, 23)),
    ]
