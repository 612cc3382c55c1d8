"""The course's way of winning a key account: `kacard pipeline` and `kacard people ID`."""

from __future__ import annotations

from typing import Annotated

import typer

from kacard.cli.common import CardIdArg, DirOpt, FormatOpt, TodayOpt, report_problems, run
from kacard.cli.visits import OwnerOpt
from kacard.i18n import _


def register(app: typer.Typer) -> None:
    app.command("pipeline")(pipeline)
    app.command("people")(people)


def pipeline(
    ctx: typer.Context,
    owner: OwnerOpt = None,
    region: Annotated[str | None, typer.Option("--region", help=_("Only accounts whose region contains this "
                                                 "(杭州 matches 华东/杭州)."), show_default=False)] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The six-stage pipeline: per stage count, amount, weighted amount, oldest deal; every open
    deal with days in stage, slipped close dates, stalled deals and missing key nodes
    (table, json, csv, svg funnel).

    Example: kacard pipeline --owner zhangwei --format svg > funnel.svg
    """
    from kacard.analysis.pipeline import pipeline as build
    from kacard.cli.visits import resolve_owner
    from kacard.i18n import _, localize  # localize: the one date formatter (11月23日 周一)
    from kacard.render.pipeline import print_pipeline

    opts = run(ctx, dir, today, format)
    folder = opts.load(summary=True)
    owner = resolve_owner(folder.settings, folder.path, owner, False)  # an id or a name (张伟)
    assert folder.summaries is not None
    report = build([s.brief for s in folder.summaries], folder.settings, opts.today, owner, region)
    title = _("Pipeline on {today}").format(today=localize(opts.today)) + "".join(
        f" · {part}" for part in (owner, region) if part)
    if opts.format == "svg":
        from kacard.render.funnel import funnel_svg

        typer.echo(funnel_svg(report, title), nl=False)
    else:
        print_pipeline(report, opts.format, title)
    report_problems(folder)


def people(
    ctx: typer.Context,
    card_id: CardIdArg,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The account's key people scored and ranked (influence × stance), allies, breadth of
    support, levels and roles covered, who reports to whom, when each was last met, the
    course's warnings and hints (table, json, svg org chart, mermaid).

    Example: kacard people hz-hanmo-water --format mermaid
    """
    from kacard.analysis.hints import team_hints
    from kacard.analysis.people import people_report
    from kacard.cards import brief

    opts = run(ctx, dir, today, format)
    card_id = opts.card_id(card_id)
    folder = opts.load(only=[card_id])
    card = folder.get(card_id).card
    report = people_report(brief.of(card), folder.settings, opts.today)
    if opts.format == "svg":
        from kacard.render.orgchart import org_svg

        typer.echo(org_svg(report), nl=False)
    elif opts.format == "mermaid":
        from kacard.render.orgchart import org_mermaid

        typer.echo(org_mermaid(report), nl=False)
    else:
        from kacard.render.people import print_people

        print_people(report, opts.format, team_hints(folder.settings))
