"""`kacard route`: plan the rep's week of visits, day by day (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from kacard.cli.common import (
    DirOpt,
    FormatOpt,
    TodayOpt,
    parse_clock,
    parse_date,
    report_problems,
    run,
    split_ids,
    today_pinned,
)
from kacard.cli.visits import MineOpt, OwnerOpt, WeekOpt
from kacard.errors import UsageError
from kacard.i18n import _, localize


def register(app: typer.Typer) -> None:
    app.command("route")(route)


def route(
    ctx: typer.Context,
    week: WeekOpt = None,
    day: Annotated[str | None, typer.Option("--day", help=_("Plan one day (YYYY-MM-DD) instead of the week."),
                                            show_default=False)] = None,
    owner: OwnerOpt = None,
    mine: MineOpt = False,
    ids: Annotated[str | None, typer.Option("--ids", help=_("Comma-separated card ids to plan instead of the "
                                            "due list."), show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write the output to this file."),
                                                show_default=False)] = None,
    osrm: Annotated[str | None, typer.Option("--osrm", metavar="URL", help=_("OSRM server for road travel "
                                             "times (default: travel.osrm in kacard.yaml, else haversine)."),
                                             show_default=False)] = None,
    explain: Annotated[str | None, typer.Option("--explain", metavar="ID", help=_("Say why one account is on "
                                                "its day or left out."), show_default=False)] = None,
    now: Annotated[str | None, typer.Option("--now", metavar="HH:MM", help=_("Plan today from this time on "
                                            "(also $KACARD_NOW; default: the clock, unless --today is "
                                            "given)."), show_default=False)] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", metavar="SECONDS", min=0.05, max=600,
                                                     help=_("Planner time (default 0.2 s + 0.02 s a visit, "
                                                     "at most 1 s)."), show_default=False)] = None,
    seed: Annotated[int, typer.Option("--seed", help=_("Planner seed: another seed, another of the "
                                      "equally good plans."))] = 0,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Plan one rep's visit routes for the week (or --day): start and end at the rep's base,
    visits inside each card's visit hours and the workweek, fixed appointments kept, the least
    urgent left out when the week is full. Formats: table, json, geojson, ics, svg.

    With several reps due and no --owner/--mine, kacard asks which rep to plan.

    Example: kacard route --week 2026-W48 --owner zhangwei --format svg --output week.svg
    """
    from kacard.analysis import due as core
    from kacard.analysis.scoring import folder_tiers
    from kacard.cli.visits import resolve_owner, week_start
    from kacard.dates import Week, week_of
    from kacard.planning import route as planner
    from kacard.render import route as render
    from kacard.render.output import note

    opts = run(ctx, dir, today, format)
    if week and day:
        raise UsageError(_("give --week or --day, not both"))
    the_day = parse_date(day, "--day", opts.today) if day else None
    the_week = week_of(the_day) if the_day else Week(week_start(week, opts.today))
    folder = opts.load(summary=True)  # the plan reads briefs (kacard.cards.brief), not card history
    assert folder.summaries is not None
    settings = folder.settings
    who = resolve_owner(settings, folder.path, owner, mine)
    tier_of = folder_tiers(folder, opts.today)
    if ids:
        chosen = [folder.brief(folder.resolve(i) if i.endswith(("…", "...")) else i)  # an id a table cut
                  for i in dict.fromkeys(split_ids(ids))]
        items = core.sort_items(core.assess_each(chosen, tier_of, settings, opts.today, the_week))
    else:
        briefs = [s.brief for s in folder.summaries]
        items = core.due(briefs, settings, opts.today, the_week.start, who, tier_of=tier_of)
    who = planner.choose_owner(items, settings, who)
    items = [i for i in items if ids or i.owner == who]
    clock = _now(ctx, today, now, settings)
    dates = planner.route_days(settings, the_week, opts.today, the_day, now=clock)
    plan = planner.plan_route(items, settings, who, the_week, dates, opts.today,
                              osrm_url=osrm or settings.travel.osrm, now=clock,
                              time_budget_s=time_limit, seed=seed)
    for warning in plan.warnings:
        note(localize(warning))
    if explain is not None:
        _explain(plan, explain, folder, the_week, who)
        return
    text: str | bytes
    if opts.format == "json":
        text = render.json_text(plan)
    elif opts.format == "geojson":
        text = render.geojson_text(plan)
    elif opts.format == "ics":
        from kacard.render.route_ics import route_calendar

        text = route_calendar(plan, opts.today, clock)
    elif opts.format == "svg":
        from kacard.render.route_svg import svg

        text = svg(plan)
    else:
        from kacard.render.output import terminal_width

        text = render.table(plan, terminal_width() if output is None else None)
    if output is not None:
        from kacard.render.files import save

        save(output, text, folder.path)
        note(_("wrote {output} ({count} visit(s), {count2} left out; travel model: {travel_model})").format(output=output, count=len(plan.stops), count2=len(plan.unplanned), travel_model=localize(plan.travel_model)))
    else:
        typer.echo(text.decode("utf-8") if isinstance(text, bytes) else text, nl=False)
    report_problems(folder)


def _now(ctx: typer.Context, today: str | None, now: str | None, settings) -> dt.time | None:  # type: ignore[no-untyped-def]
    """--now, else $KACARD_NOW, else the clock in the team's zone when today is the real date."""
    text = now or os.environ.get("KACARD_NOW")
    if text:
        return parse_clock(text, "--now")
    if today_pinned(ctx, today):
        return None
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.timezone) if settings.timezone else None
    return dt.datetime.now(zone).time().replace(second=0, microsecond=0)


def _explain(plan, account: str, folder, week, who: str) -> None:  # type: ignore[no-untyped-def]
    account = folder.resolve(account)
    if account in plan.candidates:
        from kacard.planning.route_reasons import explain

        typer.echo(explain(plan, account), nl=False)
        return
    card = folder.brief(account)  # CardNotFound (exit 2) for unknown ids
    if card.owner != who:
        why = _("it belongs to {owner}, and this is {who}'s plan").format(owner=card.owner, who=who)
    else:
        why = _("it is not due in {week}").format(week=week.label)
    raise UsageError(_("{account} is not in this plan: {why}; plan it anyway with --ids {account}").format(
        account=account, why=why) + ("" if card.owner == who else f" --owner {who}"))


__all__ = ["register", "route"]
