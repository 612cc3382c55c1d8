"""`kacard filter` in Chinese (issue 15, point 2): field names, values, full-width
operators, amounts with units; a value no card can have is an error, not an empty list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacard.analysis.query import Condition, parse, parse_all
from kacard.cards.model.settings import Settings
from kacard.cli.app import app
from kacard.errors import UsageError

SAMPLE = Path(__file__).resolve().parents[1] / "cards"


@pytest.mark.parametrize(("text", "expected"), [
    ("等级=A", Condition("tier", "=", "A")),
    ("等级＝a", Condition("tier", "=", "A")),
    ("名称～燃气", Condition("name", "~", "燃气")),
    ("状态=活跃", Condition("status", "=", "active")),
    ("状态！＝流失", Condition("status", "!=", "lost")),
    ("关系=巩固", Condition("relationship", "=", "strengthen")),
    ("营收＞100万", Condition("revenue", ">", "100万")),
    ("应收≥1,000", Condition("receivable", ">=", "1,000")),
    ("区域~杭州", Condition("region", "~", "杭州")),
])
def test_parse(text, expected):
    assert parse(text) == expected


def test_amounts_with_units_compare_as_numbers():
    row = {"revenue": 1_200_000}
    assert parse("营收＞100万").matches(row)
    assert not parse("revenue>1.2亿").matches(row)
    assert parse("revenue<=1,200,000").matches(row)


@pytest.mark.parametrize(("text", "words"), [
    ("status=activ", ("unknown status 'activ'", "did you mean 'active'?", "活跃/潜在/休眠/流失")),
    ("状态=活越", ("unknown status '活越'",)),
    ("tier=X", ("unknown tier 'X'", "S, A, B, C")),
    ("等极=A", ("unknown filter field '等极'", "did you mean '等级'?")),
    ("revenue>很多", ("needs a number", "100万")),
])
def test_unknown_values_are_refused(text, words):
    with pytest.raises(UsageError) as caught:
        parse(text)
    for word in words:
        assert word in caught.value.message


def test_owner_by_name():
    settings = Settings.model_validate({"team": [{"id": "zhangwei", "name": "张伟"}, {"id": "lina", "name": "李娜"}]})
    assert parse_all(["负责人=张伟"], settings) == [Condition("owner", "=", "zhangwei")]
    with pytest.raises(UsageError, match="did you mean zhangwei"):
        parse_all(["owner=zhangwie"], settings)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["filter", *args, "--dir", str(SAMPLE), "--today", "2026-11-23",
                                    "--format", "json"])


def test_chinese_conditions_equal_english_ones_on_the_sample():
    chinese = run("等级＝A", "负责人=张伟", "营收＞100万")
    english = run("tier=A", "owner=zhangwei", "revenue>1000000")
    assert chinese.exit_code == 0 and english.exit_code == 0, chinese.output + english.output
    rows = json.loads(chinese.stdout)
    assert rows == json.loads(english.stdout) and len(rows) == 3


def test_unknown_value_exits_2_instead_of_printing_nothing():
    result = run("status=activ")
    assert result.exit_code == 2 and "did you mean 'active'?" in result.stderr
    assert result.stdout == ""
