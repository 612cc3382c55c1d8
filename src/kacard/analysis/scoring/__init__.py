"""Scoring: the 80/20 (Pareto/ABC) rule, the 10/2 scorecard, tiers and quadrants.

Pure: no terminal, no files, `today` is a parameter. See scoring/report.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kacard.cards.model.settings import Settings

if TYPE_CHECKING:
    from kacard.cards.model.card import Card
    from kacard.cards.store import Folder


def tiers(cards: list[Card], settings: Settings, today: dt.date) -> dict[str, str]:
    """Effective tier per card id: the card's pin when set, else computed per SPEC §3."""
    from kacard.analysis.scoring.report import score

    return {account.id: account.tier for account in score(cards, settings, today).accounts}


def folder_tiers(folder: Folder, today: dt.date) -> dict[str, str]:
    """Tiers of a loaded folder: from the card indexes after a summary load (the same
    tiers, without building every account's explained score), else from whole cards."""
    if folder.summaries is not None:
        from kacard.analysis.scoring.fast import tiers as fast_tiers

        return fast_tiers([s.card_index for s in folder.summaries], folder.settings, today)
    return tiers([loaded.card for loaded in folder.cards], folder.settings, today)
