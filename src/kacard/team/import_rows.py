"""Spreadsheet rows to converted values, per the mapping; every bad cell a problem.

A bad cell drops that value and the rest of the row still imports; a row without a
value it cannot do without (a card's name, a trade's amount …) is left out, with the
reason. Problems read `FILE:Sheet!C12: 电话: …` (`FILE:C12: …` for a CSV file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kacard.cards.model.settings import Settings
from kacard.errors import UsageError
from kacard.i18n import _
from kacard.privacy import is_masked
from kacard.team import import_read as read
from kacard.team.export import STAMP_HEADER, TABLES, fingerprint, parse_stamp
from kacard.team.import_cells import CellContext, CellError, convert, is_empty, value_key
from kacard.team.import_fields import Target, header_key, target_of
from kacard.team.import_map import ImportMap, SheetMap

Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in the source (or with the card it would make), SPEC §9's shape."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file + ":" + (f"{self.sheet}!" if self.sheet else "")
        if self.row is not None:
            where += f"{self.column or ''}{self.row}"
        where = where.rstrip(":!")
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "field": self.field, "message": self.message}


@dataclass
class Row:
    """One data row: its converted values by target, and where each came from."""

    kind: str
    file: str
    sheet: str | None
    number: int  # 1-based row of the sheet
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # target -> (column, header)
    # a row of `kacard export --format xlsx`: (table, fingerprint of each exported cell), and
    # the fingerprint of each mapped cell as it is now (team.export.row_stamp, fingerprint)
    stamp: tuple[str, list[str]] | None = None
    seen: dict[str, str] = field(default_factory=dict)

    def problem(self, target: str | None, message: str) -> ImportProblem:
        column, label = self.cells.get(target or "", (None, target or ""))
        return ImportProblem(self.file, self.sheet, self.number, column, label, message)


@dataclass
class Source:
    """One sheet or file read: for the report ("拜访记录.csv: 120 visit rows, GBK")."""

    file: str
    sheet: str | None
    kind: str
    rows: int
    encoding: str | None


@dataclass
class _Column:
    index: int
    letter: str
    label: str
    target: Target
    context: CellContext


def rep_lookup(settings: Settings, owners: dict[str, str]) -> dict[str, str]:
    """Rep ids by id, name and the mapping's `owners` aliases (NFKC, also lower case)."""
    reps: dict[str, str] = {}
    team = {rep.id for rep in settings.team}
    for rep in settings.team:
        for key in (rep.id, rep.name, rep.email or ""):
            if key:
                reps[value_key(key)] = rep.id
                reps[value_key(key).lower()] = rep.id
    for alias, rep_id in owners.items():
        if not team or rep_id in team:
            reps[value_key(alias)] = rep_id
            reps[value_key(alias).lower()] = rep_id
    if not team:  # a folder without a team takes any owner id as written
        reps.update({value_key(a): r for a, r in owners.items()})
    return reps


def read_rows(
    mapping: ImportMap, path: Path, settings: Settings, *, folder_datum: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[Row], list[ImportProblem], list[Source]]:
    """Every data row of the mapped sheets (cards first, then contacts, trades, visits),
    the problems of their cells and the sources read."""
    reps = rep_lookup(settings, mapping.owners)
    sheets = []
    for sheet_map in mapping.sheets:
        file = path.parent / sheet_map.file if sheet_map.file else path
        if read.is_redacted_export(file):
            raise UsageError(_("{file} was exported with --redact: its masked phones, e-mails and "
                               "[redacted] notes would replace the real ones, so nothing was imported; "
                               "import an export made without --redact").format(file=file.name))
        sheets.append((sheet_map, read.read_sheet(file, sheet_map.sheet)))
    total = sum(max(0, len(sheet.cells) - sm.header_rows().stop) for sm, sheet in sheets)
    rows: list[Row] = []
    problems: list[ImportProblem] = []
    sources: list[Source] = []
    done = 0
    order = {"cards": 0, "contacts": 1, "trades": 2, "visits": 3}
    masks: dict[str, tuple[int, ImportProblem]] = {}  # file -> (cells, where the first is)
    for sheet_map, sheet in sorted(sheets, key=lambda pair: order[pair[0].kind]):
        columns, found = _columns(sheet_map, sheet, mapping, reps, folder_datum)
        problems += found
        labels = read.header_labels(sheet, sheet_map.header_rows())
        stamp = labels.index(STAMP_HEADER) if STAMP_HEADER in labels else None
        count = 0
        for r in range(sheet_map.header_rows().stop, len(sheet.cells)):  # 0-based, after the header
            done += 1
            if progress is not None and done % 200 == 0:
                progress(done, total)
            cells = sheet.cells[r]
            if read.is_blank(cells):
                continue
            row, found, masked = _row(sheet_map.kind, sheet, r + 1, cells, columns, stamp)
            problems += found
            if masked is not None:
                seen, first = masks.get(sheet.file, (0, masked[1]))
                masks[sheet.file] = (seen + masked[0], first)
            count += 1
            if row is not None:
                rows.append(row)
        sources.append(Source(sheet.file, sheet.name, sheet_map.kind, count, sheet.encoding))
    if progress is not None:
        progress(total, total)
    for cells, first in masks.values():  # one line a file, not one a cell
        problems.append(ImportProblem(first.file, first.sheet, first.row, first.column, "", _(
            "{n} cell(s) hold masks made by `kacard export --redact` (like [redacted] or ***), the first "
            "here; masks are never imported: those cells were left out").format(n=cells)))
    return rows, problems, sources


