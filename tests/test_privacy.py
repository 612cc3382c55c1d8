"""Issue 13, kind 2: one redaction rule (kacard/privacy.py) for every format marked for
sharing, covering the identifiers used in China; errors never print personal values;
the rep's own brief shows phones in every format (tap-to-call in HTML)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kacard.privacy import mask_phone, scrub

# The twelve kinds the issue tried on `export --redact`, each as it may sit in free text.
SECRETS = {
    "id_number": "33010619800101123X",
    "id_number_spaced": "330106 19800101 1234",
    "mobile_dots": "138.0000.0000",
    "landline_brackets": "(0571) 8888 8888",
    "landline_run": "057188888888",
    "intl_brackets": "+86 (138) 0000 0001",
    "email_non_ascii": "王建国@例子.中国",
    "email_accent": "josé.müller@exämple.com",
    "wechat_wxid": "wxid_k3j4h5g6",
    "wechat_label": "微信 wangjg1980",
    "qq": "QQ 12345678",
    "home_address": "家住杭州市西湖区文三路100号",
}
# What must be gone after redaction (the identifying part of each).
LEAKS = {
    "id_number": "33010619800101123X", "id_number_spaced": "19800101", "mobile_dots": "138.0000",
    "landline_brackets": "8888 8888", "landline_run": "0571888888", "intl_brackets": "(138) 0000",
    "email_non_ascii": "王建国@", "email_accent": "josé.müller", "wechat_wxid": "wxid_k3j4h5g6",
    "wechat_label": "wangjg1980", "qq": "12345678", "home_address": "文三路100号",
}
KEEP = "拜访 2026-11-23 金额 1,200,000 INV-2026-0009 10:00 三号线 45 分钟 hz-xinghe"


@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_scrub_masks_each_kind_in_free_text(kind: str) -> None:
    text = f"客户说：{SECRETS[kind]}，下周再联系"
    out = scrub(text)
    assert LEAKS[kind] not in out, out
    assert out.startswith("客户说：") and out.endswith("，下周再联系")


def test_scrub_keeps_business_text() -> None:
    assert scrub(KEEP) == KEEP


def test_phone_forms_keep_country_code_and_last_two() -> None:
    assert mask_phone("+86 138 0000 0001") == "+86 *** **** **01"
    assert scrub("call +86 (138) 0000 0001 now") == "call +86 (***) **** **01 now"
    assert scrub("座机 0571-8888 8888转123").count("*") >= 10


CARD = f"""\
id: hz-xinghe
name: 杭州星河纺织有限公司
status: active
owner: zhangwei
location: {{lat: 30.2489, lon: 120.1712}}
contacts:
  - {{name: 王建国, title: 采购总监, role: decision_maker, phone: "+86 138 0000 0001", email: 王建国@例子.中国,
     notes: "私人备注：爱好钓鱼"}}
visits:
  - date: 2026-11-10
    summary: "{'；'.join(SECRETS.values())}"
    next: {{date: 2026-11-24, action: "打 {SECRETS['mobile_dots']} 约{SECRETS['wechat_label']}"}}
signals:
  - {{date: 2026-11-12, kind: other, note: "{SECRETS['qq']} {SECRETS['home_address']}"}}
