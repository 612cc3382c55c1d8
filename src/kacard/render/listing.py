"""Rows for `kacard list` and `kacard filter`: one flat dict of facts per card."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

from kacard.cards import facts
from kacard.cards.brief import Brief
from kacard.cards.index import CardIndex
from kacard.cards.model.settings import Settings
from kacard.i18n import N_
from kacard.render.output import Column, emit

if TYPE_CHECKING:
    from kacard.cards.model.card import Card

COLUMNS = [
    Column("id", N_("id"), role="id"),
    Column("name", N_("name"), max_width=28, role="name"),
    Column("owner", N_("owner"), drop=3),
    Column("status", N_("status"), drop=2, labels="status"),
    Column("tier", N_("tier"), drop=5),
    Column("region", N_("region"), max_width=16, drop=1),
    Column("revenue", N_("revenue"), right=True),
    Column("last_visit", N_("last visit")),
    Column("next_date", N_("next step")),
    Column("next_action", N_("action"), max_width=24, drop=4),
]  # on a narrow terminal, left off first: region, status, owner, action, tier (issue 21 #2)


# Row fields read straight off a card or its brief (no today, no settings, no tier):
# `filter` tests its conditions on these before building the whole row.
PLAIN_FIELDS = frozenset({"id", "name", "owner", "status", "industry", "sector", "region", "address",
                          "relationship", "since", "visit_minutes", "tags", "contacts"})


def plain_fields(card: Card | Brief) -> dict[str, Any]:
    """The PLAIN_FIELDS and custom.* fields of a card's row (card_row has them too)."""
    return {
        "id": card.id,
        "name": card.name,
        "owner": card.owner,
        "status": card.status,
        "industry": card.industry,
        "sector": card.sector,
        "region": card.region,
        "address": card.address,
        "relationship": card.relationship,
        "since": card.since,
        "visit_minutes": card.visit_minutes,
        "tags": list(card.tags),
        "contacts": card.contact_count if isinstance(card, Brief) else len(card.contacts),
        **{f"custom.{k}": v for k, v in card.custom.items()},
    }


def card_row(
    card: Card | Brief, settings: Settings, today: dt.date, tier: str | None, index: CardIndex | None = None
) -> dict[str, Any]:
    """The row of one whole card, or of a brief (kacard.cards.brief) with its `index`, which
    gives the window sums."""
    window = settings.scoring.pareto.window_days
    if index is not None:
        measure = index.metric
    else:
        assert not isinstance(card, Brief), "a brief needs its index"
        measure = partial(facts.metric, card)
    last = facts.last_visit(card, today)
    step = facts.open_next_step(card, today)
    receivables = facts.overdue_receivables(card, today)
    plain = plain_fields(card)
    return {
        **{key: plain[key] for key in ("id", "name", "owner", "status")},
        "tier": tier,
        "tier_pinned": card.tier is not None,
        **{key: plain[key] for key in ("industry", "sector", "region", "address", "relationship", "since",
                                       "visit_minutes", "tags")},
        "revenue": measure(today, window, "revenue"),
        "margin": measure(today, window, "margin"),
        "last_visit": last.date if last else None,
        "next_date": step.date if step else None,
        "next_action": step.action if step else None,
        "contacts": plain["contacts"],
        "receivable": sum((r.amount for r in receivables), start=0),
        **{key: value for key, value in plain.items() if key.startswith("custom.")},
    }


def card_rows(
    cards: list[Card] | list[Brief], settings: Settings, today: dt.date, tier_of: dict[str, str],
    indexes: dict[str, CardIndex] | None = None,
) -> list[dict[str, Any]]:
    """Rows of every card, by id: whole cards, or briefs with their `indexes` by id."""
    rows = [
        card_row(c, settings, today, tier_of.get(c.id), indexes[c.id] if indexes is not None else None)
        for c in cards
    ]
    return sorted(rows, key=lambda r: r["id"])


def print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    emit(rows, COLUMNS, fmt, title=None)
