"""Score a folder: Pareto class, 10/2 ratings, tier and quadrant of every account. Pure.

`score(cards, settings, today)` is the one entry point; `kacard score`, `list`,
`filter` and `due` all read tiers from it, so they always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kacard.cards import facts
from kacard.explain import Term
from kacard.cards.model.card import Card, Trade
from kacard.cards.model.settings import Settings
from kacard.analysis.scoring.pareto import Concentration, ParetoEntry, classify, concentration
from kacard.analysis.scoring.quadrant import QuadrantResult, quadrant
from kacard.analysis.scoring.ten_two import Inputs, rate, ten_two_class
from kacard.analysis.scoring.tier import computed_tier, direction


@dataclass(frozen=True)
class AccountScore:
    card: Card
    pareto: ParetoEntry
    window_trades: list[Trade]  # the trades the metric sums
    visits: int  # visits in the window
    criteria: list[Term]
    ten_two: int
    ten_two_class: str
    computed_tier: str
    tier_rule: str
    quadrant: QuadrantResult

    @property
    def id(self) -> str:
        return self.card.id

    @property
    def metric(self) -> Decimal:
        return self.pareto.metric

    @property
    def pinned(self) -> str | None:
        return self.card.tier

    @property
    def tier(self) -> str:
        """The effective tier: the card's pin, else the computed one."""
        return self.card.tier or self.computed_tier


@dataclass(frozen=True)
class ScoreReport:
    today: dt.date
    metric: str  # "revenue" | "margin"
    window_days: int
    a: float
    b: float
    accounts: list[AccountScore]  # ranked (metric desc, id asc), then unranked by id

    @property
    def window_start(self) -> dt.date:
        """The window is (window_start, today]: window_start itself is out."""
        return self.today - dt.timedelta(days=self.window_days)

    def get(self, card_id: str) -> AccountScore | None:
        return next((s for s in self.accounts if s.id == card_id), None)

    def summary(self, accounts: list[AccountScore] | None = None) -> Concentration:
        chosen = self.accounts if accounts is None else accounts
        return concentration([s.pareto for s in chosen])


def _window_trades(card: Card, today: dt.date, window_days: int) -> list[Trade]:
    return [t for t in card.trades if facts.in_window(t.date, today, window_days)]


def score(cards: list[Card], settings: Settings, today: dt.date) -> ScoreReport:
    """Every account's scores under `settings` as of `today`."""
    pareto_settings, ten_two = settings.scoring.pareto, settings.scoring.ten_two
    window, kind = pareto_settings.window_days, pareto_settings.metric
    metrics = {card.id: facts.metric(card, today, window, kind) for card in cards}
    prospects = {card.id for card in cards if card.status == "prospect"}
    entries = classify(metrics, prospects, pareto_settings.a, pareto_settings.b)
    visits = {
        card.id: sum(1 for v in card.visits if facts.in_window(v.date, today, window))
        for card in cards
    }
    average = Decimal(sum(visits.values())) / len(cards) if cards else Decimal(0)
    by_id = {card.id: card for card in cards}
    accounts = []
    for entry in entries:
        card = by_id[entry.id]
        inputs = Inputs(today, entry.klass, entry.share, visits[card.id], average, window)
        terms = rate(card, inputs, ten_two)
        total = int(sum(t.value for t in terms))
        klass = ten_two_class(total, ten_two)
        tier, rule = computed_tier(entry.klass, klass)
        long_term = next((int(t.value) for t in terms if t.name == "long_term"), 0)
        quad = quadrant(
            card, today, entry.klass, long_term, settings.scoring.quadrant.loyal_quarters
        )
        accounts.append(
            AccountScore(
                card,
                entry,
                _window_trades(card, today, window),
                visits[card.id],
                terms,
                total,
                klass,
                tier,
                rule,
                quad,
            )
        )
    return ScoreReport(today, kind, window, pareto_settings.a, pareto_settings.b, accounts)


@dataclass(frozen=True)
class TierChange:
    account: AccountScore  # as scored under the alternative settings
    now: str  # the tier it has today (pin or computed under the current settings)
    now_pinned: bool
    would_be: str  # computed under the alternative settings, pins dropped
    direction: str  # "up" | "down"


def what_if(current: ScoreReport, alternative: ScoreReport) -> list[TierChange]:
    """Accounts whose tier today (pin, else computed) differs from the tier computed under
    `alternative` (the current settings, or ones with overrides) with pins dropped."""
    changes = []
    for now in current.accounts:
        alt = alternative.get(now.id)
        if alt is None or alt.computed_tier == now.tier:
            continue
        changes.append(
            TierChange(
                alt,
                now.tier,
                now.pinned is not None,
                alt.computed_tier,
                direction(now.tier, alt.computed_tier),
            )
        )
    return sorted(changes, key=lambda c: (c.direction, c.account.id))
