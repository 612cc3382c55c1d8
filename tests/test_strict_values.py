"""Issue 11, kind 2: dates, times and money are what they look like. A number where a
date or time belongs (YAML 1.1 habits: `paid: 0`, `start: 540`) or true/false where an
amount belongs is a field error with file:line, never a traceback, never 1970-01-01;
every other card is still listed. The same in kacard.yaml."""

from __future__ import annotations

import json

import pytest

GOOD = "id: good\nname: 好公司\nowner: lina\n"


@pytest.mark.parametrize("body, field, line", [
    ('visit_hours: {start: 540, end: "17:00"}\n', "visit_hours.start", 4),
    ("visit_hours:\n  start: 09:00\n  end: 1020\n", "visit_hours.end", 6),
    ("trades:\n  - {date: 2026-01-05, amount: 120000, paid: 0}\n", "trades.0.paid", 5),
    ("trades:\n  - {date: 20260105, amount: 120000}\n", "trades.0.date", 5),
    ("trades:\n  - {date: 2026-01-05, amount: true}\n", "trades.0.amount", 5),
    ("trades:\n  - {date: 2026-01-05, amount: 1, due: 1.5}\n", "trades.0.due", 5),
    ("since: 2026\n", "since", 4),
    ("visits:\n  - {date: 2026-11-01, summary: x, next: {date: 2026-11-30, time: 600, action: y}}\n",
     "visits.0.next.time", 5),
    ("visits:\n  - {date: 2026-W45, summary: x, no_next: y}\n", "visits.0.date", 5),
    ("opportunities:\n  - {title: x, close: 0}\n", "opportunities.0.close", 5),
    ("credit: {limit: false}\n", "credit.limit", 4),
])
def test_a_number_where_a_date_time_or_amount_belongs_is_a_field_error(kacard, folder, body, field, line):
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "bad.yaml").write_text("id: bad\nname: 坏公司\nowner: lina\n" + body, encoding="utf-8")
    for command in ("validate", "list", "due"):
        result = kacard(command)
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
        assert f"bad.yaml:{line}" in result.output and field in result.output, (command, result.output)
    rows = json.loads(kacard("list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["good"]
    [problem] = [p for p in json.loads(kacard("validate", "--format", "json").stdout) if p["file"] == "bad.yaml"]
    assert problem["field"] == field and problem["line"] == line
    assert not problem["message"].startswith("Value error")


def test_an_unpaid_invoice_is_never_read_as_paid_in_1970(kacard, folder):
    (folder / "bad.yaml").write_text("id: bad\nname: 坏公司\nowner: lina\ntrades:\n"
                                     "  - {date: 2026-01-05, amount: 120000, paid: 0}\n", encoding="utf-8")
    result = kacard("due", "--format", "json")
    assert "1970" not in result.output
    assert "bad.yaml:5" in result.output  # the card is reported, not silently "paid"


def test_quoted_and_plain_iso_values_are_still_accepted(kacard, folder):
    (folder / "ok.yaml").write_text(
        'id: ok\nname: x\nowner: lina\nsince: "2020-01-01"\nvisit_hours: {start: "09:00", end: 17:30}\n'
        "trades:\n  - {date: 2026-01-05, amount: \"1200.50\", margin: 100, paid: 2026-02-01}\n",
        encoding="utf-8")
    assert kacard("validate").exit_code == 0


@pytest.mark.parametrize("line", ["workweek: {start: 830, end: \"17:30\"}", "workweek: {start: \"08:30\", end: 1050}"])
def test_settings_with_a_number_for_a_time_give_a_clear_error(kacard, folder, line):
    with (folder / "kacard.yaml").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    for command in ("list", "validate", "due"):
        result = kacard(command)
        # validate reports a broken kacard.yaml as one more problem it found (exit 1); the rest stop (2)
        assert result.exit_code == (1 if command == "validate" else 2) and "Traceback" not in result.output
        assert "kacard.yaml:" in result.output and "workweek." in result.output and "HH:MM" in result.output
