"""Everyday commands: init, new, show, list, filter, validate, edit, log, schema."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacard.cli.common import CardIdArg, DirOpt, FormatOpt, Run, TodayOpt, parse_date, report_problems, run
from kacard.cli.visits import MineOpt
from kacard.errors import ProblemsFound, UsageError, os_reason
from kacard.i18n import _, label, localize

if TYPE_CHECKING:
    from kacard.cards.store import Folder


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("new")(new)
    app.command("show")(show)
    app.command("find")(find)
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
    """Make a card folder: kacard.yaml, the card schema for editors, .gitattributes. On a
    terminal it asks for the team, each rep's base, language and map app; run again to add reps.

    Example: kacard init cards --rep zhangwei=张伟 --rep lina=李娜
    """
    from kacard.cards.paths import SETTINGS_FILE
    from kacard.cli.guided import Answers, ask_setup
    from kacard.team.folder_setup import init_folder

    opts = run(ctx, dir, today, format)
    target = path or opts.dir_option or Path.cwd()
    reps = []
    for item in rep or []:
        if "=" not in item:
            raise UsageError(_("--rep must be ID=NAME, not {item!r}").format(item=item))
        rep_id, name = item.split("=", 1)
        reps.append((rep_id.strip(), name.strip()))
    answers = Answers(reps=reps)
    if _interactive():
        answers = ask_setup(reps, existing=(target / SETTINGS_FILE).exists())
    for line in init_folder(target, answers.reps, bases=answers.bases, language=answers.language,
                            map_app=answers.map_app):
        typer.echo(line)


def new(
    ctx: typer.Context,
    card_id: Annotated[str | None, typer.Argument(
        metavar="ID", help=_("Slug for the account, e.g. hz-xinghe-gas (default: made from the name's pinyin)."),
        show_default=False)] = None,
    name: Annotated[str | None, typer.Option(help=_("Account name, e.g. 杭州星河纺织有限公司."))] = None,
    owner: Annotated[str | None, typer.Option(help=_("The rep in charge: id or name (default on a terminal: you)."))] = None,
    status: Annotated[str, typer.Option(help=_("prospect|active|dormant|lost (or 潜在/活跃/休眠/流失)."))] = "prospect",
    tier: Annotated[str | None, typer.Option(help=_("Pin a tier S|A|B|C (default: computed)."))] = None,
    industry: Annotated[str | None, typer.Option(help=_("The account's industry, e.g. energy, 燃气."))] = None,
    sector: Annotated[str | None, typer.Option(help=_("One of government, soe, foreign, private, public_institution, finance."))] = None,
    region: Annotated[str | None, typer.Option(help=_("e.g. 华东/杭州."))] = None,
    address: Annotated[str | None, typer.Option(help=_("The site's address, e.g. 杭州市拱墅区莫干山路1903号."))] = None,
    lat: Annotated[float | None, typer.Option(help=_("Latitude of the site."))] = None,
    lon: Annotated[float | None, typer.Option(help=_("Longitude of the site."))] = None,
    contact: Annotated[str | None, typer.Option(help=_("Name of the key contact."))] = None,
    contact_title: Annotated[str | None, typer.Option(help=_("The key contact's title, e.g. 采购总监."))] = None,
    since: Annotated[str | None, typer.Option(help=_("On the books since (2026-11-25, 11-25, -7 …; default: today)."))] = None,
    visit_minutes: Annotated[int | None, typer.Option(help=_("Minutes a visit takes (default 45)."))] = None,
    tag: Annotated[list[str] | None, typer.Option(help=_("Tag (repeatable)."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Create a card. On a terminal it asks for name, owner, address, location and a key contact.

    Without an ID, the id is made from the name (its pinyin, unique in the folder).
    Example: kacard new --name 杭州星河纺织有限公司 --owner 张伟 --lat 30.27 --lon 120.15
    """
    from kacard.cards.editing import new_card_text
    from kacard.cards.lookup import slug
    from kacard.cards.parse import load_settings
    from kacard.cards.paths import check_id
    from kacard.cards.reps import rep_id
    from kacard.cards.walk import card_files
    from kacard.cards.writing import create_card
    from kacard.cli import prompts
    from kacard.team.folder_setup import schema_hint

    opts = run(ctx, dir, today, format)
    folder = opts.folder()
    if card_id is not None:
        check_id(card_id)
    settings = load_settings(folder)
    asking = _interactive()
    if name is None and asking:
        name = prompts.ask(_("Account name"), prompts.required)
    if name and card_id is None:  # an explicit id is a deliberate second account
        from kacard.cards.names import refuse_namesake

        folder_now = opts.load(summary=True)
        refuse_namesake(name, ((s.brief.id, s.brief.name, s.rel) for s in folder_now.summaries or ()))
    if owner is None and asking:
        me = _current_rep_or_none(settings, folder)
        choices = _(", ").join(_("{id} ({name})").format(id=r.id, name=r.name) for r in settings.team)
        label = _("Owner ({choices})").format(choices=choices) if choices else _("Owner (rep id)")
        owner = prompts.ask(label, lambda text: rep_id(settings, text, role="owner"), default=me)
    elif owner is not None:
        owner = rep_id(settings, owner, "--owner", role="owner")
    missing = [opt for opt, value in (("--name", name), ("--owner", owner)) if not value]
    if missing:
        raise UsageError(_("missing {options} (no terminal to ask on)").format(options=" / ".join(missing)))
    if (lat is None) != (lon is None):
        raise UsageError(_("give both --lat and --lon, or neither"))
    if asking:
        if address is None:
            address = prompts.ask(_("Address (empty: none)"), prompts.optional, default="")
        if lat is None:
            where = prompts.ask(_("Location: latitude, longitude (empty: none)"), prompts.location, default="")
            if where is not None:
                lat, lon = where
        if contact is None:
            contact = prompts.ask(_("Key contact's name (empty: none)"), prompts.optional, default="")
            if contact and contact_title is None:
                contact_title = prompts.ask(_("Their title (empty: none)"), prompts.optional, default="")
    if card_id is None:
        files, _problems = card_files(folder)
        card_id = slug(str(name), taken={Path(rel).stem for rel, _path in files})
    key_contact = {"name": contact, "title": contact_title} if contact else None
    fields = {
        "id": card_id, "name": name, "status": status, "owner": owner, "tier": tier,
        "industry": industry, "sector": sector, "region": region, "address": address,
        "location": {"lat": lat, "lon": lon} if lat is not None else None,
        "visit_minutes": visit_minutes,
        "since": parse_date(since, "--since", opts.today, past=True) if since else opts.today,
        "tags": list(tag or []),
        "contacts": [{k: v for k, v in key_contact.items() if v}] if key_contact else None,
    }
    path = create_card(folder, card_id, new_card_text(fields, schema_hint(folder, folder / f"{card_id}.yaml")))
    typer.echo(_("created {path}").format(path=path.relative_to(folder)))


