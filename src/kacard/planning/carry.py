"""What a rep carries on the road for a week (issue 20, SPEC §9 `kacard site`): per rep,
the week's due list (kacard.analysis.due, as `kacard due`) and the week's route (kacard.
planning.route, as `kacard route`), with the reason when no route can be planned.

Pure core: the briefs, settings, tiers and dates come in; `RepWeek`s come out. Nothing is
printed; the route planner alone may reach the OSRM server the team named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kacard.analysis import due as core
from kacard.analysis.due import DueItem
from kacard.cards.model.settings import Settings
from kacard.dates import Week
from kacard.errors import UsageError
from kacard.planning import route as planner
from kacard.planning.route import RoutePlan


@dataclass(frozen=True)
class RepWeek:
    owner: str
    name: str  # the rep's name (the id when the team lists none)
    items: tuple[DueItem, ...]  # due this week, most urgent first
    plan: RoutePlan | None  # None when no route can be planned (`note` says why)
    note: str = ""


def rep_weeks(briefs: Sequence[object], settings: Settings, today: dt.date, week: Week,
              owners: Sequence[str], tier_of: Mapping[str, str]) -> list[RepWeek]:
    """One `RepWeek` per owner in `owners`, in that order. `briefs` are the folder's card
    briefs (kacard.cards.brief); the route covers the week's working days from `today` on
    (as `kacard route`), so today's visits come first."""
    items = core.due(briefs, settings, today, week.start, None, tier_of=tier_of)  # type: ignore[arg-type]
    out = []
    for owner in owners:
        mine = tuple(i for i in items if i.owner == owner)
        rep = settings.rep(owner)
        plan, note = None, ""
        try:
            dates = planner.route_days(settings, week, today)
            plan = planner.plan_route(mine, settings, owner, week, dates, today, osrm_url=settings.travel.osrm)
        except UsageError as exc:  # no working day left, no base for the rep ...
            note = exc.message
        out.append(RepWeek(owner, (rep.name if rep and rep.name else owner), mine, plan, note))
    return out


__all__ = ["RepWeek", "rep_weeks"]
