"""The six-stage sales pipeline (`kacard pipeline`, SPEC §9, seed 002).

Pure core: briefs (kacard.cards.brief, whose `deals` come from kacard.cards.sale), the team's
settings and `today` come in; each open deal's days in stage, slipped close date,
stalled state and missing key node, and the per-stage count, amount, weighted amount and
oldest deal come out. Weighted amount = amount × the stage's probability
(`pipeline.probabilities` in kacard.yaml), kept as an explained `Term`.

The course's process (seed 002, 销售过程): development (key node: accurate project
information), initiation (pre-sales project approval), proposal (effective advance of
the customer relationship), bidding (bid or negotiated bid), negotiation (contract
approval and signing), implementation (acceptance and project closure); then won or lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kacard.cards import facts
from kacard.cards.brief import Brief
from kacard.cards.model.settings import Pipeline, Settings
from kacard.cards.sale import NODE_NAMES, Deal
from kacard.explain import Term
from kacard.i18n import Message, Word, label
from kacard.i18n.words import word

STAGES: tuple[str, ...] = (
    "development", "initiation", "proposal", "bidding", "negotiation", "implementation",
)
CLOSED: tuple[str, ...] = ("won", "lost")
NODE_OF: dict[str, str] = dict(zip(STAGES, NODE_NAMES, strict=True))  # stage -> its key node
PROBLEMS: tuple[str, ...] = ("stalled", "past_close", "missing_node")
OPEN: frozenset[str] = frozenset(STAGES)


def stage_word(stage: str) -> Word:
    """A stage inside a Message: its English name in JSON, the course's term for people."""
    return Word("stage", word("stage", stage))


def stage_label(stage: str) -> str:
    """A stage's name for people, in the current language (the course's term in Chinese)."""
    return label("stage", stage)


def node_word(node: str) -> Word:
    """A key node inside a Message (seed 002's 关键节点)."""
    return Word("node", word("node", node))


def node_label(node: str) -> str:
    """A key node's name for people, in the current language (seed 002's 关键节点)."""
    return label("node", node)


def is_open(stage: str) -> bool:
    return stage in STAGES


def stage_index(stage: str) -> int:
    """0..5 for the open stages, 6 for won and lost."""
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


@dataclass(frozen=True)
class DealState:
    """One opportunity as the pipeline sees it at `today`.

    `stage_date` is when the deal entered its stage: `stage_since`, else the latest key
    node reached on or before today (`stage_date_source` says which). `quiet_days` counts
    from the later of the stage date and the last visit (None when neither is known);
    the deal is `stalled` when quiet for `stalled_days` or more, or when nothing is known.
    """

    account: str
    name: str
    owner: str
    region: str | None
    deal: Deal
    probability: float
    weighted: Decimal
    stage_date: dt.date | None
    stage_date_source: str | None  # "stage_since", "node:<name>" or None
    days_in_stage: int | None
    last_visit: dt.date | None
    quiet_days: int | None
    stalled: bool
    days_past_close: int  # 0 unless the close date has passed on an open deal
    missing_node: str | None  # the previous stage's key node, when not recorded
    stalled_days: int
    terms: tuple[Term, ...]

    @property
    def problems(self) -> list[str]:
        """The deal's problems in PROBLEMS order: what makes it a `due` reason."""
        found = []
        if self.stalled:
            found.append("stalled")
        if self.days_past_close:
            found.append("past_close")
        if self.missing_node:
            found.append("missing_node")
        return found

    def as_json(self) -> dict[str, Any]:
        """SPEC §9: account, id, title, stage, amount, close, days_in_stage, stalled (+ more)."""
        d = self.deal
        return {
            "account": self.account, "id": d.id, "title": d.title, "stage": d.stage,
            "amount": d.amount, "close": d.close, "days_in_stage": self.days_in_stage,
            "stalled": self.stalled, "owner": self.owner, "region": self.region,
            "probability": self.probability, "weighted": self.weighted,
            "stage_since": self.stage_date, "stage_since_source": self.stage_date_source,
            "last_visit": self.last_visit, "quiet_days": self.quiet_days,
            "days_past_close": self.days_past_close, "missing_node": self.missing_node,
            "nodes": {name: day for name, day in zip(NODE_NAMES, d.nodes, strict=True) if day is not None},
            "problems": self.problems,
            "terms": [t.as_json() for t in self.terms],
        }


