"""Which key accounts need a visit this week, why, and how urgently (SPEC §4).

Pure core: cards, settings, `today` and the week come in; `DueItem`s come out.
Every reason an account is due is listed with its details, and urgency is a sum
of explained `Term`s (tier weight + days overdue × per-day weight, capped + one
weight per reason kind), all coefficients from kacard.yaml's `urgency`.

"Days overdue" is judged at `today`, never at the week end: a visit or next step
falling due later this week makes the account due (it is in the week) but adds
no overdue days yet, and an invoice is a receivable reason only once its due
date has passed (due < today), like `show` and `review` count it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kacard.cards import brief, facts
from kacard.cards.brief import Brief, NextStep
from kacard.cards.model.settings import Settings, Urgency
from kacard.dates import Week, days_past
from kacard.errors import UsageError
from kacard.explain import Term, total
from kacard.i18n import Amount, Message, Word, _

if TYPE_CHECKING:
    from kacard.cards.model.card import Card

REASON_KINDS: tuple[str, ...] = (
    "cadence", "next_step", "no_next_step", "receivable", "signal", "opportunity", "relationship",
)
CONSIDERED_STATUSES: tuple[str, ...] = ("active", "prospect")
DEFAULT_CADENCE_DAYS = 90


@dataclass(frozen=True)
class Reason:
    """One reason an account is due: its kind, the date it fell (or falls) due,
    the days it is overdue at `today` (0 when not yet), a line for people and
    kind-specific details (dates, amounts, the next action) for machines."""

    kind: str
    date: dt.date | None
    days_overdue: int
    text: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date, "days_overdue": self.days_overdue,
                **self.detail, "text": self.text}


@dataclass(frozen=True)
class DueItem:
    """An account in the week's visit list (or, from `assess`, one that may not be due).

    The route planner uses: `id`, `owner`, `tier`, `urgency` (drop the lowest first),
    `reasons`, `terms`, `appointment` (a next step with a time is a fixed
    appointment) and `card`, the account's brief (location, visit_hours, visit_minutes).
    """

    id: str
    name: str
    owner: str
    status: str
    tier: str
    tier_pinned: bool
    urgency: float
    reasons: tuple[Reason, ...]
    terms: tuple[Term, ...]
    last_visit: dt.date | None
    visit_by: dt.date | None  # the cadence's ideal date for the next visit
    next_step: NextStep | None  # the latest visit's next step (open until a later visit)
    card: Brief = field(repr=False, compare=False)
    parked: Parked | None = None  # a cadence reason quieted by parking (SPEC §9)

    @property
    def is_due(self) -> bool:
        return bool(self.reasons)

    @property
    def kinds(self) -> list[str]:
        """Reason kinds present, in REASON_KINDS order, each once."""
        present = {r.kind for r in self.reasons}
        return [kind for kind in REASON_KINDS if kind in present]

    @property
    def days_overdue(self) -> int:
        """The most overdue reason's days (what the urgency counts, before the cap)."""
        return max((r.days_overdue for r in self.reasons), default=0)

    @property
    def appointment(self) -> dt.datetime | None:
        """The next step's date and time when it has a time: a fixed appointment."""
        step = self.next_step
        if step is None or step.time is None:
            return None
        return dt.datetime.combine(step.date, step.time)

    def as_json(self) -> dict[str, Any]:
        """SPEC §8: id, owner, tier, urgency, reasons[{kind, ...}] plus extra fields."""
        return {
            "id": self.id,
            "name": self.name,
            "owner": self.owner,
            "status": self.status,
            "tier": self.tier,
            "tier_pinned": self.tier_pinned,
            "urgency": self.urgency,
            "days_overdue": self.days_overdue,
            "last_visit": self.last_visit,
            "visit_by": self.visit_by,
            "next_step": (
                {"date": self.next_step.date, "time": self.next_step.time, "action": self.next_step.action}
                if self.next_step else None
            ),
            "reasons": [r.as_json() for r in self.reasons],
            "terms": [t.as_json() for t in self.terms],
            "parked": self.parked.as_json() if self.parked else None,
        }


