"""`kacard import` (issue 16): a realistic workbook and a GBK CSV into an empty folder and
into one that already holds some of the accounts; bad cells named; a second import is a no-op."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from kacard.team.import_match import credit_code_ok, normalise_name, suggest_id, with_check_char
from kacard.team.import_read import decode_csv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_workbook import BadCell, company, credit_code, write_workbook


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the folder (but the cache) and the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def named(bad: BadCell) -> str:
    where = f"{bad.file}:{bad.sheet}!{bad.cell}" if bad.sheet else f"{bad.file}:{bad.cell}"
    return f"{where}: {bad.header}: "


@pytest.fixture
def workbook(tmp_path: Path) -> tuple[Path, Path, list[BadCell]]:
    source = tmp_path / "source"
    source.mkdir()
    return write_workbook(source, 60, bad_every=10)


def test_import_into_an_empty_folder_names_every_bad_cell_and_a_second_import_changes_nothing(
        kacard, folder: Path, workbook: tuple[Path, Path, list[BadCell]]) -> None:
    book, visits, bad = workbook
    assert visits.read_bytes().decode("gbk")  # the visits come as Chinese Excel saves a CSV
    result = kacard("import", str(book), "--also", str(visits), "--format", "json")
    assert result.exit_code == 1, result.output  # problems were found; the rest was written
    report = json.loads(result.stdout)
    printed = [f"{p['file']}:{p['sheet']}!{p['column']}{p['row']}: {p['field']}: " if p["sheet"]
               else f"{p['file']}:{p['column']}{p['row']}: {p['field']}: " for p in report["problems"]]
    for cell in bad:
        assert named(cell) in printed, cell
    for line in result.stderr.splitlines()[:-2]:
        assert "12345" not in line, "a bad phone is never echoed"
    # accounts whose owner cell is bad (赵六) cannot be created; every other one is
    ownerless = [p for p in report["problems"] if p["message"].startswith("'赵六'")]
    assert len(ownerless) >= 1
    assert len(report["created"]) == 60 - len(ownerless)
    assert {s["encoding"] for s in report["sources"]} == {None, "GBK"}
    assert kacard("validate").exit_code == 0, kacard("validate").output
    one = (folder / f"{report['created'][0]}.yaml").read_text("utf-8")
    assert "name: 杭州星河燃气有限公司" in one and "credit: {limit: 10000, terms_days: 30}" in one
    assert "annual_sales:" in one  # 年销售额（万元） × 10,000

    before = snapshot(folder)
    again = kacard("import", str(book), "--also", str(visits), "--format", "json")
    second = json.loads(again.stdout)
    assert second["created"] == [] and second["updated"] == []
    assert sorted(second["unchanged"]) == sorted(report["created"])
    assert [p for p in second["problems"] if "赵六" not in p["message"]] == [
        p for p in report["problems"] if "赵六" not in p["message"]]
    assert snapshot(folder) == before


EXISTING = """\
# 老客户：2019 年起合作（a comment that must survive）
id: hz-xinghe
name: 杭州星河燃气（中国）股份有限公司
status: active
owner: lina
tier: S   # pinned by the manager
credit: {limit: 999000, terms_days: 45}
contacts:
  - {name: 王建国, title: 总经理}
visits:
  - date: 2025-03-02
    by: lina
    kind: meeting
    summary: 年度合作回顾
    next: {date: 2025-04-01, action: 送样品}
