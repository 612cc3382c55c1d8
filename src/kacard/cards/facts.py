"""Plain facts about one card that several commands share (pure; `today` is a parameter).

One definition each, so `show`, `filter`, `due`, `review` and `score` agree on
what "revenue", "the open next step" or "an overdue receivable" mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, overload

from kacard.cards import brief

if TYPE_CHECKING:
    from typing import TypeAlias

    from kacard.cards.brief import Brief
    from kacard.cards.model.card import Card, NextStep, Signal, Trade, Visit

    # Functions reading only trades, visits, signals, credit and since take a whole card
    # or its brief (kacard.cards.brief), whose parts have the same attribute names.
    CardLike: TypeAlias = Card | Brief

DEFAULT_TERMS_DAYS = 30


def trade_due(card: CardLike, trade: Trade | brief.Trade) -> dt.date:
    """A trade's due date: its own `due`, else date + credit.terms_days, else 30 days."""
    if trade.due is not None:
        return trade.due
    terms = card.credit.terms_days if card.credit and card.credit.terms_days is not None else None
    return trade.date + dt.timedelta(days=DEFAULT_TERMS_DAYS if terms is None else terms)


@dataclass(frozen=True)
class Receivable:
    trade: Trade | brief.Trade
    due: dt.date
    days_overdue: int

    @property
    def amount(self) -> Decimal:
        return self.trade.amount


def overdue_receivables(card: CardLike, today: dt.date) -> list[Receivable]:
    """Unpaid trades past their due date (逾期未收货款), oldest first."""
    found = []
    for trade in card.trades:
        if trade.paid is not None or trade.amount <= 0:
            continue
        due = trade_due(card, trade)
        if due < today:
            found.append(Receivable(trade, due, (today - due).days))
    return sorted(found, key=lambda r: r.due)


def in_window(day: dt.date, today: dt.date, window_days: int) -> bool:
    """True for dates in (today - window_days, today]."""
    return today - dt.timedelta(days=window_days) < day <= today


def metric(card: Card, today: dt.date, window_days: int, kind: str = "revenue") -> Decimal:
    """Sum of trade amounts (or margins) dated in (today - window_days, today]."""
    total = Decimal(0)
    for trade in card.trades:
        if in_window(trade.date, today, window_days):
            value = trade.amount if kind == "revenue" else (trade.margin or Decimal(0))
            total += value
    return total


@overload
def last_visit(card: Card, today: dt.date | None = None) -> Visit | None: ...
@overload
def last_visit(card: Brief, today: dt.date | None = None) -> brief.Visit | None: ...


def last_visit(card: CardLike, today: dt.date | None = None) -> Visit | brief.Visit | None:
    """The latest visit (on or before today when given): by date, then time of day, then
    position in the file (model.card.visit_order; a brief's visits are already in that order)."""
    latest: Visit | brief.Visit | None = None
    latest_key: tuple[dt.date, dt.time, int] | None = None
    visits: Sequence[Visit | brief.Visit] = card.visits
    for i, visit in enumerate(visits):
        if today is not None and visit.date > today:
            continue
        key = (visit.date, getattr(visit, "time", None) or dt.time.min, i)
        if latest_key is None or key >= latest_key:
            latest, latest_key = visit, key
    return latest


def open_next_step(card: CardLike, today: dt.date | None = None) -> NextStep | brief.NextStep | None:
    """The next step of the latest visit: the one the rep still owes the account."""
    latest = last_visit(card, today)
    return latest.next if latest is not None else None


last_touched = brief.last_touched  # the most recent date anything happened on the card


def open_signals(card: CardLike, today: dt.date) -> list[Signal | brief.Signal]:
    """Churn signals (跳槽征兆) dated on or before today with no visit on or after their date."""
    visited = [v.date for v in card.visits if v.date <= today]
    return [
        s for s in card.signals
        if s.date <= today and not any(day >= s.date for day in visited)
    ]