# -- settings -------------------------------------------------------------------------


def cadence_limits(settings: Settings, tier: str) -> tuple[int, int]:
    """(ideal, longest) days between visits for a tier.

    The ideal comes from `cadence_days`; the longest acceptable gap from
    `cadence_max_days`, defaulting to the ideal (then "soon" means the ideal date is
    still ahead, "overdue" that it has passed). A maximum below the ideal is raised to it.
    """
    ideal = settings.cadence_days.get(tier, DEFAULT_CADENCE_DAYS)  # type: ignore[call-overload]
    longest = settings.cadence_max_days.get(tier, ideal)  # type: ignore[call-overload]
    return ideal, max(ideal, longest)


def _weights(urgency: Urgency) -> tuple[dict[str, float], dict[str, float]]:
    """Tier and reason weights, with built-in defaults for kinds kacard.yaml leaves out."""
    defaults = Urgency()
    tiers = {**defaults.tier, **urgency.tier}
    return ({str(tier): weight for tier, weight in tiers.items()}, {**defaults.reasons, **urgency.reasons})


@dataclass(frozen=True)
class Rules:
    """What `assess` reads from the settings, worked out once for a whole list."""

    settings: Settings
    cadence: dict[str, tuple[int, int]]  # tier -> cadence_limits
    tier_weights: dict[str, float]
    reason_weights: dict[str, float]

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        tier_weights, reason_weights = _weights(settings.urgency)
        cadence = {tier: cadence_limits(settings, tier) for tier in ("S", "A", "B", "C")}
        return cls(settings, cadence, tier_weights, reason_weights)


# -- reasons ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parked:
    """An account parked until `until`: its cadence reason is quiet until then.
    `source` is "next_step" (an agreed future next step) or "wait_until" (the card's field)."""

    until: dt.date
    source: str
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"until": self.until, "source": self.source, "text": self.text}


def parking(card: Brief, last: brief.Visit | None, settings: Settings, week_end: dt.date) -> Parked | None:
    """The parking rule (SPEC §9 `parking`, issue 17), in one place: with `parking: true`
    (the default), an agreed next step dated after the week, or the card's `wait_until`
    after the week, parks the account until the later of the two; a parked account has
    no cadence reason (its other reasons stand). None when not parked."""
    if not settings.parking:
        return None
    found: list[Parked] = []
    if card.wait_until is not None and card.wait_until > week_end:
        found.append(Parked(card.wait_until, "wait_until", Message("parked until {until} (wait_until)",
                                                                   until=card.wait_until)))
    step = last.next if last is not None else None
    if step is not None and step.date > week_end:
        found.append(Parked(step.date, "next_step",
                            Message("parked until {until}: next step agreed on {agreed}: {action}",
                                    until=step.date, agreed=last.date if last else "", action=step.action)))
    return max(found, key=lambda p: p.until) if found else None


def cadence_reason(
    card: Brief, last: brief.Visit | None, limits: tuple[int, int], today: dt.date, week_end: dt.date
) -> Reason | None:
    """No visit ever, or last visit + cadence_days(tier) ≤ week end ("soon" / "overdue").
    `last` is the latest visit on or before today; `limits` the tier's cadence_limits."""
    ideal, longest = limits
    if last is None:
        since = card.since
        overdue = days_past(since + dt.timedelta(days=longest), today) if since else 0
        if overdue:
            text = Message("never visited (customer since {since}): {overdue} days past the {longest}-day cadence",
                           since=since, overdue=overdue, longest=longest)
        elif since:
            text = Message("never visited (customer since {since})", since=since)
        else:
            text = Message("never visited")
        return Reason("cadence", since + dt.timedelta(days=ideal) if since else None, overdue, text,
                      {"status": "never", "last_visit": None, "days_since_visit": None,
                       "visit_by": None, "latest": None, "cadence_days": ideal, "max_days": longest})
    visit_by = last.date + dt.timedelta(days=ideal)
    if visit_by > week_end:
        return None
    latest = last.date + dt.timedelta(days=longest)
    overdue = days_past(latest, today)
    since_visit = (today - last.date).days
    if overdue and longest > ideal:
        text = Message("last visit {last} ({ago} days ago); every {ideal} days, at most {longest}: "
                       "{overdue} days overdue", last=last.date, ago=since_visit, ideal=ideal,
                       longest=longest, overdue=overdue)
    elif overdue:
        text = Message("last visit {last} ({ago} days ago); every {ideal} days: {overdue} days overdue",
                       last=last.date, ago=since_visit, ideal=ideal, overdue=overdue)
    elif longest > ideal:
        text = Message("last visit {last}; every {ideal} days: visit by {visit_by} (at the latest {latest})",
                       last=last.date, ideal=ideal, visit_by=visit_by, latest=latest)
    else:
        text = Message("last visit {last}; every {ideal} days: visit by {visit_by}",
                       last=last.date, ideal=ideal, visit_by=visit_by)
    return Reason("cadence", visit_by, overdue, text,
                  {"status": "overdue" if overdue else "soon", "last_visit": last.date,
                   "days_since_visit": since_visit, "visit_by": visit_by, "latest": latest,
                   "cadence_days": ideal, "max_days": longest})


