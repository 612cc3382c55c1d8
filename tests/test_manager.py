"""The manager's instruments (issue 19): collect, plan YEAR, changes and --as-of.

`changes` and `--as-of` run against real git repositories scripted in temp dirs, with
commit dates pinned, so every expected answer is known.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from kacard.analysis.collect import collect, collection_plan, credit_advice
from kacard.analysis.plan import annual_plan, year_share_elapsed
from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings
from kacard.team.changes import card_changes

TODAY = dt.date(2026, 11, 23)  # a Monday; week 2026-W48
SETTINGS = Settings.model_validate({"team": [{"id": "zhangwei", "name": "张伟"}, {"id": "lina", "name": "李娜"}]})


def card(**fields) -> Card:  # type: ignore[no-untyped-def]
    base = {"id": "hz-a", "name": "杭州甲公司", "owner": "zhangwei", "region": "华东/杭州"}
    return Card.model_validate({**base, **fields})


# -- collect ------------------------------------------------------------------------------


def test_collection_plan_orders_overdue_first_low_rating_first_and_weeks_by_due_date():
    cards = [
        card(id="hz-a", credit={"rating": "AAA", "terms_days": 30}, trades=[
            {"date": "2026-09-01", "invoice": "A1", "amount": 1000},          # due 10-01: 53 days overdue
            {"date": "2026-11-10", "invoice": "A2", "amount": 5000},          # due 12-10: W50
            {"date": "2026-11-01", "invoice": "A3", "amount": 9000, "paid": "2026-11-20"},  # paid: left out
            {"date": "2026-08-01", "invoice": "A4", "amount": -300},          # credit note: left out
            {"date": "2026-11-20", "invoice": "A5", "amount": 700, "due": "2027-02-01"},  # beyond horizon
        ]),
        card(id="hz-b", owner="lina", credit={"rating": "B"}, trades=[
            {"date": "2026-10-15", "invoice": "B1", "amount": 400},           # due 11-14: 9 days overdue
        ]),
    ]
    plan = collection_plan(cards, SETTINGS, TODAY)
    assert [(c.invoice, c.week, c.days_overdue, c.collector) for c in plan] == [
        ("B1", "2026-W48", 9, "lina"),       # low rating B collected first among this week's overdue
        ("A1", "2026-W48", 53, "zhangwei"),
        ("A2", "2026-W50", -17, "zhangwei"),
    ]
    assert [c.bucket for c in plan] == ["0-30", "31-60", "not_due"]


def test_credit_advice_follows_the_course_policy():
    growing = [{"date": "2026-06-01", "amount": 100, "paid": "2026-06-20"},
               {"date": "2026-11-01", "amount": 300, "paid": "2026-11-05"}]
    over = card(id="hz-over", credit={"rating": "AAA", "limit": 1000},
                trades=[*growing, {"date": "2026-11-10", "amount": 1500}])
    low = card(id="hz-low", credit={"rating": "bb", "limit": 100000}, trades=growing)
    high = card(id="hz-high", credit={"rating": "AA", "limit": 100000}, trades=growing)
    late = card(id="hz-late", credit={"rating": "AA", "limit": 100000, "terms_days": 10},
                trades=[*growing, {"date": "2026-08-01", "amount": 50}])
    lost = card(id="hz-lost", status="lost", credit={"rating": "AAA", "limit": 100}, trades=growing)
    advice = {c.id: credit_advice(c, SETTINGS, TODAY) for c in (over, low, high, late, lost)}
    assert advice["hz-over"].advice == "reduce" and advice["hz-over"].reasons == ("over_limit",)
    assert advice["hz-low"].advice == "reduce" and advice["hz-low"].reasons == ("low_rating_growing",)
    assert advice["hz-high"].advice == "grow"
    assert advice["hz-late"].advice == "reduce" and "late_payer_growing" in advice["hz-late"].reasons
    assert advice["hz-lost"] is None  # nothing owed, no business to steer
    assert advice["hz-over"].exposure == Decimal(1500)


def test_balance_of_sales_and_collections_per_rep():
    cards = [
        card(id="hz-a", trades=[{"date": "2026-10-01", "amount": 1000, "paid": "2026-10-20"},
                                {"date": "2026-11-01", "amount": 1000}]),
        card(id="hz-b", owner="lina", trades=[{"date": "2026-10-01", "amount": 500, "paid": "2026-11-01"}]),
    ]
    report = collect(cards, SETTINGS, TODAY)
    reps = {b.key: b for b in report.reps}
    assert (reps["zhangwei"].sales, reps["zhangwei"].collected, reps["zhangwei"].balanced) == (2000, 1000, False)
    assert reps["lina"].balanced and reps["lina"].ratio == 1.0
    assert [b.key for b in report.regions] == ["华东/杭州"]


def test_collect_cli_json_shape_and_table(kacard, write_card):
    write_card("hz-a", """\
        id: hz-a
        name: 杭州甲公司
        owner: zhangwei
        credit: {rating: B, limit: 100}
        trades:
          - {date: 2026-06-01, amount: 100, paid: 2026-06-20}
          - {date: 2026-10-01, invoice: X-1, amount: 400}
        """)
    result = kacard("collect", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan"][0] | {} == data["plan"][0]
    assert {k: data["plan"][0][k] for k in ("account", "invoice", "amount", "days_overdue", "collector", "week")} == {
        "account": "hz-a", "invoice": "X-1", "amount": 400, "days_overdue": 23, "collector": "zhangwei",
        "week": "2026-W48"}
    assert data["credit"][0]["advice"] == "reduce" and data["credit"][0]["exposure"] == 400
    table = kacard("collect")
    assert table.exit_code == 0 and "X-1" in table.stdout and "reduce" in table.stdout
    assert kacard("collect", "--format", "csv").stdout.splitlines()[0].startswith("account,name,invoice")


# -- plan ---------------------------------------------------------------------------------


def test_year_share_elapsed_by_quarters():
    assert year_share_elapsed(2026, dt.date(2025, 12, 31), None) == 0
    assert year_share_elapsed(2026, dt.date(2026, 12, 31), None) == 1
    assert year_share_elapsed(2026, dt.date(2026, 6, 30), [0.1, 0.2, 0.3, 0.4]) == pytest.approx(0.3)
    half_q1 = year_share_elapsed(2026, dt.date(2026, 2, 14), [0.4, 0.2, 0.2, 0.2])
    assert half_q1 == pytest.approx(0.4 * 45 / 90)


def test_annual_plan_figures_and_proposal():
    cards = [
        card(id="hz-a", trades=[{"date": "2025-03-01", "amount": 1000}, {"date": "2026-02-01", "amount": 600},
                                {"date": "2026-12-01", "amount": 50}],  # after today: not actual yet
             opportunities=[{"title": "扩产", "stage": "negotiation", "amount": 1000, "close": "2026-12-20"},
                            {"title": "旧单", "stage": "won", "amount": 999, "close": "2026-05-01"},
                            {"title": "明年", "stage": "proposal", "amount": 500, "close": "2027-03-01"}]),
        card(id="hz-b", owner="lina", region="华东/宁波", trades=[{"date": "2025-07-01", "amount": 2000}]),
    ]
    plan = annual_plan(cards, SETTINGS, 2026, TODAY, {"hz-a": "A", "hz-b": "B"})
    z = next(r for r in plan.reps if r.key == "zhangwei")
    assert (z.last_year, z.actual, z.pipeline_weighted) == (1000, 600, 800)  # 0.8 x 1000 in negotiation
    assert z.tiers == {"S": 0, "A": 1, "B": 0, "C": 0}
    assert z.target == Decimal(1000) * Decimal("1.1") + 800 * Decimal("0.5")  # 1500
    assert z.source == "proposed" and [t.name for t in z.terms] == ["last_year", "pipeline_weighted"]
    assert [r.key for r in plan.regions] == ["华东/宁波", "华东/杭州"]


def test_plan_targets_file_progress_and_init(kacard, folder, write_card):
    write_card("hz-a", """\
        id: hz-a
        name: 杭州甲公司
        owner: zhangwei
        trades:
          - {date: 2026-03-01, amount: 100000}
        """)
    (folder / "plans").mkdir()
    (folder / "plans" / "2026.yaml").write_text(
        "year: 2026\nreps:\n  zhangwei: {target: 400000, quarters: [0.25, 0.25, 0.25, 0.25]}\n", encoding="utf-8")
    result = kacard("plan", "2026", "--progress", "--format", "json")
    assert result.exit_code == 0, result.output
    z = json.loads(result.stdout)["reps"][0]
    # by 2026-11-23: three quarters + 54 of Q4's 92 days
    assert z["target"] == 400000 and z["source"] == "set"
    assert z["target_to_date"] == round(400000 * (0.75 + 0.25 * 54 / 92))
    assert z["behind"] is True and z["gap"] == 100000 - z["target_to_date"]
    assert kacard("validate").exit_code == 0  # plans/ holds no cards
    init = kacard("plan", "2027", "--init")
    assert init.exit_code == 0, init.output
    written = (folder / "plans" / "2027.yaml").read_text("utf-8")
    assert "year: 2027" in written and "zhangwei" in written
    again = kacard("plan", "2027", "--init")
    assert again.exit_code == 2 and "exists already" in again.output
    (folder / "plans" / "2026.yaml").write_text("year: 2026\nreps:\n  zhangwei: {target: lots}\n", encoding="utf-8")
    bad = kacard("plan", "2026")
    assert bad.exit_code == 2 and "plans/2026.yaml" in bad.output and "Traceback" not in bad.output


# -- changes and --as-of (real git) ---------------------------------------------------------

SETTINGS_YAML = """\
schema: 1
team:
  - {id: zhangwei, name: 张伟, email: zw@example.com}
  - {id: lina, name: 李娜, email: ln@example.com}
