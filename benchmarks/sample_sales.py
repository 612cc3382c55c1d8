"""The sales side of the generated sample (issue 18): key nodes, stage dates, reports_to,
and a few accounts that show each of the course's dangers.

Runs after make_cards has planned every account, with its own random streams (seeded by
the account id), so the rest of each card stays byte-identical to what make_cards wrote
before. Every account is first made sound (dated stages with their key nodes, a coach, an
ally at decision level, the top decision maker met lately when a deal is past proposal),
then a few, chosen by a seeded shuffle, get exactly one planned problem each:

    stalled, past_close, missing_node             -> due reason `opportunity`
    top_never_met, top_not_met, no_ally_at_decision_level,
    opposing_decision_maker, no_coach             -> due reason `relationship`

Accounts whose visits stopped long ago (the "stale" and "dormant" roles) stall on their
own, and their top decision maker is not met lately: those problems are true, not planned.
"""

from __future__ import annotations

import datetime as dt
from random import Random
from typing import Any

OPEN_STAGES = ["development", "initiation", "proposal", "bidding", "negotiation", "implementation"]
NODES = ["accurate_info", "project_approval", "relationship", "bid", "contract", "acceptance"]
PAST_PROPOSAL = {"bidding", "negotiation", "implementation"}
NOT_MET_DAYS = 90
PLANNED = {  # problem -> how many accounts show it on purpose
    "top_never_met": 1, "top_not_met": 1, "opposing_decision_maker": 1, "no_ally_at_decision_level": 2,
    "no_coach": 2, "past_close": 2, "missing_node": 1, "stalled": 1,
}


def _stage(opp: tuple) -> str:
    return opp[2]


def _open_index(acct: Any) -> int:
    """The furthest open stage of the account's deals (-1 when none is open)."""
    return max((OPEN_STAGES.index(_stage(o)) for o in acct.opportunities if _stage(o) in OPEN_STAGES), default=-1)


def _back(day: dt.date, rng: Random, low: int, high: int) -> dt.date:
    return day - dt.timedelta(days=rng.randint(low, high))


def date_deals(acct: Any, today: dt.date, rng: Random) -> None:
    """stage_since and the key nodes reached before it, for every deal."""
    quiet = acct.role in ("stale", "dormant", "lost")
    dated = []
    for oid, title, stage, amount, close in acct.opportunities:
        if stage in OPEN_STAGES:
            since = _back(today, rng, 70, 160) if quiet else _back(today, rng, 6, 40)
            reached = OPEN_STAGES.index(stage)
        elif stage == "won":
            since, reached = close, len(NODES)
        else:  # lost: it got some way first
            since, reached = close, rng.randint(1, 3)
        nodes: dict[str, dt.date] = {}
        day = since
        for j in reversed(range(reached)):
            nodes[NODES[j]] = day
            day = _back(day, rng, 14, 50)
        ordered = {name: nodes[name] for name in NODES if name in nodes}
        dated.append((oid, title, stage, amount, close, since, ordered))
    acct.opportunities = dated


def link_reports(acct: Any, rng: Random) -> None:
    """reports_to: the middle level to the decision maker, the operational level to a
    middle-level person (most people; some links are simply not known)."""
    boss = next((c for c in acct.contacts if c.role == "decision_maker"), None)
    middle = [c for c in acct.contacts if c.level == "middle"]
    for c in acct.contacts:
        if c is boss or rng.random() < 0.15:
            continue
        if c.level == "middle" and boss is not None:
            c.reports_to = boss.name
        elif c.level == "operational" and (middle or boss):
            c.reports_to = rng.choice(middle).name if middle else boss.name


def top_maker(acct: Any) -> Any:
    makers = [c for c in acct.contacts if c.role == "decision_maker"]
    if not makers:
        return None
    return max(makers, key=lambda c: (c.level == "top", c.influence, -makers.index(c)))


def _replace_in_visits(acct: Any, name: str, others: list[str], visits: list[dict]) -> None:
    """Whoever was met instead of `name` at these visits (also in their summaries)."""
    for k, visit in enumerate(visits):
        if name in visit["with"]:
            other = others[k % len(others)]
            kept = [n for n in visit["with"] if n != name]
            visit["with"] = kept if other in kept else [other, *kept]
            visit["summary"] = visit["summary"].replace(name, other)


def _met_lately(acct: Any, name: str, today: dt.date) -> bool:
    return any(name in v["with"] and 0 <= (today - v["date"]).days <= NOT_MET_DAYS for v in acct.visits)


