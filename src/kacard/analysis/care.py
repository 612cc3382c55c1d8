"""Care without over-care (seed 003: keep the rhythm, vary the form, avoid over-care).

Two findings for the manager's review, per rep:

* monotone: the account's last `care.same_kind` contacts (visits of any kind: visit, call,
  meeting, event, gift, complaint) were all of one kind: vary the form;
* over_care: a low-tier account (B or C) visited at least `care.over_factor` times as often as
  its cadence asks (and at least 3 times) over the last `care.window_days`, while an account of a higher tier (S or
  A) of the same rep is overdue for a visit: the time goes to the wrong accounts.

Pure functions of cards' rows (store.Summary: brief and index), tiers, settings and today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kacard.cards.model.settings import Settings
from kacard.cards.store import Summary, summary_of

if TYPE_CHECKING:
    from kacard.cards.model.card import Card

LOW_TIERS = ("B", "C")
HIGH_TIERS = ("S", "A")


def _rows(items: Iterable[Summary] | Iterable[Card], today: dt.date) -> list[Summary]:
    """Rows as given, whole cards made into the rows the cache would keep."""
    return [i if isinstance(i, Summary) else summary_of(i, today) for i in items]


def monotone(rows: Iterable[Summary] | Iterable[Card], settings: Settings, today: dt.date) -> list[dict[str, Any]]:
    """Accounts whose last N contacts on or before today were all of one kind, by id."""
    n = settings.care.same_kind
    found = []
    for row in _rows(rows, today):
        past = row.card_index.last_visits(today, n)  # (date, kind), ascending by date
        if len(past) == n and len({kind for _, kind in past}) == 1:
            found.append({"id": row.brief.id, "kind": past[0][1], "count": n, "since": past[0][0]})
    return sorted(found, key=lambda f: f["id"])


def over_care(rows: Iterable[Summary] | Iterable[Card], tier_of: Mapping[str, str], settings: Settings, today: dt.date,
              overdue_high: bool) -> list[dict[str, Any]]:
    """Low-tier accounts visited far above their cadence; only when `overdue_high` (a higher
    tier account of the same rep is overdue), else nothing is wrong with the extra care."""
    if not overdue_high:
        return []
    window = settings.care.window_days
    found = []
    for row in _rows(rows, today):
        card = row.brief
        tier = tier_of.get(card.id) or card.tier or "C"
        if tier not in LOW_TIERS:
            continue
        visits = row.card_index.visits_in(today, window)  # dated in (today - window, today]
        expected = window / settings.cadence(tier)
        if visits >= max(3, settings.care.over_factor * expected):  # two in a quarter is no excess
            found.append({"id": card.id, "tier": tier, "visits": visits, "expected": round(expected, 1),
                          "window_days": window})
    return sorted(found, key=lambda f: (-f["visits"], f["id"]))