def stage_date(deal: Deal, today: dt.date) -> tuple[dt.date | None, str | None]:
    """When the deal entered its stage, and where that date comes from."""
    if deal.stage_since is not None:
        return deal.stage_since, "stage_since"
    reached = [(day, name) for name, day in zip(NODE_NAMES, deal.nodes, strict=True)
               if day is not None and day <= today]
    if reached:
        day, name = max(reached)
        return day, f"node:{name}"
    return None, None


def missing_node(deal: Deal) -> str | None:
    """The key node of the stage before the deal's own, when it is not recorded (seed 002:
    each stage is entered by controlling the previous one's key node). Development,
    won and lost deals need none."""
    if deal.stage not in STAGES[1:]:
        return None
    needed = STAGES.index(deal.stage) - 1
    return NODE_NAMES[needed] if deal.nodes[needed] is None else None


def weighted_terms(deal: Deal, rules: Pipeline) -> tuple[float, tuple[Term, ...]]:
    """(probability, [amount × probability]) of a deal; won counts whole, lost nothing."""
    if deal.stage == "won":
        chance, source = 1.0, "won"
    elif deal.stage == "lost":
        chance, source = 0.0, "lost"
    else:
        chance = float(rules.probabilities.get(deal.stage, 0.0))  # type: ignore[call-overload]
        source = f"pipeline.probabilities.{deal.stage}"
    amount = float(deal.amount or 0)
    return chance, (Term("weighted amount", amount, chance, source),)


def assess_deal(card: Brief, deal: Deal, rules: Pipeline, today: dt.date, last: dt.date | None) -> DealState:
    """Days in stage, quiet days, stalled, slipped close date and missing key node of one deal;
    `last` is the date of the account's last visit on or before today (None: never visited)."""
    since, source = stage_date(deal, today)
    open_ = deal.stage in OPEN
    known = [day for day in (since, last) if day is not None]
    quiet = (today - max(known)).days if known else None
    stalled = open_ and (quiet is None or quiet >= rules.stalled_days)
    past = (today - deal.close).days if open_ and deal.close is not None and deal.close < today else 0
    chance, terms = weighted_terms(deal, rules)
    return DealState(
        account=card.id, name=card.name, owner=card.owner, region=card.region, deal=deal,
        probability=chance, weighted=deal.amount * _decimal(chance) if deal.amount else Decimal(0),
        stage_date=since, stage_date_source=source,
        days_in_stage=(today - since).days if since is not None else None,
        last_visit=last, quiet_days=quiet, stalled=stalled, days_past_close=past,
        missing_node=missing_node(deal) if open_ and rules.check_nodes else None,
        stalled_days=rules.stalled_days, terms=terms,
    )


@lru_cache(maxsize=64)
def _decimal(chance: float) -> Decimal:
    """A probability as the Decimal it reads as (0.6, not 0.59999...)."""
    return Decimal(repr(chance))


def deal_states(card: Brief, settings: Settings, today: dt.date) -> list[DealState]:
    """Every deal of a card (its last visit looked up once)."""
    deals = card.deals
    if not deals:
        return []
    visit = facts.last_visit(card, today)
    last = visit.date if visit is not None else None
    return [assess_deal(card, deal, settings.pipeline, today, last) for deal in deals]


@dataclass(frozen=True)
class StageRow:
    """One stage of the funnel: how many deals, their amount and weighted amount, the oldest."""

    stage: str
    count: int
    amount: Decimal
    weighted: Decimal
    probability: float
    oldest: DealState | None  # the deal longest in this stage (open stages only)
    stalled: int

    def as_json(self) -> dict[str, Any]:
        oldest = self.oldest
        return {
            "stage": self.stage, "count": self.count, "amount": self.amount, "weighted": self.weighted,
            "probability": self.probability, "stalled": self.stalled,
            "oldest": None if oldest is None else {
                "account": oldest.account, "id": oldest.deal.id, "days_in_stage": oldest.days_in_stage},
        }