def _current_rep_or_none(settings, folder: Path) -> str | None:  # type: ignore[no-untyped-def]
    """The rep running kacard ($KACARD_USER, git user.email), if kacard can tell."""
    from kacard.cli.visits import current_rep

    try:
        return current_rep(settings, folder) if settings.team else None
    except UsageError:
        return None


def show(
    ctx: typer.Context,
    card_id: CardIdArg,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """The card as a one-page brief: key people, last visits, open next step, receivables, signals.

    Example: kacard show hz-xinghe-gas
    """
    from kacard.render.brief import brief_data, print_brief

    opts = run(ctx, dir, today, format)
    opts.warn_settings()  # a broken kacard.yaml: the card is still shown (with a warning)
    card_id = opts.card_id(card_id)
    folder = opts.load(only=[card_id])
    loaded = folder.get(card_id)
    data = brief_data(loaded.card, folder.settings, opts.today)
    print_brief(data, opts.format)


def find(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=_("Part of a name, contact or address; pinyin or initials; an id prefix."))],
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Cards whose id, name, contacts or address match TEXT, best match first (as `list` prints them).
    A contact's phone, e-mail or WeChat id finds its card; what you typed is never echoed unmasked.

    Example: kacard find 燃气   (or: kacard find lyzy, kacard find 王建国)
    """
    from kacard.cards import lookup
    from kacard.render.listing import print_rows
    from kacard.render.output import note

    opts = run(ctx, dir, today, format)
    opts.warn_settings()  # a broken kacard.yaml: cards are still found (with a warning)
    folder = opts.load()  # whole cards: contacts are searched too
    keys = [lookup.search_keys(c.card.id, c.card.name, [p.name for p in c.card.contacts], c.card.address,
                               [p.phone for p in c.card.contacts],
                               [text for p in c.card.contacts for text in (p.email, p.notes)])
            for c in folder.cards]
    matches = lookup.find(text, keys)
    lookup.save_readings()
    from kacard.cli.daily import folder_rows

    rows = {row["id"]: row for row in folder_rows(folder, opts.today)}
    print_rows([rows[m.id] for m in matches], opts.format)
    if not matches:
        note(lookup.not_found_message(text, keys, suggest_find=False))
    report_problems(folder)


def list_cards(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help=_("Only this rep's cards (a rep's id or name)."))] = None,
    mine: MineOpt = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """List every card (id, name, owner, status, tier, region, last visit, next step).

    Example: kacard list --owner zhangwei --format csv
    """
    from kacard.cli.daily import list_rows
    from kacard.cli.visits import resolve_owner
    from kacard.render.listing import print_rows

    opts = run(ctx, dir, today, format)
    folder, rows = list_rows(opts)  # every card's row, kept for the day (cli/daily.py)
    owner = resolve_owner(folder.settings, folder.path, owner, mine)
    rows = [r for r in rows if owner is None or r["owner"] == owner]
    print_rows(rows, opts.format)
    report_problems(folder)


def filter_cards(
    ctx: typer.Context,
    conditions: Annotated[list[str], typer.Argument(metavar="CONDITION",
                                                    help=_("Conditions, ANDed: tier=A region~杭州 'revenue>1000000'."))],
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Cards matching every condition. Operators: = != ~ (contains) !~ > >= < <=; conditions
    are read as typed: 等级：A类, A类客户, 营收大于100万, 最近拜访早于9月1日, tier==A.

    Example: kacard filter tier=A region~杭州 'revenue>1000000'
    """
    from kacard.analysis.query import matches_all, parse_all
    from kacard.cli.daily import list_rows
    from kacard.render.listing import print_rows

    opts = run(ctx, dir, today, format)
    parse_all(conditions, today=opts.today)  # a mistyped condition is refused before any card is read
    folder, rows = list_rows(opts)  # the rows `list` prints, kept for the day (cli/daily.py)
    parsed = parse_all(conditions, folder.settings, opts.today)
    rows = [r for r in rows if matches_all(parsed, r)]
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
    from kacard.cli.daily import day_output
    from kacard.team.validation import folder_checks

    opts = run(ctx, dir, today, format)
    path = opts.folder()
    _settings, broken = opts.settings_or_defaults()  # a broken kacard.yaml is one more problem
    checks = broken + folder_checks(path)  # the git set-up, checked each run: part of the day's key
    day_output(opts, "validate", (opts.format, [str(p) for p in checks]),
               lambda walked: _validate(opts, checks, opts.load(summary=True, upkeep=True, walked=walked)))


