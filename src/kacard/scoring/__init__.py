"""Scoring: the 80/20 (Pareto/ABC) rule, the 10/2 scorecard, tiers and quadrants."""

from __future__ import annotations

import datetime as dt

from kacard.model.card import Card
from kacard.model.settings import Settings


def tiers(cards: list[Card], settings: Settings, today: dt.date) -> dict[str, str]:
    """Effective tier per card id: the pin when set, else C until scoring computes it."""
    return {card.id: card.tier or "C" for card in cards}
