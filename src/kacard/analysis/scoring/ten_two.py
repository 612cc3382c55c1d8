"""The 10/2 scorecard: ten yardsticks of a key account, each rated 0/1/2 (total 0-20).

kacard's reading of the course's "10/2 rule" (see the README). A rating on the
card (`criteria:`) wins; otherwise the built-in derivation below gives one,
with thresholds from `scoring.ten_two.derive`. Every rating is an explained
Term whose source says manual or derived, and from what. Pure.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kacard.cards import index
from kacard.explain import Term
from kacard.cards.index import CardIndex
from kacard.cards.model.settings import Derive, TenTwo
from kacard.analysis.scoring.periods import trailing_periods
from kacard.i18n import N_, Amount, Message

if TYPE_CHECKING:
    from kacard.cards.model.card import Card

MEANINGS: dict[str, str] = {
    "profit_share": "takes a large part of our profit (占据利润的很大一部分)",
    "strategic_goals": "critical to our goals (对企业目标至关重要)",
    "loss_impact": "losing it would hurt results badly (离去严重影响业绩)",
    "long_term": "long and stable relationship (长期且稳定)",
    "growth_potential": "big future potential (未来业务拓展潜力)",
    "time_invested": "we spend much of our time on it (花费大部分时间)",
    "product_fit": "our products fit it (产品是否适合它)",
    "centralized_purchasing": "buys centrally (统一采购)",
    "continuous_purchasing": "keeps buying year after year (持续采购)",
    "influence": "brand / government influence (品牌/政府影响力)",
}


@dataclass(frozen=True)
class Inputs:
    """What the derivations need beyond the card itself (computed once per folder)."""

    today: dt.date
    pareto_class: str
    share: Decimal  # the account's share of the team's metric
    visits: int  # the account's visits in the window
    average_visits: Decimal  # team visits in the window / accounts
    window_days: int


Rating = tuple[int, str]  # (0|1|2, where it came from)


def trade_periods(ix: CardIndex, today: dt.date, count: int, months: int) -> list[bool]:
    """For each of the last `count` periods of `months` (newest first): any trade with a
    positive amount."""
    return [ix.positive_trades_in(start.toordinal(), end.toordinal())
            for start, end in trailing_periods(today, count, months)]


def trade_years(ix: CardIndex, today: dt.date, years: int) -> list[bool]:
    """For each of the last `years` 12-month periods (newest first): any trade with a positive amount."""
    return trade_periods(ix, today, years, 12)


@functools.lru_cache(maxsize=4096)
def _said(msgid: str, *params: tuple[str, Any]) -> Message:
    """A Message made once per distinct text: most criteria read alike on thousands of cards
    (measured: `score` on 10,000 cards built 187,000 Messages, 0.4 s and 130 MB)."""
    return Message(msgid, **dict(params))


def _profit_share(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    value = {"A": 2, "B": 1}.get(inputs.pareto_class, 0)
    return value, _said(N_("Pareto class {klass}"), ("klass", inputs.pareto_class))


def _loss_impact(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    steps = derive.loss_impact
    share = inputs.share
    value = (
        2 if share >= Decimal(str(steps.full)) else 1 if share >= Decimal(str(steps.partly)) else 0
    )
    return (
        value,
        Message("share of metric {share} (2 at >= {full}, 1 at >= {partly})", share=f"{share:.1%}",
                full=f"{steps.full:.0%}", partly=f"{steps.partly:.0%}"),
    )


def _long_term(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    spec = derive.long_term
    count = sum(trade_years(card, inputs.today, spec.years))
    value = 2 if count >= spec.full else 1 if count >= spec.partly else 0
    return (
        value,
        _said(N_("trades in {count} of the last {years} years (2 at {full}, 1 at {partly})"), ("count", count),
              ("years", spec.years), ("full", spec.full), ("partly", spec.partly)),
    )


def _growth_potential(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    pipeline = card.open_opportunities
    revenue = card.metric(inputs.today, 365, "revenue")
    ratio = Decimal(str(derive.growth_ratio))
    value = 2 if pipeline > 0 and pipeline >= ratio * revenue else 1 if pipeline > 0 else 0
    return value, Message("open opportunities {pipeline} vs 12-month revenue {revenue} (2 at >= {ratio}x, 1 at > 0)",
                          pipeline=Amount(pipeline.quantize(Decimal(1))), revenue=Amount(revenue.quantize(Decimal(1))),
                          ratio=f"{derive.growth_ratio:g}")


def _time_invested(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    steps, avg = derive.time_invested, inputs.average_visits
    if avg <= 0:
        return 0, Message("no team visits in the last {days} days", days=inputs.window_days)
    times = Decimal(inputs.visits) / avg
    value = (
        2 if times >= Decimal(str(steps.full)) else 1 if times >= Decimal(str(steps.partly)) else 0
    )
    return value, Message(
        "{visits} visit(s) in the last {days} days = {times}x the average account's {avg} (2 at >= {full}x, "
        "1 at >= {partly}x)", visits=inputs.visits, days=inputs.window_days, times=f"{times:.2f}", avg=f"{avg:.2f}",
        full=f"{steps.full:g}", partly=f"{steps.partly:g}")


def _centralized(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    centralized = card.centralized
    return (
        2 if centralized else 0
    ), _said(N_("purchasing.centralized is true")) if centralized else _said(N_("purchasing.centralized is not true"))


def _continuous(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    if card.pattern == "recurring":
        return 2, _said(N_("purchasing.pattern is recurring"))
    years = derive.long_term.years
    count = sum(trade_years(card, inputs.today, years))
    value = 1 if count >= derive.continuous_years else 0
    return value, _said(N_("purchasing.pattern is not recurring; trades in {count} of the last {years} years (1 at {at})"),
                        ("count", count), ("years", years), ("at", derive.continuous_years))


def _not_derived(card: CardIndex, inputs: Inputs, derive: Derive) -> Rating:
    return 0, _said(N_("not rated on the card (only a person can judge it)"))


# Each reads the card's index (kacard.cards.index): the same numbers for a whole card and a cached row.
DERIVATIONS: dict[str, Callable[[CardIndex, Inputs, Derive], Rating]] = {
    "profit_share": _profit_share,
    "strategic_goals": _not_derived,
    "loss_impact": _loss_impact,
    "long_term": _long_term,
    "growth_potential": _growth_potential,
    "time_invested": _time_invested,
    "product_fit": _not_derived,
    "centralized_purchasing": _centralized,
    "continuous_purchasing": _continuous,
    "influence": _not_derived,
}


# Criteria the course's yardsticks give no data for: 0 until someone rates them (SPEC §3).
NOT_DERIVED: frozenset[str] = frozenset(name for name, how in DERIVATIONS.items() if how is _not_derived)


def rate(card: Card | CardIndex, inputs: Inputs, settings: TenTwo) -> list[Term]:
    """One Term per configured criterion: the manual rating if the card has one, else derived.

    Ratings on the card for names outside `settings.criteria` are ignored (the store reports them).
    """
    if not isinstance(card, CardIndex):
        card = index.of(card)
    terms = []
    for name in settings.criteria:
        if name in card.criteria:
            terms.append(Term(name, float(card.criteria[name]), 1.0, _said(N_("manual: rated on the card"))))
            continue
        why: str
        if name in settings.derive.manual_only:
            value, why = 0, _said(N_("not rated on the card (derivation turned off in kacard.yaml)"))
        elif name in DERIVATIONS:
            value, why = DERIVATIONS[name](card, inputs, settings.derive)
            why = _said(N_("derived: {why}"), ("why", why)) if DERIVATIONS[name] is not _not_derived else why
        else:
            value, why = 0, _said(N_("not rated on the card (a team criterion with no derivation)"))
        terms.append(Term(name, float(value), 1.0, why))
    return terms


def ten_two_class(total: int, settings: TenTwo) -> str:
    if total >= settings.key:
        return "key"
    if total >= settings.potential:
        return "potential"
    return "regular"
