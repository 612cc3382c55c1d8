"""`kacard import`: spreadsheets into cards (issue 16)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kacard.cli.common import DirOpt, FormatOpt, Run, TodayOpt, run
from kacard.errors import ProblemsFound, UsageError
from kacard.i18n import _

if TYPE_CHECKING:
    from kacard.team.import_map import ImportMap


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)


def import_command(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(metavar="FILE", help=_("A workbook (.xlsx) or a CSV file."))] = None,
    map_: Annotated[str | None, typer.Option("--map", help=_("Mapping: a file, or a name under import/ "
                                              "(default: import/<FILE's name>.yaml, else headers matched)."))] = None,
    also: Annotated[list[Path] | None, typer.Option("--also", help=_("Another file (e.g. a CSV of visits) "
                                                    "imported with FILE when there is no mapping (repeatable)."))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would change (a diff per card); write nothing."))] = False,
    all_or_nothing: Annotated[bool, typer.Option("--all-or-nothing", help=_("Write nothing when any row has a problem."))] = False,
    init_map: Annotated[bool, typer.Option("--init-map", help=_("Write a starting mapping import/<FILE's name>.yaml "
                                           "by matching the headers; import nothing."))] = False,
    template: Annotated[Path | None, typer.Option("--template", help=_("Write the plain 客户资料卡 workbook here "
                                                  "(and its mapping under import/)."))] = None,
    sample: Annotated[bool, typer.Option("--sample", help=_("With --template: fill in three fictional accounts."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Import accounts, contacts, trades and visits from Excel or CSV; matched cards are updated.

    Example: kacard import --template 客户资料卡.xlsx ; kacard import 客户资料卡.xlsx --dry-run
    """
    from kacard.team import import_map as maps

    opts = run(ctx, dir, today, format)
    if template is not None:
        from kacard.errors import FolderNotFound

        try:
            folder_path: Path | None = opts.folder()
        except FolderNotFound:
            folder_path = None  # the workbook alone; its mapping needs a card folder
        _write_template(folder_path, template, sample)
        return
    if file is None:
        raise UsageError(_("give the FILE to import (or --template X.xlsx for an empty 客户资料卡 workbook)"))
    if not file.is_file():
        raise UsageError(_("{file}: no such file").format(file=file))
    folder_path = opts.folder()
    assert folder_path is not None
    if init_map:
        from kacard.render.importing import print_detected

        target = maps.map_path(folder_path, file.stem)
        if target.exists():
            raise UsageError(_("{path} exists; edit it, or remove it to start again").format(path=target))
        mapping, detected = maps.build_map(file, list(also or []))
        if not mapping.sheets:
            raise UsageError(_("no sheet of {file} has headers kacard knows (such as 客户名称); "
                               "write the mapping by hand (README: Importing)").format(file=file.name))
        target.parent.mkdir(exist_ok=True)
        from kacard.render.files import save

        save(target, maps.map_text(mapping, detected), folder_path, own=True)
        print_detected(str(file), detected, str(target.relative_to(folder_path)))
        return
    mapping, mapping_note = _mapping(folder_path, file, map_, list(also or []))
    _import(opts, file, mapping, mapping_note, dry_run=dry_run, all_or_nothing=all_or_nothing)


def _mapping(folder: Path, file: Path, name: str | None, also: list[Path]) -> tuple[ImportMap, str]:
    from kacard.team import import_map as maps

    if name is not None:
        path = Path(name) if Path(name).is_file() else maps.map_path(folder, name.removesuffix(".yaml"))
        if not path.is_file():
            raise UsageError(_("no mapping {name!r} (neither a file nor {path})").format(
                name=name, path=maps.map_path(folder, name)))
        return maps.load_map(path), _("mapping: {path}").format(path=path)
    kept = maps.map_path(folder, file.stem)
    if kept.is_file() and also:
        raise UsageError(_("--also is for an import without a mapping; {path} names the files it reads "
                           "(add a `file:` entry there)").format(path=kept.relative_to(folder)))
    if kept.is_file():
        return maps.load_map(kept), _("mapping: {path}").format(path=kept.relative_to(folder))
    mapping, _detected = maps.build_map(file, also)
    if not mapping.sheets:
        raise UsageError(_("no sheet of {file} has headers kacard knows (such as 客户名称); "
                           "write a mapping (README: Importing)").format(file=file.name))
    return mapping, _("mapping: headers matched automatically (`kacard import {file} --init-map` "
                      "writes them to {path} to edit)").format(file=file.name, path=kept.relative_to(folder))


def _import(opts: Run, file: Path, mapping: ImportMap, mapping_note: str, *, dry_run: bool, all_or_nothing: bool
            ) -> None:
    from kacard.render.importing import print_import
    from kacard.render.output import Progress
    from kacard.team.importer import import_file

    folder = opts.load()
    progress = Progress(label=_("importing rows")) if sys.stderr.isatty() else None
    try:
        result = import_file(folder, file, mapping, opts.today, dry_run=dry_run, all_or_nothing=all_or_nothing,
                             folder_datum=_folder_datum(folder.settings), progress=progress)
    finally:
        if progress is not None:
            progress.close()
    print_import(result, opts.format, mapping_note)
    if result.problems:
        raise ProblemsFound(_("{n} problem(s) in the imported rows").format(n=len(result.problems)))


def _folder_datum(settings: object) -> str | None:
    """The datum of the folder's locations (kacard.yaml `map.datum`, SPEC §9), if set."""
    map_settings = getattr(settings, "map", None)
    datum = getattr(map_settings, "datum", None)
    return str(datum) if datum else None


def _write_template(folder_path: Path | None, path: Path, sample: bool) -> None:
    from kacard.render.xlsx import write_template
    from kacard.team import import_map as maps
    from kacard.team.import_sample import SAMPLE

    if path.suffix.lower() != ".xlsx":
        raise UsageError(_("--template writes an .xlsx workbook, not {name}").format(name=path.name))
    if path.exists():
        raise UsageError(_("{path} exists; nothing was written").format(path=path))
    if not path.parent.is_dir():
        raise UsageError(_("{folder} is not a folder").format(folder=path.parent))
    write_template(path, SAMPLE if sample else (), folder_path)
    typer.echo(_("wrote {path}").format(path=path))
    if folder_path is None:
        return
    target = maps.map_path(folder_path, path.stem)
    if target.exists():
        typer.echo(_("kept {path}").format(path=target))
        return
    target.parent.mkdir(exist_ok=True)
    from kacard.render.files import save

    save(target, maps.map_text(maps.template_map(path.stem)), folder_path, own=True)
    typer.echo(_("wrote {path}").format(path=target))
