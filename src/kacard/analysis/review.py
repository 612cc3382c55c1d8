"""The manager's weekly review (`kacard review`): per rep, how the cards are kept.

Pure core. For each rep: cards owned, card completeness (a checklist per card),
accounts overdue for a visit, visits without a next step, overdue receivables by
aging bucket, churn signals not followed up, stale cards, and `flags` — the
findings that say a rep needs help.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, cast

from kacard.cards import facts
from kacard.cards.brief import Brief
from kacard.cards.store import Summary, summary_of
from kacard.dates import Week
from kacard.analysis import care
from kacard.analysis.collect import AGING_BUCKETS, bucket_of
from kacard.analysis.due import (
    CONSIDERED_STATUSES,
    DueItem,
    assess_each,
    cadence_limits,
    checked_tiers,
)
from kacard.analysis.plan import PlanLine, annual_plan
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.cards.plans import PlanTargets
from kacard.i18n import N_, Amount, Message, Word

# What a well-kept card has (the course: the manager checks every rep's cards weekly).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("decision_maker", N_("a contact with role decision_maker")),
    ("contact_phone", N_("a phone or e-mail for a contact")),
    ("address", N_("the address")),
    ("location", N_("location (lat/lon) for routes")),
    ("visit_hours", N_("visit_hours")),
    ("credit", N_("credit (rating or terms_days)")),
    ("purchasing", N_("purchasing (centralized/pattern/budget)")),
    ("recent_visit", N_("a visit within the tier's cadence")),
    ("next_step", N_("a next step on the latest visit (or a deliberate no_next)")),
)
COMPLETENESS_TARGET = 0.8
RECENT_DAYS = 28
LATE_BUCKETS = ("61-90", "90+")


def checklist(row: Summary, tier: str, settings: Settings, today: dt.date) -> dict[str, bool]:
    """Each CHECKLIST item: does the card have it? (Its brief as of today, its upkeep.)"""
    card, kept = row.brief, row.upkeep
    assert kept is not None, "load the folder with upkeep=True"
    last = facts.last_visit(card, today)
    _, longest = cadence_limits(settings, tier)
    return {
        "decision_maker": kept.decision_maker,
        "contact_phone": kept.contact_phone,
        "address": bool(card.address),
        "location": card.location is not None,
        "visit_hours": card.visit_hours is not None,
        "credit": kept.credit,
        "purchasing": kept.purchasing,
        "recent_visit": last is not None and (today - last.date).days <= longest,
        "next_step": last is not None and (last.next is not None or last.no_next is not None),
    }


@dataclass(frozen=True)
class CardGaps:
    id: str
    score: float  # 0..1, share of CHECKLIST items present
    missing: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score * 100), "missing": list(self.missing)}


@dataclass(frozen=True)
class Aging:
    """Overdue receivables in aging buckets of days overdue: 0-30, 31-60, 61-90, 90+."""

    buckets: dict[str, tuple[Decimal, int]]
    items: tuple[dict[str, Any], ...] = ()

    @property
    def amount(self) -> Decimal:
        return sum((a for a, _ in self.buckets.values()), start=Decimal(0))

    @property
    def count(self) -> int:
        return sum(n for _, n in self.buckets.values())

    @property
    def late_amount(self) -> Decimal:
        """More than 60 days overdue."""
        return sum((self.buckets[b][0] for b in LATE_BUCKETS), start=Decimal(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "amount": self.amount,
            "count": self.count,
            "buckets": [{"bucket": b, "amount": a, "count": n} for b, (a, n) in self.buckets.items()],
            "items": list(self.items),
        }


def aging(cards: Iterable[Card | Brief], today: dt.date) -> Aging:
    buckets: dict[str, tuple[Decimal, int]] = {label: (Decimal(0), 0) for label, _, _ in AGING_BUCKETS}
    items = []
    for card in cards:
        for r in facts.overdue_receivables(card, today):
            label = bucket_of(r.days_overdue)
            amount, count = buckets[label]
            buckets[label] = (amount + r.amount, count + 1)
            items.append({"id": card.id, "invoice": r.trade.invoice, "amount": r.amount, "due": r.due,
                          "days_overdue": r.days_overdue, "bucket": label})
    items.sort(key=lambda i: (-cast(int, i["days_overdue"]), cast(str, i["id"])))
    return Aging(buckets, tuple(items))


@dataclass(frozen=True)
class RepReview:
    rep: str
    name: str | None
    cards: int  # every status
    active: int  # active + prospect: the accounts the rep serves
    completeness: float | None  # mean checklist score over active cards, 0..1
    gaps: tuple[CardGaps, ...]  # active cards missing something, worst first
    due: int  # accounts due this week
    overdue_visits: tuple[dict[str, Any], ...]
    no_next_step: tuple[dict[str, Any], ...]  # accounts whose latest visit has no next step
    recent_visits: int  # visits logged in the last RECENT_DAYS days
    recent_without_next: int
    receivables: Aging
    signals: tuple[dict[str, Any], ...]
    stale: tuple[dict[str, Any], ...]
    monotone: tuple[dict[str, Any], ...] = ()  # last N contacts all of one kind (analysis/care.py)
    over_care: tuple[dict[str, Any], ...] = ()  # low tiers far above cadence while higher are overdue
    plan: dict[str, Any] | None = None  # this year's plan line, when plans/YEAR.yaml sets one
    flags: tuple[str, ...] = field(default=())  # worst first
    severity: str = "none"  # high | medium | low | none: the worst flag's (SEVERITY)
    flags: tuple[str, ...] = field(default=())
    deals: tuple[dict[str, Any], ...] = ()  # opportunity problems (due reason `opportunity`)
    people: tuple[dict[str, Any], ...] = ()  # the course's dangers (due reason `relationship`)
    parked: tuple[dict[str, Any], ...] = ()  # cadence quieted by parking (SPEC §9): still shown

    @property
    def needs_help(self) -> bool:
        """Only a high-severity finding says the rep needs the manager's help this week."""
        return self.severity == "high"

    @property
    def reason(self) -> str | None:
        """The worst finding, in words."""
        return self.flags[0] if self.flags else None

    def as_json(self) -> dict[str, Any]:
        return {
            "rep": self.rep,
            "name": self.name,
            "cards": self.cards,
            "active": self.active,
            "completeness": None if self.completeness is None else round(self.completeness * 100),
            "incomplete": [g.as_json() for g in self.gaps],
            "due": self.due,
            "overdue_visits": list(self.overdue_visits),
            "no_next_step": list(self.no_next_step),
            "recent_visits": self.recent_visits,
            "recent_visits_without_next": self.recent_without_next,
            "receivables": self.receivables.as_json(),
            "signals": list(self.signals),
            "stale": list(self.stale),
            "parked": list(self.parked),
            "monotone": list(self.monotone),
            "over_care": list(self.over_care),
            "plan": self.plan,
            "deals": list(self.deals),
            "people": list(self.people),
            "needs_help": self.needs_help,
            "severity": self.severity,
            "reason": self.reason,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Review:
    today: dt.date
    week: Week
    reps: tuple[RepReview, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today,
            "week": self.week.label,
            "week_start": self.week.start,
            "week_end": self.week.end,
            "reps": [r.as_json() for r in self.reps],
        }


def review(
    rows: Iterable[Summary] | Iterable[Card],
    settings: Settings,
    today: dt.date,
    week_start: dt.date,
    owner: str | None = None,
    *,
    tier_of: Mapping[str, str] | None = None,
    targets: PlanTargets | None = None,
    plan_cards: Sequence[Card] | None = None,
) -> Review:
    """Per rep (the team's order, then owners not in the team), or one rep with `owner`.

    `rows`: each card's brief as of today, index and upkeep (store.load_folder with
    summary=True, upkeep=True), or whole cards (made into those rows here). `targets`:
    the manager's plan for today's year (plans/YEAR.yaml); reps behind it are flagged;
    the plan's lines are worked out on `plan_cards`, the whole cards (they read
    opportunities; the whole cards given as `rows` by default).
    """
    given: list[Summary | Card] = list(rows)
    cards = [c for c in given if not isinstance(c, Summary)]
    rows = [c if isinstance(c, Summary) else summary_of(c, today) for c in given]
    if plan_cards is None and cards:
        plan_cards = cards
    if tier_of is None:
        from kacard.analysis.scoring.fast import tiers

        tier_of = tiers([r.card_index for r in rows], settings, today)
    tier_of = checked_tiers([r.brief for r in rows], settings, today, owner, tier_of)
    plan_of: dict[str, PlanLine] = {}
    if targets is not None and plan_cards is not None:
        plan = annual_plan(list(plan_cards), settings, today.year, today, tier_of, targets)
        plan_of = {line.key: line for line in plan.reps if line.source == "set"}
    week = Week(week_start)
    reps = [rep.id for rep in settings.team]
    reps += sorted({r.brief.owner for r in rows} - set(reps))
    if owner is not None:
        reps = [owner]
    found = []
    for rep_id in reps:
        owned = [r for r in rows if r.brief.owner == rep_id]
        rep = settings.rep(rep_id)
        if rep is not None and rep.manager and not owned and owner is None:
            continue  # a manager without accounts of their own is not reviewed
        found.append(rep_review(rep_id, rep.name if rep else None, owned, settings, today, week, tier_of,
                                plan_of.get(rep_id)))
    return Review(today, week, tuple(found))


def rep_review(
    rep_id: str,
    name: str | None,
    owned: list[Summary],
    settings: Settings,
    today: dt.date,
    week: Week,
    tier_of: Mapping[str, str],
    plan_line: PlanLine | None = None,
) -> RepReview:
    active = [r for r in owned if r.brief.status in CONSIDERED_STATUSES]
    tier = {r.brief.id: tier_of.get(r.brief.id) or r.brief.tier or "C" for r in owned}
    items: list[DueItem] = assess_each([r.brief for r in active], tier, settings, today, week)

    gaps = []
    scores = []
    for row in active:
        checks = checklist(row, tier[row.brief.id], settings, today)
        score = sum(checks.values()) / len(checks)
        scores.append(score)
        missing = tuple(key for key, ok in checks.items() if not ok)
        if missing:
            gaps.append(CardGaps(row.brief.id, score, missing))
    gaps.sort(key=lambda g: (g.score, g.id))

    overdue = []
    no_next = []
    for item in items:
        for reason in item.reasons:
            status = reason.detail.get("status")
            # a new account (since within its cadence) is not overdue before its first visit is
            if reason.kind == "cadence" and (status == "overdue" or (status == "never" and (
                    reason.days_overdue > 0 or reason.date is None))):
                overdue.append({"id": item.id, "status": reason.detail["status"], "last_visit": item.last_visit,
                                "days_overdue": reason.days_overdue})
            if reason.kind == "no_next_step":
                no_next.append({"id": item.id, "visit": reason.date})
    overdue.sort(key=lambda o: (o["status"] != "never", -o["days_overdue"], o["id"]))
    parked = sorted(({"id": i.id, "until": i.parked.until, "source": i.parked.source, "text": i.parked.text}
                     for i in items if i.parked is not None), key=lambda p: (p["until"], p["id"]))

    # visits in the last RECENT_DAYS days (0 <= days before today < RECENT_DAYS)
    recent = sum(r.card_index.visits_in(today, RECENT_DAYS) for r in owned)
    recent_without = sum(r.card_index.open_visits_in(today, RECENT_DAYS) for r in owned)

    # a brief as of today keeps the latest visit on or before today: a signal is open when
    # it is not older than that visit (facts.open_signals)
    signals = sorted(
        ({"id": r.brief.id, "date": s.date, "kind": s.kind, "days_open": (today - s.date).days}
         for r in active for s in facts.open_signals(r.brief, today)),
        key=lambda s: (s["date"], s["id"]),
    )
    stale = []
    for row in active:
        assert row.upkeep is not None
        touched = row.upkeep.last_touched
        days = (today - touched).days if touched else None
        if days is None or days > settings.stale_days:
            stale.append({"id": row.brief.id, "last_touched": touched, "days": days})
    stale.sort(key=lambda s: (-(cast(int, s["days"]) if s["days"] is not None else 10**6), cast(str, s["id"])))

    receivables = aging([r.brief for r in owned], today)
    completeness = sum(scores) / len(scores) if scores else None
    high_overdue = any(tier[o["id"]] in care.HIGH_TIERS for o in overdue)
    plan = None
    if plan_line is not None:
        plan = {"target": plan_line.target, "target_to_date": plan_line.target_to_date,
                "actual": plan_line.actual, "gap": plan_line.gap,
                "behind": plan_line.behind(settings.plan.behind)}
    review_ = RepReview(
        rep=rep_id, name=name, cards=len(owned), active=len(active), completeness=completeness,
        gaps=tuple(gaps), due=sum(1 for i in items if i.is_due), overdue_visits=tuple(overdue),
        no_next_step=tuple(no_next), recent_visits=recent, recent_without_next=recent_without,
        receivables=receivables, signals=tuple(signals), stale=tuple(stale), parked=tuple(parked),
        monotone=tuple(care.monotone(active, settings, today)),
        over_care=tuple(care.over_care(active, tier, settings, today, high_overdue)), plan=plan,
        deals=sale_items(items, "opportunity"), people=sale_items(items, "relationship"),
    )
    found = flags(review_, settings.currency)
    order = {level: i for i, level in enumerate(SEVERITY)}
    found.sort(key=lambda f: order[f[0]])  # stable: the order below within a level
    return replace(review_, flags=tuple(text for _, text in found), severity=found[0][0] if found else "none")


def sale_items(items: Iterable[DueItem], kind: str) -> tuple[dict[str, Any], ...]:
    """The `opportunity` or `relationship` reasons of a rep's accounts, as review items
    ({id, problem or warning, opportunity, text, ...}), by account."""
    return tuple({"id": item.id, **reason.detail, "text": reason.text}
                 for item in sorted(items, key=lambda i: i.id) for reason in item.reasons if reason.kind == kind)


# Severity levels, worst first. high: money or the account at risk (late receivables, an
# unanswered churn signal, behind plan, cards too incomplete to manage by, a quarter or more
# of the accounts overdue); medium: the visiting rhythm slips; low: housekeeping.
SEVERITY = ("high", "medium", "low")
OVERDUE_SHARE_HIGH = 0.25


def flags(r: RepReview, currency: str) -> list[tuple[str, str]]:
    """What a manager should talk about with this rep: (severity, words) pairs. The words are
    i18n.Messages: English in JSON, the run's language when printed."""
    found: list[tuple[str, str]] = []
    if r.receivables.late_amount > 0:
        found.append(("high", Message("{amount} {currency} receivable overdue > 60 days",
                                      amount=Amount(r.receivables.late_amount.quantize(Decimal(1))),
                                      currency=Word("currency", currency))))
    if r.signals:
        found.append(("high", Message("{count} churn signal(s) not followed up by a visit", count=len(r.signals))))
    if r.plan is not None and r.plan["behind"]:
        to_date = r.plan["target_to_date"]
        actual = Amount(Decimal(r.plan["actual"]).quantize(Decimal(1)))
        target = Amount(Decimal(to_date).quantize(Decimal(1)))
        if to_date:
            found.append(("high", Message("behind plan: {actual} of {target} {currency} to date ({share})",
                                          actual=actual, target=target, currency=Word("currency", currency),
                                          share=f"{r.plan['actual'] / to_date:.0%}")))
        else:
            found.append(("high", Message("behind plan: {actual} of {target} {currency} to date", actual=actual,
                                          target=target, currency=Word("currency", currency))))
    if r.completeness is not None and r.completeness < COMPLETENESS_TARGET:
        found.append(("high", Message("cards {share} complete (target {target})", share=f"{r.completeness:.0%}",
                                      target=f"{COMPLETENESS_TARGET:.0%}")))
    if r.overdue_visits:
        level = "high" if r.active and len(r.overdue_visits) >= OVERDUE_SHARE_HIGH * r.active else "medium"
        found.append((level, Message("{count} account(s) overdue for a visit", count=len(r.overdue_visits))))
    if r.no_next_step:
        found.append(("medium", Message("{count} account(s) whose last visit has no next step",
                                        count=len(r.no_next_step))))
    if r.over_care:
        found.append(("medium", Message("{count} low-tier account(s) visited far above cadence while higher "
                                        "tiers are overdue", count=len(r.over_care))))
    if r.stale:
        found.append(("low", Message("{count} stale card(s)", count=len(r.stale))))
    if r.monotone:
        found.append(("low", Message("{count} account(s) whose last contacts were all of one kind (vary the form)",
                                     count=len(r.monotone))))
    if r.deals:
        found.append(("medium", Message("{n} deal problem(s): stalled, past close date or missing key node",
                                        n=len(r.deals))))
    never = sum(1 for d in r.people if d.get("warning") == "top_never_met")
    if never:  # seed 001: never meeting the top decision maker through a project is very dangerous
        found.append(("high", Message("{n} deal(s) past the proposal whose top decision maker was never met",
                                      n=never)))
    if len(r.people) > never:
        found.append(("medium", Message("{n} key-people danger(s) (see kacard people ID)",
                                        n=len(r.people) - never)))
    return found
