"""A contact's phone and e-mail as a Chinese phone or input method types them (README "The card
format": the phone and e-mail rule, kacard.cards.model.reach): full-width forms read as ASCII,
an extension kept as `ext`, free text and non-addresses refused by `validate` and `import` with
file, line (or cell) and field, in the user's language, never quoting the value; and reading a
card never rewrites what the user typed."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from kacard.cards.model.reach import normal_email, normal_phone
from kacard.render.brief import tel_uri

# (typed, what the card model keeps)
GOOD_PHONES = [
    ("１３８００１３８０００", "13800138000"),  # full-width digits
    ("+86 138 0013 8000 转 802", "+86 138 0013 8000 ext 802"),
    ("０５７１－８８８８ ８８８８ 分机 12", "0571-8888 8888 ext 12"),
    ("0571-8888 8888-802", "0571-8888 8888 ext 802"),  # -802 after a complete landline
    ("138-0013-8000-802", "138-0013-8000 ext 802"),  # and after a complete mobile
    ("（0571）8800 0002 ext. 5", "(0571)8800 0002 ext 5"),
    ("+1 650 253 0000 x12", "+1 650 253 0000 ext 12"),  # another country: no Chinese digit counts
    ("+86 138 0000 0001", "+86 138 0000 0001"),
]
BAD_PHONES = [
    ("138-0013-8000 (office)", "not a phone number: write only digits"),
    ("找前台转", "not a phone number: write only digits"),
    ("138 0000 0001\" onclick=\"x", "not a phone number: write only digits"),
    ("1380013800", "a mobile number has 11 digits, this one has 10"),
    ("12345", "not a phone number: it has 5 digits"),
    ("0571 8888 8888 888", "a landline number with its area code has at most 12 digits"),
]
GOOD_EMAILS = [
    ("li＠example.com", "li@example.com"),
    ("ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ", "li@example.com"),
    ("li@example。com", "li@example.com"),  # the ideographic full stop, as IDNA reads it
    ("王建国@例子.中国", "王建国@例子.中国"),  # an internationalised address is an address
]
BAD_EMAILS = [
    ("wangjg@example", "the part after @ must be a domain"),
    ("wang jg@example.com", "it has a space in it"),
    ("wangjg.example.com", "write one @ between the name and the domain"),
    ("wangjg@b@example.com", "write one @ between the name and the domain"),
]


@pytest.mark.parametrize(("typed", "kept"), GOOD_PHONES)
def test_a_phone_is_read_as_what_it_unambiguously_means(typed: str, kept: str) -> None:
    assert normal_phone(typed) == kept
    assert normal_phone(kept) == kept  # the rule is a fixed point: import compares like with like


@pytest.mark.parametrize(("typed", "why"), BAD_PHONES)
def test_what_is_not_a_phone_is_refused_without_quoting_it(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)) as caught:
        normal_phone(typed)
    digits = "".join(ch for ch in typed if ch.isdigit())
    assert typed not in str(caught.value) and (len(digits) < 3 or digits not in str(caught.value))


@pytest.mark.parametrize(("typed", "kept"), GOOD_EMAILS)
def test_an_email_is_read_as_ascii_where_it_was_typed_full_width(typed: str, kept: str) -> None:
    assert normal_email(typed) == kept


@pytest.mark.parametrize(("typed", "why"), BAD_EMAILS)
def test_what_is_not_an_email_is_refused_without_quoting_it(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)) as caught:
        normal_email(typed)
    assert typed not in str(caught.value) and typed.split("@")[0] not in str(caught.value)


def test_tel_links_carry_the_extension() -> None:
    assert tel_uri("+86 138 0013 8000 ext 802") == "tel:+8613800138000;ext=802"
    assert tel_uri("0571-8888 8888") == "tel:057188888888"


def _contacts(pairs: list[tuple[str, str]], field: str) -> str:
    lines = [f"  - {{name: 联系人{i}, {field}: {json.dumps(typed, ensure_ascii=False)}}}"
             for i, (typed, _) in enumerate(pairs, 1)]
    return "id: hz-a\nname: 测试客户\nowner: zhangwei\ncontacts:\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validate_names_file_line_and_field_of_each_bad_phone_and_email(kacard, write_card, lang: str) -> None:
    write_card("hz-a", _contacts(BAD_PHONES, "phone"))
    write_card("hz-b", _contacts(BAD_EMAILS, "email").replace("hz-a", "hz-b"))
    result = kacard("validate", "--lang", lang)
    assert result.exit_code == 1, result.output
    for i, (typed, _) in enumerate(BAD_PHONES):
        line = next(x for x in result.output.splitlines() if x.startswith(f"hz-a.yaml:{5 + i}:"))
        assert f"contacts.{i}.phone:" in line
        assert (f"contact {i + 1}: " if lang == "en" else f"第 {i + 1} 个联系人：") in line
        assert ("电话号码" in line or "手机号码" in line or "座机号码" in line) if lang == "zh" else "number" in line
    for i in range(len(BAD_EMAILS)):
        line = next(x for x in result.output.splitlines() if x.startswith(f"hz-b.yaml:{5 + i}:"))
        assert f"contacts.{i}.email:" in line
        assert ("不是电子邮箱地址" if lang == "zh" else "not an e-mail address") in line
    for typed, _ in BAD_PHONES + BAD_EMAILS:
        assert typed not in result.output, "personal data is never quoted"
    assert "13800138" not in result.output and "Traceback" not in result.output


def test_full_width_phones_and_emails_are_valid_and_shown_normalised_but_never_rewritten(
        kacard, write_card, tmp_path, monkeypatch) -> None:
    text = _contacts(GOOD_PHONES, "phone").replace("联系人1,", "联系人1, email: ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ,")
    text += "visits:\n  - {date: 2026-11-02, summary: 初访, next: {date: 2026-11-20, action: 报价}}\n"
    path = write_card("hz-a", text)
    assert kacard("validate").exit_code == 0, kacard("validate").output
    shown = json.loads(kacard("show", "hz-a", "--format", "json").stdout)
    assert [p["phone"] for p in shown["people"]] == [kept for _, kept in GOOD_PHONES]
    assert shown["people"][0]["email"] == "li@example.com"
    before = path.read_text("utf-8")
    assert kacard("log", "hz-a", "--summary", "回访", "--next-date", "2026-12-01",
                  "--next-action", "报价").exit_code == 0
    after = path.read_text("utf-8")
    assert after.split("visits:")[0] == before.split("visits:")[0], "the contacts are untouched"
    for typed, _ in GOOD_PHONES:
        assert typed in after, "the user's own text of an untouched field stays"
    editor = tmp_path / "editor.py"
    editor.write_text(textwrap.dedent("""\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('name: 测试客户', 'name: 测试客户二'), 'utf-8')
        """), encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    assert kacard("edit", "hz-a").exit_code == 0
    assert path.read_text("utf-8") == after.replace("name: 测试客户", "name: 测试客户二")


def _workbook(path: Path) -> list[tuple[str, str, str]]:
    """A 客户资料 sheet with one account per example; returns (cell, typed, kind) of the bad ones."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户资料"
    sheet.append(["客户名称", "负责业务员", "联系人", "电话", "邮箱"])
    bad: list[tuple[str, str, str]] = []
    rows = [(typed, "ok@example.com") for typed, _ in GOOD_PHONES + BAD_PHONES]
    rows += [("13800138000", typed) for typed, _ in GOOD_EMAILS + BAD_EMAILS]
    for i, (phone, email) in enumerate(rows):
        sheet.append([f"杭州测试{i}号有限公司", "张伟", f"联系人{i}", phone, email])
        row = sheet.max_row
        if phone in dict(BAD_PHONES):
            bad.append((f"D{row}", phone, "phone"))
        if email in dict(BAD_EMAILS):
            bad.append((f"E{row}", email, "email"))
    book.save(path)
    return bad


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_import_names_each_bad_cell_and_keeps_the_good_ones_normalised(kacard, folder, tmp_path, lang) -> None:
    book = tmp_path / "客户台账.xlsx"
    bad = _workbook(book)
    result = kacard("import", str(book), "--lang", lang)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for cell, typed, kind in bad:
        line = next((x for x in result.stderr.splitlines() if x.startswith(f"客户台账.xlsx:客户资料!{cell}: ")), None)
        assert line is not None, (cell, result.stderr)
        assert ("电话" if kind == "phone" else "邮箱") in line
        words = {"phone": ("number", "号码"), "email": ("e-mail", "邮箱地址")}[kind]
        assert words[lang == "zh"] in line
        assert typed not in line
    cards = "".join(p.read_text("utf-8") for p in folder.glob("*.yaml"))
    for _, kept in GOOD_PHONES + GOOD_EMAILS:
        assert kept in cards
    assert kacard("validate").exit_code == 0
    again = kacard("import", str(book), "--format", "json")
    assert json.loads(again.stdout)["updated"] == [], "a second import finds the normalised values equal"
