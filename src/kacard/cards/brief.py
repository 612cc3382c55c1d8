"""A card's brief: what `list`, `filter`, `due` and the route planner read of a card.

A brief leaves out the card's history (contacts but their number, opportunities,
paid trades, all but the latest visits). Its parts are named tuples with the
attribute names of the card's models, so `kacard.cards.facts` reads a brief or a card
alike, and `due` and `list` have one implementation for both.

Briefs are kept in the folder snapshot (kacard.cards.cache) as plain records (dates as
ordinals, money as text): rebuilding one costs a few microseconds, against about a
millisecond for a whole validated card of ~100 pydantic objects.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kacard.cards.model.card import Card


class Location(NamedTuple):
    lat: float
    lon: float


class Hours(NamedTuple):
    days: tuple[str, ...]
    start: dt.time
    end: dt.time


class Credit(NamedTuple):
    terms_days: int | None


class NextStep(NamedTuple):
    date: dt.date
    time: dt.time | None
    action: str


class Visit(NamedTuple):
    date: dt.date
    kind: str
    summary: str  # only of a visit that left no next step (the due list quotes it); else ""
    next: NextStep | None
    no_next: str | None


class Trade(NamedTuple):
    """An unpaid trade (a brief keeps no paid ones)."""

    date: dt.date
    invoice: str | None
    amount: Decimal
    due: dt.date | None
    paid: None = None


class Signal(NamedTuple):
    date: dt.date
    kind: str
    note: str | None


class Brief(NamedTuple):
    id: str
    name: str
    owner: str
    status: str
    tier: str | None  # the manual pin
    industry: str | None
    sector: str | None
    region: str | None
    address: str | None
    location: Location | None
    visit_hours: Hours | None
    visit_minutes: int
    since: dt.date | None
    relationship: str | None
    credit: Credit | None
    tags: tuple[str, ...]
    custom: dict[str, Any]
    contact_count: int
    trades: tuple[Trade, ...]  # unpaid only
    visits: tuple[Visit, ...]  # ascending by (date, position in the file); maybe only the latest
    signals: tuple[Signal, ...]
    wait_until: dt.date | None = None  # quiet until then (SPEC §9 parking)

    def as_of(self, today: dt.date) -> Brief:
        """This brief with only its latest visit on or before today (what `due` and `list` read)."""
        return self._replace(visits=tuple(v for v in self.visits if v.date <= today)[-1:])


def of(card: Card, keep_visits: int | None = None) -> Brief:
    """The brief of a whole card; `keep_visits` keeps only that many of the latest visits."""
    order = sorted(range(len(card.visits)), key=lambda i: (card.visits[i].date, i))
    if keep_visits is not None:
        order = order[len(order) - keep_visits:] if keep_visits else []
    visits = []
    for i in order:
        v = card.visits[i]
        step = NextStep(v.next.date, v.next.time, v.next.action) if v.next is not None else None
        quoted = v.summary if step is None and v.no_next is None else ""
        visits.append(Visit(v.date, v.kind, quoted, step, v.no_next))
    hours = card.visit_hours
    return Brief(
        card.id, card.name, card.owner, card.status, card.tier, card.industry, card.sector,
        card.region, card.address,
        Location(card.location.lat, card.location.lon) if card.location is not None else None,
        Hours(tuple(hours.days), hours.start, hours.end) if hours is not None else None,
        card.visit_minutes, card.since, card.relationship,
        Credit(card.credit.terms_days) if card.credit is not None else None,
        tuple(card.tags), dict(card.custom), len(card.contacts),
        tuple(Trade(t.date, t.invoice, t.amount, t.due) for t in card.trades if t.paid is None),
        tuple(visits),
        tuple(Signal(s.date, s.kind, s.note) for s in card.signals),
        card.wait_until,
    )


# -- plain records for the snapshot (marshal: no dates, no Decimals) ---------------------


def _ord(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _clock(at: dt.time | None) -> str | None:
    return at.isoformat() if at is not None else None


VISITS = Brief._fields.index("visits")  # a record keeps the brief's fields in order


def record(b: Brief) -> tuple[Any, ...]:
    return (
        b.id, b.name, b.owner, b.status, b.tier, b.industry, b.sector, b.region, b.address,
        tuple(b.location) if b.location is not None else None,
        (b.visit_hours.days, b.visit_hours.start.isoformat(), b.visit_hours.end.isoformat())
        if b.visit_hours is not None else None,
        b.visit_minutes, _ord(b.since), b.relationship,
        b.credit.terms_days if b.credit is not None else -1,
        b.tags, b.custom, b.contact_count,
        tuple((t.date.toordinal(), t.invoice, str(t.amount), _ord(t.due)) for t in b.trades),
        tuple((v.date.toordinal(), v.kind, v.summary,
               (v.next.date.toordinal(), _clock(v.next.time), v.next.action) if v.next else None,
               v.no_next) for v in b.visits),
        tuple((s.date.toordinal(), s.kind, s.note) for s in b.signals),
        _ord(b.wait_until),
    )


def from_record(r: tuple[Any, ...], visits_until: int | None = None) -> Brief:
    """The brief of a record; with `visits_until` (how many of its visits are dated on or
    before today), only the latest of those visits, as `Brief.as_of(today)` would keep."""
    (card_id, name, owner, status, tier, industry, sector, region, address, location, hours,
     minutes, since, relationship, terms, tags, custom, contacts, trades, visits, signals, wait_until) = r
    day = dt.date.fromordinal
    clock = dt.time.fromisoformat
    if visits_until is not None:
        visits = visits[visits_until - 1:visits_until] if visits_until > 0 else ()
    return Brief(
        card_id, name, owner, status, tier, industry, sector, region, address,
        Location(*location) if location is not None else None,
        Hours(hours[0], clock(hours[1]), clock(hours[2])) if hours is not None else None,
        minutes, day(since) if since is not None else None, relationship,
        Credit(terms) if terms != -1 else None,
        tags, custom, contacts,
        tuple([Trade(day(d), invoice, Decimal(amount), day(due) if due is not None else None)
               for d, invoice, amount, due in trades]) if trades else (),
        tuple([Visit(day(d), kind, summary,
                     NextStep(day(step[0]), clock(step[1]) if step[1] else None, step[2]) if step else None,
                     no_next) for d, kind, summary, step, no_next in visits]) if visits else (),
        tuple([Signal(day(d), kind, note) for d, kind, note in signals]) if signals else (),
        day(wait_until) if wait_until is not None else None,
    )
