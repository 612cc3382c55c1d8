"""The manager's instruments: `kacard changes`, `kacard collect`, `kacard plan YEAR`."""

from __future__ import annotations

from typing import Annotated

import typer

from kacard.cli.common import DirOpt, FormatOpt, TodayOpt, report_problems, run
from kacard.cli.visits import MineOpt, OwnerOpt, resolve_owner
from kacard.i18n import _


def register(app: typer.Typer) -> None:
    app.command("changes")(changes)
    app.command("collect")(collect)
    app.command("plan")(plan)


def changes(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help=_("yesterday, today, 7d, a date (YYYY-MM-DD) or a git "
                                                       "revision."))] = "yesterday",
    owner: OwnerOpt = None,
    mine: MineOpt = False,
    tiers: Annotated[bool, typer.Option("--tiers", help=_("Also computed tier changes (scores the folder as it "
                                                        "was then and now)."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """What changed in the folder since yesterday, per rep, from git history: visits logged (with
    next steps), invoices and payments, churn signals, new or removed accounts, tier pins,
    handovers, edited cards. The manager's morning digest.

    Example: kacard changes --since 2026-11-23 --owner zhangwei
    """
    from kacard.cards.parse import load_settings
    from kacard.render.manager import print_changes
    from kacard.team import changes as core
    from kacard.team.history import resolve_since

    opts = run(ctx, dir, today, format)
    path = opts.folder()
    settings = load_settings(path)
    who = resolve_owner(settings, path, owner, mine)
    since = resolve_since(path, since, opts.today)
    digest = core.digest(path, since, settings, who)
    found = list(digest.changes)
    if tiers:
        found += _tier_changes(opts, since.base, who)
    print_changes(digest, found, opts.format)
    from kacard.render.output import note

    for problem in digest.problems:
        note(_("skipped an unreadable version: {problem}").format(problem=problem))


def _tier_changes(opts, base: str | None, who: str | None) -> list:  # type: ignore[no-untyped-def]
    import tempfile
    from pathlib import Path

    from kacard.analysis.scoring import folder_tiers
    from kacard.cards.store import load_folder
    from kacard.team.changes import tier_changes
    from kacard.team.history import materialize

    now = opts.load(summary=True)
    tiers_now = folder_tiers(now, opts.today)
    if base is None:
        return []
    with tempfile.TemporaryDirectory(prefix="kacard-then-") as tmp:
        then_path = materialize(now.path, base, Path(tmp))
        then = load_folder(then_path, opts.today, summary=True)
        tiers_then = folder_tiers(then, opts.today)
    assert now.summaries is not None
    owners = {s.brief.id: s.brief.owner for s in now.summaries}
    return tier_changes(tiers_then, tiers_now, owners, opts.today, who)


def collect(
    ctx: typer.Context,
    owner: OwnerOpt = None,
    mine: MineOpt = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Collections and credit: unpaid invoices in collection order (overdue first, this week),
    sales vs collections per rep and region, and the credit policy's advice (reduce / grow).

    Example: kacard collect --owner zhangwei --format csv > collect.csv
    """
    from kacard.analysis.collect import collect as build
    from kacard.render.manager import print_collect

    opts = run(ctx, dir, today, format)
    folder = opts.load()
    who = resolve_owner(folder.settings, folder.path, owner, mine)
    report = build([c.card for c in folder.cards], folder.settings, opts.today, who)
    print_collect(report, opts.format, folder.settings.currency)
    report_problems(folder)


def plan(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help=_("The plan's year, e.g. 2027."), min=2000, max=2100, metavar="YEAR")],
    progress: Annotated[bool, typer.Option("--progress", help=_("Actual vs target to date, with the gap."))] = False,
    init: Annotated[bool, typer.Option("--init", help=_("Write the proposed targets to plans/YEAR.yaml (never "
                                                      "over an existing one)."))] = False,
    owner: OwnerOpt = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The annual regional sales plan (年度区域销售计划): per rep and region, last year's actual,
    run rate, key accounts by tier, weighted pipeline and a target (set in plans/YEAR.yaml, else
    proposed by the rules in kacard.yaml).

    Example: kacard plan 2027 --init ; kacard plan 2026 --progress
    """
    from kacard.analysis.plan import annual_plan
    from kacard.analysis.scoring import tiers as card_tiers
    from kacard.cards.plans import load_targets
    from kacard.render.manager import print_plan

    opts = run(ctx, dir, today, format)
    folder = opts.load()
    cards = [c.card for c in folder.cards]
    if owner is not None:
        owner = resolve_owner(folder.settings, folder.path, owner, False)
    targets = None if init else load_targets(folder.path, year)
    result = annual_plan(cards, folder.settings, year, opts.today, card_tiers(cards, folder.settings, opts.today),
                         targets, owner)
    if init:
        _write_targets(folder.path, result)
    print_plan(result, opts.format, progress, folder.settings.currency)
    report_problems(folder)


def _write_targets(path, result) -> None:  # type: ignore[no-untyped-def]
    from kacard.analysis.plan import targets_document
    from kacard.cards.plans import write_targets
    from kacard.render.output import note

    target = write_targets(path, result.year, _("# Annual sales plan targets (年度区域销售计划). Edit the figures; "
                                   "kacard plan {year} --progress compares them with the actual.\n").format(
        year=result.year), targets_document(result))
    note(_("wrote {path}").format(path=target.relative_to(path)))
