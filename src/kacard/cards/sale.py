"""What the pipeline and the map of key people read of a card: its deals and its people.

Two small pure functions of a card (`deals`, `people`) give plain named tuples, so the
folder snapshot can keep them beside the brief (kacard.cards.brief) and `kacard due`,
`kacard pipeline` and `kacard review` read them without the whole card. `record` turns
them into plain values (dates as ordinals, money as text): the brief keeps that record and
decodes it (`deals_of`, `people_of`) only when asked, so `list` and `route` never pay for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kacard.cards.model.card import Card

# The six key nodes of seed 002, in the order of the stages they close.
NODE_NAMES: tuple[str, ...] = (
    "accurate_info", "project_approval", "relationship", "bid", "contract", "acceptance",
)


class Deal(NamedTuple):
    """One opportunity. `nodes` has one date (or None) per NODE_NAMES entry."""

    id: str  # the opportunity's id, else its position (1-based) as text
    title: str
    stage: str
    amount: Decimal | None
    close: dt.date | None
    stage_since: dt.date | None
    nodes: tuple[dt.date | None, ...]


class Person(NamedTuple):
    """One contact, without personal data, and the dates of the visits that met them."""

    name: str
    title: str | None
    role: str | None
    level: str | None
    influence: int | None
    stance: str | None
    reports_to: str | None
    met: tuple[int, ...]  # date ordinals, ascending, of the visits whose `with` names them (any date)


def deals(card: Card) -> tuple[Deal, ...]:
    found = []
    for i, opp in enumerate(card.opportunities, start=1):
        nodes = opp.nodes
        dates = tuple(getattr(nodes, name) if nodes is not None else None for name in NODE_NAMES)
        found.append(Deal(opp.id or str(i), opp.title, opp.stage, opp.amount, opp.close, opp.stage_since, dates))
    return tuple(found)


def people(card: Card) -> tuple[Person, ...]:
    met: dict[str, list[int]] = {}
    for visit in card.visits:
        for name in visit.with_:
            met.setdefault(name, []).append(visit.date.toordinal())
    return tuple(
        Person(c.name, c.title, c.role, c.level, c.influence, c.stance, c.reports_to,
               tuple(sorted(set(met.get(c.name, ())))))
        for c in card.contacts
    )


# -- plain records (marshal: no dates, no Decimals) ---------------------------------------


def _ord(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _day(number: int | None) -> dt.date | None:
    return dt.date.fromordinal(number) if number is not None else None


def record(found_deals: tuple[Deal, ...], found_people: tuple[Person, ...]) -> tuple[Any, ...]:
    return (
        tuple((d.id, d.title, d.stage, None if d.amount is None else str(d.amount), _ord(d.close),
               _ord(d.stage_since), tuple(map(_ord, d.nodes))) for d in found_deals),
        tuple(tuple(p) for p in found_people),
    )


def deals_of(r: tuple[Any, ...]) -> tuple[Deal, ...]:
    """The deals of a `record`."""
    return tuple(Deal(i, title, stage, None if amount is None else Decimal(amount), _day(close), _day(since),
                      tuple(map(_day, nodes)))
                 for i, title, stage, amount, close, since, nodes in r[0])


def people_of(r: tuple[Any, ...]) -> tuple[Person, ...]:
    """The people of a `record`."""
    return tuple(map(Person._make, r[1]))
