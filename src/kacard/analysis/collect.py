"""Collections and credit (`kacard collect`): the course's uses of the card for money.

Seed 000, part 3 §八: the card is used to "arrange the order and plan of collections and
payments" (安排收款、付款的顺序与计划), to "shrink business with low-credit customers and grow
it with high-credit ones" (对信用度低的客户缩小交易额, 对信用度高的顾客增大交易额), and the
manager "checks that sales and collections are in balance and whether payments are overdue"
(检阅销售、收款是否平衡, 有无逾期未收货款).

Pure core: functions of cards, settings (`collect:` in kacard.yaml) and `today`. Amounts are
Decimals in the team's currency; days are whole days; weeks are ISO labels (2026-W49).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kacard.cards import facts
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.dates import week_of

# Aging buckets of days overdue, as the review and the collection plan show them.
AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None),
)
NOT_DUE = "not_due"
ZERO = Decimal(0)


def bucket_of(days_overdue: int) -> str:
    """The aging bucket of a receivable `days_overdue` days past due ("not_due" if not yet due)."""
    if days_overdue <= 0:
        return NOT_DUE
    for label, low, high in AGING_BUCKETS:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return label
    return AGING_BUCKETS[-1][0]


def rating_class(rating: str | None, settings: Settings) -> str:
    """"low", "high" or "mid" (also for no rating) by the team's credit policy lists."""
    if rating is None:
        return "mid"
    policy = settings.collect.credit
    key = rating.strip().upper()
    if key in {r.upper() for r in policy.low_ratings}:
        return "low"
    if key in {r.upper() for r in policy.high_ratings}:
        return "high"
    return "mid"


@dataclass(frozen=True)
class Collection:
    """One unpaid invoice in the collection plan."""

    account: str
    name: str
    invoice: str | None
    date: dt.date  # invoice date
    amount: Decimal
    due: dt.date
    days_overdue: int  # negative: due in that many days
    bucket: str  # "not_due" or an aging bucket
    rating: str | None
    rating_class: str  # low | mid | high
    collector: str  # the account's owner: 专人负责
    region: str | None
    week: str  # the ISO week to collect in

    def as_json(self) -> dict[str, Any]:
        return {"account": self.account, "name": self.name, "invoice": self.invoice, "date": self.date,
                "amount": self.amount, "due": self.due, "days_overdue": self.days_overdue,
                "bucket": self.bucket, "rating": self.rating, "rating_class": self.rating_class,
                "collector": self.collector, "region": self.region, "week": self.week}


@dataclass(frozen=True)
class Balance:
    """Sales against collections over the window, for one rep or one region."""

    key: str  # rep id or region
    sales: Decimal  # invoices dated in the window
    collected: Decimal  # invoices paid in the window (whatever their date)
    open: Decimal  # every unpaid invoice
    overdue: Decimal  # unpaid and past due
    balanced: bool  # collected >= balance_min x sales (or no sales)

    @property
    def ratio(self) -> float | None:
        return None if self.sales == 0 else float(self.collected / self.sales)

    def as_json(self, key_name: str) -> dict[str, Any]:
        ratio = self.ratio
        return {key_name: self.key, "sales": self.sales, "collected": self.collected, "open": self.open,
                "overdue": self.overdue, "ratio": None if ratio is None else round(ratio, 4),
                "balanced": self.balanced}


@dataclass(frozen=True)
class CreditAdvice:
    """The course's credit policy applied to one account: reduce, grow or hold, and why."""

    account: str
    name: str
    owner: str
    rating: str | None
    limit: Decimal | None
    exposure: Decimal  # unpaid invoices
    overdue: Decimal
    sales: Decimal  # this window
    sales_before: Decimal  # the window before
    advice: str  # reduce | grow | hold
    reasons: tuple[str, ...]  # codes, rendered in words by render/collect.py

    @property
    def growing(self) -> bool:
        return self.sales > self.sales_before

    def as_json(self) -> dict[str, Any]:
        return {"account": self.account, "name": self.name, "owner": self.owner, "rating": self.rating,
                "limit": self.limit, "exposure": self.exposure, "overdue": self.overdue,
                "sales": self.sales, "sales_before": self.sales_before, "advice": self.advice,
                "reasons": list(self.reasons)}


