"""`kacard site`: the cards as a static site for the rep's phone (SPEC §9, issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kacard.cli.common import DirOpt, FormatOpt, TodayOpt, run
from kacard.cli.visits import MineOpt, OwnerOpt, WeekOpt
from kacard.i18n import _


def register(app: typer.Typer) -> None:
    app.command("site")(site)


def site(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help=_("The site folder (made when missing)."),
                                         show_default=False)],
    owner: OwnerOpt = None,
    mine: MineOpt = False,
    week: WeekOpt = None,
    redact: Annotated[bool, typer.Option("--redact", help=_("Leave out personal data (phones, e-mails, "
                                                            "WeChat/QQ ids, ID numbers) for sharing."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Write the cards as plain web pages for the phone: DIR/index.html (the week's route, today's
    visits first, and the due list), one page per card (the brief, phones to tap) and a search by
    name, pinyin or initials that works offline. Open it from the phone's storage, a shared drive
    or a forge's pages; a later run removes the pages of cards that are gone.

    Example: kacard site -o site --owner zhangwei
    """
    from kacard.analysis.scoring import folder_tiers
    from kacard.cli.visits import resolve_owner, week_start
    from kacard.dates import Week
    from kacard.i18n import _
    from kacard.planning.carry import rep_weeks
    from kacard.render.brief import brief_data
    from kacard.render.output import note
    from kacard.render.site import build_site
    from kacard.render.site_files import check_output, write_site

    opts = run(ctx, dir, today, format)  # the site is files: --format takes only the default
    the_week = Week(week_start(week, opts.today))
    folder = opts.load()
    settings = folder.settings
    check_output(output, folder.path)
    who = resolve_owner(settings, folder.path, owner, mine)
    cards = [c.card for c in folder.cards if who is None or c.card.owner == who]
    owners = [who] if who else [r.id for r in settings.team if any(c.owner == r.id for c in cards)]
    from kacard.cards import brief as snapshot

    weeks = rep_weeks([snapshot.of(c.card) for c in folder.cards], settings, opts.today, the_week, owners,
                      folder_tiers(folder, opts.today))
    briefs = [brief_data(card, settings, opts.today) for card in cards]
    pages = build_site(briefs, weeks, the_week.label, opts.today, settings.currency,
                       one_rep=who is not None, redact=redact)
    written, removed = write_site(output, pages)
    note(_("wrote {n} page(s) to {path} ({removed} old page(s) removed)").format(
        n=written, path=output, removed=len(removed)))


__all__ = ["register", "site"]
