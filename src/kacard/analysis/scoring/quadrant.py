"""Loyalty x profitability (the course's butterflies and barnacles), with the treatment hint. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kacard.cards.index import CardIndex
from kacard.analysis.scoring.ten_two import trade_periods
from kacard.i18n import N_, Message, Word

HINTS: dict[str, str] = {  # msgids of the catalog (the renderer translates them)
    "true_friend": N_("真正的朋友 true friend: profitable and loyal. Keep and deepen the relationship; "
    "invest in it and guard it against competitors."),
    "butterfly": N_("蝴蝶 butterfly: profitable but not loyal. Harvest while it lasts; "
    "don't over-invest in loyalty programmes."),
    "barnacle": N_("藤壶 barnacle: loyal but not profitable. Check wallet share and cost to serve; "
    "grow the business or cut the cost of serving it."),
    "stranger": N_("陌生人 stranger: neither profitable nor loyal. No investment."),
}


@dataclass(frozen=True)
class QuadrantResult:
    quadrant: str
    profitable: bool
    loyal: bool
    quarters: int  # quarters with trades, of the last 4
    rule: str

    @property
    def hint(self) -> str:
        return HINTS[self.quadrant]


_YES_NO = ("no", "yes")


def trade_quarters(card: CardIndex, today: dt.date) -> int:
    """Of the last 4 quarters, how many had a trade with a positive amount."""
    return sum(trade_periods(card, today, 4, 3))


def quadrant(
    card: CardIndex, today: dt.date, pareto: str, long_term: int, loyal_quarters: int
) -> QuadrantResult:
    profitable = pareto in ("A", "B")
    quarters = trade_quarters(card, today)
    loyal = long_term >= 1 and quarters >= loyal_quarters
    name = {
        (True, True): "true_friend",
        (True, False): "butterfly",
        (False, True): "barnacle",
        (False, False): "stranger",
    }[(profitable, loyal)]
    rule = Message(
        "profitable = Pareto A or B: {profitable} (Pareto {pareto}); loyal = long_term >= 1 ({long_term}) and "
        "trades in >= {loyal_quarters} of the last 4 quarters ({quarters}): {loyal}",
        profitable=Word("yes/no", _YES_NO[profitable]), pareto=pareto, long_term=long_term,
        loyal_quarters=loyal_quarters, quarters=quarters, loyal=Word("yes/no", _YES_NO[loyal]))
    return QuadrantResult(name, profitable, loyal, quarters, rule)
