"""The annual regional sales plan (`kacard plan YEAR`): 年度区域销售计划 from the cards' results.

Seed 000, part 3 §八 2(6): the manager draws up the annual regional sales plan from the
actual results on the customer cards. Per rep and per region this gives last year's actual
(invoices dated in YEAR-1), this year's actual to date, the run rate (the last 365 days),
key accounts by tier, the weighted pipeline of opportunities closing in YEAR, and a target:
the one the manager set in `plans/YEAR.yaml`, else a proposal by the team's `plan:` rules,

    proposed = base x (1 + growth) + pipeline_share x weighted pipeline,

where base is last year's actual, or the run rate while last year is still running (a
plan for 2027 drawn up in November 2026),

with stretch and challenge levels (x stretch, x challenge). `progress` compares the actual
to date with the target to date (the year's target spread over the quarters).

Pure core: cards, settings, tiers, targets and `today` are arguments. Amounts are Decimals
in the team's currency, rounded to whole units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.cards.plans import PlanTargets, Target
from kacard.explain import Term

# Win probability per open stage (SPEC §9 `pipeline.probabilities` defaults).
DEFAULT_PROBABILITIES: dict[str, float] = {
    "development": 0.1, "initiation": 0.2, "proposal": 0.4, "bidding": 0.6, "negotiation": 0.8,
    "implementation": 0.95,
}
CLOSED_STAGES = ("won", "lost")
TIERS = ("S", "A", "B", "C")
ZERO = Decimal(0)


def stage_probability(settings: Settings, stage: str) -> float:
    """The team's win probability of an open stage (0 for won/lost: no longer pipeline)."""
    pipeline = getattr(settings, "pipeline", None)
    table = getattr(pipeline, "probabilities", None) or DEFAULT_PROBABILITIES
    return float(table.get(stage, DEFAULT_PROBABILITIES.get(stage, 0.0)))


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def year_share_elapsed(year: int, today: dt.date, quarters: list[float] | None) -> float:
    """Share of the year's target due by `today` (inclusive): whole quarters passed plus the
    elapsed days of the current quarter; quarters default to their share of the year's days."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    bounds = [dt.date(year, m, 1) for m in (1, 4, 7, 10)] + [dt.date(year + 1, 1, 1)]
    days_in_year = (bounds[4] - bounds[0]).days
    shares = quarters or [(bounds[q + 1] - bounds[q]).days / days_in_year for q in range(4)]
    done = 0.0
    for q in range(4):
        q_start, q_end = bounds[q], bounds[q + 1]
        if today >= q_end:
            done += shares[q]
        elif today >= q_start:
            done += shares[q] * ((today - q_start).days + 1) / (q_end - q_start).days
    return done


@dataclass(frozen=True)
class PlanLine:
    """One rep's or one region's line of the annual plan."""

    key: str  # rep id or region
    last_year: Decimal
    actual: Decimal  # YEAR to date (to today, or the whole year once it is over)
    run_rate: Decimal  # invoices of the last 365 days
    tiers: dict[str, int]  # active accounts per tier
    pipeline_weighted: Decimal
    target: Decimal
    stretch: Decimal
    challenge: Decimal
    source: str  # "set" (plans/YEAR.yaml) or "proposed"
    terms: tuple[Term, ...]  # how a proposed target adds up (empty when set)
    target_to_date: Decimal
    quarters: list[float] | None

    @property
    def gap(self) -> Decimal:
        """Actual minus the target to date (negative: behind)."""
        return self.actual - self.target_to_date

    def behind(self, share: float) -> bool:
        return self.target_to_date > 0 and self.actual < Decimal(str(share)) * self.target_to_date

    def as_json(self, key_name: str, behind_share: float) -> dict[str, Any]:
        return {key_name: self.key, "last_year": self.last_year, "actual": self.actual, "run_rate": self.run_rate,
                "tiers": self.tiers, "pipeline_weighted": self.pipeline_weighted, "target": self.target,
                "stretch": self.stretch, "challenge": self.challenge, "source": self.source,
                "target_to_date": self.target_to_date, "gap": self.gap, "behind": self.behind(behind_share),
                "explain": [t.as_json() for t in self.terms]}


@dataclass(frozen=True)
class AnnualPlan:
    year: int
    today: dt.date
    elapsed: float  # share of the year's days passed by today
    reps: tuple[PlanLine, ...]
    regions: tuple[PlanLine, ...]
    behind_share: float

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "today": self.today, "elapsed": round(self.elapsed, 4),
                "reps": [r.as_json("rep", self.behind_share) for r in self.reps],
                "regions": [r.as_json("region", self.behind_share) for r in self.regions]}

    def reps_behind(self) -> list[PlanLine]:
        return [r for r in self.reps if r.behind(self.behind_share)]


@dataclass
class _Sums:
    last_year: Decimal = ZERO
    actual: Decimal = ZERO
    run_rate: Decimal = ZERO
    pipeline: Decimal = ZERO

    def __post_init__(self) -> None:
        self.tiers = dict.fromkeys(TIERS, 0)


def _add_card(sums: _Sums, card: Card, year: int, today: dt.date, tier: str | None, settings: Settings) -> None:
    last_start, start, end = dt.date(year - 1, 1, 1), dt.date(year, 1, 1), dt.date(year, 12, 31)
    rate_from = today - dt.timedelta(days=365)
    for trade in card.trades:
        if last_start <= trade.date < start:
            sums.last_year += trade.amount
        if start <= trade.date <= min(end, today):
            sums.actual += trade.amount
        if rate_from < trade.date <= today:
            sums.run_rate += trade.amount
    for opp in card.opportunities:
        if opp.stage in CLOSED_STAGES or opp.amount is None:
            continue
        if opp.close is None or start <= opp.close <= end:
            sums.pipeline += opp.amount * Decimal(str(stage_probability(settings, opp.stage)))
    if card.status in ("active", "prospect") and tier in sums.tiers:
        sums.tiers[tier] += 1


def _line(key: str, sums: _Sums, set_target: Target | None, settings: Settings, year: int,
          today: dt.date) -> PlanLine:
    rules = settings.plan
    pipeline = _whole(sums.pipeline)
    if set_target is not None:
        target, source, terms = set_target.target, "set", ()
        stretch = set_target.stretch if set_target.stretch is not None else target * Decimal(str(rules.stretch))
        challenge = (set_target.challenge if set_target.challenge is not None
                     else target * Decimal(str(rules.challenge)))
        quarters = set_target.quarters
    else:
        running = today < dt.date(year, 1, 1)  # last year is not over yet
        base = sums.run_rate if running else sums.last_year
        terms = (Term("run_rate" if running else "last_year", float(base), 1 + rules.growth,
                      f"growth {rules.growth:+.0%}"),
                 Term("pipeline_weighted", float(pipeline), rules.pipeline_share, "share of the weighted pipeline"))
        target = base * Decimal(str(1 + rules.growth)) + pipeline * Decimal(str(rules.pipeline_share))
        stretch, challenge = target * Decimal(str(rules.stretch)), target * Decimal(str(rules.challenge))
        source, quarters = "proposed", None
    to_date = Decimal(str(year_share_elapsed(year, today, quarters))) * target
    return PlanLine(key, _whole(sums.last_year), _whole(sums.actual), _whole(sums.run_rate), sums.tiers, pipeline,
                    _whole(target), _whole(stretch), _whole(challenge), source, terms, _whole(to_date), quarters)


def annual_plan(
    cards: Iterable[Card],
    settings: Settings,
    year: int,
    today: dt.date,
    tier_of: Mapping[str, str],
    targets: PlanTargets | None = None,
    owner: str | None = None,
) -> AnnualPlan:
    """The plan of `year` per rep (the team's order, managers without accounts left out) and
    per region (by name; "" for cards without a region). With `owner`, that rep's line and the
    regions of that rep's accounts only."""
    reps: dict[str, _Sums] = {r.id: _Sums() for r in settings.team if not r.manager}
    regions: dict[str, _Sums] = {}
    for card in cards:
        if owner is not None and card.owner != owner:
            continue
        tier = tier_of.get(card.id) or card.tier
        for sums in (reps.setdefault(card.owner, _Sums()), regions.setdefault(card.region or "", _Sums())):
            _add_card(sums, card, year, today, tier, settings)
    if owner is not None:
        reps = {owner: reps.get(owner, _Sums())}
    set_reps = targets.reps if targets else {}
    set_regions = targets.regions if targets else {}
    line: Callable[[str, _Sums, Target | None], PlanLine] = (
        lambda key, sums, target: _line(key, sums, target, settings, year, today))
    return AnnualPlan(
        year=year, today=today, elapsed=year_share_elapsed(year, today, None),
        reps=tuple(line(k, s, set_reps.get(k)) for k, s in reps.items()),
        regions=tuple(line(k, regions[k], set_regions.get(k)) for k in sorted(regions)),
        behind_share=settings.plan.behind,
    )


def targets_document(plan: AnnualPlan) -> dict[str, Any]:
    """The proposed targets as a `plans/YEAR.yaml` document for the manager to edit."""
    def entry(line: PlanLine) -> dict[str, Any]:
        return {"target": int(line.target), "stretch": int(line.stretch), "challenge": int(line.challenge)}

    return {"year": plan.year,
            "reps": {line.key: entry(line) for line in plan.reps},
            "regions": {line.key: entry(line) for line in plan.regions if line.key}}