@dataclass(frozen=True)
class CollectReport:
    today: dt.date
    window_days: int
    plan: tuple[Collection, ...]
    reps: tuple[Balance, ...]
    regions: tuple[Balance, ...]
    credit: tuple[CreditAdvice, ...]
    horizon_days: int = 28  # the plan holds invoices overdue or due within this many days (collect.horizon_days)
    unpaid_count: int = 0  # every unpaid invoice of the accounts, whenever due
    unpaid_amount: Decimal = ZERO

    def as_json(self) -> dict[str, Any]:
        return {"today": self.today, "window_days": self.window_days, "horizon_days": self.horizon_days,
                "unpaid": {"count": self.unpaid_count, "amount": self.unpaid_amount},
                "plan": [c.as_json() for c in self.plan],
                "balance": {"reps": [b.as_json("rep") for b in self.reps],
                            "regions": [b.as_json("region") for b in self.regions]},
                "credit": [a.as_json() for a in self.credit]}


def collection_plan(cards: Iterable[Card], settings: Settings, today: dt.date) -> list[Collection]:
    """Every unpaid invoice past due or due within `collect.horizon_days`, in collection order.

    Overdue invoices go into this week; the others into the week they fall due. Within a week:
    overdue before not yet due, low credit rating before the rest, the oldest first, then the
    largest amount. Paid invoices, credit notes (amount <= 0) and lost accounts' invoices are
    kept too (money is owed whatever the account's status).
    """
    horizon = today + dt.timedelta(days=settings.collect.horizon_days)
    this_week = week_of(today).label
    found = []
    for card in cards:
        rating = card.credit.rating if card.credit else None
        for trade in card.trades:
            if trade.paid is not None or trade.amount <= 0:
                continue
            due = facts.trade_due(card, trade)
            if due > horizon:
                continue
            days = (today - due).days
            found.append(Collection(
                account=card.id, name=card.name, invoice=trade.invoice, date=trade.date, amount=trade.amount,
                due=due, days_overdue=days, bucket=bucket_of(days), rating=rating,
                rating_class=rating_class(rating, settings), collector=card.owner, region=card.region,
                week=this_week if days > 0 else week_of(due).label,
            ))
    found.sort(key=lambda c: (c.week, c.days_overdue <= 0, c.rating_class != "low", -c.days_overdue,
                              -c.amount, c.account, c.invoice or ""))
    return found