def _validate(opts: Run, checks: list, folder: Folder) -> None:  # type: ignore[type-arg]
    """`validate`'s report of a folder loaded with upkeep (problems and warnings are kept
    per card) and the folder's own `checks` (team.validation.folder_checks)."""
    from kacard.errors import problem_order
    from kacard.render.output import dumps_json, note
    from kacard.team.validation import location_warnings

    far = location_warnings(((s.rel, s.brief.location) for s in folder.summaries or []), folder.settings)
    problems = sorted(folder.problems + checks + far, key=problem_order)
    errors = [p for p in problems if p.severity == "error"]
    if opts.format == "json":
        typer.echo(dumps_json([p.as_json() for p in problems]))
    else:
        for problem in problems:
            typer.echo(str(problem))
    warnings = len(problems) - len(errors)
    note(
        _("{files} card file(s) checked in {path}: {count} valid, {count2} problem(s), {warnings} warning(s)").format(files=folder.files, path=folder.path, count=len(folder.summaries or []), count2=len(errors), warnings=warnings)
    )
    if errors:
        raise ProblemsFound(_("{count} problem(s) found").format(count=len(errors)))


def edit(
    ctx: typer.Context,
    card_id: CardIdArg,
    start: Annotated[Path | None, typer.Option("--from", help=_("Start from this file (an edit kacard kept) instead of the card."))] = None,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Open the card in $EDITOR; it is saved only once it validates (re-opened on error, with
    the problems as comments on top). An edit that is not saved is kept and its path printed.

    Example: kacard edit hz-xinghe-gas   (EDITOR=nano to choose the editor)
    """
    from kacard.cards.edit_session import edit_card, strip_header

    opts = run(ctx, dir, today, format)
    card_id = opts.card_id(card_id)
    folder = opts.load(only=[card_id])
    loaded = folder.get(card_id)
    try:
        start_from = strip_header(start.read_bytes()) if start is not None else None
    except OSError as exc:
        raise UsageError(f"--from {start}: {os_reason(exc)}") from None
    def edit_again(problems: list) -> bool:  # type: ignore[type-arg]
        for problem in problems:
            typer.echo(str(problem), err=True)
        return typer.confirm(_("The card is invalid and was not saved. Edit again?"), default=True)

    if edit_card(folder.path, loaded, folder.settings, edit_again=edit_again if _interactive() else None,
                 start_from=start_from):
        typer.echo(_("saved {rel}").format(rel=loaded.rel))
    else:
        typer.echo(_("no changes"))


def log(
    ctx: typer.Context,
    card_id: CardIdArg,
    summary: Annotated[str | None, typer.Option(help=_("What happened (asked for on a terminal)."))] = None,
    date: Annotated[str | None, typer.Option(help=_("Visit date: 2026-11-20, 11-20, -3, fri (default: today)."))] = None,
    kind: Annotated[str, typer.Option(help=_("visit|call|meeting|event|gift|complaint (or 拜访/电话/会议/活动/礼品/投诉)."))] = "visit",
    with_: Annotated[list[str] | None, typer.Option("--with", help=_("Person met (repeatable), one of the card's contacts."))] = None,
    new_contact: Annotated[bool, typer.Option("--new-contact", help=_("Log --with names that are not (yet) contacts of the card."))] = False,
    time: Annotated[str | None, typer.Option("--time", help=_("Time of the visit, 9:30 or 下午3点 (orders visits of one day)."))] = None,
    by: Annotated[str | None, typer.Option(help=_("Rep id (default: the card's owner)."))] = None,
    next_date: Annotated[str | None, typer.Option(help=_("Date of the next step: 2026-12-07, 12-07, +7, fri, 下周五."))] = None,
    next_time: Annotated[str | None, typer.Option(help=_("Time of the next step, 9:30 or 下午3点 (a fixed appointment)."))] = None,
    next_action: Annotated[str | None, typer.Option(help=_("What the next step is."))] = None,
    no_next: Annotated[str | None, typer.Option(help=_("Why there is deliberately no next step."))] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Log it even if the very same visit is already logged."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Log a visit, always with the next step (every visit prepares the next one).

    Example: kacard log hz-xinghe-gas --summary 讨论三号线方案 --with 金建国 --next-date 2026-12-01 --next-action 带工程师现场讲解
    """
    from kacard.cards import aliases
    from kacard.cards.editing import log_visit, same_visit_logged, visit_record
    from kacard.cards.reps import rep_id
    from kacard.cards.writing import update_card
    from kacard.cli import prompts
    from kacard.dates import parse_day

    opts = run(ctx, dir, today, format)
    card_id = opts.card_id(card_id)
    folder = opts.load(only=[card_id])
    loaded = folder.get(card_id)
    visit_date = parse_date(date, "--date", opts.today, past=True) if date else opts.today
    if visit_date > opts.today:
        raise UsageError(_("--date {date} is after today ({today}); log a visit once it has happened").format(
            date=visit_date, today=opts.today))
    kind = str(aliases.to_english("visit_kind", kind))
    if kind not in aliases.english_values("visit_kind"):
        raise UsageError(_("--kind must be one of {kinds} (or {chinese}), not '{kind}'").format(
            kinds=", ".join(aliases.english_values("visit_kind")), kind=kind,
            chinese="/".join(aliases.chinese("visit_kind"))))
    asking = _interactive()
    if summary is None and asking:
        summary = prompts.ask(_("Summary"), prompts.required)
    if not summary:
        raise UsageError(_("--summary is required"))
    if no_next is not None and (next_date or next_action):
        raise UsageError(_("give either a next step or --no-next, not both"))

    def step_date(text: str) -> dt.date:
        day = parse_day(text, opts.today)
        if day < visit_date:
            raise ValueError(_("the next step ({next}) is dated before the visit ({visit})").format(
                next=localize(day), visit=localize(visit_date)))
        return day

    parsed_next: dt.date | None = None
    if next_date:
        try:
            parsed_next = step_date(next_date)
        except ValueError as exc:
            raise UsageError(f"--next-date: {exc}") from None
    if no_next is None and (parsed_next is None or not next_action):
        if not asking:
            raise UsageError(_(
                "a visit needs its next step: --next-date D --next-action TEXT "
                "(or --no-next REASON when there is deliberately none)"))
        typer.echo(_("Every visit should prepare the next one (下一步的行动安排)."))
        if parsed_next is None:
            parsed_next = prompts.ask(_("Next step date (2026-12-07, 12-07, +7, fri, 下周五)"), step_date)
        next_action = next_action or prompts.ask(_("Next step action"), prompts.required)
    parsed_time = _clock_option(next_time, "--next-time")
    visit_time = _clock_option(time, "--time")
    if parsed_next is not None and any(v.date == visit_date and v.next is not None and (visit_time is None or v.time is None)
                                       for v in loaded.card.visits):
        from kacard.render.output import note

        note(_("warning: {card} already has a visit on {date} that leaves a next step; give both a time "
               "(--time, and time: in the card) so the later one's next step is the open one").format(
                   card=loaded.card.id, date=localize(visit_date)))
    _check_people(loaded.card, list(with_ or []), new_contact, asking)
    reactivate = _reactivate(loaded.card, asking)
    who = rep_id(folder.settings, by, "--by") if by else loaded.card.owner
    record = visit_record(
        visit_date, summary, by=who, kind=kind, with_=list(with_ or []), next_date=parsed_next,
        next_time=parsed_time, next_action=next_action, no_next=no_next, time=visit_time,
    )
    if not force and same_visit_logged(loaded.card, visit_date, who, kind, summary, visit_time):
        same = _("{file} already has this visit ({date}, {rep}, {kind}, same summary)").format(
            file=loaded.rel, date=localize(visit_date), rep=who, kind=label("visit kind", kind))
        if not _interactive():
            raise UsageError(same + _("; nothing was written (pass --force to log it a second time)"))
        if not typer.confirm(same + _("; log it a second time?"), default=False):
            raise UsageError(_("nothing was written"))
    update_card(folder.path, loaded, log_visit(record, reactivate=reactivate))
    step = (_("next: {date} {action}").format(date=localize(parsed_next), action=next_action) if parsed_next
            else _("no next step: {reason}").format(reason=no_next))
    typer.echo(_("logged {kind} on {date} to {file} ({step})").format(
        kind=label("visit kind", kind), date=localize(visit_date), file=loaded.rel, step=step))


def _clock_option(text: str | None, option: str) -> dt.time | None:
    from kacard.dates import parse_clock

    if not text:
        return None
    try:
        return parse_clock(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _check_people(card, names: list[str], new_contact: bool, asking: bool) -> None:  # type: ignore[no-untyped-def]
    """`log --with` a person who is none of the card's contacts: a mistyping, usually. On a
    terminal ask; otherwise refuse (exit 2) unless --new-contact (README, decisions)."""
    from kacard.cards.model.card import unknown_people

    unknown = unknown_people(card, names)
    if not unknown or new_contact:
        return
    lines = []
    for name, close in unknown:
        hint = _(" (did you mean {names}?)").format(names=", ".join(close)) if close else ""
        lines.append(_("{name} is not a contact of {card}{hint}").format(name=name, card=card.id, hint=hint))
    if asking:
        for line in lines:
            typer.echo(line, err=True)
        if typer.confirm(_("Log the visit with them as typed?"), default=False):
            return
        raise UsageError(_("nothing logged; check the names given with --with"))
    raise UsageError("; ".join(lines) + _("; check the spelling, or give --new-contact to log them as typed"))


def _reactivate(card, asking: bool) -> bool:  # type: ignore[no-untyped-def]
    """A visit to a `lost` account: its next step would never show in `due`. On a terminal
    offer to mark it active again; otherwise warn (the visit is logged either way)."""
    from kacard.render.output import note

    if card.status != "lost":
        return False
    if asking and typer.confirm(_("{card} is marked lost, so its next step will not show in `kacard due`. "
                                  "Mark it active again?").format(card=card.id), default=True):
        return True
    note(_("warning: {card} is marked lost, so its next step will not show in `kacard due`; "
           "set `status: active` (kacard edit) if the account is back").format(card=card.id))
    return False


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