@dataclass(frozen=True)
class PipelineReport:
    today: dt.date
    stages: tuple[StageRow, ...]  # the six open stages, then won and lost
    deals: tuple[DealState, ...]  # every deal, by stage then close date

    @property
    def open_rows(self) -> tuple[StageRow, ...]:
        return self.stages[:len(STAGES)]

    def totals(self) -> dict[str, Any]:
        rows = self.open_rows
        return {
            "count": sum(r.count for r in rows),
            "amount": sum((r.amount for r in rows), start=Decimal(0)),
            "weighted": sum((r.weighted for r in rows), start=Decimal(0)),
            "stalled": sum(r.stalled for r in rows),
            "past_close": sum(1 for d in self.deals if d.days_past_close),
            "missing_node": sum(1 for d in self.deals if d.missing_node),
        }

    def as_json(self) -> dict[str, Any]:
        """SPEC §9: {"stages": [{stage, count, amount, weighted}], "opportunities": [...]}."""
        return {
            "today": self.today,
            "stages": [row.as_json() for row in self.stages],
            "opportunities": [d.as_json() for d in self.deals],
            "totals": self.totals(),
        }


def matches(card: Brief, owner: str | None, region: str | None) -> bool:
    """--owner is a rep id; --region matches any part of the card's region (华东/杭州 ~ 杭州)."""
    if owner is not None and card.owner != owner:
        return False
    return region is None or (card.region is not None and region.casefold() in card.region.casefold())


def pipeline(
    cards: Iterable[Brief], settings: Settings, today: dt.date,
    owner: str | None = None, region: str | None = None,
) -> PipelineReport:
    """Every deal of the matching cards, and the per-stage figures (six open stages, won, lost)."""
    states = [state for card in cards if matches(card, owner, region)
              for state in deal_states(card, settings, today)]
    states.sort(key=lambda s: (stage_index(s.deal.stage), s.deal.stage == "lost",
                               s.deal.close or dt.date.max, s.account, s.deal.id))
    rows = []
    for stage in (*STAGES, *CLOSED):
        in_stage = [s for s in states if s.deal.stage == stage]
        aged = [s for s in in_stage if s.days_in_stage is not None and is_open(stage)]
        rows.append(StageRow(
            stage=stage,
            count=len(in_stage),
            amount=sum((s.deal.amount or Decimal(0) for s in in_stage), start=Decimal(0)),
            weighted=sum((s.weighted for s in in_stage), start=Decimal(0)),
            probability=in_stage[0].probability if in_stage else weighted_terms(
                Deal("", "", stage, None, None, None, (None,) * len(NODE_NAMES)), settings.pipeline)[0],
            oldest=max(aged, key=lambda s: (s.days_in_stage or 0, s.account), default=None),
            stalled=sum(1 for s in in_stage if s.stalled),
        ))
    return PipelineReport(today, tuple(rows), tuple(states))


def stall_text(quiet_days: int | None, limit: int) -> Message:
    """The one wording of a stalled deal, everywhere (due, due --explain, pipeline): the
    stall's length, i.e. days without a stage change or visit, with the limit
    (`pipeline.stalled_days`): `stalled 115 days (limit 45)`, 停滞 115 天（上限 45）. Days past
    the limit are an urgency input only (`overdue_days`), never shown as the stall."""
    if quiet_days is None:
        return Message("stalled: no stage date and no visit on the card")
    return Message("stalled {days} days (limit {limit})", days=quiet_days, limit=limit)


def problem_text(state: DealState, problem: str) -> Message:
    """One line about one problem of a deal (the due reason's text): English as a str (JSON),
    the reader's language through `localize`."""
    d = state.deal
    head = Message("opportunity {id} {title} ({stage})", id=d.id, title=d.title, stage=stage_word(d.stage))
    why: Message
    if problem == "stalled":
        why = stall_text(state.quiet_days, state.stalled_days)
    elif problem == "past_close":
        why = Message("close date {close} passed {days} days ago", close=d.close, days=state.days_past_close)
    else:
        why = Message("entered without the key node “{node}” of the stage before",
                      node=node_word(state.missing_node or ""))
    return Message("{head}: {why}", head=head, why=why)


def overdue_days(state: DealState, problem: str) -> int:
    """Days a problem counts as overdue in the due urgency: past the stalled limit, past close."""
    if problem == "stalled":
        return max(0, (state.quiet_days or 0) - state.stalled_days)
    if problem == "past_close":
        return state.days_past_close
    return 0