def make_sound(acct: Any, today: dt.date, planted: str | None = None) -> None:
    """A coach, an ally at decision level, no opposing decision maker, and the top decision
    maker met lately when a deal is past proposal (when the card has the people for it);
    what the `planted` problem is about is left as it is."""
    if planted != "no_coach" and not any(c.role == "coach" and c.stance != "opponent" for c in acct.contacts):
        others = [c for c in acct.contacts if c.role != "decision_maker" and c.level != "top"]
        if others:
            coach = max(others, key=lambda c: (c.stance == "ally", c.influence))
            coach.role, coach.stance = "coach", "ally"
    deciders = [c for c in acct.contacts if c.role == "decision_maker" or c.level == "top"]
    for c in deciders:
        if c.stance == "opponent":
            c.stance = "neutral"
    top = top_maker(acct)
    if planted not in ("no_ally_at_decision_level", "opposing_decision_maker") and top is not None and not any(
            c.stance == "ally" for c in deciders):
        top.stance = "ally"
    if planted not in ("top_never_met", "top_not_met") and top is not None and any(_stage(o) in PAST_PROPOSAL for o in acct.opportunities):
        if not _met_lately(acct, top.name, today):
            recent = [v for v in acct.visits if 0 <= (today - v["date"]).days <= NOT_MET_DAYS]
            if recent and top.name not in recent[-1]["with"]:
                recent[-1]["with"] = [*recent[-1]["with"], top.name]


def _can(problem: str, acct: Any, today: dt.date) -> bool:
    """Whether the account has what it takes to show `problem` (and only that one)."""
    top = top_maker(acct)
    furthest = _open_index(acct)
    others = [c for c in acct.contacts if c is not top]
    if problem in ("top_never_met", "top_not_met"):
        if top is None or not others or furthest < OPEN_STAGES.index("bidding"):
            return False
        return problem == "top_never_met" or any(
            (today - v["date"]).days > NOT_MET_DAYS + 30 for v in acct.visits)
    if problem in ("opposing_decision_maker", "no_ally_at_decision_level"):
        return top is not None and furthest >= 1
    if problem == "no_coach":
        return furthest >= 1
    if problem == "missing_node":
        return furthest >= 1
    if problem == "stalled":
        latest = max((v["date"] for v in acct.visits if v["date"] <= today), default=None)
        return furthest >= 0 and (latest is None or (today - latest).days > 50)
    return furthest >= 0


def plant(problem: str, acct: Any, today: dt.date, rng: Random) -> None:
    top = top_maker(acct)
    if problem in ("top_never_met", "top_not_met"):
        others = [c.name for c in acct.contacts if c is not top]
        if problem == "top_never_met":
            _replace_in_visits(acct, top.name, others, acct.visits)
        else:
            recent = [v for v in acct.visits if (today - v["date"]).days <= NOT_MET_DAYS]
            _replace_in_visits(acct, top.name, others, recent)
            old = [v for v in acct.visits if (today - v["date"]).days > NOT_MET_DAYS + 30]
            if not any(top.name in v["with"] for v in old):
                old[-1]["with"] = [*old[-1]["with"], top.name]
    elif problem == "opposing_decision_maker":
        top.stance = "opponent"
    elif problem == "no_ally_at_decision_level":
        for c in acct.contacts:
            if (c.role == "decision_maker" or c.level == "top") and c.stance == "ally":
                c.stance = "neutral"
    elif problem == "no_coach":
        for c in acct.contacts:
            if c.role == "coach":
                c.role = "influencer"
    else:
        k = next(i for i, o in enumerate(acct.opportunities) if _stage(o) in OPEN_STAGES
                 and (problem != "missing_node" or OPEN_STAGES.index(_stage(o)) >= 1))
        oid, title, stage, amount, close, since, nodes = acct.opportunities[k]
        if problem == "past_close":
            close = _back(today, rng, 5, 25)
        elif problem == "missing_node":
            nodes = {n: d for n, d in nodes.items() if n != NODES[OPEN_STAGES.index(stage) - 1]}
        else:  # stalled: no stage change for months, and no visit lately either (see _can)
            since = _back(today, rng, 60, 90)
            nodes = {n: min(d, since) for n, d in nodes.items()}
        acct.opportunities[k] = (oid, title, stage, amount, close, since, nodes)


def add_sales(accounts: list[Any], today: dt.date) -> None:
    """Date every deal, link reports_to, make every account sound, then plant the problems."""
    for acct in accounts:
        rng = Random(f"sales/{acct.id}")
        date_deals(acct, today, rng)
        link_reports(acct, rng)
    live = [a for a in accounts if a.status in ("active", "prospect")]
    pool = sorted((a for a in live if a.role not in ("stale", "dormant", "lost")), key=lambda a: a.id)
    Random("sales/plan").shuffle(pool)
    for problem, count in PLANNED.items():
        for _ in range(count):
            acct = next((a for a in pool if _can(problem, a, today)), None)
            if acct is None:
                break
            pool.remove(acct)
            acct.planted = problem
    for acct in live:
        make_sound(acct, today, acct.planted)
        if acct.planted is not None:
            plant(acct.planted, acct, today, Random(f"sales/{acct.id}/{acct.planted}"))
