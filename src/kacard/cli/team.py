"""Working as a team: git-setup, the git merge driver (hidden), handover, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacard.cli.common import DirOpt, FormatOpt, TodayOpt, parse_date, report_problems, run, split_ids
from kacard.errors import UsageError
from kacard.i18n import _, localize

if TYPE_CHECKING:
    from kacard.cards.store import Folder


def register(app: typer.Typer) -> None:
    app.command("git-setup")(git_setup)
    app.command("merge-driver", hidden=True)(merge_driver)
    app.command("handover")(handover)
    app.command("export")(export)


def git_setup(
    ctx: typer.Context,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Set up this clone for the team: .gitattributes and the kacard merge driver (run once per clone).

    Example: kacard git-setup   (right after `git clone ...` and `cd` into the clone)
    """
    from kacard.team.gitsetup import git_setup as setup

    opts = run(ctx, dir, today, format)
    for line in setup(opts.folder()):
        typer.echo(line)


def merge_driver(
    base: Annotated[Path, typer.Argument(help=_("git's %O: the common ancestor."))],
    ours: Annotated[Path, typer.Argument(help=_("git's %A: our version; the result is written here."))],
    theirs: Annotated[Path, typer.Argument(help=_("git's %B: their version."))],
    path: Annotated[str, typer.Argument(help=_("git's %P: the card's path in the repository."))] = "",
) -> None:
    """Three-way, field-aware merge of one card (git runs this; see `kacard git-setup`).

    Example: git config merge.kacard.driver "kacard merge-driver -- %O %A %B %P"
    """
    from kacard.errors import Problem
    from kacard.team.gitsetup import merge_text
    from kacard.team.merge import WHOLE_FILE, MergeConflict, is_card_path
    from kacard.team.mergefile import merge_files

    if path and not is_card_path(path):  # kacard.yaml, hidden files: git's own line merge
        if merge_text(base, ours, theirs) != 0:
            raise MergeConflict(_("{path}: conflict (line merge); resolve the marked lines").format(path=path))
        return
    result = merge_files(base, ours, theirs, path)
    if not result.clean:
        name = path or "card"
        problems = [Problem(name, None, None, _("(whole file)") if c.path == WHOLE_FILE else c.path,
                            localize(c.reason)) for c in result.conflicts] + result.problems
        raise MergeConflict(
            _("{name}: {count} conflict(s); markers written — resolve them, run `kacard validate`, then "
              "`git add`").format(name=name, count=len(result.conflicts)), problems,
        )


