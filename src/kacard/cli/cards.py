"""Everyday commands: init, new, show, list, filter, validate, edit, log, schema."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from kacard.cli.common import DirOpt, FormatOpt, TodayOpt, parse_date, report_problems, run
from kacard.errors import ProblemsFound, UsageError
from kacard.i18n import _


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("new")(new)
    app.command("show")(show)
    app.command("list")(list_cards)
    app.command("filter")(filter_cards)
    app.command("validate")(validate)
    app.command("edit")(edit)
    app.command("log")(log)
    app.command("schema")(schema)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def init(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help=_("Folder to set up (default: --dir or the current folder)."))] = None,
    rep: Annotated[list[str] | None, typer.Option("--rep", help=_("A rep as ID=NAME (repeatable), e.g. zhangwei=张伟."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Make a card folder: kacard.yaml, the card schema for editors, .gitattributes.

    Example: kacard init cards --rep zhangwei=张伟 --rep lina=李娜
    """
    from kacard.team.folder_setup import init_folder

    opts = run(ctx, dir, today, format)
    target = path or opts.dir_option or Path.cwd()
    reps = []
    for item in rep or []:
        if "=" not in item:
            raise UsageError(_("--rep must be ID=NAME, not {item!r}").format(item=item))
        rep_id, name = item.split("=", 1)
        reps.append((rep_id.strip(), name.strip()))
    for line in init_folder(target, reps):
        typer.echo(line)