"""


def test_import_into_a_folder_with_some_of_the_accounts_matches_them(
        kacard, folder: Path, write_card, workbook: tuple[Path, Path, list[BadCell]]) -> None:
    book, visits, _bad = workbook
    write_card("hz-xinghe", EXISTING)  # account 0: 杭州星河燃气有限公司 in the sheet
    write_card("nb-by-code", f"""\
        id: nb-by-code
        name: 宁波老名字有限公司
        owner: zhangwei
        custom: {{credit_code: "{credit_code(1)}"}}
        """)  # account 1, renamed since: found by its credit code
    result = kacard("import", str(book), "--also", str(visits), "--format", "json")
    report = json.loads(result.stdout)
    assert {"hz-xinghe", "nb-by-code"} <= set(report["updated"])
    assert not any(company(0) in c or "hangzhouxingheranqi" == c for c in report["created"])
    cards = list(folder.glob("*.yaml"))
    names = [p.read_text("utf-8").split("\nname: ", 1)[1].split("\n", 1)[0] for p in cards if p.name != "kacard.yaml"]
    assert len(names) == len({normalise_name(n) for n in names}), "no duplicate accounts"
    text = (folder / "hz-xinghe.yaml").read_text("utf-8")
    assert text.startswith("# 老客户：2019 年起合作（a comment that must survive）\nid: hz-xinghe\n")
    assert "tier: A   # pinned by the manager" in text  # the sheet's 客户等级 A类 patched in place
    assert "name: 杭州星河燃气（中国）股份有限公司" in text  # matched by name: its spelling stays
    assert "    summary: 年度合作回顾\n" in text  # history kept
    assert "  - {name: 王建国, title: 采购总监" in text  # the contact matched by name, title updated
    assert kacard("validate").exit_code == 0
    again = json.loads(kacard("import", str(book), "--also", str(visits), "--format", "json").stdout)
    assert again["created"] == [] and again["updated"] == []


def test_dry_run_shows_a_diff_per_card_and_writes_nothing(kacard, folder: Path, write_card, tmp_path: Path) -> None:
    write_card("hz-xinghe", EXISTING)
    sheet = tmp_path / "客户.csv"
    sheet.write_text("客户名称,信用额度,负责业务员\n杭州星河燃气有限公司,1200000,李娜\n杭州新客户有限公司,50000,张伟\n",
                     encoding="utf-8-sig")
    before = snapshot(folder)
    result = kacard("import", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would update hz-xinghe.yaml" in result.stdout
    assert "-credit: {limit: 999000, terms_days: 45}\n    +credit: {limit: 1200000, terms_days: 45}" in result.stdout
    assert "would create hangzhouxinkehu.yaml" in result.stdout
    assert "read: 客户.csv (2 cards rows, UTF-8 with BOM)" in result.stdout
    assert "dry run, nothing written" in result.stderr
    assert snapshot(folder) == before


def test_all_or_nothing_writes_nothing_when_a_cell_is_bad(kacard, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "客户.csv"
    sheet.write_text("客户名称,电话,联系人,负责业务员\n杭州甲有限公司,12,王五,张伟\n杭州乙有限公司,13800000000,赵四,张伟\n",
                     encoding="utf-8")
    before = snapshot(folder)
    result = kacard("import", str(sheet), "--all-or-nothing")
    assert result.exit_code == 1
    assert "客户.csv:B2: 电话: not a phone number" in result.stderr
    assert "nothing written" in result.stderr
    assert snapshot(folder) == before
    assert kacard("import", str(sheet)).exit_code == 1  # without it: the good rows are written
    assert (folder / "hangzhouyi.yaml").exists() and (folder / "hangzhoujia.yaml").exists()


@pytest.mark.parametrize(("encoding", "name"), [("utf-8-sig", "UTF-8 with BOM"), ("utf-8", "UTF-8"),
                                                ("gbk", "GBK"), ("gb18030", "GB18030")])
def test_csv_encodings_are_detected(encoding: str, name: str) -> None:
    text = "客户名称,地址\n杭州星河燃气有限公司,浙江省杭州市\n" + ("䶮族" if encoding == "gb18030" else "")
    decoded, found = decode_csv(text.encode(encoding))
    assert (decoded, found) == (text, name)


def test_company_names_are_compared_without_forms_spaces_and_full_width() -> None:
    same = ["杭州星河燃气有限公司", "杭州星河燃气股份有限公司", "杭州 星河燃气（中国）有限公司", "杭州星河燃气股份",
            "ＨＡＮＧＺＨＯＵ杭州星河燃气有限公司".replace("ＨＡＮＧＺＨＯＵ", "")]
    assert {normalise_name(n) for n in same} == {"杭州星河燃气"}
    assert normalise_name("Westlake Logistics (China) Co., Ltd.") == normalise_name("WESTLAKE LOGISTICS")
    assert normalise_name("杭州星河燃气有限公司") != normalise_name("杭州星河水务有限公司")


def test_credit_codes_are_checked_and_new_ids_are_pinyin_slugs() -> None:
    assert credit_code_ok("91350100M000100Y43")
    code = with_check_char("91330100MA2000001")
    assert credit_code_ok(code) and not credit_code_ok(code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert suggest_id("杭州星河燃气有限公司", set()) == "hangzhouxingheranqi"
    assert suggest_id("杭州星河燃气有限公司", {"hangzhouxingheranqi"}) == "hangzhouxingheranqi-2"
    assert suggest_id("Westlake Logistics (China) Co., Ltd.", set()) == "westlake-logistics"


def test_init_map_writes_a_mapping_that_imports_like_the_automatic_one(
        kacard, folder: Path, workbook: tuple[Path, Path, list[BadCell]]) -> None:
    book, visits, _bad = workbook
    result = kacard("import", str(book), "--also", str(visits), "--init-map")
    assert result.exit_code == 0, result.output
    mapping = folder / "import" / "客户台账.yaml"
    text = mapping.read_text("utf-8")
    assert '"基本信息/客户名称": name' in text and "header: [2, 3]" in text
    assert '- file: "拜访记录.csv"' in text and '"序号": ignore' in text
    assert kacard("import", str(book), "--init-map").exit_code == 2  # never overwritten
    report = json.loads(kacard("import", str(book), "--format", "json").stdout)  # import/客户台账.yaml is used
    assert len(report["created"]) >= 50
    assert {s["kind"] for s in report["sources"]} == {"cards", "contacts", "trades", "visits"}
    assert kacard("validate").exit_code == 0  # the mapping under import/ is not read as a card


def test_a_bad_mapping_is_named_with_its_line(kacard, folder: Path, tmp_path: Path) -> None:
    (folder / "import").mkdir()
    (folder / "import" / "crm.yaml").write_text("version: 1\nsheets:\n  - kind: deals\n    columns: {名称: name}\n",
                                                encoding="utf-8")
    sheet = tmp_path / "crm.csv"
    sheet.write_text("名称\n杭州甲有限公司\n", encoding="utf-8")
    result = kacard("import", str(sheet))
    assert result.exit_code == 2
    assert "crm.yaml:3:" in result.stderr and "sheets.0.kind" in result.stderr
    assert "Traceback" not in result.output
    (folder / "import" / "crm.yaml").write_text(
        "version: 1\ndefaults: {stauts: active}\nsheets:\n  - {kind: cards, columns: {名称: name}}\n", encoding="utf-8")
    result = kacard("import", str(sheet))
    assert result.exit_code == 2 and "defaults.stauts: unknown field 'stauts'" in result.stderr
    result = kacard("import", str(sheet), "--also", str(sheet))
    assert result.exit_code == 2 and "--also is for an import without a mapping" in result.stderr


def test_template_writes_the_workbook_and_its_ready_mapping(kacard, folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "客户资料卡.xlsx"
    result = kacard("import", "--template", str(book), "--sample")
    assert result.exit_code == 0, result.output
    assert (folder / "import" / "客户资料卡.yaml").is_file()
    sheets = load_workbook(book)
    assert sheets.sheetnames == ["客户资料", "联系人", "交易记录", "拜访记录"]
    assert "A2:K2" in {str(r) for r in sheets["客户资料"].merged_cells.ranges}  # 基本信息 over 11 columns
    report = json.loads(kacard("import", str(book), "--format", "json").stdout)
    assert len(report["created"]) == 3
    assert [(p["sheet"], p["column"], p["row"], p["field"]) for p in report["problems"]] == [
        ("客户资料", "R", 6, "联系人/电话")]
    card = (folder / "hangzhouqianjiangshiliwuliu.yaml").read_text("utf-8")
    assert "summary: 介绍仓储管理方案，客户关注实施周期" in card  # the visit sheet's row, not the bare 最近拜访
    assert card.count("date: 2026-10-30") == 1


def test_the_readme_import_session_is_what_kacard_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README "Importing from Excel": every command of its session, run with /tmp/ moved
    to a temp folder, prints the lines shown (a "…" line leaves out the middle)."""
    import re
    import shlex

    from typer.testing import CliRunner

    from kacard.cli.app import app

    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("\n## Importing from Excel")
    block = re.search(r"```console\n(.*?)```", readme[start:], re.DOTALL).group(1)  # type: ignore[union-attr]
    sessions: list[tuple[str, list[str]]] = []
    for line in block.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            sessions.append((line[2:], []))
        else:
            sessions[-1][1].append(line)
    monkeypatch.delenv("KACARD_TODAY")
    base = str(tmp_path) + "/"
    for command, shown in sessions:
        args = shlex.split(command.replace("/tmp/", base))
        if args[0] == "cat":
            printed = Path(args[1]).read_text("utf-8").rstrip("\n").split("\n")
        else:
            result = CliRunner().invoke(app, args[1:])
            assert "Traceback" not in result.output
            printed = (result.stdout + result.stderr).replace(base, "/tmp/").rstrip("\n").split("\n")
        if "…" in shown:
            cut = shown.index("…")
            head, tail = shown[:cut], shown[cut + 1:]
            assert printed[:len(head)] == head, command
            assert printed[-len(tail):] == tail, command
        else:
            assert printed == shown, command


