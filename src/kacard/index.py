"""A per-card index: the facts whole-folder commands need, small and fast to read.

Rebuilding a whole validated card from the cache costs ~1 ms for an 11 KB card
(about a hundred pydantic objects), too slow for `kacard list` / `due` on
10,000 cards. The index is written once per card version (it does not depend on
today or the settings) and holds:

* the card's "head": the card without its history (no visits, contacts,
  opportunities or handovers; trades only the unpaid ones), pickled — what `due`
  and `list` show about an account (and the number of contacts);
* sorted visit and trade dates with running totals, so window sums and counts
  for any `today` are two bisections;
* the last few visits (pickled), so the latest visit on or before `today` is
  one small read.

`reduced_card(today)` gives a real Card that is exact for `due.assess` and
`listing.card_row` (see tests/test_index.py, which compares both paths).
"""

from __future__ import annotations

import datetime as dt
import marshal
import pickle
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kacard.model.card import OPEN_STAGES, Card

FORMAT = 2
LAST_VISITS = 3  # visits kept in full: enough unless --today is before the third latest


@dataclass(slots=True)
class CardIndex:
    id: str
    status: str
    tier: str | None
    criteria: dict[str, int]
    centralized: bool | None
    pattern: str | None
    open_opportunities: Decimal
    trade_ords: tuple[int, ...]  # all trades' dates, ascending
    amount_sums: tuple[str, ...]  # running totals (len + 1), Decimal text
    margin_sums: tuple[str, ...]
    positive_ords: tuple[int, ...]  # dates of trades with a positive amount, ascending
    visit_ords: tuple[int, ...]  # all visits, ascending by (date, position in the file)
    last_visits: tuple[bytes, ...]  # the last LAST_VISITS of those, pickled
    head: bytes  # pickled Card without history or contacts
    contacts: int  # how many contacts the card has

    # -- facts for any today ------------------------------------------------------------

    def metric(self, today: dt.date, window_days: int, kind: str) -> Decimal:
        """Sum of trade amounts (or margins) dated in (today - window_days, today]."""
        sums = self.amount_sums if kind == "revenue" else self.margin_sums
        hi = bisect_right(self.trade_ords, today.toordinal())
        lo = bisect_right(self.trade_ords, today.toordinal() - window_days)
        return Decimal(sums[hi]) - Decimal(sums[lo]) if hi > lo else Decimal(0)

    def visits_in(self, today: dt.date, window_days: int) -> int:
        hi = bisect_right(self.visit_ords, today.toordinal())
        return hi - bisect_right(self.visit_ords, today.toordinal() - window_days)

    def has_trade_in(self, start: dt.date, end: dt.date) -> bool:
        """Any trade with a positive amount dated in (start, end]."""
        hi = bisect_right(self.positive_ords, end.toordinal())
        return hi > bisect_right(self.positive_ords, start.toordinal())

    def reduced_card(self, today: dt.date) -> Card | None:
        """The head plus the latest visit on or before today; None when that visit is
        older than the ones kept (then the caller reads the whole card)."""
        card: Card = pickle.loads(self.head)
        at = bisect_right(self.visit_ords, today.toordinal())
        if at == 0:
            return card
        kept_from = len(self.visit_ords) - len(self.last_visits)
        if at - 1 < kept_from:
            return None
        card.__dict__["visits"] = [pickle.loads(self.last_visits[at - 1 - kept_from])]
        return card


def build(card: Card) -> bytes:
    """The index of one validated card, as bytes for the cache."""
    trades = sorted(card.trades, key=lambda t: t.date)
    amounts, margins = [Decimal(0)], [Decimal(0)]
    for trade in trades:
        amounts.append(amounts[-1] + trade.amount)
        margins.append(margins[-1] + (trade.margin or Decimal(0)))
    order = sorted(range(len(card.visits)), key=lambda i: (card.visits[i].date, i))
    visits = [card.visits[i] for i in order]
    head = card.model_copy(
        update={
            "visits": [],
            "contacts": [],
            "opportunities": [],
            "handovers": [],
            "trades": [t for t in card.trades if t.paid is None],
        }
    )
    pipeline = sum(
        (o.amount or Decimal(0) for o in card.opportunities if o.stage in OPEN_STAGES),
        start=Decimal(0),
    )
    fields: tuple[Any, ...] = (
        FORMAT,
        card.id,
        card.status,
        card.tier,
        dict(card.criteria),
        card.purchasing.centralized if card.purchasing else None,
        card.purchasing.pattern if card.purchasing else None,
        str(pipeline),
        tuple(t.date.toordinal() for t in trades),
        tuple(str(a) for a in amounts),
        tuple(str(m) for m in margins),
        tuple(t.date.toordinal() for t in trades if t.amount > 0),
        tuple(v.date.toordinal() for v in visits),
        tuple(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in visits[-LAST_VISITS:]),
        pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL),
        len(card.contacts),
    )
    return marshal.dumps(fields)


def read(blob: bytes) -> CardIndex | None:
    """The index from its bytes; None when it is damaged or of another format."""
    try:
        fields = marshal.loads(blob)
        if fields[0] != FORMAT:
            return None
        return CardIndex(
            fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], Decimal(fields[7]),
            *fields[8:],
        )
    except Exception:  # a damaged entry is a miss, whatever went wrong
        return None
