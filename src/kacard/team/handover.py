"""`kacard handover`: a rep leaves, the successor keeps serving the accounts (接替者继续服务).

Each card gets the new owner and a `handovers` record (date, from, to, reason),
written as a patch of the original YAML through the store (comments kept, atomic,
stale-checked). Everything is checked before the first card is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kacard.cards.editing import append_record
from kacard.cards.model.card import Card
from kacard.cards.store import Folder, LoadedCard, update_card
from kacard.cards.yamlio import Document, flow_map
from kacard.errors import UsageError
from kacard.i18n import _


@dataclass(frozen=True)
class HandoverPlan:
    from_rep: str
    to_rep: str
    date: dt.date
    reason: str | None
    cards: list[LoadedCard]
    to_name: str | None = None  # TO's name, written as owner where a card names its owner by name


def plan_handover(folder: Folder, from_rep: str, to_rep: str, *, ids: list[str] | None,
                  reason: str | None, date: dt.date) -> HandoverPlan:
    """Which cards move; UsageError (exit 2) for unknown reps or cards FROM does not own."""
    from kacard.cards.reps import matching, rep_id

    from_rep = rep_id(folder.settings, from_rep, "FROM")
    to_rep = rep_id(folder.settings, to_rep, "TO")
    if from_rep == to_rep:
        raise UsageError(_("FROM and TO are the same rep"))
    if ids:
        chosen = [folder.get(card_id) for card_id in dict.fromkeys(ids)]
        others = [c for c in chosen if c.card.owner != from_rep]
        if others:
            listed = ", ".join(f"{c.card.id} ({c.card.owner})" for c in others)
            raise UsageError(_("not owned by {from_rep}: {listed}; nothing was handed over").format(from_rep=from_rep, listed=listed))
    else:
        chosen = [c for c in folder.cards if c.card.owner == from_rep]
    to = folder.settings.rep(to_rep)
    unique = to is not None and len(matching(folder.settings, to.name)) == 1
    return HandoverPlan(from_rep, to_rep, date, reason.strip() if reason else None, chosen,
                        to.name if to is not None and unique else None)


def handover_change(plan: HandoverPlan) -> Any:
    """A change for store.update_card: new owner, one handovers record appended."""

    def change(document: Document) -> None:
        written = str(document.root.get("owner", "")).strip()
        by_name = plan.to_name is not None and written != plan.from_rep  # the file names reps by name
        document.root["owner"] = plan.to_name if by_name else plan.to_rep
        record: dict[str, Any] = {"date": plan.date, "from": plan.from_rep, "to": plan.to_rep}
        if plan.reason:
            record["reason"] = plan.reason
        append_record(document.root, "handovers", flow_map(record))

    return change


def apply_handover(folder: Folder, plan: HandoverPlan) -> list[Card]:
    """Write each card; returns the updated cards (in folder order)."""
    return [update_card(folder.path, loaded, handover_change(plan)) for loaded in plan.cards]