def test_coordinates_in_another_datum_than_the_folders_are_refused_with_one_problem(folder: Path, tmp_path: Path) -> None:
    """The mapping records the datum of lat/lon columns; converting belongs to the routes'
    map module, so a sheet in another datum than the folder's keeps its coordinates out."""
    import datetime as dt

    from kacard.cards.store import load_folder
    from kacard.team.import_map import build_map
    from kacard.team.importer import import_file

    sheet = tmp_path / "客户.csv"
    sheet.write_text("客户名称,负责业务员,纬度,经度\n杭州甲有限公司,张伟,30.2741,120.1551\n", encoding="utf-8")
    mapping, _found = build_map(sheet)
    mapping.datum = "bd09"
    seen: list[tuple[int, int]] = []
    result = import_file(load_folder(folder, dt.date(2026, 11, 23)), sheet, mapping, dt.date(2026, 11, 23),
                         dry_run=True, folder_datum="gcj02", progress=lambda done, total: seen.append((done, total)))
    assert [(p.field, p.row) for p in result.problems] == [("纬度", None)]
    assert "bd09" in result.problems[0].message and "gcj02" in result.problems[0].message
    assert "location" not in result.changes[0].text and "name: 杭州甲有限公司" in result.changes[0].text
    assert seen[-1] == (1, 1)  # the progress line is told the rows done
    same = import_file(load_folder(folder, dt.date(2026, 11, 23)), sheet, mapping.model_copy(update={"datum": "gcj02"}),
                       dt.date(2026, 11, 23), dry_run=True, folder_datum="gcj02")
    assert same.problems == [] and "location: {lat: 30.2741, lon: 120.1551}" in same.changes[0].text


def test_new_card_text_reads_back_as_the_values_written() -> None:
    """import_emit writes new cards without ruamel: any text reads back unchanged."""
    import datetime as dt

    from hypothesis import given
    from hypothesis import strategies as st
    from ruamel.yaml.comments import CommentedMap

    from kacard.cards import yamlio
    from kacard.cards.yamlio import flow_map, flow_seq
    from kacard.team.import_emit import card_text

    @given(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3))
    def check(text: str, tags: list[str]) -> None:
        root = CommentedMap()
        root["name"] = text
        root["tags"] = flow_seq(tags)
        root["credit"] = flow_map({"rating": text, "limit": 1200.5})
        root["since"] = dt.date(2026, 1, 2)
        try:
            data = yamlio.load_data(card_text(root, ["# header"]))
        except yamlio.YamlProblem:
            assert any(ch in text + "".join(tags) for ch in "\x00\ufffe\uffff") or any(
                0xD800 <= ord(ch) <= 0xDFFF for ch in text + "".join(tags)), repr(text)
            return
        assert data == {"name": text, "tags": tags, "credit": {"rating": text, "limit": 1200.5},
                        "since": "2026-01-02"}

    check()
