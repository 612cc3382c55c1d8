"""`kacard import` never loses data a fresh user handed it (session 12): a redacted export
is refused and masks are never written; an old exported workbook changes only what was
edited in it, names its conflicts and never undoes a handover; Excel date serials in
General-format cells are dates. kacard runs as its own process on real xlsx/csv files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kacard.privacy import is_masked, mask_email, mask_phone, scrub

ROOT = Path(__file__).resolve().parent.parent
KACARD = str(Path(sys.executable).parent / "kacard")


def kacard(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kacard CMD --dir folder ARGS…` as its own process (KACARD_TODAY etc. from the test env)."""
    return subprocess.run([KACARD, args[0], "--dir", str(folder), *args[1:]], capture_output=True, text=True,
                          check=False, env=os.environ.copy())


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.yaml"))}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "rt"
    shutil.copytree(ROOT / "cards", folder)
    return folder


def problems_of(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return json.loads(result.stdout)["problems"]


# -- 1. a redacted export ------------------------------------------------------------------------


def test_a_redacted_workbook_is_refused_whole_and_no_card_changes(sample: Path, tmp_path: Path) -> None:
    red = tmp_path / "red.xlsx"
    assert kacard(sample, "export", "--redact", "--format", "xlsx", "-o", str(red)).returncode == 0
    before = snapshot(sample)
    result = kacard(sample, "import", str(red))
    assert result.returncode == 2, result
    assert "red.xlsx was exported with --redact" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(sample) == before
    book = load_workbook(red)  # opened and saved again (as Excel does): still refused
    book["cards"]["F2"] = "B"
    book.save(red)
    assert kacard(sample, "import", str(red)).returncode == 2
    assert snapshot(sample) == before


def test_masks_in_a_file_without_the_mark_are_left_out_and_reported_once(sample: Path, tmp_path: Path) -> None:
    red = tmp_path / "contacts.csv"  # a CSV file has no room for a mark
    assert kacard(sample, "export", "--redact", "--format", "csv", "--table", "contacts", "-o", str(red)).returncode == 0
    before = (sample / "hz-xinghe-gas.yaml").read_text("utf-8")
    result = kacard(sample, "import", str(red), "--format", "json")
    assert result.returncode == 1, result
    found = problems_of(result)
    masks = [p for p in found if "masks made by `kacard export --redact`" in str(p["message"])]
    assert len(masks) == 1 and len(found) == 1, found  # one line for the file, not one a cell
    assert masks[0]["file"] == "contacts.csv" and masks[0]["row"] == 2
    assert int(str(masks[0]["message"]).split()[0]) >= 128  # every contact's phone at least
    for card in sample.glob("*.yaml"):
        text = card.read_text("utf-8")
        assert "[redacted]" not in text and "***" not in text, card.name
    assert (sample / "hz-xinghe-gas.yaml").read_text("utf-8") == before
    for line in result.stderr.splitlines():
        assert "@" not in line


@pytest.mark.parametrize("text", [
    "+86 138 0000 0001", "(0571) 8888 8888", "0571-8888 8888转12", "电话13800000001", "wang.jg@example.com",
    "王建国@例子.中国", "微信 wangjg_1988", "QQ 12345678", "身份证 330106198001011234", "家住文三路100号",
    "3幢2单元501室",
])
def test_every_mask_the_redaction_rule_makes_is_known_as_one(text: str) -> None:
    said = f"见面聊，{text}。"
    assert scrub(said) != said and is_masked(scrub(said))
    assert not is_masked(said)


@pytest.mark.parametrize("phone", ["+86 138 0000 0001", "(0571) 8888 8888", "13800000001", "12345", "0086 571 8888 8888"])
def test_masked_phones_and_e_mails_are_known_as_masks(phone: str) -> None:
    assert is_masked(mask_phone(phone)) and not is_masked(phone)
    assert is_masked(mask_email("wang.jg@example.com")) and is_masked(mask_email("not an address"))


def test_a_card_text_that_looks_like_a_mask_comes_back_from_its_own_export_without_a_problem(
        sample: Path, tmp_path: Path) -> None:
    card = sample / "hz-xinghe-gas.yaml"
    card.write_text(card.read_text("utf-8").replace("address: ", "address: '[redacted]' #", 1), "utf-8")
    book = tmp_path / "all.xlsx"
    assert kacard(sample, "export", "--format", "xlsx", "-o", str(book)).returncode == 0
    result = kacard(sample, "import", str(book), "--format", "json")
    assert result.returncode == 0 and problems_of(result) == [], result


def test_no_value_of_the_sample_cards_looks_like_a_mask(sample: Path) -> None:
    data = json.loads(kacard(sample, "export").stdout)
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    assert len(texts) > 3000 and [t for t in texts if is_masked(t)] == []
    assert not is_masked("A**") and not is_masked("3*4 米")


# -- 2. an old workbook ---------------------------------------------------------------------------


def _row_of(sheet, card_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in sheet.iter_rows(min_row=2) if r[0].value == card_id)


def test_an_old_workbook_changes_only_what_was_edited_and_names_its_conflicts(sample: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.xlsx"
    assert kacard(sample, "export", "--format", "xlsx", "-o", str(old)).returncode == 0
    handed = kacard(sample, "handover", "张伟", "李娜", "--ids", "hz-xinghe-gas")
    assert handed.returncode == 0, handed
    card = sample / "hz-xinghe-gas.yaml"
    card.write_text(card.read_text("utf-8").replace("limit: 312000", "limit: 500000"), "utf-8")

    untouched = kacard(sample, "import", str(old), "--format", "json")
    assert untouched.returncode == 0, untouched
    report = json.loads(untouched.stdout)
    assert report["updated"] == [] and report["problems"] == []
    text = card.read_text("utf-8")
    assert "owner: lina" in text and "limit: 500000" in text

    book = load_workbook(old)  # a rep edits the old workbook in Excel
    cards = book["cards"]
    header = [c.value for c in cards[1]]
    assert header[-1] == "kacard_stamp" and cards.column_dimensions["V"].hidden
    xinghe = _row_of(cards, "hz-xinghe-gas")
    xinghe[header.index("credit_limit")].value = 400000  # the card changed since: a conflict
    xinghe[header.index("address")].value = "杭州市拱墅区新址1号"  # ... so this is not written either
    other = _row_of(cards, "hz-beichen-foods")
    other[header.index("address")].value = "杭州市余杭区新址2号"  # unchanged on the card: applied
    book.save(old)
    result = kacard(sample, "import", str(old), "--format", "json")
    assert result.returncode == 1, result
    report = json.loads(result.stdout)
    assert report["updated"] == ["hz-beichen-foods"]
    column = chr(ord("A") + header.index("credit_limit"))
    conflicts = [(p["sheet"], f"{p['column']}{p['row']}", p["field"]) for p in report["problems"]]
    assert ("cards", f"{column}{xinghe[0].row}", "credit_limit") in conflicts
    assert all("changed since it was exported" in str(p["message"]) for p in report["problems"])
    text = card.read_text("utf-8")
    assert "owner: lina" in text and "limit: 500000" in text and "新址1号" not in text
    assert "新址2号" in (sample / "hz-beichen-foods.yaml").read_text("utf-8")
    assert kacard(sample, "validate").returncode == 0


def test_an_old_record_row_edited_after_the_record_changed_is_a_conflict(sample: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.xlsx"
    assert kacard(sample, "export", "--format", "xlsx", "-o", str(old)).returncode == 0
    book = load_workbook(old)
    contacts = book["contacts"]
    header = [c.value for c in contacts[1]]
    row = next(r for r in contacts.iter_rows(min_row=2) if r[0].value == "hz-xinghe-gas")
    name = row[header.index("name")].value
    row[header.index("title")].value = "副总经理（表格）"
    book.save(old)
    card = sample / "hz-xinghe-gas.yaml"
    text = card.read_text("utf-8")
    block = f"  - name: {name}\n    title: 副总经理\n"
    assert text.count(block) == 1
    card.write_text(text.replace(block, f"  - name: {name}\n    title: 总经理\n"), "utf-8")  # since the export
    result = kacard(sample, "import", str(old), "--format", "json")
    assert result.returncode == 1, result
    report = json.loads(result.stdout)
    assert report["updated"] == [] and [p["field"] for p in report["problems"]] == ["title"]
    assert "副总经理（表格）" not in card.read_text("utf-8")


def test_a_hand_made_sheet_never_undoes_a_handover(sample: Path, tmp_path: Path) -> None:
    assert kacard(sample, "handover", "张伟", "李娜", "--ids", "hz-xinghe-gas").returncode == 0
    sheet = tmp_path / "owners.csv"
    sheet.write_text("id,name,owner,tier\nhz-xinghe-gas,杭州星河燃气集团有限公司,张伟,A\n", "utf-8")
    result = kacard(sample, "import", str(sheet), "--format", "json")
    assert result.returncode == 1, result
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["field"] == "owner" and problem["column"] == "C" and problem["row"] == 2
    assert "kacard handover" in str(problem["message"]) and "lina" in str(problem["message"])
    text = (sample / "hz-xinghe-gas.yaml").read_text("utf-8")
    assert "owner: lina" in text and "tier: A" in text  # the rest of the row was imported


def test_validate_warns_when_the_owner_contradicts_the_last_handover(sample: Path) -> None:
    assert kacard(sample, "handover", "张伟", "李娜", "--ids", "hz-xinghe-gas").returncode == 0
    card = sample / "hz-xinghe-gas.yaml"
    lines = card.read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("owner:"))
    card.write_text(card.read_text("utf-8").replace("owner: lina", "owner: 李娜"), "utf-8")
    assert "owner" not in kacard(sample, "validate").stdout  # the same rep, by name
    card.write_text(card.read_text("utf-8").replace("owner: 李娜", "owner: zhangwei"), "utf-8")
    result = kacard(sample, "validate")
    assert result.returncode == 0  # a warning, not an error
    assert f"hz-xinghe-gas.yaml:{line}:1: owner: warning: owner zhangwei is not lina" in result.stdout
    zh = subprocess.run([KACARD, "validate", "--dir", str(sample)], capture_output=True, text=True, check=False,
                        env={**os.environ, "KACARD_LANG": "zh"})
    assert "kacard handover" in zh.stdout and "交接" in zh.stdout


# -- 3. Excel date serials -------------------------------------------------------------------------


def test_date_serials_in_general_cells_are_dates(folder: Path, tmp_path: Path) -> None:
    book_path = tmp_path / "客户.xlsx"
    assert kacard(folder, "import", "--template", str(book_path), "--sample").returncode == 0
    book = load_workbook(book_path)
    sheet = book["客户资料"]
    assert sheet["S3"].value == "最近拜访" and sheet["T3"].value == "下次拜访"
    sheet["S4"], sheet["T4"] = 46300, 46310.0
    sheet["S4"].number_format = sheet["T4"].number_format = "General"
    book.save(book_path)
    result = kacard(folder, "import", str(book_path), "--format", "json")
    assert [p for p in problems_of(result) if p["row"] == 4] == [], result.stdout
    card_id = json.loads(result.stdout)["created"][0]
    text = (folder / f"{card_id}.yaml").read_text("utf-8")
    assert "date: 2026-10-05" in text and "2026-10-15" in text

    book.epoch = dt.datetime(1904, 1, 1)  # an old Mac workbook counts from 1904
    book.save(book_path)
    assert 'date1904="1"' in __import__("zipfile").ZipFile(book_path).read("xl/workbook.xml").decode()
    for card in folder.glob("*.yaml"):
        if card.name != "kacard.yaml":
            card.unlink()
    result = kacard(folder, "import", str(book_path), "--format", "json")
    text = (folder / f"{json.loads(result.stdout)['created'][0]}.yaml").read_text("utf-8")
    assert "date: 2030-10-06" in text


def test_a_serial_as_csv_text_is_a_date_and_other_numbers_are_not(folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "客户.csv"
    sheet.write_text("客户名称,负责业务员,最近拜访\n杭州甲公司,张伟,46300\n杭州乙公司,张伟,463\n", "utf-8")
    result = kacard(folder, "import", str(sheet), "--format", "json")
    report = json.loads(result.stdout)
    assert [(p["row"], p["column"]) for p in report["problems"]] == [(3, "C")]
    assert "'463' is not a date" in str(report["problems"][0]["message"])
    texts = [p.read_text("utf-8") for p in folder.glob("*.yaml") if p.name != "kacard.yaml"]
    assert any("date: 2026-10-05" in t for t in texts)