def _window_sums(card: Card, start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
    """(sales, collected) of a card over (start, end]."""
    sales = collected = ZERO
    for trade in card.trades:
        if start < trade.date <= end:
            sales += trade.amount
        if trade.paid is not None and start < trade.paid <= end:
            collected += trade.amount
    return sales, collected


def _open_and_overdue(card: Card, today: dt.date) -> tuple[Decimal, Decimal]:
    unpaid = [t for t in card.trades if t.paid is None and t.amount > 0]
    exposure = sum((t.amount for t in unpaid), start=ZERO)
    overdue = sum((r.amount for r in facts.overdue_receivables(card, today)), start=ZERO)
    return exposure, overdue


def balances(cards: Iterable[Card], settings: Settings, today: dt.date, by: str) -> list[Balance]:
    """Sales vs collections over the last `collect.window_days`, per rep (`by="owner"`) or region.

    Reps in the team's order first, then any other owner; regions by name ("" for none).
    """
    start = today - dt.timedelta(days=settings.collect.window_days)
    sums: dict[str, list[Decimal]] = {}
    if by == "owner":
        for rep in settings.team:
            if not rep.manager:
                sums[rep.id] = [ZERO] * 4
    for card in cards:
        key = card.owner if by == "owner" else (card.region or "")
        sales, collected = _window_sums(card, start, today)
        exposure, overdue = _open_and_overdue(card, today)
        row = sums.setdefault(key, [ZERO] * 4)
        for i, value in enumerate((sales, collected, exposure, overdue)):
            row[i] += value
    keys = list(sums) if by == "owner" else sorted(sums)
    minimum = Decimal(str(settings.collect.balance_min))
    return [Balance(k, *sums[k], balanced=sums[k][0] == 0 or sums[k][1] >= minimum * sums[k][0])  # type: ignore[misc]
            for k in keys]


def credit_advice(card: Card, settings: Settings, today: dt.date) -> CreditAdvice | None:
    """Reduce, grow or hold for one account; None for an account with no credit record and
    nothing owed.

    reduce: exposure over the credit limit (`over_limit`); a low rating while business grows
    (`low_rating_growing`); invoices more than 60 days overdue while business grows
    (`late_payer_growing`).
    grow: an active account with sales in the last window, a high rating, exposure within
    (1 - headroom) of the limit and nothing overdue (`high_rating_headroom`).
    hold: everything else (`no_rule`), e.g. a high rating with money overdue (`overdue`).
    "Growing" compares sales in the last window with the window before it.
    """
    credit = card.credit
    exposure, overdue = _open_and_overdue(card, today)
    if exposure == 0 and (credit is None or card.status in ("lost", "dormant")):
        return None  # nothing owed and no business to steer
    window = dt.timedelta(days=settings.collect.window_days)
    sales, _ = _window_sums(card, today - window, today)
    before, _ = _window_sums(card, today - 2 * window, today - window)
    rating = credit.rating if credit else None
    limit = credit.limit if credit else None
    klass = rating_class(rating, settings)
    growing = sales > before
    late = any(r.days_overdue > 60 for r in facts.overdue_receivables(card, today))
    reduce = []
    if limit is not None and exposure > limit:
        reduce.append("over_limit")
    if klass == "low" and growing:
        reduce.append("low_rating_growing")
    if late and growing:
        reduce.append("late_payer_growing")
    headroom = Decimal(str(1 - settings.collect.credit.headroom))
    if reduce:
        advice, reasons = "reduce", tuple(reduce)
    elif (klass == "high" and overdue == 0 and (limit is None or exposure <= headroom * limit)
          and card.status == "active" and sales > 0):
        advice, reasons = "grow", ("high_rating_headroom",)
    else:
        advice, reasons = "hold", ("overdue",) if klass == "high" and overdue > 0 else ("no_rule",)
    return CreditAdvice(card.id, card.name, card.owner, rating, limit, exposure, overdue, sales, before,
                        advice, reasons)


ADVICE_ORDER = {"reduce": 0, "grow": 1, "hold": 2}


def collect(cards: Iterable[Card], settings: Settings, today: dt.date, owner: str | None = None) -> CollectReport:
    """The collection plan, the sales/collections balance and the credit advice.

    With `owner`, only that rep's accounts (the regions then cover only them too).
    Credit advice is ordered reduce, grow, hold; within each, the largest exposure first.
    The report also counts every unpaid invoice (`unpaid_count`, `unpaid_amount`), so a
    reader sees what the plan's window (`horizon_days`) leaves for later.
    """
    chosen = [c for c in cards if owner is None or c.owner == owner]
    advice = [a for a in (credit_advice(c, settings, today) for c in chosen) if a is not None]
    advice.sort(key=lambda a: (ADVICE_ORDER[a.advice], -a.exposure, a.account))
    reps = balances(chosen, settings, today, "owner")
    if owner is not None:
        reps = [b for b in reps if b.key == owner]
    unpaid = [t for c in chosen for t in c.trades if t.paid is None and t.amount > 0]
    return CollectReport(
        today=today, window_days=settings.collect.window_days,
        plan=tuple(collection_plan(chosen, settings, today)), reps=tuple(reps),
        regions=tuple(balances(chosen, settings, today, "region")), credit=tuple(advice),
        horizon_days=settings.collect.horizon_days, unpaid_count=len(unpaid),
        unpaid_amount=sum((t.amount for t in unpaid), start=ZERO),
    )
