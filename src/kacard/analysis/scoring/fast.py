"""Tiers from card indexes: the numbers of scoring/report.py without the explanations.

`kacard list`, `filter` and `due` need every account's tier, and building the
explained score (terms, rules, window trade lists) for 10,000 accounts takes
seconds. This computes the same tiers from `kacard.cards.index.CardIndex` with
bisections. The rules are those of ten_two.py (`DERIVATIONS`); tests/test_index.py
checks that both give the same tiers on varied folders, dates and settings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kacard.cards.index import CardIndex
from kacard.cards.model.settings import Settings
from kacard.analysis.scoring.pareto import ParetoEntry, classify
from kacard.analysis.scoring.periods import trailing_periods
from kacard.analysis.scoring.ten_two import DERIVATIONS, ten_two_class
from kacard.analysis.scoring.tier import computed_tier

TEN_TWO_CLASSES = ("key", "potential", "regular")
# (Pareto class, 10/2 class) -> tier
TIER_OF = {(p, t): computed_tier(p, t)[0] for p in "ABC" for t in TEN_TWO_CLASSES}

def _steps(value: Decimal, high: Decimal, low: Decimal) -> int:
    return 2 if value >= high else 1 if value >= low else 0


def _derived_columns(
    indexes: list[CardIndex], entries: list[ParetoEntry], settings: Settings, today: dt.date
) -> dict[str, list[int]]:
    """The points of every criterion kacard derives, as scoring/ten_two.py's DERIVATIONS
    rate them: one column (list) per criterion, in the order of `indexes`."""
    ten_two = settings.scoring.ten_two
    derive = ten_two.derive
    wanted = [name for name in ten_two.criteria if name in DERIVATIONS and name not in derive.manual_only]
    columns: dict[str, list[int]] = {}
    years: list[int] = []
    if "long_term" in wanted or "continuous_purchasing" in wanted:
        periods = [(start.toordinal(), end.toordinal())
                   for start, end in trailing_periods(today, derive.long_term.years, 12)]
        years = [sum([ix.positive_trades_in(start, end) for start, end in periods]) for ix in indexes]
    for name in wanted:
        if name == "profit_share":
            columns[name] = [2 if e.klass == "A" else 1 if e.klass == "B" else 0 for e in entries]
        elif name == "loss_impact":
            high, low = Decimal(str(derive.loss_impact.full)), Decimal(str(derive.loss_impact.partly))
            columns[name] = [_steps(e.share, high, low) for e in entries]
        elif name == "long_term":
            full, partly = derive.long_term.full, derive.long_term.partly
            columns[name] = [2 if y >= full else 1 if y >= partly else 0 for y in years]
        elif name == "continuous_purchasing":
            columns[name] = [2 if ix.pattern == "recurring" else 1 if y >= derive.continuous_years else 0
                             for ix, y in zip(indexes, years, strict=True)]
        elif name == "growth_potential":
            ratio = Decimal(str(derive.growth_ratio))
            columns[name] = [
                0 if ix.open_opportunities <= 0
                else 2 if ix.open_opportunities >= ratio * ix.metric(today, 365, "revenue") else 1
                for ix in indexes
            ]
        elif name == "time_invested":
            visits = [ix.visits_in(today, settings.scoring.pareto.window_days) for ix in indexes]
            average = Decimal(sum(visits)) / len(indexes) if indexes else Decimal(0)
            high, low = Decimal(str(derive.time_invested.full)), Decimal(str(derive.time_invested.partly))
            columns[name] = [_steps(Decimal(v) / average, high, low) if average > 0 else 0 for v in visits]
        elif name == "centralized_purchasing":
            columns[name] = [2 if ix.centralized else 0 for ix in indexes]
        # strategic_goals, product_fit, influence: not derived (0)
    return columns


def tiers(indexes: list[CardIndex], settings: Settings, today: dt.date) -> dict[str, str]:
    """Effective tier per card id (the pin, else computed), equal to scoring.tiers."""
    pareto, ten_two = settings.scoring.pareto, settings.scoring.ten_two
    metrics = {ix.id: ix.metric(today, pareto.window_days, pareto.metric) for ix in indexes}
    prospects = {ix.id for ix in indexes if ix.status == "prospect"}
    by_id = {e.id: e for e in classify(metrics, prospects, pareto.a, pareto.b)}
    entries = [by_id[ix.id] for ix in indexes]
    columns = _derived_columns(indexes, entries, settings, today)
    totals = [sum(points) for points in zip(*columns.values(), strict=True)] if columns else [0] * len(indexes)
    # tier by Pareto class and 10/2 total (each criterion gives 0, 1 or 2 points)
    most = 2 * len(ten_two.criteria)
    tier_by = {p: [TIER_OF[p, ten_two_class(t, ten_two)] for t in range(most + 1)] for p in "ABC"}
    result = {}
    for k, ix in enumerate(indexes):
        total = totals[k]
        if ix.criteria:  # manual ratings win over derived points
            total = sum(ix.criteria[name] if name in ix.criteria else columns[name][k] if name in columns else 0
                        for name in ten_two.criteria)
        result[ix.id] = ix.tier or tier_by[entries[k].klass][total]
    return result