def new(
    ctx: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="ID", help=_("Slug for the account, e.g. hz-xinghe-gas."))],
    name: Annotated[str | None, typer.Option(help=_("Account name, e.g. 杭州星河纺织有限公司."))] = None,
    owner: Annotated[str | None, typer.Option(help=_("Rep id from kacard.yaml team."))] = None,
    status: Annotated[str, typer.Option(help=_("prospect|active|dormant|lost."))] = "prospect",
    tier: Annotated[str | None, typer.Option(help=_("Pin a tier S|A|B|C (default: computed)."))] = None,
    industry: Annotated[str | None, typer.Option()] = None,
    sector: Annotated[str | None, typer.Option(help=_("government|soe|foreign|private|public_institution|finance."))] = None,
    region: Annotated[str | None, typer.Option(help=_("e.g. 华东/杭州."))] = None,
    address: Annotated[str | None, typer.Option()] = None,
    lat: Annotated[float | None, typer.Option(help=_("Latitude of the site."))] = None,
    lon: Annotated[float | None, typer.Option(help=_("Longitude of the site."))] = None,
    since: Annotated[str | None, typer.Option(help=_("On the books since YYYY-MM-DD (default: today)."))] = None,
    visit_minutes: Annotated[int | None, typer.Option(help=_("Minutes a visit takes (default 45)."))] = None,
    tag: Annotated[list[str] | None, typer.Option(help=_("Tag (repeatable)."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Create a card. Prompts for name and owner on a terminal; fully scriptable with options.

    Example: kacard new hz-xinghe-gas --name 杭州星河纺织有限公司 --owner zhangwei --lat 30.27 --lon 120.15
    """
    from kacard.cards.editing import new_card_text
    from kacard.cards.paths import check_id
    from kacard.cards.store import create_card, load_settings
    from kacard.team.folder_setup import schema_hint

    opts = run(ctx, dir, today, format)
    folder = opts.folder()
    check_id(card_id)
    settings = load_settings(folder)
    if name is None and _interactive():
        name = typer.prompt(_("Account name"))
    if owner is None and _interactive():
        choices = ", ".join(r.id for r in settings.team)
        owner = typer.prompt(f"Owner ({choices})" if choices else "Owner (rep id)")
    missing = [opt for opt, value in (("--name", name), ("--owner", owner)) if not value]
    if missing:
        raise UsageError(_("missing {value} (no terminal to ask on)").format(value=' and '.join(missing)))
    team = {r.id for r in settings.team}
    if team and owner not in team:
        raise UsageError(_("unknown owner {owner!r}; team: {value}").format(owner=owner, value=', '.join(sorted(team))))
    if (lat is None) != (lon is None):
        raise UsageError(_("give both --lat and --lon, or neither"))
    fields = {
        "id": card_id, "name": name, "status": status, "owner": owner, "tier": tier,
        "industry": industry, "sector": sector, "region": region, "address": address,
        "location": {"lat": lat, "lon": lon} if lat is not None else None,
        "visit_minutes": visit_minutes,
        "since": parse_date(since, "--since") if since else opts.today,
        "tags": list(tag or []),
    }
    path = create_card(folder, card_id, new_card_text(fields, schema_hint(folder, folder / f"{card_id}.yaml")))
    typer.echo(_("created {value}").format(value=path.relative_to(folder)))


def show(
    ctx: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="ID")],
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The card as a one-page brief: key people, last visits, open next step, receivables, signals.

    Example: kacard show hz-xinghe-gas
    """
    from kacard.render.brief import brief_data, print_brief

    opts = run(ctx, dir, today, format, formats=("table", "json", "md"))
    folder = opts.load(only=[card_id])
    loaded = folder.get(card_id)
    data = brief_data(loaded.card, folder.settings, opts.today)
    print_brief(data, opts.format)


def _rows(folder, today: dt.date) -> list[dict]:  # type: ignore[no-untyped-def]
    from kacard.analysis.scoring import folder_tiers
    from kacard.render.listing import card_rows

    tier_of = folder_tiers(folder, today)
    if folder.summaries is not None:
        briefs = [s.brief for s in folder.summaries]
        indexes = {s.brief.id: s.card_index for s in folder.summaries}
        return card_rows(briefs, folder.settings, today, tier_of, indexes)
    return card_rows([c.card for c in folder.cards], folder.settings, today, tier_of)


def list_cards(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help=_("Only this rep's cards."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """List every card (id, name, owner, status, tier, region, last visit, next step).

    Example: kacard list --owner zhangwei --format csv
    """
    from kacard.render.listing import print_rows

    opts = run(ctx, dir, today, format)
    folder = opts.load(summary=True)
    rows = [r for r in _rows(folder, opts.today) if owner is None or r["owner"] == owner]
    print_rows(rows, opts.format)
    report_problems(folder)


def filter_cards(
    ctx: typer.Context,
    conditions: Annotated[list[str], typer.Argument(help=_("Conditions, ANDed: tier=A region~杭州 'revenue>1000000'."))],
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Cards matching every condition. Operators: = != ~ (contains) !~ > >= < <=.

    Example: kacard filter tier=A region~杭州 'revenue>1000000'
    """
    from kacard.analysis.query import matches_all, parse_all
    from kacard.render.listing import print_rows

    opts = run(ctx, dir, today, format)
    parsed = parse_all(conditions)
    folder = opts.load(summary=True)
    rows = [r for r in _rows(folder, opts.today) if matches_all(parsed, r)]
    print_rows(rows, opts.format)
    report_problems(folder)


def validate(
    ctx: typer.Context,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Check every card; print every problem as file:line:col: field: message (exit 1 if any).

    Example: kacard validate --format json
    """
    from kacard.errors import problem_order
    from kacard.render.output import dumps_json, note
    from kacard.team.validation import folder_checks, location_warnings

    opts = run(ctx, dir, today, format, formats=("table", "json"))
    folder = opts.load()
    far = location_warnings(((c.rel, c.card.location) for c in folder.cards), folder.settings)
    problems = sorted(folder.problems + folder_checks(folder.path) + far, key=problem_order)
    errors = [p for p in problems if p.severity == "error"]
    if opts.format == "json":
        typer.echo(dumps_json([p.as_json() for p in problems]))
    else:
        for problem in problems:
            typer.echo(str(problem))
    warnings = len(problems) - len(errors)
    note(
        _("{files} card file(s) checked in {path}: {count} valid, {count2} problem(s), {warnings} warning(s)").format(files=folder.files, path=folder.path, count=len(folder.cards), count2=len(errors), warnings=warnings)
    )
    if errors:
        raise ProblemsFound(_("{count} problem(s) found").format(count=len(errors)))


def edit(
    ctx: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="ID")],
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Open the card in $EDITOR; it is saved only once it validates (re-opened on error).

    Example: kacard edit hz-xinghe-gas   (EDITOR=nano to choose the editor)
    """
    from kacard.cards.edit_session import edit_card

    opts = run(ctx, dir, today, format)
    folder = opts.load(only=[card_id])
    loaded = folder.get(card_id)
    def edit_again(problems: list) -> bool:  # type: ignore[type-arg]
        for problem in problems:
            typer.echo(str(problem), err=True)
        return typer.confirm(_("The card is invalid and was not saved. Edit again?"), default=True)

    if edit_card(folder.path, loaded, folder.settings, edit_again=edit_again if _interactive() else None):
        typer.echo(_("saved {rel}").format(rel=loaded.rel))
    else:
        typer.echo(_("no changes"))


def log(
    ctx: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="ID")],
    summary: Annotated[str | None, typer.Option(help=_("What happened (asked for on a terminal)."))] = None,
    date: Annotated[str | None, typer.Option(help=_("Visit date (default: today)."))] = None,
    kind: Annotated[str, typer.Option(help=_("visit|call|meeting|event|gift|complaint."))] = "visit",
    with_: Annotated[list[str] | None, typer.Option("--with", help=_("Person met (repeatable)."))] = None,
    by: Annotated[str | None, typer.Option(help=_("Rep id (default: the card's owner)."))] = None,
    next_date: Annotated[str | None, typer.Option(help=_("Date of the next step."))] = None,
    next_time: Annotated[str | None, typer.Option(help=_("Time of the next step, HH:MM (a fixed appointment)."))] = None,
    next_action: Annotated[str | None, typer.Option(help=_("What the next step is."))] = None,
    no_next: Annotated[str | None, typer.Option(help=_("Why there is deliberately no next step."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Log a visit, always with the next step (every visit prepares the next one).

    Example: kacard log hz-xinghe-gas --summary 讨论三号线方案 --with 王建国 --next-date 2026-12-01 --next-action 带工程师现场讲解
    """
    from kacard.cards.editing import log_visit, visit_record
    from kacard.cards.store import update_card

    opts = run(ctx, dir, today, format)
    folder = opts.load(only=[card_id])
    loaded = folder.get(card_id)
    visit_date = parse_date(date, "--date") if date else opts.today
    if visit_date > opts.today:
        raise UsageError(_("--date {visit_date} is after today ({today}); log a visit once it has happened").format(visit_date=visit_date, today=opts.today))
    if summary is None and _interactive():
        summary = typer.prompt(_("Summary"))
    if not summary:
        raise UsageError(_("--summary is required"))
    if no_next is None and (next_date is None or not next_action):
        if _interactive():
            typer.echo(_("Every visit should prepare the next one (下一步的行动安排)."))
            next_date = next_date or typer.prompt(_("Next step date (YYYY-MM-DD)"))
            next_action = next_action or typer.prompt(_("Next step action"))
        else:
            raise UsageError(
                _("a visit needs its next step: --next-date D --next-action TEXT "
                "(or --no-next REASON when there is deliberately none)")
            )
    if no_next is not None and (next_date or next_action):
        raise UsageError(_("give either a next step or --no-next, not both"))
    parsed_next = parse_date(next_date, "--next-date") if next_date else None
    parsed_time = None
    if next_time:
        try:
            parsed_time = dt.time.fromisoformat(next_time)
        except ValueError:
            raise UsageError(_("--next-time must be HH:MM, not {next_time!r}").format(next_time=next_time)) from None
    if parsed_next is not None and parsed_next < visit_date:
        raise UsageError(_("the next step ({parsed_next}) is dated before the visit ({visit_date})").format(parsed_next=parsed_next, visit_date=visit_date))
    who = by or loaded.card.owner
    team = {r.id for r in folder.settings.team}
    if team and who not in team:
        raise UsageError(_("unknown rep {who!r} for --by; team: {value}").format(who=who, value=', '.join(sorted(team))))
    record = visit_record(
        visit_date, summary, by=who, kind=kind, with_=list(with_ or []), next_date=parsed_next,
        next_time=parsed_time, next_action=next_action, no_next=no_next,
    )
    update_card(folder.path, loaded, log_visit(record))
    step = f"next: {parsed_next} {next_action}" if parsed_next else f"no next step: {no_next}"
    typer.echo(_("logged {kind} on {visit_date} to {rel} ({step})").format(kind=kind, visit_date=visit_date, rel=loaded.rel, step=step))


def schema(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help=_("Folder to write the schema files into."))] = Path("schemas"),
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Write the JSON Schemas of cards and kacard.yaml (for editors and other tools).

    Example: kacard schema --out schemas
    """
    from kacard.cards.schemas import write_schemas

    run(ctx, dir, today, format)
    for path in write_schemas(out):
        typer.echo(_("wrote {path}").format(path=path))
