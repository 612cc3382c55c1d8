"""The three-way card merge (kacard.team.merge): field by field, record by record, comments of ours kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kacard.cards.parse import parse_card
from kacard.team.merge import is_card_path, merge_cards
from tests.conftest import SAMPLE_CARD

BASE = SAMPLE_CARD + """\

# churn signals
signals: []
tags: [包装]
"""


def merge(base: str, ours: str, theirs: str, path: str = "hz-xinghe.yaml"):  # type: ignore[no-untyped-def]
    return merge_cards(base.encode(), ours.encode(), theirs.encode(), path)


def add_visit(text: str, date: str, by: str, summary: str, kind: str = "visit") -> str:
    visit = (f"  - date: {date}\n    by: {by}\n    kind: {kind}\n    summary: {summary}\n"
             f"    next: {{date: 2026-12-15, action: 回访}}\n")
    return text.replace("\n# churn signals", visit + "\n# churn signals")


def valid(text: str) -> None:
    card, problems = parse_card("hz-xinghe.yaml", text.encode(), expect_id="hz-xinghe")
    assert card is not None, problems


def test_both_sides_visits_survive_in_date_order_and_ours_comments_stay():
    call = "电话跟进"
    ours = add_visit(BASE, "2026-11-20", "zhangwei", call).replace(
        "# the account's card", "# the account's card\n# ours: 客户周一不在")
    theirs = add_visit(BASE, "2026-11-18", "lina", "现场拜访").replace("tags: [包装]", "tags: [包装, 华东]")
    result = merge(BASE, ours, theirs)
    assert result.clean, result.conflicts
    valid(result.text)
    text = result.text
    assert "# ours: 客户周一不在" in text and "# 老客户" in text
    assert text.index("现场拜访") < text.index(call) < text.index("# churn signals")
    assert "tags: [包装, 华东]" in text


def test_merge_with_unchanged_theirs_is_ours_exactly():
    ours = add_visit(BASE, "2026-11-20", "zhangwei", "电话跟进")
    assert merge(BASE, ours, BASE).text == ours
    assert merge(BASE, BASE, ours).text == ours


def test_reformatted_but_equal_theirs_changes_nothing():
    ours = add_visit(BASE, "2026-11-20", "zhangwei", "电话跟进")
    theirs = BASE.replace("credit: {rating: A, limit: 2000000, terms_days: 60}",
                          "credit:\n  rating: A\n  limit: 2000000\n  terms_days: 60")
    assert merge(BASE, ours, theirs).text == ours


def test_credit_limit_changed_differently_is_a_conflict_with_markers():
    ours = BASE.replace("limit: 2000000", "limit: 3000000")
    theirs = BASE.replace("limit: 2000000", "limit: 2500000").replace("kind: visit", "kind: meeting")
    result = merge(BASE, ours, theirs)
    assert [c.path for c in result.conflicts] == ["credit.limit"]
    assert "<<<<<<< ours\ncredit: {rating: A, limit: 3000000, terms_days: 60}\n=======\n" in result.text
    assert "credit: {rating: A, limit: 2500000, terms_days: 60}\n>>>>>>> theirs\n" in result.text
    assert "kind: meeting" in result.text  # the clean part of the merge is applied
    assert parse_card("hz-xinghe.yaml", result.text.encode())[0] is None  # never looks clean


def test_same_change_on_both_sides_is_clean():
    changed = BASE.replace("limit: 2000000", "limit: 3000000")
    assert merge(BASE, changed, changed.replace("# the account's card", "# theirs")).clean


def test_deleted_contact_edited_on_the_other_side_conflicts():
    line = '  - {name: 王建国, title: 采购总监, role: decision_maker, influence: 5, phone: "+86 138 0000 0001"}\n'
    ours = BASE.replace("contacts:\n" + line, "contacts: []\n")
    theirs = BASE.replace("title: 采购总监", "title: 采购副总")
    result = merge(BASE, ours, theirs)
    assert [(c.path, c.reason) for c in result.conflicts] == [
        ("contacts[王建国]", "deleted on one side, changed on the other")]
    assert "<<<<<<< ours" in result.text
    reverse = merge(BASE, theirs, ours)
    assert [c.path for c in reverse.conflicts] == ["contacts[王建国]"]


def test_deleted_on_one_side_unchanged_on_the_other_is_deleted():
    line = '  - {name: 王建国, title: 采购总监, role: decision_maker, influence: 5, phone: "+86 138 0000 0001"}\n'
    ours = BASE.replace("contacts:\n" + line, "contacts: []\n")
    theirs = BASE.replace("limit: 2000000", "limit: 2500000")
    result = merge(BASE, ours, theirs)
    assert result.clean
    assert "王建国, title" not in result.text and "limit: 2500000" in result.text


def test_trades_match_by_invoice():
    ours = BASE.replace("paid: null}", "paid: 2026-11-20}")
    theirs = BASE.replace(
        "  - {date: 2026-10-15, invoice: INV-0912",
        "  - {date: 2026-09-01, invoice: INV-0801, amount: 50000}\n  - {date: 2026-10-15, invoice: INV-0912")
    result = merge(BASE, ours, theirs)
    assert result.clean, result.conflicts
    card, _ = parse_card("hz-xinghe.yaml", result.text.encode())
    assert card is not None
    assert [(t.invoice, str(t.paid)) for t in card.trades] == [("INV-0801", "None"), ("INV-0912", "2026-11-20")]


def test_two_different_visits_with_the_same_identity_both_survive():
    ours = add_visit(BASE, "2026-11-20", "zhangwei", "上午拜访")
    theirs = add_visit(BASE, "2026-11-20", "zhangwei", "下午拜访")
    result = merge(BASE, ours, theirs)
    assert result.clean
    assert "上午拜访" in result.text and "下午拜访" in result.text


def test_edit_of_a_visit_merges_field_by_field():
    ours = BASE.replace("summary: 讨论三号线方案", "summary: 讨论三号线方案(补记)")
    theirs = BASE.replace("with: [王建国]", "with: [王建国, 李工]")
    result = merge(BASE, ours, theirs)
    assert result.clean
    assert "summary: 讨论三号线方案(补记)" in result.text and "with: [王建国, 李工]" in result.text


def test_both_added_a_field_differently_conflicts_and_add_add_merges():
    ours = BASE.replace("region: 华东/杭州\n", "region: 华东/杭州\nindustry: textile\n")
    theirs = BASE.replace("region: 华东/杭州\n", "region: 华东/杭州\nindustry: fmcg\nsector: private\n")
    result = merge(BASE, ours, theirs)
    assert [c.path for c in result.conflicts] == ["industry"]
    added = merge("", BASE, BASE.replace("tags: [包装]", "tags: [纺织]").replace("2000000", "1"))
    # add/add: no base, every difference; the visit both files have may be one visit or two (issue 11)
    assert [c.path for c in added.conflicts] == ["credit.limit", "visits[2026-11-10 zhangwei visit]"]
    assert "tags: [包装, 纺织]" in added.text  # plain-value lists still merge as sets


def test_unparsable_side_is_one_whole_file_conflict():
    broken = BASE.replace("status: active", "status: [active")
    result = merge(BASE, BASE.replace("limit: 2000000", "limit: 1"), broken)
    assert not result.clean and result.conflicts[0].path == "(whole file)"
    assert result.text.startswith("<<<<<<< ours\n") and result.text.endswith(">>>>>>> theirs\n")


def test_a_merge_that_would_be_invalid_is_a_whole_file_conflict():
    base = BASE.replace("region:", 'visit_hours: {start: "09:00", end: "17:00"}\nregion:')
    ours = base.replace('start: "09:00"', 'start: "13:00"')
    theirs = base.replace('end: "17:00"', 'end: "12:00"')
    result = merge(base, ours, theirs)
    assert result.problems and result.conflicts[0].path == "(whole file)"
    assert "<<<<<<< ours" in result.text


def test_removed_last_visit_keeps_the_following_section_comment():
    ours = add_visit(BASE, "2026-11-20", "zhangwei", "电话跟进")
    theirs = BASE.replace("limit: 2000000", "limit: 2100000")
    result = merge(ours, BASE.replace("limit: 2000000", "limit: 2100000"), add_visit(theirs, "2026-11-20", "zhangwei", "电话跟进"))
    assert result.clean
    assert "电话跟进" not in result.text
    assert "\n\n# churn signals\nsignals: []" in result.text


def test_card_paths():
    assert is_card_path("cards/hz-xinghe.yaml")
    assert not is_card_path("cards/kacard.yaml")
    assert not is_card_path(".pre-commit-config.yaml")
    assert not is_card_path("cards/.schema/x.yaml")
    assert not is_card_path("README.md")


def _driver(tmp_path: Path, base: str, ours: str, theirs: str, name: str = "hz-xinghe.yaml"):  # type: ignore[no-untyped-def]
    files = []
    for label, text in (("O", base), ("A", ours), ("B", theirs)):
        path = tmp_path / f".merge_file_{label}"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    done = subprocess.run([sys.executable, "-m", "kacard", "merge-driver", *files, name],
                          capture_output=True, text=True, check=False)
    return done, Path(files[1]).read_text("utf-8")


def test_merge_driver_command_clean_and_conflict(tmp_path):
    ours = add_visit(BASE, "2026-11-20", "zhangwei", "电话跟进")
    done, text = _driver(tmp_path, BASE, ours, add_visit(BASE, "2026-11-18", "lina", "现场拜访"))
    assert done.returncode == 0, done.stderr
    assert "电话跟进" in text and "现场拜访" in text
    done, text = _driver(tmp_path, BASE, BASE.replace("2000000", "3000000"), BASE.replace("2000000", "1"))
    assert done.returncode == 1
    assert "credit.limit" in done.stderr
    assert "<<<<<<< ours" in text


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                    reason="git is not installed")
def test_merge_driver_uses_line_merge_for_settings(tmp_path):
    base = "schema: 1\ncurrency: CNY\nteam: []\n"
    done, text = _driver(tmp_path, base, base.replace("CNY", "USD"), base + "cadence_days: {S: 5}\n",
                         name="kacard.yaml")
    assert done.returncode == 0, done.stderr
    assert text == "schema: 1\ncurrency: USD\nteam: []\ncadence_days: {S: 5}\n"
