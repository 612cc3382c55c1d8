"""Scoring: the 80/20 (Pareto/ABC) rule, the 10/2 scorecard, tiers and quadrants.

Pure: no terminal, no files, `today` is a parameter. See scoring/report.py.
"""

from __future__ import annotations

import datetime as dt

from kacard.index import CardIndex
from kacard.model.card import Card
from kacard.model.settings import Settings


def tiers(
    cards: list[Card], settings: Settings, today: dt.date, indexes: dict[str, CardIndex] | None = None
) -> dict[str, str]:
    """Effective tier per card id: the card's pin when set, else computed per SPEC §3.

    With `indexes` (a summary load, kacard.index) the same tiers come from the indexes,
    without building the explained score of every account."""
    if indexes is not None:
        from kacard.scoring.fast import tiers as fast_tiers

        return fast_tiers(list(indexes.values()), settings, today)
    from kacard.scoring.report import score

    return {account.id: account.tier for account in score(cards, settings, today).accounts}
