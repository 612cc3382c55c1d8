"""A per-card index: the numbers the tiers need, for any `today`, by bisection.

Computing tiers for `list`, `filter` and `due` needs every account's revenue (or
margin) in a window ending today, its visit count in that window and the years it
bought in. The index holds, once per card version (it depends neither on today
nor on the settings):

* sorted trade and visit dates, and running totals of amounts and margins as
  integers (scaled by 10**scale, so sums stay exact), packed as machine arrays;
* what the 10/2 derivations read: status, pinned tier, manual ratings,
  purchasing, the open pipeline.

`kacard.analysis.scoring.fast` computes tiers from it; tests/test_index.py checks they equal
those of the explained score on whole cards.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


@dataclass(slots=True)
class CardIndex:
    id: str
    status: str
    tier: str | None
    criteria: dict[str, int]
    centralized: bool | None
    pattern: str | None
    open_opportunities: Decimal
    # dates as ordinals, each part ascending: all trades [0, trades), trades with a positive
    # amount [trades, visits_from), all visits [visits_from, len)
    ords: Sequence[int]
    trades: int
    visits_from: int
    # running totals × 10**scale: amounts [0, trades], margins [trades + 1, 2 * trades + 1]
    sums: Sequence[int]
    scale: int
    # per visit, in the order of the visits' part of `ords`: 1 when it left neither a next
    # step nor a no_next reason
    open_visits: Sequence[int] = ()
    visit_kinds: Sequence[str] = ()  # per visit, in the same order: its kind (visit, call ...)

    @property
    def visit_count(self) -> int:
        return len(self.ords) - self.visits_from

    def metric(self, today: dt.date, window_days: int, kind: str) -> Decimal:
        """Sum of trade amounts (or margins) dated in (today - window_days, today]."""
        n = self.trades
        hi = bisect_right(self.ords, today.toordinal(), 0, n)
        lo = bisect_right(self.ords, today.toordinal() - window_days, 0, n)
        if hi <= lo:
            return Decimal(0)
        base = 0 if kind == "revenue" else n + 1
        return Decimal(self.sums[base + hi] - self.sums[base + lo]).scaleb(-self.scale)

    def visits_in(self, today: dt.date, window_days: int) -> int:
        start, end = self.visits_from, len(self.ords)
        return (bisect_right(self.ords, today.toordinal(), start, end)
                - bisect_right(self.ords, today.toordinal() - window_days, start, end))

    def visits_until(self, today: dt.date) -> int:
        """How many visits are dated on or before today."""
        return bisect_right(self.ords, today.toordinal(), self.visits_from) - self.visits_from

    def open_visits_in(self, today: dt.date, window_days: int) -> int:
        """How many visits dated in (today - window_days, today] left no next step (nor no_next)."""
        start, end = self.visits_from, len(self.ords)
        hi = bisect_right(self.ords, today.toordinal(), start, end)
        lo = bisect_right(self.ords, today.toordinal() - window_days, start, end)
        return sum(self.open_visits[lo - start:hi - start]) if hi > lo else 0

    def last_visits(self, today: dt.date, n: int) -> list[tuple[dt.date, str]]:
        """The last `n` visits dated on or before today as (date, kind), ascending (ties in
        file order)."""
        start = self.visits_from
        hi = bisect_right(self.ords, today.toordinal(), start, len(self.ords))
        lo = max(start, hi - n)
        return [(dt.date.fromordinal(self.ords[k]), self.visit_kinds[k - start]) for k in range(lo, hi)]

    def visited_between(self, first: dt.date, last: dt.date) -> bool:
        """Any visit dated in [first, last]."""
        start, end = self.visits_from, len(self.ords)
        return bisect_right(self.ords, last.toordinal(), start, end) > bisect_left(self.ords, first.toordinal(), start, end)

    def positive_trades_in(self, start: int, end: int) -> bool:
        """Any trade with a positive amount dated in (start, end] (dates as ordinals)."""
        lo, hi = self.trades, self.visits_from
        return bisect_right(self.ords, end, lo, hi) > bisect_right(self.ords, start, lo, hi)


def _unpack(packed: bytes | tuple[int, ...], code: str) -> Sequence[int]:
    if isinstance(packed, tuple):
        return packed
    numbers = array(code)
    numbers.frombytes(packed)
    return numbers


def record(card: Card) -> tuple[Any, ...]:
    """The index of one validated card as a plain record (for marshal)."""
    from kacard.cards.model.common import OPEN_STAGES

    trades = sorted(card.trades, key=_BY_DATE)
    amounts = [t.amount for t in trades]
    margins = [t.margin or _ZERO for t in trades]
    scale = max([0, *(_places(v) for v in amounts), *(_places(v) for v in margins)])
    totals = []
    for values in (amounts, margins):
        running = 0
        totals.append(running)
        for value in values:
            running += int(value.scaleb(scale)) if scale else int(value)
            totals.append(running)
    try:
        sums: bytes | tuple[int, ...] = array("q", totals).tobytes()
    except OverflowError:  # beyond 64 bits: kept as Python integers
        sums = tuple(totals)
    positive = [t.date for t in trades if t.amount > 0]
    visits = sorted(card.visits, key=_BY_DATE)
    ords = [d.toordinal() for d in [t.date for t in trades] + positive + [v.date for v in visits]]
    open_visits = bytes(v.next is None and v.no_next is None for v in visits)
    kinds = tuple(v.kind for v in visits)
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
        array("i", ords).tobytes(),
        len(trades),
        len(trades) + len(positive),
        sums,
        scale,
        open_visits,
        kinds,
    )


_BY_DATE = attrgetter("date")
_ZERO = Decimal(0)


def _places(value: Decimal) -> int:
    """-exponent of a Decimal (its digits after the point, 1.50 -> 2; 0 or less for an
    integer like 120000 or 1.2E+5): as_tuple() without making a DecimalTuple when the
    text shows there are none (no point, no negative exponent)."""
    text = str(value)
    if "." not in text and "E-" not in text:
        return 0
    return -int(value.as_tuple().exponent)


def from_record(r: tuple[Any, ...]) -> CardIndex:
    (card_id, status, tier, criteria, centralized, pattern, pipeline, ords, trades, visits_from,
     sums, scale, open_visits, kinds) = r
    ix = CardIndex(
        card_id, status, tier, criteria, centralized, pattern,
        Decimal(pipeline) if pipeline != "0" else Decimal(0),
        _unpack(ords, "i"), trades, visits_from, _unpack(sums, "q"), scale, open_visits, tuple(kinds),
    )
    if not (0 <= trades <= visits_from <= len(ix.ords) and len(ix.sums) == 2 * trades + 2
            and len(open_visits) == len(ix.ords) - visits_from == len(ix.visit_kinds)):
        raise ValueError("index record does not fit together")
    return ix


def of(card: Card) -> CardIndex:
    """The index of a whole card (the same object the cache's record gives back)."""
    return from_record(record(card))
