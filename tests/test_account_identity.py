"""One account, one card: `kacard import` never moves a row onto another company's card
by a phone number, a name with another credit code is a conflict, the all-or-nothing /
partial rule holds even when a write fails, and `kacard new` refuses a second card of a
name already on file. Run as users run kacard: a real process on a copy of the sample
folder `cards/`, real CSV and xlsx files in temp dirs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kacard.cards.names import clearly_different, same_name
from kacard.team.import_match import AccountIndex

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the repository's sample folder."""
    copy = tmp_path / "cards"
    shutil.copytree(ROOT / "cards", copy)
    return copy


def kacard(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KACARD_LANG": lang, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "kacard", *args, "--today", "2026-11-23"],
                          check=False, capture_output=True, text=True, env=env, timeout=120)


def test_a_phone_never_moves_a_row_onto_a_clearly_different_company(sample: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "x.csv"  # 13800002110 is a contact's phone on hz-xinghe-gas (杭州星河燃气集团有限公司)
    sheet.write_text("客户名称,负责业务员,地址,联系人,电话\n宁波完全不同有限公司,李娜,宁波市某路1号,赵六,13800002110\n",
                     encoding="utf-8")
    gas = (sample / "hz-xinghe-gas.yaml").read_bytes()
    dry = kacard("import", str(sheet), "--dir", str(sample), "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["updated"] == [] and json.loads(dry.stdout)["created"] == ["ningbowanquanbutong"]
    done = kacard("import", str(sheet), "--dir", str(sample))
    assert done.returncode == 0, done.stderr
    assert "created ningbowanquanbutong.yaml" in done.stdout and "hz-xinghe-gas" not in done.stdout
    assert (sample / "hz-xinghe-gas.yaml").read_bytes() == gas
    new = (sample / "ningbowanquanbutong.yaml").read_text(encoding="utf-8")
    assert "owner: lina" in new and "赵六" in new and "宁波市某路1号" in new
    # the same phone with the account's own name, written shorter: still found by it
    same = tmp_path / "y.csv"
    same.write_text("客户名称,地址,联系人,电话\n星河燃气,杭州市新地址2号,赵六,13800002110\n", encoding="utf-8")
    found = kacard("import", str(same), "--dir", str(sample), "--format", "json")
    assert json.loads(found.stdout)["updated"] == ["hz-xinghe-gas"], found.stderr
    assert "杭州市新地址2号" in (sample / "hz-xinghe-gas.yaml").read_text(encoding="utf-8")


def test_the_shipped_sample_workbook_creates_its_three_accounts_and_touches_no_other(
        sample: Path, tmp_path: Path) -> None:
    book = tmp_path / "t.xlsx"
    assert kacard("import", "--template", str(book), "--sample", "--dir", str(sample)).returncode == 0
    before = snapshot(sample)
    result = kacard("import", str(book), "--dir", str(sample), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1, "the deliberately bad phone is a problem"
    assert [(p["sheet"], p["row"], p["field"]) for p in report["problems"]] == [("客户资料", 6, "联系人/电话")]
    assert sorted(report["created"]) == ["hangzhouqianjiangshiliwuliu", "hangzhouyunqishilikeji",
                                         "ningboshilibaozhuang"]
    assert report["updated"] == []
    after = snapshot(sample)
    assert {k: v for k, v in after.items() if k in before} == before, "no card on file was touched"
    yunqi = (sample / "hangzhouyunqishilikeji.yaml").read_text(encoding="utf-8")
    assert "郑华" in yunqi and "INV-2026-0915" in yunqi and "INV-2026-1105" in yunqi, "its contact and trade rows"
    again = json.loads(kacard("import", str(book), "--dir", str(sample), "--format", "json").stdout)
    assert again["created"] == again["updated"] == [] and len(again["problems"]) == 1


def test_a_name_on_file_with_another_credit_code_is_a_conflict_and_only_its_rows_are_left_out(
        sample: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    from kacard.team.import_match import with_check_char

    (sample / "hz-xinghe-gas.yaml").write_text(
        (sample / "hz-xinghe-gas.yaml").read_text(encoding="utf-8")
        + f'custom: {{credit_code: "{with_check_char("91330100MA2KX0007")}"}}\n', encoding="utf-8")
    book = Workbook()
    accounts = book.active
    accounts.title = "客户资料"
    accounts.append(["客户名称", "统一社会信用代码", "负责业务员", "地址"])
    accounts.append(["杭州星河燃气集团有限公司", with_check_char("91330100MA2KX0008"), "李娜", "别处1号"])
    accounts.append(["杭州另一家有限公司", None, "张伟", "杭州市某路3号"])
    contacts = book.create_sheet("联系人")
    contacts.append(["客户名称", "姓名", "职务"])
    contacts.append(["杭州星河燃气集团有限公司", "钱七", "采购经理"])
    contacts.append(["杭州另一家有限公司", "孙八", "总经理"])
    path = tmp_path / "codes.xlsx"
    book.save(path)
    before = snapshot(sample)
    result = kacard("import", str(path), "--dir", str(sample))
    assert result.returncode == 1
    assert ("codes.xlsx:客户资料!A2: 客户名称: has the name of hz-xinghe-gas (杭州星河燃气集团有限公司) "
            "but another 统一社会信用代码") in result.stderr
    assert ("codes.xlsx:联系人!A2: 客户名称: not imported: this account's own row (row 2 of codes.xlsx!客户资料) "
            "was not imported") in result.stderr, "its contact does not slip onto the card by name"
    assert "created hangzhoulingyijia.yaml" in result.stdout, "the partial rule: the good rows are written"
    after = snapshot(sample)
    assert set(after) - set(before) == {"hangzhoulingyijia.yaml"}
    assert {k: after[k] for k in before} == before
    assert "孙八" in (sample / "hangzhoulingyijia.yaml").read_text(encoding="utf-8")
    zh = kacard("import", str(path), "--dir", str(sample), "--dry-run", lang="zh")
    assert "与 hz-xinghe-gas (杭州星河燃气集团有限公司) 同名，但统一社会信用代码不同" in zh.stderr
    assert "未导入：该客户本身的资料行（codes.xlsx!客户资料 第 2 行）未导入" in zh.stderr


def test_all_or_nothing_holds_when_a_card_cannot_be_written(sample: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "limits.csv"
    sheet.write_text("客户名称,信用额度\n杭州星河燃气集团有限公司,1230000\n杭州知岸数据科技有限公司,4560000\n",
                     encoding="utf-8")
    (sample / "hz-zhian-data.yaml.lock").write_text("pid 1 on another host\n", encoding="utf-8")  # busy
    before = snapshot(sample)
    refused = kacard("import", str(sheet), "--dir", str(sample), "--all-or-nothing")
    assert refused.returncode == 1
    assert "hz-zhian-data.yaml is being written by another kacard" in refused.stderr
    assert "would update hz-xinghe-gas.yaml" in refused.stdout and "nothing written" in refused.stderr
    assert snapshot(sample) == before
    partial = kacard("import", str(sheet), "--dir", str(sample), "--format", "json")
    report = json.loads(partial.stdout)
    assert partial.returncode == 1 and report["written"] is True
    assert report["updated"] == ["hz-xinghe-gas"], "the card that could not be written is not reported updated"
    assert "1230000" in (sample / "hz-xinghe-gas.yaml").read_text(encoding="utf-8")
    assert (sample / "hz-zhian-data.yaml").read_bytes() == (ROOT / "cards" / "hz-zhian-data.yaml").read_bytes()


def test_new_refuses_a_second_card_of_a_name_on_file_unless_an_id_is_given(sample: Path) -> None:
    first = kacard("new", "--name", "杭州星河纺织有限公司", "--owner", "lina", "--dir", str(sample))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "created hz-xinghefangzhi.yaml"
    before = snapshot(sample)
    for spelling in ("杭州星河纺织有限公司", " 杭州　星河纺织（中国）有限公司", "杭州星河纺织"):
        again = kacard("new", "--name", spelling, "--owner", "lina", "--dir", str(sample))
        assert again.returncode == 2, spelling
        assert "is already the name of hz-xinghefangzhi (hz-xinghefangzhi.yaml)" in again.stderr
        assert "Traceback" not in again.stderr
    assert snapshot(sample) == before
    zh = kacard("new", "--name", "杭州星河纺织有限公司", "--owner", "lina", "--dir", str(sample), lang="zh")
    assert zh.returncode == 2 and "已有同名客户" in zh.stderr and "hz-xinghefangzhi（hz-xinghefangzhi.yaml）" in zh.stderr
    other = kacard("new", "--name", "杭州星河纺织有限公司", "--owner", "lina", "--dir", str(sample))
    assert other.returncode == 2
    deliberate = kacard("new", "hz-xinghe-textile-2", "--name", "杭州星河纺织有限公司", "--owner", "lina",
                        "--dir", str(sample))
    assert deliberate.returncode == 0, deliberate.stderr
    assert (sample / "hz-xinghe-textile-2.yaml").exists()
    assert kacard("validate", "--dir", str(sample)).returncode == 0


def test_names_are_one_account_when_forms_width_and_spaces_aside_they_agree() -> None:
    assert same_name("杭州星河纺织有限公司", " 杭州 星河纺织（中国）有限公司")
    assert same_name("Westlake Logistics (China) Co., Ltd.", "WESTLAKE LOGISTICS")
    assert not same_name("杭州星河纺织有限公司", "宁波星河纺织有限公司")
    assert not clearly_different("杭州星河燃气集团有限公司", "星河燃气")
    assert clearly_different("杭州星河燃气集团有限公司", "宁波完全不同有限公司")
    assert not clearly_different("杭州星河燃气", "")
    index = AccountIndex()
    index.add("a", "杭州星河燃气集团有限公司", None, ["+86 138 0000 2110"])
    assert index.find(name="宁波完全不同有限公司", phone="13800002110").how == "none"
    assert index.find(name="星河燃气", phone="13800002110").card_id == "a"
    assert index.find(phone="13800002110").card_id == "a", "a row without a name is found by its phone"
