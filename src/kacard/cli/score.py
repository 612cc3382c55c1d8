"""`kacard score`: 80/20 (ABC), the 10/2 scorecard, tiers and the loyalty quadrant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kacard.cli.common import AsOfOpt, CardIdArg, DirOpt, FormatOpt, TodayOpt, report_problems, run
from kacard.cli.visits import resolve_owner
from kacard.errors import UsageError
from kacard.i18n import _, label

if TYPE_CHECKING:
    from kacard.cards.model.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.command("rate")(rate)


def rate(
    ctx: typer.Context,
    card_id: CardIdArg,
    ratings: Annotated[list[str], typer.Argument(metavar="CRITERION=0|1|2",
                                                 help=_("Manual 10/2 ratings; CRITERION=- removes one."))],
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Rate an account on the 10/2 scorecard by hand (0 no, 1 partly, 2 yes): a manual rating
    wins over the derived one. Patches the card's `criteria` like `log` adds a visit.

    Criteria go by their English ids or their Chinese names (对目标至关重要=2).

    Example: kacard rate hz-xinghe-gas strategic_goals=2 influence=1 product_fit=2
    """
    from kacard.cards.aliases import to_english
    from kacard.cards.editing import set_ratings
    from kacard.cards.writing import update_card

    opts = run(ctx, dir, today, format)
    card_id = opts.card_id(card_id)
    folder = opts.load(only=[card_id])
    known = folder.settings.scoring.ten_two.criteria
    parsed: dict[str, int | None] = {}
    for item in ratings:
        name, sep, value = item.partition("=")
        # 对目标至关重要 and "strategic goals" (as English help shows it) = strategic_goals
        name, value = to_english("criterion", name.strip()).replace(" ", "_"), value.strip()
        if not sep or name not in known:
            raise UsageError(_("{item!r}: give CRITERION=0|1|2 with one of {value}").format(
                item=item, value=criteria_names(known)))
        if value == "-":
            parsed[name] = None
        elif value in ("0", "1", "2"):
            parsed[name] = int(value)
        else:
            raise UsageError(_("{item!r}: a rating is 0 (no), 1 (partly), 2 (yes), or - to remove it").format(item=item))
    loaded = folder.get(card_id)
    update_card(folder.path, loaded, set_ratings(parsed))
    shown = _(", ").join(f"{label('criterion', k)}={_('derived') if v is None else v}" for k, v in parsed.items())
    typer.echo(_("rated {rel}: {shown}").format(rel=loaded.rel, shown=shown))