def next_step_reasons(last: brief.Visit | None, today: dt.date, week_end: dt.date) -> list[Reason]:
    """`next_step` when the latest visit's next step is dated ≤ week end;
    `no_next_step` when the latest visit has neither a next step nor a deliberate `no_next`."""
    if last is None:
        return []
    step = last.next
    if step is None:
        if last.no_next is not None:
            return []
        return [Reason("no_next_step", last.date, 0,
                       Message("{kind} on {date} left no next step (没有下一步的行动安排)",
                               kind=Word("visit kind", last.kind), date=last.date),
                       {"visit": last.date, "visit_kind": last.kind, "summary": last.summary})]
    if step.date > week_end:
        return []
    overdue = days_past(step.date, today)
    when = dt.datetime.combine(step.date, step.time) if step.time else step.date
    if overdue:
        text = Message("next step {when}: {action} ({overdue} days overdue)", when=when, action=step.action,
                       overdue=overdue)
    else:
        text = Message("next step {when}: {action}", when=when, action=step.action)
    status = "overdue" if overdue else ("today" if step.date == today else "planned")
    return [Reason("next_step", step.date, overdue, text,
                   {"status": status, "time": step.time, "action": step.action, "visit": last.date})]


def _due_source(card: Brief, own_due: dt.date | None) -> str:
    if own_due is not None:
        return Message("invoice due date")
    if card.credit is not None and card.credit.terms_days is not None:
        return Message("credit terms {days} days", days=card.credit.terms_days)
    return Message("default {days} days", days=facts.DEFAULT_TERMS_DAYS)


def receivable_reasons(card: Brief, today: dt.date) -> list[Reason]:
    """One reason per unpaid invoice whose due date is before today (oldest first)."""
    found = []
    for item in facts.overdue_receivables(card, today):
        trade = item.trade
        label = trade.invoice or Message("invoice of {date}", date=trade.date)
        found.append(Reason(
            "receivable", item.due, item.days_overdue,
            Message("{invoice}: {amount} unpaid, due {due}, {days} days overdue", invoice=label,
                    amount=Amount(item.amount), due=item.due, days=item.days_overdue),
            {"invoice": trade.invoice, "invoiced": trade.date, "amount": item.amount,
             "due_source": _due_source(card, trade.due)},
        ))
    return found


def signal_reasons(card: Brief, today: dt.date) -> list[Reason]:
    """One reason per churn signal with no visit on or after its date."""
    return [
        Reason("signal", s.date, 0,
               Message("churn signal {kind} on {date}, no visit since: {note}", kind=Word("signal", s.kind),
                       date=s.date, note=s.note) if s.note else
               Message("churn signal {kind} on {date}, no visit since", kind=Word("signal", s.kind), date=s.date),
               {"signal": s.kind, "note": s.note, "days_open": (today - s.date).days})
        for s in facts.open_signals(card, today)
    ]


