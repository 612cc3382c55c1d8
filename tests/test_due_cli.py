"""`kacard due` end to end: JSON contract, owner filters, --mine, --explain, bad input.

Today is pinned to Monday 2026-11-23 (conftest); the week 2026-W48 ends 2026-11-29.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import LATE_CARD, SAMPLE_CARD

FINE = """\
id: hz-fine
name: 杭州按时集团
owner: zhangwei
tier: C
visits:
  - {date: 2026-11-20, summary: 回访, next: {date: 2026-12-20, action: 年终回顾}}
"""

LOST = """\
id: hz-lost
name: 杭州流失公司
status: lost
owner: zhangwei
"""


@pytest.fixture
def team(write_card):
    write_card("hz-xinghe", SAMPLE_CARD)  # zhangwei, next step 11-24 -> due
    write_card("hz-late", LATE_CARD)
    write_card("hz-fine", FINE)
    write_card("hz-lost", LOST)


def due_json(kacard, *args: str) -> list[dict]:
    result = kacard("due", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract(kacard, team):
    rows = due_json(kacard)
    assert [r["id"] for r in rows] == ["hz-late", "hz-xinghe"]
    late = rows[0]
    assert {"id", "owner", "tier", "urgency", "reasons"} <= set(late)
    assert (late["owner"], late["tier"], late["name"]) == ("lina", "S", "杭州迟到科技")
    assert [r["kind"] for r in late["reasons"]] == ["cadence", "next_step"]
    step = late["reasons"][1]
    assert (step["date"], step["days_overdue"], step["action"], step["status"]) == ("2026-11-13", 10, "报价", "overdue")
    assert late["urgency"] == sum(t["contribution"] for t in late["terms"])
    assert rows[0]["urgency"] >= rows[1]["urgency"]


def test_owner_filter(kacard, team):
    assert [r["id"] for r in due_json(kacard, "--owner", "zhangwei")] == ["hz-xinghe"]
    assert [r["id"] for r in due_json(kacard, "--owner", "lina")] == ["hz-late"]


def test_one_reps_table_names_the_rep_in_the_title_not_in_a_column(kacard, team):
    everyone = kacard("due").stdout.splitlines()
    assert everyone[1].split()[:4] == ["urgency", "id", "name", "owner"]
    title, header, row = kacard("due", "--owner", "lina").stdout.splitlines()
    assert " · lina · 1 account(s)" in title
    assert header.split()[:4] == ["urgency", "id", "name", "tier"] and " lina " not in row
    assert kacard("due", "--owner", "lina", "--format", "csv").stdout.startswith("id,name,owner,")


def test_unknown_owner_exits_2_with_the_team(kacard, team):
    result = kacard("due", "--owner", "nobody")
    assert result.exit_code == 2
    assert "unknown owner 'nobody'" in result.stderr and "zhangwei (张伟), lina (李娜)" in result.stderr


def test_mine_uses_kacard_user(kacard, team, monkeypatch):
    monkeypatch.setenv("KACARD_USER", "lina")
    assert [r["id"] for r in due_json(kacard, "--mine")] == ["hz-late"]


def test_mine_with_an_unknown_user_or_both_filters_is_refused(kacard, team, monkeypatch):
    monkeypatch.setenv("KACARD_USER", "ghost")
    result = kacard("due", "--mine")
    assert result.exit_code == 2 and "ghost" in result.stderr
    monkeypatch.setenv("KACARD_USER", "lina")
    assert kacard("due", "--mine", "--owner", "lina").exit_code == 2


def _git_folder(folder, email: str | None, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(folder / ".no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    if email:
        subprocess.run(["git", "-C", str(folder), "config", "user.email", email], check=True)
    settings = folder / "kacard.yaml"
    settings.write_text(settings.read_text("utf-8").replace(
        "{id: lina, name: 李娜,", "{id: lina, name: 李娜, email: Lina@Example.com,"), encoding="utf-8")


def test_mine_matches_git_user_email_to_the_team(kacard, team, folder, monkeypatch):
    _git_folder(folder, "lina@example.com", monkeypatch)
    assert [r["id"] for r in due_json(kacard, "--mine")] == ["hz-late"]


def test_mine_without_any_identity_is_a_clear_error(kacard, team, folder, monkeypatch):
    _git_folder(folder, None, monkeypatch)
    result = kacard("due", "--mine")
    assert result.exit_code == 2
    assert "KACARD_USER" in result.stderr and "user.email" in result.stderr


@pytest.mark.parametrize("week", ["2026-48", "W48", "2026-W54", "next"])
def test_malformed_week_exits_2(kacard, team, week):
    result = kacard("due", "--week", week)
    assert result.exit_code == 2
    assert "week" in result.stderr


def test_another_week(kacard, team):
    rows = due_json(kacard, "--week", "2026-W51")  # ends 2026-12-20: hz-fine's next step falls due
    assert "hz-fine" in [r["id"] for r in rows]


def test_explain_prints_the_breakdown(kacard, team):
    result = kacard("due", "--explain", "hz-late")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in ("tier S", "days overdue", "reason cadence", "reason next step", "total", "next step 2026-11-13"):
        assert expected in out
    data = json.loads(kacard("due", "--explain", "hz-late", "--format", "json").stdout)
    assert data["due"] is True and data["urgency"] == pytest.approx(sum(t["contribution"] for t in data["terms"]))


def test_explain_an_account_that_is_not_due(kacard, team):
    result = kacard("due", "--explain", "hz-fine")
    assert result.exit_code == 0, result.output
    assert "not due in 2026-W48" in result.stdout
    lost = kacard("due", "--explain", "hz-lost")
    assert lost.exit_code == 0 and "status lost" in lost.stdout
    assert kacard("due", "--explain", "hz-nope").exit_code == 2


def test_table_and_csv(kacard, team):
    table = kacard("due")
    assert table.exit_code == 0, table.output
    assert "hz-late" in table.stdout and "2026-W48" in table.stdout
    csv_out = kacard("due", "--format", "csv")
    lines = csv_out.stdout.splitlines()
    assert lines[0].startswith("id,name,owner,tier,urgency")
    assert lines[1].startswith("hz-late,")


def test_broken_and_suspicious_cards_do_not_stop_due(kacard, team, write_card):
    write_card("hz-broken", "id: hz-broken\nname: [unclosed\n")
    write_card("hz-odd", """\
        id: hz-odd
        name: 杭州可疑数据
        owner: zhangwei
        tier: B
        trades:
          - {date: 2026-10-01, amount: 100, paid: 2026-09-01}
        visits:
          - {date: 2026-11-15, summary: 后访, next: {date: 2026-11-10, action: 早于拜访}}
          - {date: 2026-11-01, summary: 先访}
          - {date: 2026-12-24, summary: 未来}
        """)
    validated = kacard("validate")
    assert validated.exit_code == 1
    for warning in ("out of date order", "dated in the future", "before its visit", "paid before it was invoiced"):
        assert warning in validated.stdout
    result = kacard("due", "--format", "json")
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert {"hz-late", "hz-xinghe", "hz-odd"} <= set(ids)
    assert "hz-broken.yaml" in result.stderr and "problem" in result.stderr


def test_log_closes_the_open_next_step(kacard, team):
    before = {r["id"]: r for r in due_json(kacard)}
    assert "next_step" in [x["kind"] for x in before["hz-xinghe"]["reasons"]]
    logged = kacard("log", "hz-xinghe", "--summary", "现场讲解", "--date", "2026-11-23",
                    "--next-date", "2026-12-07", "--next-action", "报价")
    assert logged.exit_code == 0, logged.output
    after = {r["id"] for r in due_json(kacard)}
    assert "hz-xinghe" not in after
