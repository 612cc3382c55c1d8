"""`kacard export --format xlsx` (issue 16): one sheet per table, frozen header, widths for
Chinese text, typed cells, no formulas; edited in Excel (openpyxl here) and imported back,
it updates the cards without duplicates."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    shutil.copytree(ROOT / "cards", folder)
    return folder


def test_the_workbook_has_typed_cells_a_frozen_header_and_fitted_widths(kacard, tmp_path: Path, write_card) -> None:
    write_card("hz-formula", """\
        id: hz-formula
        name: =HYPERLINK("http://evil.example","点我")
        owner: zhangwei
        address: 浙江省杭州市上城区清泰街160号浙江省杭州市上城区清泰街160号
        trades:
          - {date: 2026-10-15, invoice: INV-1, amount: 1200000.5, paid: null}
        """)
    out = tmp_path / "cards.xlsx"
    result = kacard("export", "--format", "xlsx", "--output", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[:5] == ["cards", "contacts", "trades", "visits", "opportunities"]
    cards, trades = book["cards"], book["trades"]
    assert cards.freeze_panes == "A2" and trades.freeze_panes == "A2"
    assert cards["B2"].value.startswith("=HYPERLINK") and cards["B2"].data_type == "s"  # text, not a formula
    address = next(c.column_letter for c in cards[1] if c.value == "address")
    assert cards.column_dimensions[address].width == 58 + 2  # 52 wide characters and 6 digits: 58 cells
    assert cards.column_dimensions["A"].width == len("hz-formula") + 2
    amount, date = trades["D2"], trades["B2"]
    assert amount.value == 1200000.5 and amount.data_type == "n"
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2026, 10, 15)


def test_no_output_file_is_a_usage_error(kacard) -> None:
    result = kacard("export", "--format", "xlsx")
    assert result.exit_code == 2 and "--output FILE.xlsx" in result.stderr


def test_export_edit_in_excel_and_import_back_updates_without_duplicates(sample: Path, tmp_path: Path) -> None:
    from conftest import Kacard

    run = Kacard(sample)

    out = tmp_path / "export.xlsx"
    assert run("export", "--format", "xlsx", "--output", str(out)).exit_code == 0
    untouched = json.loads(run("import", str(out), "--format", "json").stdout)
    assert untouched["created"] == [] and untouched["updated"] == [] and len(untouched["unchanged"]) == 40

    book = load_workbook(out)  # what a rep does in Excel
    cards = book["cards"]
    header = [c.value for c in cards[1]]
    row = next(r for r in cards.iter_rows(min_row=2) if r[0].value == "hz-xinghe-gas")
    row[header.index("credit_limit")].value = 400000
    row[header.index("address")].value = "浙江省杭州市拱墅区莫干山路1903号（新址）"
    cards.append(["hz-new-account", "杭州新开户有限公司", "prospect", "lina"])
    trades = book["trades"]
    theader = [c.value for c in trades[1]]
    unpaid = next(r for r in trades.iter_rows(min_row=2)
                  if r[0].value == "hz-xinghe-gas" and r[theader.index("paid")].value is None)
    unpaid[theader.index("paid")].value = dt.date(2026, 11, 20)
    book["visits"].append(["hz-xinghe-gas", dt.date(2026, 11, 21), "zhangwei", "call", "金建国", "电话确认扩容时间"])
    book["contacts"].append(["hz-xinghe-gas", "赵新", "设备主管"])
    book.save(out)

    report = json.loads(run("import", str(out), "--format", "json").stdout)
    assert report["problems"] == []
    assert report["created"] == ["hz-new-account"] and report["updated"] == ["hz-xinghe-gas"]
    assert len(report["unchanged"]) == 39
    text = (sample / "hz-xinghe-gas.yaml").read_text("utf-8")
    assert "limit: 400000" in text and "（新址）" in text and "paid: 2026-11-20" in text
    assert text.count("电话确认扩容时间") == 1 and text.count("赵新") == 1
    assert run("validate").exit_code == 0
    again = json.loads(run("import", str(out), "--format", "json").stdout)
    assert again["created"] == [] and again["updated"] == []
    assert len(list(sample.glob("*.yaml"))) == 40 + 1 + 1  # kacard.yaml, 40 cards, one new