tags: ["{SECRETS['wechat_wxid']}"]
"""


def _assert_no_leak(text: str) -> None:
    for kind, leak in LEAKS.items():
        assert leak not in text, (kind, leak)
    assert "+86 138 0000 0001" not in text


def test_export_redact_removes_all_twelve_kinds(kacard, write_card) -> None:
    write_card("hz-xinghe", CARD)
    whole = kacard("export", "--redact")
    assert whole.exit_code == 0, whole.output
    _assert_no_leak(whole.stdout)
    assert json.loads(whole.stdout)[0]["contacts"][0]["phone"] == "+86 *** **** **01"
    for table in ("cards", "contacts", "visits", "signals"):
        result = kacard("export", "--redact", "--format", "csv", "--table", table)
        assert result.exit_code == 0, result.output
        _assert_no_leak(result.stdout)
    assert "爱好钓鱼" not in whole.stdout
    plain = kacard("export")  # not redacted: the team's own export keeps everything
    assert SECRETS["id_number"] in plain.stdout and "爱好钓鱼" in plain.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_brief_redact_masks_phones_and_free_text(kacard, write_card, fmt: str) -> None:
    write_card("hz-xinghe", CARD)
    shared = kacard("brief", "--ids", "hz-xinghe", "--format", fmt, "--redact")
    assert shared.exit_code == 0, shared.output
    _assert_no_leak(shared.stdout)
    assert "+86 *** **** **01" in shared.stdout.replace("\\*", "*")  # Markdown escapes the stars
    assert "tel:" not in shared.stdout


def test_the_reps_own_brief_shows_phones_in_every_format(kacard, write_card) -> None:
    write_card("hz-xinghe", CARD)
    md = kacard("brief", "--ids", "hz-xinghe", "--format", "md").stdout
    html = kacard("brief", "--ids", "hz-xinghe", "--format", "html").stdout
    show = kacard("show", "hz-xinghe").stdout
    shown = kacard("show", "hz-xinghe", "--format", "json").stdout
    for text in (md, html, show, shown):
        assert "+86 138 0000 0001" in text
    assert '<a href="tel:+8613800000001">☎ +86 138 0000 0001</a>' in html
    assert "爱好钓鱼" not in md + html + show + shown  # private notes are never in a brief


def test_a_phone_typed_as_a_key_is_masked_in_errors(kacard, write_card) -> None:
    write_card("hz-typo", """\
        id: hz-typo
        name: 杭州示例有限公司
        owner: lina
        contacts:
          - name: 王建国
            phone +86 138 0000 0001: x
            email 王建国@例子.中国: y
        """)
    for command in (("due",), ("list",), ("validate",), ("validate", "--format", "json")):
        result = kacard(*command)
        assert "unknown field" in result.output, result.output
        assert "138 0000 0001" not in result.output and "王建国@" not in result.output
        assert "+86 *** **** **01" in result.output  # a masked form says which key it is


def test_usage_errors_do_not_echo_personal_values(kacard, write_card, monkeypatch) -> None:
    write_card("hz-xinghe", CARD)
    monkeypatch.setenv("KACARD_USER", "wang.jianguo@example.com")
    result = kacard("due", "--mine")
    assert result.exit_code == 2
    assert "wang.jianguo@" not in result.output and "w***@example.com" in result.output


def test_redacted_csv_file_opens_as_utf8_with_bom(kacard, write_card, tmp_path) -> None:
    write_card("hz-xinghe", CARD)
    out = tmp_path / "contacts.csv"
    assert kacard("export", "--redact", "--format", "csv", "--table", "contacts", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0]["name"] == "王建国" and re.fullmatch(r"'\+86 \*\*\* \*\*\*\* \*\*01", rows[0]["phone"])


# -- a property test of the rule: any phone or ID number, written any common way, inside
# any text, loses its identifying digits ---------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SEPARATORS = st.sampled_from(["", " ", "-", ".", "\u00a0"])
FILLER = st.text(st.sampled_from(list("客户说明天下午见面，谢谢。abc ：:;（）")), max_size=12)
REDACTION_EXAMPLES = 400


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    sep = draw(SEPARATORS)
    body = f"{digits[:3]}{sep}{digits[3:7]}{sep}{digits[7:]}"
    if draw(st.booleans()):
        body = f"({digits[:3]}){draw(SEPARATORS)}{digits[3:7]}{sep}{digits[7:]}"
    prefix = draw(st.sampled_from(["", "+86 ", "+86-", "0086 ", "手机", "电话：", "tel:+86 "]))
    return prefix + body, digits


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    area = "0" + draw(st.text("123456789", min_size=2, max_size=3))
    number = draw(st.sampled_from("2345678")) + draw(st.text("0123456789", min_size=7, max_size=7))
    sep = draw(SEPARATORS)
    written = draw(st.sampled_from([f"{area}{sep}{number[:4]}{sep}{number[4:]}", f"({area}){sep}{number}",
                                    f"{area}{number}", f"{area}-{number}"]))
    return written, area + number


@st.composite
def id_numbers(draw: st.DrawFn) -> tuple[str, str]:
    year = draw(st.integers(1930, 2015))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    number = (draw(st.sampled_from(["330106", "110101", "440305"])) + f"{year}{month:02d}{day:02d}"
              + draw(st.text("0123456789", min_size=3, max_size=3)) + draw(st.sampled_from("0123456789Xx")))
    return number, number


@settings(max_examples=REDACTION_EXAMPLES)
@given(st.one_of(mobiles(), landlines(), id_numbers()), FILLER, FILLER)
def test_fuzz_no_identifier_survives_scrub(found: tuple[str, str], before: str, after: str) -> None:
    written, digits = found
    out = scrub(f"{before} {written} {after}")
    kept = "".join(ch for ch in out if ch.isdigit() or ch in "Xx")
    assert digits[:-2] not in kept, (written, out)  # at most the last two digits stay