def score(
    ctx: typer.Context,
    owner: Annotated[
        str | None, typer.Option(help=_("Only this rep's accounts (scores stay team-wide)."))
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain", metavar="ID", help=_("Every input and rule behind one account's scores.")
        ),
    ] = None,
    what_if: Annotated[
        bool,
        typer.Option(
            "--what-if",
            help=_("Accounts whose tier today (pin or computed) differs from "
            "the tier computed now with pins dropped."),
        ),
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help=_("With --what-if: try other scoring settings, "
            "e.g. --set pareto.a=0.7 --set ten_two.key=12."),
        ),
    ] = None,
    apply: Annotated[
        str | None,
        typer.Option(
            "--apply", metavar="ID,ID|all",
            help=_("With --what-if: pin these accounts (or all listed) to the tier it proposes."),
        ),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart", metavar="FILE.svg", help=_("Also write the Pareto chart (SVG) to this file.")
        ),
    ] = None,
    as_of: AsOfOpt = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Score accounts: Pareto class (80/20), 10/2 total, tier (S/A/B/C) and quadrant.

    Sorted by metric, with cumulative share and a bar per account; ends with the
    concentration ("N % of accounts bring 80 % of revenue"). A * marks a pinned tier.

    Example: kacard score --owner zhangwei --chart pareto.svg
    """
    from kacard.analysis.scoring.report import score_rows as score_folder
    from kacard.analysis.scoring.report import what_if as tier_changes
    from kacard.render.output import note
    from kacard.render.score import print_explain, print_what_if

    opts = run(ctx, dir, today, format, as_of=as_of)
    if (set_ or apply) and not what_if:
        what_if = True
    if explain and (what_if or chart):
        raise UsageError(_("--explain shows one account; use it without --what-if and --chart"))
    if not (explain or what_if or chart or as_of):  # the default report: kept for the day (cli/daily.py)
        from kacard.cli.daily import day_output

        day_output(opts, "score", (owner, opts.format),
                   lambda walked: _score_report(opts, owner, opts.load(summary=True, walked=walked)))
        return
    folder = opts.load(summary=True)  # scores read each card's brief and index, not the card
    settings = folder.settings
    owner = resolve_owner(settings, folder.path, owner, False)
    rows = folder.summaries or []
    report = score_folder(rows, settings, opts.today)

    if explain:
        if opts.format == "csv":
            raise UsageError(_("--explain prints table or json, not csv"))
        card_id = folder.brief(explain).id  # an id, or a name / pinyin (Folder.resolve)
        account = report.get(card_id)
        assert account is not None  # every loaded card is scored
        card = opts.load(only=[card_id]).get(card_id).card  # its trades, listed
        ten_two = settings.scoring.ten_two
        print_explain(
            report, account, list(card.trades), opts.format, ten_two.key, ten_two.potential,
            settings.currency,
        )
        report_problems(folder)
        return

    if what_if:
        overrides = list(set_ or [])
        alternative = (
            score_folder(rows, _with_overrides(settings, overrides), opts.today)
            if overrides
            else report
        )
        changes = [
            c
            for c in tier_changes(report, alternative)
            if owner is None or c.account.card.owner == owner
        ]
        if apply:
            _apply_pins(opts, changes, apply)
            report_problems(folder)
            return
        print_what_if(changes, opts.format, overrides)
        against = (_("the settings with {overrides}").format(overrides=", ".join(overrides)) if overrides
                   else _("the current settings"))
        note(
            _("{count} account(s) would change tier if re-tiered under {against} (pins dropped)").format(count=len(changes), against=against)
        )
        report_problems(folder)
        return

    _score_report(opts, owner, folder, report, chart)


def _score_report(opts: Any, owner: str | None, folder: Any, report: Any = None, chart: Path | None = None) -> None:
    """The default `score` report of `folder` (scored here unless `report` is given) for
    `owner` (as typed, or a rep's id) or everyone, and the Pareto chart when asked for."""
    from kacard.analysis.scoring.report import score_rows as score_folder
    from kacard.render.output import note
    from kacard.render.score import print_score

    settings = folder.settings
    rows = folder.summaries or []
    if report is None:
        owner = resolve_owner(settings, folder.path, owner, False)
        report = score_folder(rows, settings, opts.today)
    chosen = [s for s in report.accounts if owner is None or s.card.owner == owner]
    if not chosen:
        note(_("nothing to score: no cards owned by {owner}").format(owner=owner) if owner
             else _("nothing to score: no cards in {folder}").format(folder=folder.path))
    elif report.summary(chosen).total <= 0:
        note(
            _("nothing to score by {metric}: no trades dated after {window_start} up to {today}; every account is Pareto class C (10/2 ratings and pins still apply)").format(metric=report.metric, window_start=report.window_start, today=report.today)
        )
    print_score(report, chosen, opts.format, owner, settings.currency)
    _note_unrated(chosen, {r.brief.id: r.card_index.criteria for r in rows}, settings)
    if chart is not None:
        _write_chart(chart, report, chosen, owner, folder.path)
        note(_("wrote the Pareto chart to {chart}").format(chart=chart))
    report_problems(folder)


def _apply_pins(opts: Any, changes: list[Any], apply: str) -> None:
    """Pin the accounts named in `apply` (or every listed one for "all") to the proposed tier
    (each card read whole: a write patches its file)."""
    from kacard.cards.editing import set_tier_pin
    from kacard.cards.writing import update_card
    from kacard.cli.common import split_ids

    proposed = {c.account.id: c for c in changes}
    wanted = list(proposed) if apply.strip().lower() == "all" else split_ids(apply)
    unknown = [i for i in wanted if i not in proposed]
    if unknown:
        raise UsageError(_("--apply: no tier change proposed for {value} (run --what-if to see the list)").format(value=', '.join(unknown)))
    folder = opts.load(only=wanted)
    for card_id in wanted:
        change = proposed[card_id]
        update_card(folder.path, folder.get(card_id), set_tier_pin(change.would_be))
        typer.echo(_("pinned {card_id}: {now} -> {would_be}").format(card_id=card_id, now=change.now, would_be=change.would_be))


def _note_unrated(accounts: list[Any], criteria: dict[str, dict[str, int]], settings: Settings) -> None:
    """Say how many accounts lack a manual rating for a criterion that is never derived."""
    from kacard.analysis.scoring.ten_two import NOT_DERIVED
    from kacard.render.output import note

    manual = [c for c in settings.scoring.ten_two.criteria
              if c in NOT_DERIVED or c in settings.scoring.ten_two.derive.manual_only]
    unrated = [a for a in accounts if any(c not in criteria[a.id] for c in manual)]
    if manual and unrated:
        note(_("{count} of {count2} account(s) lack a manual rating of {value} (scored 0 until rated, so 'key' "
               "may be out of reach): kacard rate ID {value2}=2 ...").format(
                   count=len(unrated), count2=len(accounts), value=_(", ").join(map(typed_criterion, manual)),
                   value2=typed_criterion(manual[0])))


def typed_criterion(criterion: str) -> str:
    """How to type a criterion in `kacard rate`: its id in English (strategic_goals), its
    Chinese name in Chinese (对目标至关重要; kacard.cards.aliases)."""
    from kacard.cards.aliases import label as chinese_name
    from kacard.i18n import language

    return criterion if language() == "en" else chinese_name("criterion", criterion)


def criteria_names(criteria: list[str]) -> str:
    """10/2 criteria as the reader names them (Chinese names in Chinese: `kacard rate` takes
    both, kacard.cards.aliases), joined with the language's list separator."""
    return _(", ").join(label("criterion", c) for c in criteria)


def _write_chart(path: Path, report: Any, accounts: list[Any], owner: str | None, folder: Path) -> None:
    from kacard.render.chart import pareto_svg
    from kacard.render.files import save

    if path.suffix.lower() != ".svg":
        raise UsageError(_("--chart writes SVG; give a file name ending in .svg, not {name!r}").format(name=path.name))
    if not path.parent.is_dir():
        raise UsageError(_("--chart: folder {parent} does not exist").format(parent=path.parent))
    from kacard.i18n import label, localize

    who = f" ({owner})" if owner else ""
    title = _("Pareto chart of {metric}{who}, {start} to {end}").format(
        metric=label("metric", report.metric), who=who, start=localize(report.window_start), end=localize(report.today))
    save(path, pareto_svg(report, accounts, title), folder)


def _with_overrides(settings: Settings, overrides: list[str]) -> Settings:
    """A copy of the settings with `pareto.a=0.7`-style changes under `scoring`, validated."""
    from pydantic import ValidationError

    from kacard.cards.model.settings import Scoring

    data: dict[str, Any] = settings.scoring.model_dump()
    for item in overrides:
        key, sep, raw = item.partition("=")
        parts = [p for p in key.strip().removeprefix("scoring.").split(".") if p]
        if not sep or not parts:
            raise UsageError(_("--set must be KEY=VALUE like pareto.a=0.7, not {item!r}").format(item=item))
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw.strip()
        node = data
        for part in parts[:-1]:
            if not isinstance(node.get(part), dict):
                raise UsageError(
                    _("--set: unknown setting {key!r} (try pareto.a, pareto.b, pareto.window_days, ten_two.key, ten_two.potential)").format(key=key)
                )
            node = node[part]
        if parts[-1] not in node:
            raise UsageError(
                _("--set: unknown setting {key!r} (try pareto.a, pareto.b, pareto.window_days, ten_two.key, ten_two.potential)").format(key=key)
            )
        node[parts[-1]] = value
    try:
        scoring = Scoring.model_validate(data)
    except ValidationError as exc:
        lines = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise UsageError(_("--set gives invalid scoring settings: {lines}").format(lines=lines)) from None
    return settings.model_copy(update={"scoring": scoring})
