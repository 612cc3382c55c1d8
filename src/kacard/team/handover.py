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


def plan_handover(folder: Folder, from_rep: str, to_rep: str, *, ids: list[str] | None,
                  reason: str | None, date: dt.date) -> HandoverPlan:
    """Which cards move; UsageError (exit 2) for unknown reps or cards FROM does not own."""
    team = {rep.id for rep in folder.settings.team}
    for role, rep in (("FROM", from_rep), ("TO", to_rep)):
        if team and rep not in team:
            raise UsageError(_("unknown rep {rep!r} for {role}; team: {value}").format(rep=rep, role=role, value=', '.join(sorted(team))))
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
    return HandoverPlan(from_rep, to_rep, date, reason.strip() if reason else None, chosen)


def handover_change(plan: HandoverPlan) -> Any:
    """A change for store.update_card: new owner, one handovers record appended."""

    def change(document: Document) -> None:
        document.root["owner"] = plan.to_rep
        record: dict[str, Any] = {"date": plan.date, "from": plan.from_rep, "to": plan.to_rep}
        if plan.reason:
            record["reason"] = plan.reason
        append_record(document.root, "handovers", flow_map(record))

    return change


def apply_handover(folder: Folder, plan: HandoverPlan) -> list[Card]:
    """Write each card; returns the updated cards (in folder order)."""
    return [update_card(folder.path, loaded, handover_change(plan)) for loaded in plan.cards]
