"""Score a folder: Pareto class, 10/2 ratings, tier and quadrant of every account. Pure.

`score_rows(accounts, settings, today)` is the one computation: it reads each account's
brief and index (kacard.cards.brief, kacard.cards.index), as the per-user cache keeps them, so
`kacard score` never materialises whole cards; `score(cards, ...)` makes those from
whole cards and calls it. scoring/fast.py gives the same tiers without explanations
(tests/test_index.py checks they agree).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from kacard.cards import brief, facts
from kacard.explain import Term
from kacard.cards.index import CardIndex
from kacard.cards.model.settings import Settings
from kacard.analysis.scoring.pareto import Concentration, ParetoEntry, classify, concentration
from kacard.analysis.scoring.quadrant import QuadrantResult, quadrant
from kacard.analysis.scoring.ten_two import Inputs, rate, ten_two_class
from kacard.analysis.scoring.tier import computed_tier, direction

if TYPE_CHECKING:
    from kacard.cards.model.card import Card, Trade


class Account(Protocol):
    """What scoring reads of an account: store.Summary fits."""

    @property
    def brief(self) -> brief.Brief: ...
    @property
    def card_index(self) -> CardIndex: ...


@dataclass(frozen=True)
class AccountScore:
    card: brief.Brief  # what a score shows of the card (id, name, owner, status, pinned tier)
    pareto: ParetoEntry
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


def window_trades(card: Card, report: ScoreReport) -> list[Trade]:
    """The trades of a whole card that the report's metric sums (for --explain)."""
    return [t for t in card.trades if facts.in_window(t.date, report.today, report.window_days)]


def score(cards: list[Card], settings: Settings, today: dt.date) -> ScoreReport:
    """Every account's scores under `settings` as of `today`, from whole cards."""
    from kacard.cards.store import summary_of

    return score_rows([summary_of(c, today) for c in cards], settings, today)


def score_rows(rows: Sequence[Account], settings: Settings, today: dt.date) -> ScoreReport:
    """Every account's scores under `settings` as of `today`, from briefs and indexes."""
    pareto_settings, ten_two = settings.scoring.pareto, settings.scoring.ten_two
    window, kind = pareto_settings.window_days, pareto_settings.metric
    metrics = {r.brief.id: r.card_index.metric(today, window, kind) for r in rows}
    prospects = {r.brief.id for r in rows if r.brief.status == "prospect"}
    entries = classify(metrics, prospects, pareto_settings.a, pareto_settings.b)
    visits = {r.brief.id: r.card_index.visits_in(today, window) for r in rows}
    average = Decimal(sum(visits.values())) / len(rows) if rows else Decimal(0)
    by_id = {r.brief.id: r for r in rows}
    accounts = []
    for entry in entries:
        row = by_id[entry.id]
        card, ix = row.brief, row.card_index
        inputs = Inputs(today, entry.klass, entry.share, visits[card.id], average, window)
        terms = rate(ix, inputs, ten_two)
        total = int(sum(t.value for t in terms))
        klass = ten_two_class(total, ten_two)
        tier, rule = computed_tier(entry.klass, klass)
        long_term = next((int(t.value) for t in terms if t.name == "long_term"), 0)
        quad = quadrant(
            ix, today, entry.klass, long_term, settings.scoring.quadrant.loyal_quarters
        )
        accounts.append(
            AccountScore(
                card,
                entry,
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
