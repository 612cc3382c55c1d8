"""A per-card index: the numbers the tiers need, for any `today`, by bisection.

Computing tiers for `list`, `filter` and `due` needs every account's revenue (or
margin) in a window ending today, its visit count in that window and the years it
bought in. The index holds, once per card version (it depends neither on today
nor on the settings):

* sorted trade and visit dates, and running totals of amounts and margins as
  integers (scaled by 10**scale, so sums stay exact), packed as machine arrays;
* what the 10/2 derivations read: status, pinned tier, manual ratings,
  purchasing, the open pipeline.

`kacard.scoring.fast` computes tiers from it; tests/test_index.py checks they equal
those of the explained score on whole cards.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kacard.model.card import Card


@dataclass(slots=True)
class CardIndex:
    id: str
    status: str
    tier: str | None
    criteria: dict[str, int]
    centralized: bool | None
    pattern: str | None
    open_opportunities: Decimal
    trade_ords: Sequence[int]  # all trades' dates, ascending
    amount_sums: Sequence[int]  # running totals (len + 1) × 10**scale
    margin_sums: Sequence[int]
    scale: int
    positive_ords: Sequence[int]  # dates of trades with a positive amount, ascending
    visit_ords: Sequence[int]  # all visits' dates, ascending

    def metric(self, today: dt.date, window_days: int, kind: str) -> Decimal:
        """Sum of trade amounts (or margins) dated in (today - window_days, today]."""
        sums = self.amount_sums if kind == "revenue" else self.margin_sums
        hi = bisect_right(self.trade_ords, today.toordinal())
        lo = bisect_right(self.trade_ords, today.toordinal() - window_days)
        return Decimal(sums[hi] - sums[lo]).scaleb(-self.scale) if hi > lo else Decimal(0)

    def visits_in(self, today: dt.date, window_days: int) -> int:
        hi = bisect_right(self.visit_ords, today.toordinal())
        return hi - bisect_right(self.visit_ords, today.toordinal() - window_days)

    def visits_until(self, today: dt.date) -> int:
        """How many visits are dated on or before today."""
        return bisect_right(self.visit_ords, today.toordinal())

    def has_trade_in(self, start: dt.date, end: dt.date) -> bool:
        """Any trade with a positive amount dated in (start, end]."""
        hi = bisect_right(self.positive_ords, end.toordinal())
        return hi > bisect_right(self.positive_ords, start.toordinal())


def _pack_dates(days: list[dt.date]) -> bytes:
    return array("i", [d.toordinal() for d in days]).tobytes()


def _pack_sums(values: list[Decimal], scale: int) -> bytes | tuple[int, ...]:
    totals = [0]
    for value in values:
        totals.append(totals[-1] + int(value.scaleb(scale)))
    try:
        return array("q", totals).tobytes()
    except OverflowError:  # beyond 64 bits: kept as Python integers
        return tuple(totals)


def _unpack(packed: bytes | tuple[int, ...], code: str) -> Sequence[int]:
    if isinstance(packed, tuple):
        return packed
    numbers = array(code)
    numbers.frombytes(packed)
    return numbers


def record(card: Card) -> tuple[Any, ...]:
    """The index of one validated card as a plain record (for marshal)."""
    from kacard.model.card import OPEN_STAGES

    trades = sorted(card.trades, key=lambda t: t.date)
    margins = [t.margin or Decimal(0) for t in trades]
    exponents = [int(v.as_tuple().exponent) for v in [t.amount for t in trades] + margins]
    scale = max([0, *(-e for e in exponents)])
    pipeline = sum(
        (o.amount or Decimal(0) for o in card.opportunities if o.stage in OPEN_STAGES),
        start=Decimal(0),
    )
    return (
        card.id,
        card.status,
        card.tier,
        dict(card.criteria),
        card.purchasing.centralized if card.purchasing else None,
        card.purchasing.pattern if card.purchasing else None,
        str(pipeline),
        _pack_dates([t.date for t in trades]),
        _pack_sums([t.amount for t in trades], scale),
        _pack_sums(margins, scale),
        scale,
        _pack_dates([t.date for t in trades if t.amount > 0]),
        _pack_dates(sorted(v.date for v in card.visits)),
    )


def from_record(r: tuple[Any, ...]) -> CardIndex:
    (card_id, status, tier, criteria, centralized, pattern, pipeline, trade_ords, amounts,
     margins, scale, positive, visits) = r
    return CardIndex(
        card_id, status, tier, criteria, centralized, pattern, Decimal(pipeline),
        _unpack(trade_ords, "i"), _unpack(amounts, "q"), _unpack(margins, "q"), scale,
        _unpack(positive, "i"), _unpack(visits, "i"),
    )
