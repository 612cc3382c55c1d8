"""`kacard review`: the manager's weekly figures on a small crafted folder (today 2026-11-23)."""

from __future__ import annotations

import json

import pytest

from kacard.analysis.review import bucket_of

COMPLETE = """\
id: {id}
name: 完整客户 {id}
owner: {owner}
tier: B
address: 浙江省杭州市上城区清泰街160号
location: {{lat: 30.25, lon: 120.17}}
visit_hours: {{days: [mon, tue], start: "09:00", end: "17:00"}}
credit: {{rating: A, terms_days: 30}}
purchasing: {{centralized: true}}
contacts:
  - {{name: 王建国, role: decision_maker, phone: "+86 138 0000 0001"}}
visits:
  - {{date: 2026-11-10, summary: 回访, next: {{date: 2026-12-01, action: 报价}}}}
"""

ZW_COMPLETE_TRADES = """\
trades:
  - {date: 2026-10-01, invoice: A-1, amount: 1000, due: 2026-10-20}
  - {date: 2026-11-01, invoice: A-2, amount: 500, due: 2026-11-13}
  - {date: 2026-11-01, invoice: A-3, amount: 900, paid: 2026-11-05}
"""

GAPS = """\
id: zw-gaps
name: 缺项客户
owner: zhangwei
tier: B
contacts:
  - {name: 李四}
trades:
  - {date: 2026-06-01, invoice: G-1, amount: 2000}
  - {date: 2026-08-01, invoice: G-2, amount: 300, due: 2026-09-10}
visits:
  - {date: 2026-08-01, summary: 拜访}
signals:
  - {date: 2026-09-01, kind: sharing_wallet, note: 向第二家供应商询价}
"""

STALE = """\
id: zw-stale
name: 沉睡潜客
status: prospect
owner: zhangwei
tier: C
since: 2026-01-01
"""

DORMANT = """\
id: zw-dormant
name: 休眠客户
status: dormant
owner: zhangwei
trades:
  - {date: 2026-01-01, amount: 50}
"""


@pytest.fixture
def crafted(write_card):
    write_card("zw-complete", COMPLETE.format(id="zw-complete", owner="zhangwei") + ZW_COMPLETE_TRADES)
    write_card("zw-gaps", GAPS)
    write_card("zw-stale", STALE)
    write_card("zw-dormant", DORMANT)
    write_card("li-ok", COMPLETE.format(id="li-ok", owner="lina").replace("2026-11-10", "2026-11-20"))


def review_json(kacard, *args: str) -> dict:
    result = kacard("review", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_review_figures_per_rep(kacard, crafted):
    data = review_json(kacard)
    assert (data["week"], data["week_start"], data["week_end"]) == ("2026-W48", "2026-11-23", "2026-11-29")
    zw, li = data["reps"]
    assert (zw["rep"], zw["name"], zw["cards"], zw["active"]) == ("zhangwei", "张伟", 4, 3)
    assert zw["completeness"] == 33  # 9/9, 0/9, 0/9
    assert {g["id"]: g["score"] for g in zw["incomplete"]} == {"zw-gaps": 0, "zw-stale": 0}
    assert set(next(g for g in zw["incomplete"] if g["id"] == "zw-gaps")["missing"]) == {
        "decision_maker", "contact_phone", "address", "location", "visit_hours", "credit", "purchasing",
        "recent_visit", "next_step"}
    assert zw["due"] == 3
    assert [(o["id"], o["status"], o["days_overdue"]) for o in zw["overdue_visits"]] == [
        ("zw-stale", "never", 236), ("zw-gaps", "overdue", 84)]
    assert zw["no_next_step"] == [{"id": "zw-gaps", "visit": "2026-08-01"}]
    assert (zw["recent_visits"], zw["recent_visits_without_next"]) == (1, 0)
    recv = zw["receivables"]
    assert (recv["amount"], recv["count"]) == (3850, 5)
    assert {b["bucket"]: (b["amount"], b["count"]) for b in recv["buckets"]} == {
        "0-30": (500, 1), "31-60": (1000, 1), "61-90": (300, 1), "90+": (2050, 2)}
    assert [(s["id"], s["kind"]) for s in zw["signals"]] == [("zw-gaps", "sharing_wallet")]
    assert [(s["id"], s["last_touched"]) for s in zw["stale"]] == [("zw-stale", "2026-01-01")]
    assert zw["needs_help"] is True and len(zw["flags"]) == 6

    assert (li["rep"], li["cards"], li["completeness"], li["due"]) == ("lina", 1, 100, 0)
    assert li["receivables"]["count"] == 0 and li["needs_help"] is False and li["flags"] == []


def test_aging_bucket_edges():
    assert [bucket_of(d) for d in (1, 30, 31, 60, 61, 90, 91, 400)] == [
        "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+"]


def test_review_one_rep_and_unknown_rep(kacard, crafted):
    assert [r["rep"] for r in review_json(kacard, "--owner", "lina")["reps"]] == ["lina"]
    bad = kacard("review", "--owner", "nobody")
    assert bad.exit_code == 2 and "zhangwei (张伟), lina (李娜)" in bad.stderr


def test_review_table_shows_who_needs_help(kacard, crafted):
    result = kacard("review")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "zhangwei" in out and "lina" in out and "needs help" in out
    assert "zw-gaps 0%: missing decision maker" in out


def test_review_markdown(kacard, crafted):
    result = kacard("review", "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# Weekly review 2026-W48")
    for heading in ("## zhangwei 张伟", "### Incomplete cards", "### Overdue for a visit",
                    "### Last visit without a next step", "### Overdue receivables", "### Churn signals",
                    "### Stale cards", "## lina 李娜", "Nothing to flag."):
        assert heading in md
    assert "| 90+ | 2 | 2,050 |" in md


def test_review_week_changes_what_is_due(kacard, crafted):
    later = review_json(kacard, "--week", "2026-W50")  # li-ok's next step 12-01 falls in range
    assert later["reps"][1]["due"] == 1
    assert kacard("review", "--week", "bad").exit_code == 2