def _columns(
    sheet_map: SheetMap, sheet: read.Sheet, mapping: ImportMap, reps: dict[str, str], folder_datum: str | None,
) -> tuple[list[_Column], list[ImportProblem]]:
    """The mapped columns of a sheet, found by their header labels."""
    header = sheet_map.header_rows()
    read.fill_merged(sheet, header)
    labels = read.header_labels(sheet, header)
    wanted = {header_key(label): label for label in sheet_map.columns}
    problems: list[ImportProblem] = []
    columns: list[_Column] = []
    seen: set[str] = set()
    row = header.stop  # the last header row, 1-based
    for c, label in enumerate(labels):
        key = header_key(label)
        mapped = wanted.get(key)
        if mapped is None and "/" in label:
            lower = header_key(label.rsplit("/", 1)[1])
            mapped = wanted.get(lower)
        if mapped is None or mapped in seen:
            continue
        seen.add(mapped)
        spec = sheet_map.column(mapped)
        assert spec is not None
        target = target_of(sheet_map.kind, spec.field)
        if target is None or target.name == "ignore":
            continue
        values = {value_key(k): v for k, v in sheet_map.values.get(target.name, {}).items()}
        context = CellContext(values=values, dates=tuple(mapping.dates), scale=spec.scale or Decimal(1), reps=reps,
                              date1904=sheet.date1904)
        columns.append(_Column(c, read.column_letter(c), label, target, context))
    for label in sheet_map.columns:
        if label not in seen and sheet_map.column(label).field != "ignore":  # type: ignore[union-attr]
            problems.append(ImportProblem(sheet.file, sheet.name, row, None, label,
                                          _("no such column in the header (row {rows})").format(
                                              rows=", ".join(str(r + 1) for r in header))))
    coords = [c for c in columns if c.target.name in ("location.lat", "location.lon")]
    if coords and mapping.datum and folder_datum and mapping.datum != folder_datum:
        problems.append(ImportProblem(sheet.file, sheet.name, None, None, coords[0].label, _(
            "the sheet's coordinates are {datum} but the folder keeps {folder}; they are not imported "
            "(convert them first)").format(datum=mapping.datum, folder=folder_datum)))
        columns = [c for c in columns if c not in coords]
    return columns, problems


_NEEDED = {"cards": (), "contacts": ("account", "name"), "trades": ("account", "date", "amount"),
           "visits": ("account", "date")}


def _row(kind: str, sheet: read.Sheet, number: int, cells: list[Any], columns: list[_Column], stamp: int | None
         ) -> tuple[Row | None, list[ImportProblem], tuple[int, ImportProblem] | None]:
    """The row's values and the problems of its cells; and how many cells hold a mask of
    `export --redact` (kacard.privacy.is_masked), with the first one's place: such a cell
    is left out, and read_rows reports them once a file."""
    row = Row(kind, sheet.file, sheet.name, number)
    if stamp is not None and stamp < len(cells):
        row.stamp = parse_stamp(cells[stamp])
    problems = []
    masked: list[ImportProblem] = []
    for column in columns:
        row.cells[column.target.name] = (column.letter, column.label)
        raw = cells[column.index] if column.index < len(cells) else None
        if row.stamp is not None:
            row.seen[column.target.name] = fingerprint(raw)
        if is_empty(raw):
            continue
        if isinstance(raw, str) and is_masked(raw) and not _as_exported(row, column):
            masked.append(row.problem(column.target.name, ""))
            continue
        try:
            row.values[column.target.name] = convert(column.target, raw, column.context)
        except CellError as exc:
            problems.append(row.problem(column.target.name, str(exc)))
    missing = [t for t in _NEEDED[kind] if t not in row.values]
    if kind == "cards" and "name" not in row.values and "id" not in row.values:
        missing = ["name"]
    if ("location.lat" in row.values) != ("location.lon" in row.values):
        for target in ("location.lat", "location.lon"):
            if target in row.values:
                problems.append(row.problem(target, _("latitude and longitude go together; "
                                                      "the location is not imported")))
                del row.values[target]
    if missing:
        label = row.cells.get(missing[0], ("", missing[0]))[1]
        bad = next((i for i, p in enumerate(problems) if p.field == label), None)
        if bad is None:
            problems.append(row.problem(missing[0], _("empty; the row is left out")))
        else:  # the bad cell's own problem says the row is left out
            old = problems[bad]
            problems[bad] = ImportProblem(old.file, old.sheet, old.row, old.column, old.field,
                                          old.message + _("; the row is left out"))
        return None, problems, _masks(masked)
    return row, problems, _masks(masked)


def _as_exported(row: Row, column: _Column) -> bool:
    """Whether a stamped row's cell is as it was exported (then its text is the card's own,
    even if it looks like a mask: `[redacted]` typed into a note)."""
    if row.stamp is None:
        return False
    table, exported = row.stamp
    columns = TABLES[table]
    return column.label in columns and exported[columns.index(column.label)] == row.seen.get(column.target.name)


def _masks(masked: list[ImportProblem]) -> tuple[int, ImportProblem] | None:
    return (len(masked), masked[0]) if masked else None