"""
CARD_V1 = """\
id: hz-a
name: 杭州甲公司
owner: zhangwei
address: 杭州市西湖区1号
contacts:
  - {name: 王总, role: decision_maker, phone: "13800000001"}
trades:
  - {date: 2026-10-01, invoice: T-1, amount: 1000}
visits:
  - {date: 2026-10-02, summary: 初访, next: {date: 2026-11-02, action: 报价}}
"""


def _git(repo: Path, *args: str, when: str | None = None, who: tuple[str, str] = ("张伟", "zw@example.com")) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": who[0],
           "GIT_COMMITTER_EMAIL": who[1]}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _commit(repo: Path, message: str, when: str, who: tuple[str, str] = ("张伟", "zw@example.com")) -> str:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message, when=when, who=who)
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A repo whose card folder is `team/cards`, with four commits on 2026-11-20 .. 11-23."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    folder = repo / "team" / "cards"
    folder.mkdir(parents=True)
    (folder / "kacard.yaml").write_text(SETTINGS_YAML, encoding="utf-8")
    (folder / "hz-a.yaml").write_text(CARD_V1, encoding="utf-8")
    (folder / "hz-old.yaml").write_text("id: hz-old\nname: 旧客户\nowner: lina\n", encoding="utf-8")
    _commit(repo, "cards", "2026-11-20T09:00:00+08:00")
    # 11-22, by lina: a visit with its next step, an invoice
    text = CARD_V1.replace("visits:\n", "visits:\n").rstrip("\n") + (
        "\n  - {date: 2026-11-21, by: lina, summary: 二次拜访, next: {date: 2026-12-01, action: 签约}}\n")
    text = text.replace("trades:\n", "trades:\n  - {date: 2026-11-21, invoice: T-2, amount: 2500}\n")
    (folder / "hz-a.yaml").write_text(text, encoding="utf-8")
    _commit(repo, "visit", "2026-11-22T18:00:00+08:00", who=("李娜", "ln@example.com"))
    # 11-23, by zhangwei: payment, signal, handover, address edit, new card, removed card
    text = text.replace("invoice: T-1, amount: 1000}", "invoice: T-1, amount: 1000, paid: 2026-11-22}")
    text = text.replace("owner: zhangwei", "owner: lina").replace("西湖区1号", "滨江区2号")
    text += "signals:\n  - {date: 2026-11-22, kind: sharing_wallet, note: 询价第二家}\n"
    (folder / "hz-a.yaml").write_text(text, encoding="utf-8")
    (folder / "hz-new.yaml").write_text("id: hz-new\nname: 新客户\nowner: zhangwei\nstatus: prospect\n",
                                        encoding="utf-8")
    (folder / "hz-old.yaml").unlink()
    (folder / "notes.txt").write_text("not a card\n", encoding="utf-8")
    _commit(repo, "payment and more", "2026-11-23T08:30:00+08:00")
    return folder


def _changes(kacard_raw, folder: Path, *args: str) -> list[dict]:
    result = kacard_raw("changes", "--dir", str(folder), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_changes_since_yesterday_lists_every_kind_with_its_rep(kacard, history):
    found = _changes(kacard.raw, history, "--since", "yesterday")  # today 2026-11-23: since 11-22 00:00
    kinds = [(c["rep"], c["account"], c["kind"]) for c in found]
    assert kinds == [
        ("lina", "hz-a", "visit"), ("lina", "hz-a", "trade"),
        ("zhangwei", "hz-a", "payment"), ("zhangwei", "hz-a", "signal"), ("zhangwei", "hz-a", "handover"),
        ("zhangwei", "hz-a", "edit"),
        ("zhangwei", "hz-new", "new_card"), ("zhangwei", "hz-old", "removed_card"),
    ]
    visit = found[0]
    assert visit["date"] == "2026-11-22" and visit["next"] == {"date": "2026-12-01", "action": "签约"}
    assert found[2]["invoice"] == "T-1" and found[2]["paid"] == "2026-11-22"
    assert found[4]["from"] == "zhangwei" and found[4]["to"] == "lina"
    assert found[5]["fields"] == ["address"]  # names, never values (no address, no phone)
    assert "滨江" not in json.dumps(found) and "13800000001" not in json.dumps(found)


def test_changes_since_a_date_a_revision_and_for_one_rep(kacard, history):
    assert [c["kind"] for c in _changes(kacard.raw, history, "--since", "2026-11-23")] == [
        "payment", "signal", "handover", "edit", "new_card", "removed_card"]
    first = _git(history, "rev-list", "--max-parents=0", "HEAD")
    assert len(_changes(kacard.raw, history, "--since", first)) == 8
    mine = _changes(kacard.raw, history, "--since", "yesterday", "--owner", "lina")
    assert {c["account"] for c in mine} == {"hz-a", "hz-old"}  # lina's commits and accounts
    table = kacard.raw("changes", "--dir", str(history), "--since", "yesterday")
    assert table.exit_code == 0 and "签约" in table.stdout and "visit logged" in table.stdout


def test_changes_explains_missing_history(kacard, history, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history.parents[1]}", str(shallow)], check=True)
    result = kacard.raw("changes", "--dir", str(shallow / "team" / "cards"), "--since", "2026-11-01")
    assert result.exit_code == 2 and "shallow" in result.output and "Traceback" not in result.output
    not_repo = tmp_path / "plain"
    not_repo.mkdir()
    (not_repo / "kacard.yaml").write_text("schema: 1\n", encoding="utf-8")
    result = kacard.raw("changes", "--dir", str(not_repo))
    assert result.exit_code == 2 and "not in a git repository" in result.output
    result = kacard.raw("changes", "--dir", str(history), "--since", "no-such-rev")
    assert result.exit_code == 2 and "neither a date" in result.output


def test_as_of_reproduces_what_due_said_then_without_touching_the_work_tree(kacard, history):
    before = {p.name: p.read_bytes() for p in history.iterdir()}
    then = kacard.raw("due", "--dir", str(history), "--as-of", "2026-11-20", "--format", "json")
    assert then.exit_code == 0, then.output
    due_then = {i["id"]: [r["kind"] for r in i["reasons"]] for i in json.loads(then.stdout)}
    # on 2026-11-20 hz-a's next step (11-02) was overdue and hz-old still existed
    assert "next_step" in due_then["hz-a"] and "hz-old" in due_then and "hz-new" not in due_then
    now = kacard.raw("due", "--dir", str(history), "--format", "json")
    assert "hz-old" not in {i["id"] for i in json.loads(now.stdout)}
    assert {p.name: p.read_bytes() for p in history.iterdir()} == before
    rev = _git(history, "rev-list", "--max-parents=0", "HEAD")
    for command in ("score", "review"):
        result = kacard.raw(command, "--dir", str(history), "--as-of", rev, "--format", "json")
        assert result.exit_code == 0, result.output
        assert "hz-old" in result.stdout


def test_card_changes_keeps_identical_records_added_twice():
    visit = {"date": "2026-11-21", "summary": "电话回访"}
    events = card_changes({"id": "x", "visits": [visit]}, {"id": "x", "visits": [visit, visit]})
    assert [k for k, _ in events] == ["visit"]


# -- care without over-care, and the review -------------------------------------------------

from kacard.analysis import care  # noqa: E402
from kacard.analysis.review import review  # noqa: E402
from kacard.cards.plans import PlanTargets  # noqa: E402


def _visits(*days_and_kinds: tuple[str, str]) -> list[dict]:
    return [{"date": d, "kind": k, "next": {"date": "2026-12-20", "action": "回访"}} for d, k in days_and_kinds]


def test_monotone_contacts_need_five_of_one_kind():
    five_calls = card(id="hz-calls", visits=_visits(*[(f"2026-0{m}-01", "call") for m in range(5, 10)]))
    mixed = card(id="hz-mixed", visits=_visits(("2026-10-01", "call"), ("2026-10-08", "call"),
                                               ("2026-10-15", "gift"), ("2026-10-22", "call"), ("2026-11-01", "call")))
    found = care.monotone([five_calls, mixed], SETTINGS, TODAY)
    assert [(f["id"], f["kind"]) for f in found] == [("hz-calls", "call")]


def test_over_care_only_while_a_higher_tier_is_overdue():
    busy_c = card(id="hz-c", visits=_visits(("2026-09-01", "visit"), ("2026-10-01", "visit"),
                                            ("2026-11-01", "visit")))
    two_c = card(id="hz-c2", visits=_visits(("2026-10-01", "visit"), ("2026-11-01", "visit")))
    tiers = {"hz-c": "C", "hz-c2": "C"}
    assert [f["id"] for f in care.over_care([busy_c, two_c], tiers, SETTINGS, TODAY, True)] == ["hz-c"]
    assert care.over_care([busy_c], tiers, SETTINGS, TODAY, False) == []
    # its next step has passed: not parked (a future one would quiet the cadence, SPEC §9 parking)
    overdue_s = card(id="hz-s", tier="S", visits=[{"date": "2026-08-01", "kind": "visit",
                                                    "next": {"date": "2026-08-15", "action": "回访"}}])
    result = review([busy_c, overdue_s], SETTINGS, TODAY, dt.date(2026, 11, 23), tier_of={"hz-c": "C", "hz-s": "S"})
    flags = result.reps[0].flags
    assert any("far above cadence" in f for f in flags), flags


def test_review_flags_a_rep_behind_the_set_plan():
    cards = [card(id="hz-a", trades=[{"date": "2026-03-01", "amount": 100}])]
    targets = PlanTargets.model_validate({"year": 2026, "reps": {"zhangwei": {"target": 1000}}})
    result = review(cards, SETTINGS, TODAY, dt.date(2026, 11, 23), tier_of={"hz-a": "C"}, targets=targets)
    zhangwei = result.reps[0]
    assert zhangwei.plan is not None and zhangwei.plan["behind"]
    assert any(f.startswith("behind plan: 100 of") for f in zhangwei.flags)
    on_track = review(cards, SETTINGS, TODAY, dt.date(2026, 11, 23), tier_of={"hz-a": "C"},
                      targets=PlanTargets.model_validate({"year": 2026, "reps": {"zhangwei": {"target": 100}}}))
    assert on_track.reps[0].plan is not None and not on_track.reps[0].plan["behind"]


def test_changes_reads_chinese_values_and_owner_names_as_kacard_terms(kacard, history):
    card = history / "hz-new.yaml"
    card.write_text(card.read_text("utf-8").replace("status: prospect", "status: 潜在")
                    .replace("owner: zhangwei", "owner: 张伟"), encoding="utf-8")
    _commit(history.parents[1], "same card in Chinese words", "2026-11-23T12:00:00+08:00")
    found = _changes(kacard.raw, history, "--since", "2026-11-23")
    assert len({c["commit"] for c in found}) == 1  # the Chinese-words commit changed nothing
    assert not [c for c in found if c["account"] == "hz-new" and c["kind"] in ("edit", "handover")]
    mine = _changes(kacard.raw, history, "--since", "2026-11-23", "--owner", "张伟")
    assert {c["account"] for c in mine} >= {"hz-new"}


def test_as_of_and_since_take_the_date_forms_people_type(kacard, history):
    """--as-of and --since read dates as every date option does: yesterday, 上周五, -3, 11-20
    (relative to --today), before trying a git revision."""
    def run(*args: str) -> str:
        result = kacard.raw("due", "--dir", str(history), "--format", "json", "--today", "2026-11-23", *args)
        assert result.exit_code == 0, result.output
        return result.stdout

    wanted = run("--as-of", "2026-11-20")
    for typed in ("上周五", "last fri", "-3", "11-20", "2026/11/20"):
        assert run("--as-of", typed) == wanted, typed
    changes = kacard.raw("changes", "--dir", str(history), "--today", "2026-11-23", "--since", "上周五", "--format", "json")
    same = kacard.raw("changes", "--dir", str(history), "--today", "2026-11-23", "--since", "2026-11-20", "--format", "json")
    assert changes.exit_code == 0 and changes.stdout == same.stdout
