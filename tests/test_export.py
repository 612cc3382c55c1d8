"""`kacard export`: whole cards as JSON, tables as CSV, and --redact for sharing outside the team."""

from __future__ import annotations

import csv
import io
import json

from kacard.team.export import mask_email, mask_phone, scrub_text
from tests.conftest import SAMPLE_CARD

PRIVATE = SAMPLE_CARD.replace(
    'phone: "+86 138 0000 0001"}',
    'phone: "+86 138 0000 0001", email: wang.jianguo@xinghe.example.com,\n'
    '     birthday: "05-12", notes: 女儿明年高考}',
).replace("summary: 讨论三号线方案", "summary: 讨论三号线方案, 手机 13912345678, 邮箱 li@xinghe.example.com") + (
    "custom: {private_line: 13700001111}\n"
)

SECRETS = ("0000 0001", "138 0000", "wang.jianguo", "05-12", "女儿明年高考", "13912345678",
           "li@xinghe", "13700001111")


def test_masks():
    assert mask_phone("+86 138 0000 0001") == "+86 *** **** **01"
    assert mask_phone("0571-88881234") == "****-******34"
    assert mask_email("wang.jianguo@xinghe.example.com") == "w***@xinghe.example.com"
    assert mask_email("not an address") == "[redacted]"
    assert scrub_text("on 2026-11-10 quoted 1200000, call 139 1234 5678") == (
        "on 2026-11-10 quoted 1200000, call *** **** **78")


def test_export_json_is_every_card_in_full(kacard, write_card):
    write_card("hz-xinghe", PRIVATE)
    result = kacard("export")
    assert result.exit_code == 0, result.output
    cards = json.loads(result.stdout)
    assert [c["id"] for c in cards] == ["hz-xinghe"]
    assert cards[0]["contacts"][0]["phone"] == "+86 138 0000 0001"
    assert cards[0]["trades"][0]["amount"] == 1200000


def test_redacted_json_leaks_no_phone_email_or_notes(kacard, write_card):
    write_card("hz-xinghe", PRIVATE)
    result = kacard("export", "--redact", "--format", "json")
    assert result.exit_code == 0, result.output
    for secret in SECRETS:
        assert secret not in result.stdout, secret
    card = json.loads(result.stdout)[0]
    contact = card["contacts"][0]
    assert (contact["name"], contact["phone"], contact["email"], contact["birthday"], contact["notes"]) == (
        "王建国", "+86 *** **** **01", "w***@xinghe.example.com", "[redacted]", "[redacted]")
    assert "custom" not in card
    assert card["visits"][0]["summary"].startswith("讨论三号线方案")


def test_redacted_csv_tables(kacard, folder, write_card, tmp_path):
    write_card("hz-xinghe", PRIVATE)
    for table in ("cards", "contacts", "visits", "trades", "signals", "handovers", "opportunities"):
        result = kacard("export", "--redact", "--format", "csv", "--table", table)
        assert result.exit_code == 0, result.output
        for secret in SECRETS:
            assert secret not in result.stdout, (table, secret)
    out = tmp_path / "contacts.csv"
    result = kacard("export", "--redact", "--format", "csv", "--table", "contacts", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [(r["card_id"], r["name"], r["phone"], r["notes"]) for r in rows] == [
        ("hz-xinghe", "王建国", "'+86 *** **** **01", "[redacted]")]  # a leading + is quoted for spreadsheets
    cards = list(csv.DictReader(io.StringIO(kacard("export", "--format", "csv").stdout)))
    assert (cards[0]["id"], cards[0]["contacts"], cards[0]["last_visit"]) == ("hz-xinghe", "1", "2026-11-10")


def test_export_refuses_unknown_table_and_yaml_in_the_folder(kacard, folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    assert kacard("export", "--table", "secrets").exit_code == 2
    assert kacard("export", "--output", str(folder / "dump.yaml")).exit_code == 2
    assert not (folder / "dump.yaml").exists()
