"""Repairs a team needs after a teammate's tool saved a file its own way: `kacard to-utf8`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kacard.cli.common import DirOpt, FormatOpt, TodayOpt, run
from kacard.errors import UsageError, os_reason
from kacard.i18n import _


def register(app: typer.Typer) -> None:
    app.command("to-utf8")(to_utf8)


def to_utf8(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="FILE", help=_("Card files (or kacard.yaml) to convert (default: every one in the folder)."),
        show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help=_("Only list the files that are not UTF-8; change "
                                                          "nothing (exit 1 when there are any)."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Convert card files saved as GBK, GB18030 or UTF-16 (by a teammate's editor or Excel) to
    UTF-8, the encoding every card is read in. Only the encoding changes: the text, line
    endings and comments stay; each file is replaced whole or not at all. Commit the result.

    Example: kacard to-utf8   (or: kacard to-utf8 hz-xinghe-gas.yaml)
    """
    from kacard.cards.encoding import convert_file, survey
    from kacard.cards.paths import SETTINGS_FILE
    from kacard.cards.walk import card_files
    from kacard.render.output import note

    opts = run(ctx, dir, today, format)  # --today and --format (table) taken as by every command
    if files:
        chosen = [(str(path), path) for path in files]
    else:  # the folder's cards and kacard.yaml; works when kacard.yaml itself is the GBK file
        folder = opts.folder()
        chosen = [(rel, Path(path)) for rel, path in card_files(folder)[0]]
        if (folder / SETTINGS_FILE).is_file():
            chosen.append((SETTINGS_FILE, folder / SETTINGS_FILE))
    try:
        found = survey(chosen)
    except OSError as exc:
        raise UsageError(_("{file}: cannot read it ({reason})").format(
            file=exc.filename or "", reason=os_reason(exc))) from None
    pending = [f for f in found if f.found is not None and not f.found.is_utf8]
    unknown = [f.shown for f in found if f.found is None]
    for item in pending:
        assert item.found is not None
        if check:
            typer.echo(_("{file}: {encoding}, not UTF-8").format(file=item.shown, encoding=item.found.name))
        else:
            convert_file(item.path)
            typer.echo(_("{file}: converted from {encoding} to UTF-8").format(file=item.shown,
                                                                           encoding=item.found.name))
    if not pending and not unknown:
        note(_("every file is UTF-8 already; nothing to do"))
    if unknown:
        raise UsageError(_("{files}: not UTF-8, UTF-16, GBK or GB18030 text; kacard cannot tell its encoding. "
                           "Open it in an editor and save it as UTF-8").format(files=_(", ").join(unknown)))
    if check and pending:
        raise typer.Exit(1)
