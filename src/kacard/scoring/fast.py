"""Tiers from card indexes: the numbers of scoring/report.py without the explanations.

`kacard list`, `filter` and `due` need every account's tier, and building the
explained score (terms, rules, window trade lists) for 10,000 accounts takes
seconds. This computes the same tiers from `kacard.index.CardIndex` with
bisections. The rules are those of ten_two.py (`DERIVATIONS`); tests/test_index.py
checks that both give the same tiers on varied folders, dates and settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from kacard.index import CardIndex
from kacard.model.settings import Settings
from kacard.scoring.pareto import ParetoEntry, classify
from kacard.scoring.periods import trailing_periods
from kacard.scoring.ten_two import DERIVATIONS, ten_two_class
from kacard.scoring.tier import computed_tier

TEN_TWO_CLASSES = ("key", "potential", "regular")
# (Pareto class, 10/2 class) -> tier
TIER_OF = {(p, t): computed_tier(p, t)[0] for p in "ABC" for t in TEN_TWO_CLASSES}

# points(index, Pareto entry, years with trades) of one derived criterion
Points = Callable[[CardIndex, ParetoEntry, int], int]


def _steps(full: float, partly: float) -> Callable[[Decimal], int]:
    high, low = Decimal(str(full)), Decimal(str(partly))
    return lambda value: 2 if value >= high else 1 if value >= low else 0


def _derivations(indexes: list[CardIndex], settings: Settings, today: dt.date) -> dict[str, Points]:
    """The points function of every criterion kacard derives, with this folder's numbers."""
    ten_two = settings.scoring.ten_two
    derive = ten_two.derive
    window = settings.scoring.pareto.window_days
    loss = _steps(derive.loss_impact.full, derive.loss_impact.partly)
    invested = _steps(derive.time_invested.full, derive.time_invested.partly)
    visits = {ix.id: ix.visits_in(today, window) for ix in indexes}
    average = Decimal(sum(visits.values())) / len(indexes) if indexes else Decimal(0)
    ratio = Decimal(str(derive.growth_ratio))
    long_term = derive.long_term

    def growth(ix: CardIndex, entry: ParetoEntry, years: int) -> int:
        pipeline = ix.open_opportunities
        if pipeline <= 0:
            return 0
        return 2 if pipeline >= ratio * ix.metric(today, 365, "revenue") else 1

    found: dict[str, Points] = {
        "profit_share": lambda ix, entry, years: 2 if entry.klass == "A" else 1 if entry.klass == "B" else 0,
        "loss_impact": lambda ix, entry, years: loss(entry.share),
        "long_term": lambda ix, entry, years: 2 if years >= long_term.full else 1 if years >= long_term.partly else 0,
        "continuous_purchasing": lambda ix, entry, years: (
            2 if ix.pattern == "recurring" else 1 if years >= derive.continuous_years else 0),
        "growth_potential": growth,
        "time_invested": lambda ix, entry, years: (
            invested(Decimal(visits[ix.id]) / average) if average > 0 else 0),
        "centralized_purchasing": lambda ix, entry, years: 2 if ix.centralized else 0,
    }
    # strategic_goals, product_fit, influence: not derived (0)
    assert set(found) <= set(DERIVATIONS)
    return {name: found[name] for name in ten_two.criteria
            if name in found and name not in derive.manual_only}


def tiers(indexes: list[CardIndex], settings: Settings, today: dt.date) -> dict[str, str]:
    """Effective tier per card id (the pin, else computed), equal to scoring.tiers."""
    pareto, ten_two = settings.scoring.pareto, settings.scoring.ten_two
    metrics = {ix.id: ix.metric(today, pareto.window_days, pareto.metric) for ix in indexes}
    prospects = {ix.id for ix in indexes if ix.status == "prospect"}
    entries = {e.id: e for e in classify(metrics, prospects, pareto.a, pareto.b)}
    derived = _derivations(indexes, settings, today)
    points = list(derived.values())
    periods = [(start.toordinal(), end.toordinal())
               for start, end in trailing_periods(today, ten_two.derive.long_term.years, 12)]
    need_years = bool({"long_term", "continuous_purchasing"} & set(derived))
    result = {}
    for ix in indexes:
        entry = entries[ix.id]
        years = 0
        if need_years:
            years = sum(1 for start, end in periods if ix.positive_trades_in(start, end))
        if ix.criteria:  # manual ratings win over derived points
            total = 0
            for name in ten_two.criteria:
                if name in ix.criteria:
                    total += ix.criteria[name]
                elif name in derived:
                    total += derived[name](ix, entry, years)
        else:
            total = 0
            for rule in points:
                total += rule(ix, entry, years)
        result[ix.id] = ix.tier or TIER_OF[entry.klass, ten_two_class(total, ten_two)]
    return result