def opportunity_reasons(card: Brief, settings: Settings, today: dt.date) -> list[Reason]:
    """One `opportunity` reason per problem of an open deal (kacard.analysis.pipeline):
    stalled (overdue by the days past pipeline.stalled_days), past its close date
    (overdue by the days since), or at a stage entered without the previous key node."""
    from kacard.analysis.pipeline import deal_states, overdue_days, problem_text

    found = []
    for state in deal_states(card, settings, today):
        for problem in state.problems:
            deal = state.deal
            found.append(Reason(
                "opportunity", deal.close if problem == "past_close" else state.stage_date,
                overdue_days(state, problem), problem_text(state, problem),
                {"problem": problem, "opportunity": deal.id, "title": deal.title, "stage": deal.stage,
                 "amount": deal.amount, "close": deal.close, "days_in_stage": state.days_in_stage,
                 "quiet_days": state.quiet_days, "stalled_days": state.stalled_days,
                 "missing_node": state.missing_node},
            ))
    return found


def relationship_reasons(card: Brief, settings: Settings, today: dt.date) -> list[Reason]:
    """One `relationship` reason per danger of kacard.analysis.people.warnings (seed 001):
    top decision maker never or long not met past proposal, no ally at decision level,
    an opposing decision maker, no coach."""
    from kacard.analysis.people import warnings

    return [Reason("relationship", None, w.days_overdue, w.text, {"warning": w.kind, **w.detail})
            for w in warnings(card, settings.people, today)]


# -- urgency ----------------------------------------------------------------------------


@functools.cache
def _tier_source(tier: str, pinned: bool) -> Message:
    """An urgency term's source for the tier (a handful of values: made once each)."""
    return Message("tier {tier} (pinned)", tier=tier) if pinned else Message("tier {tier}", tier=tier)


@functools.cache
def _reason_word(kind: str) -> Word:
    return Word("reason", kind)


def urgency_terms(
    tier: str, pinned: bool, reasons: Iterable[Reason], urgency: Urgency,
    weights: tuple[dict[str, float], dict[str, float]] | None = None,
) -> list[Term]:
    """tier weight + per_day_overdue × min(days overdue, max_days_overdue) + a weight per reason kind.

    Days overdue is the most overdue reason's, so urgency never falls as days grow.
    No reasons, no terms: an account that is not due has urgency 0. `weights` are
    `_weights(urgency)` when already worked out.
    """
    reasons = list(reasons)
    if not reasons:
        return []
    tier_weights, reason_weights = weights if weights is not None else _weights(urgency)
    terms = [Term("tier", 1.0, tier_weights.get(tier, 0.0),
                  _tier_source(tier, pinned))]
    worst = max(reasons, key=lambda r: r.days_overdue)
    if worst.days_overdue > 0:
        counted = min(worst.days_overdue, urgency.max_days_overdue)
        source: str = Message("{days} days overdue ({kind})", days=worst.days_overdue, kind=_reason_word(worst.kind))
        if worst.kind == "opportunity" and worst.detail.get("problem") == "stalled":  # days past the limit
            source = Message("{days} days past the stall limit ({limit})", days=worst.days_overdue,
                             limit=worst.detail.get("stalled_days"))
        if counted < worst.days_overdue:
            source = Message("{source}, counted up to {most}", source=source, most=urgency.max_days_overdue)
        terms.append(Term("days overdue", float(counted), urgency.per_day_overdue, source))
    kinds = [r.kind for r in reasons]
    for kind in REASON_KINDS:
        count = kinds.count(kind)
        if count:
            source = _reason_word(kind) if count == 1 else Message(
                "{kind} ({count}, weighted once)", kind=_reason_word(kind), count=count)
            terms.append(Term(f"reason {kind}", 1.0, reason_weights.get(kind, 0.0), source))
    return terms


# -- the list ---------------------------------------------------------------------------


def assess(account: Card | Brief, tier: str, settings: Settings, today: dt.date, week: Week) -> DueItem:
    """Every reason this card is due in `week` (possibly none) and its urgency."""
    return _assess(account, tier, Rules.of(settings), today, week.end)


