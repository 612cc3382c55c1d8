"""`kacard handover`: a rep leaves, the successor keeps serving the accounts (接替者继续服务).

Each card gets the new owner and a `handovers` record (date, from, to, reason),
written as a patch of the original YAML through the store (comments kept, atomic,
stale-checked). Every card's change is prepared and validated before the first
is written; if writing stops half-way (a crash, a card changed meanwhile), running
the same command again finishes the rest: a card already handed over from FROM to
TO is counted as done, not refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kacard.cards.editing import append_record
from kacard.cards.model.card import Card
from kacard.cards.store import Folder, LoadedCard
from kacard.cards.writing import commit, prepare_update
from kacard.cards.yamlio import Document, flow_map
from kacard.errors import CardInvalid, UsageError
from kacard.i18n import _


@dataclass(frozen=True)
class HandoverPlan:
    from_rep: str
    to_rep: str
    date: dt.date
    reason: str | None
    cards: list[LoadedCard]
    to_name: str | None = None  # TO's name, written as owner where a card names its owner by name
    done: list[LoadedCard] = field(default_factory=list)  # handed over by an earlier, interrupted run


def plan_handover(folder: Folder, from_rep: str, to_rep: str, *, ids: list[str] | None,
                  reason: str | None, date: dt.date) -> HandoverPlan:
    """Which cards move; UsageError (exit 2) for unknown reps or cards FROM does not own."""
    from kacard.cards.reps import matching, rep_id

    from_rep = rep_id(folder.settings, from_rep, "FROM")
    to_rep = rep_id(folder.settings, to_rep, "TO")
    if from_rep == to_rep:
        raise UsageError(_("FROM and TO are the same rep"))
    done: list[LoadedCard] = []
    if ids:
        chosen = [folder.get(card_id) for card_id in dict.fromkeys(ids)]
        done = [c for c in chosen if _handed_over(c, from_rep, to_rep, folder.settings)]
        chosen = [c for c in chosen if c not in done]
        others = [c for c in chosen if c.card.owner != from_rep]
        if others:
            listed = ", ".join(f"{c.card.id} ({c.card.owner})" for c in others)
            raise UsageError(_("not owned by {from_rep}: {listed}; nothing was handed over").format(from_rep=from_rep, listed=listed))
    else:
        if folder.errors:  # a card that cannot be read may be FROM's: never hand over half
            raise CardInvalid(_("some cards cannot be read, so it is unknown whether {rep} owns them; fix "
                                "them first (or name the cards with --ids); nothing was handed over").format(
                rep=from_rep), folder.errors)
        chosen = [c for c in folder.cards if c.card.owner == from_rep]
    to = folder.settings.rep(to_rep)
    unique = to is not None and len(matching(folder.settings, to.name)) == 1
    return HandoverPlan(from_rep, to_rep, date, reason.strip() if reason else None, chosen,
                        to.name if to is not None and unique else None, done)


def _handed_over(loaded: LoadedCard, from_rep: str, to_rep: str, settings: Any) -> bool:
    """Whether the card already went from FROM to TO (its owner is TO, by id or name, and its
    last handover record is FROM → TO): a re-run of an interrupted handover skips it."""
    card = loaded.card
    to = settings.rep(to_rep)
    owners = {to_rep} | ({to.name} if to is not None else set())
    last = card.handovers[-1] if card.handovers else None
    return card.owner in owners and last is not None and last.from_ == from_rep and last.to == to_rep


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
    """Prepare every card's change (any invalid one: nothing is written), then write them;
    returns the updated cards (in folder order)."""
    prepared = [prepare_update(folder.path, loaded, handover_change(plan)) for loaded in plan.cards]
    return [commit(change) for change in prepared]
