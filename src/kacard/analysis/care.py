"""Care without over-care (seed 003: keep the rhythm, vary the form, avoid over-care).

Two findings for the manager's review, per rep:

* monotone: the account's last `care.same_kind` contacts (visits of any kind: visit, call,
  meeting, event, gift, complaint) were all of one kind: vary the form;
* over_care: a low-tier account (B or C) visited at least `care.over_factor` times as often as
  its cadence asks (and at least 3 times) over the last `care.window_days`, while an account of a higher tier (S or
  A) of the same rep is overdue for a visit: the time goes to the wrong accounts.

Pure functions of cards, tiers, settings and today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings

LOW_TIERS = ("B", "C")
HIGH_TIERS = ("S", "A")


def monotone(cards: Iterable[Card], settings: Settings, today: dt.date) -> list[dict[str, Any]]:
    """Accounts whose last N contacts on or before today were all of one kind, by id."""
    n = settings.care.same_kind
    found = []
    for card in cards:
        past = sorted((v for v in card.visits if v.date <= today), key=lambda v: v.date)[-n:]
        if len(past) == n and len({v.kind for v in past}) == 1:
            found.append({"id": card.id, "kind": past[0].kind, "count": n, "since": past[0].date})
    return sorted(found, key=lambda f: f["id"])


def over_care(cards: Iterable[Card], tier_of: Mapping[str, str], settings: Settings, today: dt.date,
              overdue_high: bool) -> list[dict[str, Any]]:
    """Low-tier accounts visited far above their cadence; only when `overdue_high` (a higher
    tier account of the same rep is overdue), else nothing is wrong with the extra care."""
    if not overdue_high:
        return []
    window = settings.care.window_days
    start = today - dt.timedelta(days=window)
    found = []
    for card in cards:
        tier = tier_of.get(card.id) or card.tier or "C"
        if tier not in LOW_TIERS:
            continue
        visits = sum(1 for v in card.visits if start < v.date <= today)
        expected = window / settings.cadence(tier)
        if visits >= max(3, settings.care.over_factor * expected):  # two in a quarter is no excess
            found.append({"id": card.id, "tier": tier, "visits": visits, "expected": round(expected, 1),
                          "window_days": window})
    return sorted(found, key=lambda f: (-f["visits"], f["id"]))