def handover(
    ctx: typer.Context,
    from_rep: Annotated[str, typer.Argument(metavar="FROM", help=_("Rep handing over (id or name)."))],
    to_rep: Annotated[str, typer.Argument(metavar="TO", help=_("Rep taking over (id or name)."))],
    ids: Annotated[str | None, typer.Option("--ids", help=_("Only these cards, comma-separated (default: all of FROM's)."))] = None,
    reason: Annotated[str | None, typer.Option(help=_("Why, e.g. 离职 or 区域调整."))] = None,
    date: Annotated[str | None, typer.Option(help=_("Handover date (default: today)."))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show which cards would move; write nothing."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Hand FROM's accounts to TO: new owner, a handovers record on each card, the brief TO needs.

    Example: kacard handover zhangwei lina --reason 离职
    """
    from kacard.team.handover import apply_handover, plan_handover
    from kacard.render.brief import brief_data, brief_markdown
    from kacard.render.output import dumps_json, note
    from kacard.render.safe import markdown_text as md

    opts = run(ctx, dir, today, format)
    folder = opts.load()
    chosen = split_ids(ids) if ids else None
    when = parse_date(date, "--date", opts.today, past=True) if date else opts.today
    plan = plan_handover(folder, from_rep, to_rep, ids=chosen, reason=reason, date=when)
    if dry_run:
        _print_dry_run(plan, opts.format)
        return
    cards = apply_handover(folder, plan)
    from_rep, to_rep = plan.from_rep, plan.to_rep  # ids, also when named by name
    briefs = [brief_data(card, folder.settings, opts.today, last_visits=2) for card in cards]
    if opts.format == "json":
        typer.echo(dumps_json({"from": from_rep, "to": to_rep, "date": when, "reason": plan.reason,
                               "cards": briefs}))
    else:
        from kacard.i18n import localize

        lines = ["# " + _("Handover {from_rep} → {to_rep}").format(from_rep=md(from_rep), to_rep=md(to_rep)), "",
                 _("Handed over {count} card(s) from {from_rep} to {to_rep} on {date}.").format(
                     count=len(cards), from_rep=md(from_rep), to_rep=md(to_rep), date=localize(when))
                 + (_(" Reason: {reason}").format(reason=md(plan.reason)) if plan.reason else "")]
        for data in briefs:  # each card's brief, one heading level down
            brief = brief_markdown(data, folder.settings.currency).rstrip("\n").split("\n")
            lines += ["", *("#" + line if line.startswith("#") else line for line in brief)]
        typer.echo("\n".join(lines))
    if plan.done:
        note(_("already handed over to {rep} earlier: {ids}").format(
            rep=to_rep, ids=", ".join(c.card.id for c in plan.done)))
    if not cards and not plan.done:
        note(_("{from_rep} owns no cards here; nothing was handed over").format(from_rep=from_rep))
    report_problems(folder)


def _print_dry_run(plan, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """What `handover` would do: each card that would move, and nothing written."""
    from kacard.render.output import dumps_json, note
    from kacard.text import clean

    cards = [{"id": c.card.id, "name": c.card.name, "file": c.rel} for c in plan.cards]
    if fmt == "json":
        typer.echo(dumps_json({"dry_run": True, "from": plan.from_rep, "to": plan.to_rep, "date": plan.date,
                               "reason": plan.reason, "cards": cards}))
    else:
        typer.echo(_("Would hand over {n} card(s) from {source} to {target} on {date}:").format(
            n=len(cards), source=plan.from_rep, target=plan.to_rep, date=localize(plan.date)))
        for card in cards:
            typer.echo(f"  {card['id']}  {clean(card['name'])}  ({card['file']})")
    note(_("dry run: nothing was written"))


def export(
    ctx: typer.Context,
    redact: Annotated[bool, typer.Option("--redact", help=_("Mask contacts' phones, e-mails, birthdays and notes."))] = False,
    table: Annotated[str | None, typer.Option(
        help=_("One table of records: cards, contacts, visits, trades, opportunities, signals, handovers "
             "(default: whole cards for json, cards for csv)."))] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write to this file instead of stdout."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Export every card as JSON (default), a CSV table or an Excel workbook; --redact for sharing outside the team.

    Example: kacard export --format xlsx --output cards.xlsx
    """
    from kacard.team.export import TABLES, export_cards
    from kacard.cards.paths import check_output
    from kacard.render.files import save
    from kacard.render.output import Column, csv_text, dumps_json, note

    opts = run(ctx, dir, today, format)
    if table is not None and table not in TABLES:
        raise UsageError(_("--table must be one of {value}, not {table!r}").format(value=', '.join(TABLES), table=table))
    if opts.format == "csv" and table is None:
        table = "cards"
    folder = opts.load()
    if output is not None:
        check_output(folder.path, output)  # before the work: a refused path costs nothing
    if opts.format == "xlsx":
        _export_xlsx(folder, output, table, redact)
        return
    result = export_cards([c.card for c in folder.cards], redact=redact, table=table)
    if opts.format == "json":
        text = dumps_json(result.rows) + "\n"
    else:
        # a file gets a UTF-8 BOM so Excel on a Chinese Windows PC reads it; stdout does not
        text = csv_text(result.rows, [Column(key, key) for key in result.columns], bom=output is not None)
    if output is None:
        sys.stdout.write(text)
    else:
        save(output, text, folder.path)
        note(_("wrote {count} {table} row(s) to {output}").format(
            count=len(result.rows), table=result.table or "card", output=output) + (_(" (redacted)") if redact else ""))
    report_problems(folder)


XLSX_TABLES = ("cards", "contacts", "trades", "visits", "opportunities", "signals", "handovers")


def _export_xlsx(folder: Folder, output: Path | None, table: str | None, redact: bool) -> None:
    """`export --format xlsx`: one sheet per table (or the --table one) in a workbook."""
    from kacard.team.export import TABLES, export_cards
    from kacard.render.output import note
    from kacard.render.xlsx import write_tables

    if output is None or output.suffix.lower() != ".xlsx":
        raise UsageError(_("--format xlsx writes a workbook: give --output FILE.xlsx"))
    cards = [c.card for c in folder.cards]
    tables = [(name, TABLES[name], export_cards(cards, redact=redact, table=name).rows)
              for name in ((table,) if table else XLSX_TABLES)]
    write_tables(output, tables, folder.path, export=True, redacted=redact)
    counts = ", ".join(f"{len(rows)} {name}" for name, _columns, rows in tables)
    note(_("wrote {output}: {counts}").format(output=output, counts=counts) + (_(" (redacted)") if redact else ""))
    report_problems(folder)
