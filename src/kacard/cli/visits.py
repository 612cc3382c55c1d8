"""The weekly visit workflow: due, review, brief."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacard.cli.common import (
    AsOfOpt,
    DirOpt,
    FormatOpt,
    Run,
    TodayOpt,
    parse_week,
    report_problems,
    run,
    split_ids,
)
from kacard.errors import UsageError
from kacard.i18n import _, label

if TYPE_CHECKING:
    from kacard.cards.model.settings import Settings
    from kacard.cards.store import Folder

WeekOpt = Annotated[
    str | None,
    typer.Option("--week", "-w", help=_("ISO week like 2026-W48 (default: the week containing today)."),
                 show_default=False),
]
OwnerOpt = Annotated[str | None, typer.Option("--owner", help=_("Only this rep's accounts (a rep's id or name)."),
                                              show_default=False)]
MineOpt = Annotated[bool, typer.Option("--mine", help=_("Only my accounts: $KACARD_USER, else git user.email "
                                                      "matched to the team's emails."))]


def register(app: typer.Typer) -> None:
    app.command("due")(due)
    app.command("review")(review)
    app.command("brief")(brief)


def week_start(week: str | None, today: dt.date) -> dt.date:
    from kacard.dates import monday_of

    return parse_week(week) if week else monday_of(today)


def git_email(cwd: Path) -> str | None:
    """git's user.email (None when git is missing or it is not set)."""
    from kacard.team.gitsetup import run_git

    try:
        done = run_git(cwd, "config", "user.email", timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    email = done.stdout.strip()
    return email if done.returncode == 0 and email else None


def current_rep(settings: Settings, folder: Path) -> str:
    """The rep running kacard: $KACARD_USER (a rep id or e-mail), else git's user.email
    matched (case-insensitively) to a team member's email."""
    by_email = {rep.email.lower(): rep.id for rep in settings.team if rep.email}
    ids = [rep.id for rep in settings.team]
    user = os.environ.get("KACARD_USER", "").strip()
    if user:
        if user in ids or not ids:
            return user
        if user.lower() in by_email:
            return by_email[user.lower()]
        raise UsageError(_("$KACARD_USER={user!r} is not a rep of the team; team: {value}").format(user=user, value=', '.join(ids)))
    email = git_email(folder)
    if email is None:
        raise UsageError(_("--mine needs to know who you are: set $KACARD_USER to your rep id, or set "
                         "`git config user.email` to the email listed for you in kacard.yaml team"))
    if email.lower() in by_email:
        return by_email[email.lower()]
    raise UsageError(_("git user.email {email!r} matches no rep's email in kacard.yaml team; add `email:` to your team entry or set $KACARD_USER").format(email=email))


def resolve_owner(settings: Settings, folder: Path, owner: str | None, mine: bool) -> str | None:
    """--owner REP or --mine (not both); unknown reps are refused with the team list."""
    from kacard.cards.reps import rep_id

    if owner and mine:
        raise UsageError(_("give --owner or --mine, not both"))
    chosen = current_rep(settings, folder) if mine else owner
    return rep_id(settings, chosen, role="owner") if chosen is not None else None


TERMINAL_ROWS = 30  # the due list a terminal shows without --all (the most urgent first)


def _redact_item(item):  # type: ignore[no-untyped-def]
    """A due item whose reasons' texts (which quote next steps and notes) are scrubbed."""
    from kacard.privacy import scrub

    return replace(item, reasons=tuple(replace(r, text=scrub(r.text)) for r in item.reasons))


def due(
    ctx: typer.Context,
    week: WeekOpt = None,
    owner: OwnerOpt = None,
    mine: MineOpt = False,
    explain: Annotated[str | None, typer.Option("--explain", metavar="ID",
                                                help=_("Show how one account's urgency adds up."))] = None,
    as_of: AsOfOpt = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Every due account (a terminal shows the 30 most "
                                                       "urgent and counts the rest)."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Accounts to visit this week, every reason, most urgent first (table, json, csv, ics).

    Example: kacard due --week 2026-W48 --owner zhangwei --format ics > week.ics
    """
    from kacard.analysis import due as core
    from kacard.analysis.scoring import folder_tiers
    from kacard.dates import Week
    from kacard.render import report

    opts = run(ctx, dir, today, format, as_of=as_of)
    start = week_start(week, opts.today)
    the_week = Week(start)
    if explain is None and opts.format != "ics":
        _due_list(opts, start, owner, mine, all_)
        return
    folder = opts.load(summary=True)  # the list itself needs no card history
    who = resolve_owner(folder.settings, folder.path, owner, mine)
    tier_of = folder_tiers(folder, opts.today)
    if explain is not None:
        from kacard.render.output import dumps_json

        explain = opts.card_id(explain)
        card = opts.load(only=[explain]).get(explain).card
        tier = tier_of.get(card.id) or card.tier or "C"
        item = core.assess(card, tier, folder.settings, opts.today, the_week)
        if card.status not in core.CONSIDERED_STATUSES:
            item = replace(item, reasons=(), terms=(), urgency=0.0)
        if opts.format == "json":
            typer.echo(dumps_json(report.explain_json(item, the_week)))
        else:
            text = report.explain_text(item, the_week)
            if card.status not in core.CONSIDERED_STATUSES:
                text += _("(status {status}: only active and prospect accounts are considered)").format(
                    status=label("status", card.status)) + "\n"
            typer.echo(text, nl=False)
        return
    assert folder.summaries is not None
    briefs = [s.brief for s in folder.summaries]
    items = core.due(briefs, folder.settings, opts.today, start, who, tier_of=tier_of)
    from kacard.render.ics import due_calendar

    typer.echo(due_calendar(items, the_week, opts.today).decode("utf-8"), nl=False)
    report_problems(folder)


def _due_list(opts: Run, start: dt.date, owner: str | None, mine: bool, all_: bool) -> None:
    """`due` as a table, json or csv: the week's rows for every owner, kept for the day
    (cli/daily.py), then the owner's."""
    from kacard.analysis.due import check_owner
    from kacard.cli.daily import due_rows
    from kacard.dates import Week
    from kacard.render.output import is_terminal, note
    from kacard.render.report import print_due_rows, week_text

    folder, rows = due_rows(opts, start, opts.format)
    who = resolve_owner(folder.settings, folder.path, owner, mine)
    if who is not None:
        check_owner(folder.settings, who)
        rows = [row for row in rows if row["owner"] == who]
    title = (_("Due {week} · {owner} · {count} account(s)") if who else _("Due {week} · {count} account(s)")
             ).format(week=week_text(Week(start)), owner=who, count=len(rows))
    shown = rows
    if opts.format == "table" and not all_ and len(rows) > TERMINAL_ROWS and is_terminal():
        shown = rows[:TERMINAL_ROWS]
    print_due_rows(shown, opts.format, title, one_rep=who is not None)
    if len(shown) < len(rows):
        note(_("… and {count} less urgent account(s): kacard due --all lists every one").format(
            count=len(rows) - len(shown)))
    report_problems(folder)


def review(
    ctx: typer.Context,
    week: WeekOpt = None,
    owner: OwnerOpt = None,
    as_of: AsOfOpt = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The manager's weekly review per rep: completeness, overdue visits, missing next steps,
    overdue receivables by age, churn signals, stale cards — and who needs help.

    Example: kacard review --format md > review.md
    """
    opts = run(ctx, dir, today, format, as_of=as_of)
    start = week_start(week, opts.today)
    if as_of is None:  # kept for the day (cli/daily.py), with the year's plan file as read
        from kacard.cards.plans import PLANS_FOLDER
        from kacard.cli.daily import day_output, file_state

        plan = file_state(opts.folder() / PLANS_FOLDER / f"{opts.today.year}.yaml")
        day_output(opts, "review", (start, owner, opts.format, plan),
                   lambda walked: _review(opts, start, owner, opts.load(summary=True, upkeep=True, walked=walked)))
        return
    _review(opts, start, owner, opts.load(summary=True, upkeep=True))


def _review(opts: Run, start: dt.date, owner: str | None, folder: Folder) -> None:
    """`review` of a folder loaded with each card's brief, index and upkeep."""
    from kacard.analysis.review import review as build
    from kacard.cards.plans import load_targets
    from kacard.render.report import print_review

    if owner is not None:
        owner = resolve_owner(folder.settings, folder.path, owner, False)
    targets = load_targets(folder.path, opts.today.year)
    # the plan's lines (plans/YEAR.yaml) read opportunities: whole cards, only when a plan is set
    plan_cards = [c.card for c in opts.load().cards] if targets is not None else None
    result = build(folder.summaries or [], folder.settings, opts.today, start, owner,
                   targets=targets, plan_cards=plan_cards)
    print_review(result, opts.format, folder.settings.currency)
    report_problems(folder)


def brief(
    ctx: typer.Context,
    week: WeekOpt = None,
    owner: OwnerOpt = None,
    mine: MineOpt = False,
    ids: Annotated[str | None, typer.Option("--ids", help=_("Comma-separated card ids instead of the due list."),
                                            show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write the document to this file."),
                                                show_default=False)] = None,
    redact: Annotated[bool, typer.Option("--redact", help=_("For sharing: mask phones, e-mails and every "
                                           "personal identifier in the text."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The briefs of the accounts a rep visits this week, as one printable document (md or html).

    Example: kacard brief --owner zhangwei --format html --output briefs.html
    """
    from kacard.analysis import due as core
    from kacard.analysis.scoring import folder_tiers
    from kacard.cli.briefs import brief_datas
    from kacard.dates import Week
    from kacard.render.brief import redact_brief
    from kacard.render.output import note
    from kacard.render.report import briefs_html, briefs_markdown

    opts = run(ctx, dir, today, format)
    start = week_start(week, opts.today)
    folder = opts.load(summary=True)  # the due list from the rows; each due card from its kept page
    assert folder.summaries is not None
    settings = folder.settings
    who = resolve_owner(settings, folder.path, owner, mine)
    the_week = Week(start)
    tier_of = folder_tiers(folder, opts.today)
    if ids:
        chosen = [folder.brief(i) for i in split_ids(ids)]
        items = core.assess_each(chosen, tier_of, settings, opts.today, the_week)
    else:
        briefs = [s.brief for s in folder.summaries]
        items = core.due(briefs, settings, opts.today, start, who, tier_of=tier_of)
    entries = list(zip(brief_datas(opts, folder, items), items, strict=True))  # from kept pages (cli/briefs.py)
    if redact:
        entries = [(redact_brief(data), _redact_item(item)) for data, item in entries]
    rep = settings.rep(who) if who else None
    from kacard.render.report import week_text

    title = _("Visit briefs {week}").format(week=week_text(the_week))
    if who:
        title += f" · {rep.name if rep else who}"
    render = briefs_html if opts.format == "html" else briefs_markdown
    document = render(title, entries, settings.currency)
    if output is not None:
        from kacard.render.files import save

        save(output, document, folder.path)
        note(_("wrote {output} ({count} brief(s))").format(output=output, count=len(entries)))
    else:
        typer.echo(document, nl=False)
    report_problems(folder)
