"""Excel workbooks: the export (one sheet per table) and the 客户资料卡 import template.

Written with openpyxl (MIT, the usual Python xlsx library; kacard already needs it to
test the Excel round trip, so one writer covers export, template and tests; its
write-only mode writes 10,000 rows in a fraction of a second). XlsxWriter writes
faster but cannot read, so it would be a second dependency for no gain at this size.

Every sheet: header row bold and frozen, column widths fitted to the widest cell in
display cells (a Chinese character takes two), money as numbers, dates as dates, and
text starting with `=` stored as text (a string cell): card text never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kacard.render.files import save
from kacard.render.safe import sheet_text
from kacard.team.export import REDACTED_PROPERTY, STAMP_HEADER, row_stamp
from kacard.team.export import cell_value as _cell_value
from kacard.text import width

MAX_WIDTH = 60  # a column is never wider than this many cells
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.##"
MONEY_COLUMNS = {"amount", "margin", "credit_limit", "limit", "annual_budget"}


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, int | float):
        return len(f"{value:,.2f}")
    return width(str(value))


def _text_cell(sheet: Any, value: str, **style: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=sheet_text(value))
    cell.data_type = "s"  # never a formula, even when it starts with "="
    for key, setting in style.items():
        setattr(cell, key, setting)
    return cell


def _write_table(book: Any, title: str, columns: Sequence[str], rows: Sequence[dict[str, Any]],
                 stamped: bool = False) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    values = [[_cell_value(row.get(key)) for key in columns] for row in rows]
    widths = [max([width(key), *(_shown_width(r[i]) for r in values)]) for i, key in enumerate(columns)]
    for i, cells in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(cells, MAX_WIDTH) + 2
    if stamped:  # the import's fingerprints of what was exported (team.export.row_stamp)
        sheet.column_dimensions[get_column_letter(len(columns) + 1)].hidden = True
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, key, font=bold) for key in columns]
                 + ([_text_cell(sheet, STAMP_HEADER, font=bold)] if stamped else []))
    for source, row in zip(rows, values, strict=True):
        out = []
        for key, value in zip(columns, row, strict=True):
            if isinstance(value, str):
                out.append(_text_cell(sheet, value))
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            elif isinstance(value, int | float) and not isinstance(value, bool) and key in MONEY_COLUMNS:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = MONEY_FORMAT
                out.append(cell)
            else:
                out.append(value)
        if stamped:
            out.append(_text_cell(sheet, row_stamp(title, source)))
        sheet.append(out)


def write_tables(path: Path, tables: Sequence[tuple[str, Sequence[str], Sequence[dict[str, Any]]]],
                 folder: Path | None = None, *, export: bool = False, redacted: bool = False) -> None:
    """A workbook with one sheet per (title, columns, rows) table. An `export` (tables named
    as team.export.TABLES) gets the hidden STAMP_HEADER column for `kacard import`; a
    `redacted` one the custom document property REDACTED_PROPERTY, so import refuses it."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook(write_only=True)
    if redacted:
        book.custom_doc_props.append(StringProperty(name=REDACTED_PROPERTY, value="kacard export --redact"))
    for title, columns, rows in tables:
        _write_table(book, title, columns, rows, stamped=export)
    buffer = io.BytesIO()
    book.save(buffer)
    save(path, buffer.getvalue(), folder)  # the one output guard; whole or not at all


def write_template(path: Path, sample: Sequence[Sequence[Sequence[Any]]] = (), folder: Path | None = None) -> None:
    """The plain 客户资料卡 workbook whose ready mapping is import_map.template_map():
    a title row, merged group headings and headers on 客户资料, a header row on 联系人,
    交易记录 and 拜访记录; drop-down lists for 客户等级, 客户状态 and 拜访方式. `sample`
    gives rows per sheet (fictional accounts, to try the import)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kacard.team.import_map import TEMPLATE, TEMPLATE_TITLE

    book = Workbook()
    book.remove(book.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, (name, _kind, groups, headers) in enumerate(TEMPLATE):
        sheet = book.create_sheet(name)
        last = get_column_letter(len(headers))
        sheet["A1"] = TEMPLATE_TITLE if index == 0 else f"{TEMPLATE_TITLE}：{name}"
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.merge_cells(f"A1:{last}1")
        header_row = 3 if groups else 2
        for text, first, end in groups:
            cell = sheet.cell(row=2, column=first + 1, value=text)
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
            if end > first:
                sheet.merge_cells(start_row=2, start_column=first + 1, end_row=2, end_column=end + 1)
        rows = list(sample[index]) if index < len(sample) else []
        for c, header in enumerate(headers):
            cell = sheet.cell(row=header_row, column=c + 1, value=header)
            cell.font, cell.fill = bold, fill
            cells = max([width(header), *(_shown_width(_cell_value(r[c])) for r in rows if c < len(r))])
            sheet.column_dimensions[get_column_letter(c + 1)].width = min(cells, MAX_WIDTH) + 2
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = sheet.cell(row=header_row + 1 + r, column=c + 1, value=_cell_value(value))
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = f"A{header_row + 1}"
        _drop_downs(sheet, headers, header_row, DataValidation)
    buffer = io.BytesIO()
    book.save(buffer)
    save(path, buffer.getvalue(), folder)  # the one output guard; whole or not at all


_CHOICES = {"客户等级": "S类,A类,B类,C类", "客户状态": "潜在,合作中,休眠,流失",
            "拜访方式": "拜访,电话,会议,活动,送礼,投诉", "角色": "决策者,影响者,采购,使用者,技术,财务,把关者,教练,其他"}


def _drop_downs(sheet: Any, headers: Sequence[str], header_row: int, validation: Any) -> None:
    from openpyxl.utils import get_column_letter

    for c, header in enumerate(headers):
        if header in _CHOICES:
            rule = validation(type="list", formula1=f'"{_CHOICES[header]}"', allow_blank=True)
            letter = get_column_letter(c + 1)
            rule.add(f"{letter}{header_row + 1}:{letter}5000")
            sheet.add_data_validation(rule)
