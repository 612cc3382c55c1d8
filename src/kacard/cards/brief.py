"""A card's brief: what `list`, `filter`, `due` and the route planner read of a card.

A brief leaves out the card's history (paid trades, all but the latest visits, the
contacts' personal data); of the opportunities and contacts it keeps what the pipeline
and the map of key people read (kacard.cards.sale). Its parts are named tuples with the
attribute names of the card's models, so `kacard.cards.facts` reads a brief or a card
alike, and `due` and `list` have one implementation for both.

Briefs are kept in the folder snapshot (kacard.cards.cache) as plain records (dates as
ordinals, money as text): rebuilding one costs a few microseconds, against about a
millisecond for a whole validated card of ~100 pydantic objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from kacard.cards import sale
from kacard.i18n import Message

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
    sale_facts: tuple[Any, ...] = ((), ())  # deals and people as a plain record (kacard.cards.sale.record)

    @property
    def deals(self) -> tuple[sale.Deal, ...]:
        """The opportunities, decoded when asked for (`list` and `route` never ask)."""
        return sale.deals_of(self.sale_facts)

    @property
    def people(self) -> tuple[sale.Person, ...]:
        """The contacts without personal data, with the dates each was met."""
        return sale.people_of(self.sale_facts)

    def as_of(self, today: dt.date) -> Brief:
        """This brief with only its latest visit on or before today (what `due` and `list` read)."""
        return self._replace(visits=tuple(v for v in self.visits if v.date <= today)[-1:])


def of(card: Card, keep_visits: int | None = None) -> Brief:
    """The brief of a whole card; `keep_visits` keeps only that many of the latest visits."""
    from kacard.cards.model.card import visit_order

    all_visits = card.visits
    order = sorted([visit_order(v, i) for i, v in enumerate(all_visits)])  # (date, time, position)
    if keep_visits is not None:
        order = order[len(order) - keep_visits:] if keep_visits else []
    visits = []
    for *_, i in order:
        v = all_visits[i]
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
        sale.record(sale.deals(card), sale.people(card)),
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
        b.sale_facts,
    )


def from_record(r: Sequence[Any], visits_until: int | None = None) -> Brief:
    """The brief of a record; with `visits_until` (how many of its visits are dated on or
    before today), only the latest of those visits, as `Brief.as_of(today)` would keep."""
    (card_id, name, owner, status, tier, industry, sector, region, address, location, hours,
     minutes, since, relationship, terms, tags, custom, contacts, trades, visits, signals, wait_until,
     sold) = r
    day = dt.date.fromordinal
    clock = dt.time.fromisoformat
    if visits_until is not None:
        visits = visits[visits_until - 1:visits_until] if visits_until > 0 else ()
    return Brief(
        card_id, name, owner, status, tier, industry, sector, region, address,
        Location(*location) if location is not None else None,
        Hours(tuple(hours[0]), clock(hours[1]), clock(hours[2])) if hours is not None else None,
        minutes, day(since) if since is not None else None, relationship,
        Credit(terms) if terms != -1 else None,
        tuple(tags), custom, contacts,
        tuple([Trade(day(d), invoice, Decimal(amount), day(due) if due is not None else None)
               for d, invoice, amount, due in trades]) if trades else (),
        tuple([Visit(day(d), kind, summary,
                     NextStep(day(step[0]), clock(step[1]) if step[1] else None, step[2]) if step else None,
                     no_next) for d, kind, summary, step, no_next in visits]) if visits else (),
        tuple([Signal(day(d), kind, note) for d, kind, note in signals]) if signals else (),
        day(wait_until) if wait_until is not None else None,
        sold,
    )


# -- upkeep: what `review` and `validate` read of a card beyond its brief -----------------


class Upkeep(NamedTuple):
    """The completeness flags of a card (review.CHECKLIST), when it was last touched, and
    its suspicious-data warnings (model.card.card_warnings) but those that depend on today."""

    decision_maker: bool  # a contact with role decision_maker
    contact_phone: bool  # a contact with a phone or an e-mail
    credit: bool  # credit.rating or credit.terms_days set
    purchasing: bool  # purchasing.centralized, pattern or annual_budget set
    last_touched: dt.date | None  # facts.last_touched
    warnings: tuple[tuple[str, Message], ...]  # (field path, message), not depending on today
    visit_days: tuple[int, ...]  # each visit's date (ordinal), in the order of the file


def last_touched(card: Card) -> dt.date | None:
    """The most recent date anything happened on the card (visit, trade, signal, handover;
    else `since`)."""
    dates = [v.date for v in card.visits] + [t.date for t in card.trades] + [s.date for s in card.signals]
    dates += [h.date for h in card.handovers]
    return max(dates) if dates else card.since


def upkeep(card: Card) -> Upkeep:
    from kacard.cards.model.card import FUTURE, card_warnings

    credit, purchasing = card.credit, card.purchasing
    return Upkeep(
        any(c.role == "decision_maker" for c in card.contacts),
        any(c.phone or c.email for c in card.contacts),
        credit is not None and (credit.rating is not None or credit.terms_days is not None),
        purchasing is not None and any(
            v is not None for v in (purchasing.centralized, purchasing.pattern, purchasing.annual_budget)),
        last_touched(card),
        tuple(w for w in card_warnings(card, dt.date.max) if w[1].msgid != FUTURE),
        tuple(v.date.toordinal() for v in card.visits),
    )


def warnings(u: Upkeep, today: dt.date) -> list[tuple[str, Message]]:
    """card_warnings of the card as of `today` (the same pairs, in the same order)."""
    from kacard.cards.model.card import FUTURE

    found = list(u.warnings)
    if u.visit_days and max(u.visit_days) > today.toordinal():
        future = [(f"visits.{i}.date", Message(FUTURE, date=dt.date.fromordinal(d)))
                  for i, d in enumerate(u.visit_days) if d > today.toordinal()]
        # card_warnings' order: visits by position (a date's warnings before its next
        # step's), then trades; the sort is stable, so "out of date order" stays first
        found += future
        found.sort(key=lambda w: _warning_key(w[0]))
    return found


def _warning_key(path: str) -> tuple[int, int, int]:
    part, _, rest = path.partition(".")
    number = int(rest.split(".")[0]) if rest else 0
    return (0 if part == "visits" else 1, number, 0 if path.endswith(".date") else 1)


def upkeep_record(u: Upkeep) -> tuple[Any, ...]:
    return (u.decision_maker, u.contact_phone, u.credit, u.purchasing, _ord(u.last_touched),
            [[path, m.msgid, {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in m.params.items()}]
             for path, m in u.warnings], list(u.visit_days))


def upkeep_from_record(r: list[Any] | tuple[Any, ...]) -> Upkeep:
    decision_maker, phone, credit, purchasing, touched, found, days = r
    return Upkeep(bool(decision_maker), bool(phone), bool(credit), bool(purchasing),
                  dt.date.fromordinal(touched) if touched is not None else None,
                  tuple((str(path), _message(msgid, params)) for path, msgid, params in found),
                  tuple(int(d) for d in days))


def _message(msgid: str, params: dict[str, Any]) -> Message:
    """A warning back from its record: dates (kept as ISO text) as dates again."""
    return Message(str(msgid), **{k: dt.date.fromisoformat(v) if k == "date" else v for k, v in params.items()})