def _assess(account: Card | Brief, tier: str, rules: Rules, today: dt.date, week_end: dt.date) -> DueItem:
    card = account if isinstance(account, Brief) else brief.of(account)
    last = facts.last_visit(card, today)
    limits = rules.cadence.get(tier) or cadence_limits(rules.settings, tier)
    reasons: list[Reason] = []
    cadence = cadence_reason(card, last, limits, today, week_end)
    parked = parking(card, last, rules.settings, week_end) if cadence is not None else None
    if cadence is not None and parked is None:
        reasons.append(cadence)
    reasons += next_step_reasons(last, today, week_end)
    if card.trades:
        reasons += receivable_reasons(card, today)
    if card.signals:
        reasons += signal_reasons(card, today)
    if card.sale_facts[0]:  # any deal (kacard.cards.sale record: decoded only then)
        reasons += opportunity_reasons(card, rules.settings, today) + relationship_reasons(card, rules.settings, today)
    terms = urgency_terms(tier, card.tier is not None, reasons, rules.settings.urgency,
                          (rules.tier_weights, rules.reason_weights))
    ideal = limits[0]
    return DueItem(
        id=card.id,
        name=card.name,
        owner=card.owner,
        status=card.status,
        tier=tier,
        tier_pinned=card.tier is not None,
        urgency=round(total(terms), 2),
        reasons=tuple(reasons),
        terms=tuple(terms),
        last_visit=last.date if last else None,
        visit_by=last.date + dt.timedelta(days=ideal) if last else None,
        next_step=last.next if last else None,
        card=card,
        parked=parked,
    )


def check_owner(settings: Settings, owner: str) -> None:
    """An owner filter must name a rep of the team (when the team is listed) by id: callers
    turn a rep's name into the id first (kacard.cards.reps.rep_id)."""
    from kacard.cards.reps import rep_id

    if rep_id(settings, owner, role="owner") != owner:
        raise UsageError(_("owner filter {owner} is a name; pass the rep's id").format(owner=owner))


def checked_tiers(
    cards: Sequence[Card | Brief],
    settings: Settings,
    today: dt.date,
    owner: str | None,
    tier_of: Mapping[str, str] | None,
) -> Mapping[str, str]:
    """The owner filter checked, and every account's tier (over all `cards`, so
    filtering by owner changes no one's tier); `tier_of` when already computed."""
    if owner is not None:
        check_owner(settings, owner)
    if tier_of is not None:
        return tier_of
    from kacard.analysis.scoring import tiers

    whole = [card for card in cards if not isinstance(card, Brief)]
    if len(whole) < len(cards):
        raise TypeError("tiers need whole cards; pass tier_of with briefs")
    return tiers(whole, settings, today)


def due(
    cards: Iterable[Card | Brief],
    settings: Settings,
    today: dt.date,
    week_start: dt.date,
    owner: str | None = None,
    *,
    tier_of: Mapping[str, str] | None = None,
) -> list[DueItem]:
    """Active and prospect accounts due in the week starting `week_start` (7 days),
    optionally one rep's, most urgent first (ties by id). Cards may be whole or briefs
    (kacard.cards.brief); with briefs, pass `tier_of`.

    Tiers come from `kacard.analysis.scoring.tiers` over *all* the cards given (so filtering by
    owner does not change anyone's tier); pass `tier_of` to reuse tiers already computed.
    """
    cards = list(cards)
    tier_of = checked_tiers(cards, settings, today, owner, tier_of)
    considered = [card for card in cards
                  if card.status in CONSIDERED_STATUSES and (owner is None or card.owner == owner)]
    items = assess_each(considered, tier_of, settings, today, Week(week_start))
    return sort_items([item for item in items if item.is_due])


def assess_each(
    cards: Iterable[Card | Brief], tier_of: Mapping[str, str], settings: Settings, today: dt.date, week: Week
) -> list[DueItem]:
    """`assess` of every card, each with its tier from `tier_of` (else its pin, else C)."""
    rules = Rules.of(settings)
    return [_assess(card, tier_of.get(card.id) or card.tier or "C", rules, today, week.end) for card in cards]


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """Most urgent first; equal urgency by id."""
    return sorted(items, key=lambda item: (-item.urgency, item.id))
