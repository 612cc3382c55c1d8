"""Tiers from card indexes: the numbers of scoring/report.py without the explanations.

`kacard list`, `filter` and `due` need every account's tier, and building the
explained score (terms, rules, window trade lists) for 10,000 accounts takes
seconds. This computes the same tiers from `kacard.index.CardIndex` with
bisections. The rules are those of ten_two.py (`DERIVATIONS`); tests/test_index.py
checks that both give the same tiers on varied folders, dates and settings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kacard.index import CardIndex
from kacard.model.settings import Settings
from kacard.scoring.pareto import classify
from kacard.scoring.periods import trailing_periods
from kacard.scoring.ten_two import DERIVATIONS, ten_two_class
from kacard.scoring.tier import computed_tier


def _years_with_trades(index: CardIndex, periods: list[tuple[dt.date, dt.date]]) -> int:
    return sum(1 for start, end in periods if index.has_trade_in(start, end))


def _steps(value: Decimal, full: float, partly: float) -> int:
    return 2 if value >= Decimal(str(full)) else 1 if value >= Decimal(str(partly)) else 0


def tiers(indexes: list[CardIndex], settings: Settings, today: dt.date) -> dict[str, str]:
    """Effective tier per card id (the pin, else computed), equal to scoring.tiers."""
    pareto, ten_two = settings.scoring.pareto, settings.scoring.ten_two
    derive = ten_two.derive
    window, kind = pareto.window_days, pareto.metric
    metrics = {ix.id: ix.metric(today, window, kind) for ix in indexes}
    prospects = {ix.id for ix in indexes if ix.status == "prospect"}
    entries = {e.id: e for e in classify(metrics, prospects, pareto.a, pareto.b)}
    visits = {ix.id: ix.visits_in(today, window) for ix in indexes}
    average = Decimal(sum(visits.values())) / len(indexes) if indexes else Decimal(0)
    periods = trailing_periods(today, derive.long_term.years, 12)
    derived = {name for name in ten_two.criteria
               if name in DERIVATIONS and name not in derive.manual_only}
    result = {}
    for ix in indexes:
        entry = entries[ix.id]
        years = None
        total = 0
        for name in ten_two.criteria:
            if name in ix.criteria:
                total += ix.criteria[name]
                continue
            if name not in derived:
                continue
            if name == "profit_share":
                total += {"A": 2, "B": 1}.get(entry.klass, 0)
            elif name == "loss_impact":
                total += _steps(entry.share, derive.loss_impact.full, derive.loss_impact.partly)
            elif name in ("long_term", "continuous_purchasing"):
                if years is None:
                    years = _years_with_trades(ix, periods)
                if name == "long_term":
                    spec = derive.long_term
                    total += 2 if years >= spec.full else 1 if years >= spec.partly else 0
                elif ix.pattern == "recurring":
                    total += 2
                else:
                    total += 1 if years >= derive.continuous_years else 0
            elif name == "growth_potential":
                pipeline = ix.open_opportunities
                revenue = ix.metric(today, 365, "revenue")
                ratio = Decimal(str(derive.growth_ratio))
                total += 2 if pipeline > 0 and pipeline >= ratio * revenue else 1 if pipeline > 0 else 0
            elif name == "time_invested":
                if average > 0:
                    steps = derive.time_invested
                    total += _steps(Decimal(visits[ix.id]) / average, steps.full, steps.partly)
            elif name == "centralized_purchasing":
                total += 2 if ix.centralized else 0
            # strategic_goals, product_fit, influence: not derived (0)
        tier, _ = computed_tier(entry.klass, ten_two_class(total, ten_two))
        result[ix.id] = ix.tier or tier
    return result
