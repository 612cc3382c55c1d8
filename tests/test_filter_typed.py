"""`kacard filter` reads a condition typed the way a Chinese key-account rep types it: a
colon or `==` for `=`, operator words (大于, 包含, 早于), tier words (A类, A级, A类客户),
Chinese dates (kacard.dates.parse_day), amounts with units, words split by spaces; anything
else is refused with what a condition looks like, in the user's language.

Every spelling runs the real command on the sample folder and must give the very rows of
the canonical spelling, in English and in Chinese."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacard.analysis.query import Condition, parse, parse_all
from kacard.cli.app import app

SAMPLE = Path(__file__).resolve().parents[1] / "cards"
LANGS = ("en", "zh")


def run(lang: str, *conditions: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["filter", *conditions, "--dir", str(SAMPLE), "--today", "2026-11-23",
                                    "--format", "json", "--lang", lang])


@cache
def rows(lang: str, conditions: tuple[str, ...]) -> list[dict]:  # type: ignore[type-arg]
    result = run(lang, *conditions)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@cache
def every_id() -> frozenset[str]:
    listed = CliRunner().invoke(app, ["list", "--dir", str(SAMPLE), "--today", "2026-11-23", "--format", "json"])
    return frozenset(r["id"] for r in json.loads(listed.stdout))


TYPED = [  # (as a rep types it, the canonical spelling)
    (["等级：A"], ["tier=A"]),
    (["tier：A"], ["tier=A"]),
    (["tier:A"], ["tier=A"]),
    (["tier==A"], ["tier=A"]),
    (["tier＝＝A"], ["tier=A"]),
    (["A类"], ["tier=A"]),
    (["A级"], ["tier=A"]),
    (["A类客户"], ["tier=A"]),
    (["等级=A类"], ["tier=A"]),
    (["客户等级：B级客户"], ["tier=B"]),
    (["等级不是A类"], ["tier!=A"]),
    (["tier<>A"], ["tier!=A"]),
    (["最近拜访<9月1日"], ["last_visit<2026-09-01"]),
    (["last_visit<2026年9月1日"], ["last_visit<2026-09-01"]),
    (["last_visit<2026/9/1"], ["last_visit<2026-09-01"]),
    (["最近拜访早于9月1日"], ["last_visit<2026-09-01"]),
    (["最近拜访>=上周五"], ["last_visit>=2026-11-20"]),
    (["下一步日期<下周五"], ["next_date<2026-12-04"]),
    (["营收>100万"], ["revenue>1000000"]),
    (["revenue>100万元"], ["revenue>1000000"]),
    (["revenue>1000k"], ["revenue>1000000"]),
    (["revenue>100w"], ["revenue>1000000"]),
    (["revenue>1,000,000"], ["revenue>1000000"]),
    (["营收大于100万"], ["revenue>1000000"]),
    (["名称包含燃气"], ["name~燃气"]),
    (["流失客户"], ["status=lost"]),
    (["tier:", "A"], ["tier=A"]),
    (["等级", "＝", "A类"], ["tier=A"]),
    (["营收", "大于", "100万"], ["revenue>1000000"]),
    (["A类客户", "负责人：张伟", "营收大于100万"], ["tier=A", "owner=zhangwei", "revenue>1000000"]),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("typed", "canonical"), TYPED, ids=lambda p: " ".join(p))
def test_a_condition_as_typed_finds_the_cards_of_its_canonical_spelling(lang, typed, canonical):
    expected = rows(lang, tuple(canonical))
    ids = {r["id"] for r in expected}
    assert ids and ids != every_id(), "the canonical condition picks some cards, not none or all"
    found = rows(lang, tuple(typed))
    assert [r["id"] for r in found] == [r["id"] for r in expected]
    assert found == expected  # the same JSON rows, whatever the spelling


@pytest.mark.parametrize(("text", "condition"), [
    ("等级：A类", Condition("tier", "=", "A")),
    ("Tier == a级", Condition("tier", "=", "A")),
    ("A类客户", Condition("tier", "=", "A")),
    ("活跃客户", Condition("status", "=", "active")),
    ("name~A:B", Condition("name", "~", "A:B")),
    ("名称包含有限公司", Condition("name", "~", "有限公司")),
    ("营收不少于1.2亿", Condition("revenue", ">=", "1.2亿")),
    ("最近拜访>2026年9月1日", Condition("last_visit", ">", "2026-09-01")),
    ("last_visit~2026-11", Condition("last_visit", "~", "2026-11")),
    ("next_date=", Condition("next_date", "=", "")),
    ("custom.渠道：直销", Condition("custom.渠道", "=", "直销")),
])
def test_parts_read_to_their_canonical_spelling(text, condition):
    import datetime as dt

    assert parse(text, dt.date(2026, 11, 23)) == condition


def test_weekday_dates_are_read_relative_to_today():
    import datetime as dt

    assert parse_all(["最近拜访>=上周五"], today=dt.date(2026, 11, 23)) == [Condition("last_visit", ">=", "2026-11-20")]
    assert parse_all(["最近拜访>=上周五"], today=dt.date(2026, 12, 2)) == [Condition("last_visit", ">=", "2026-11-27")]
    assert parse_all(["下一步日期<周五"], today=dt.date(2026, 11, 23)) == [Condition("next_date", "<", "2026-11-27")]
    assert parse_all(["最近拜访>周五"], today=dt.date(2026, 11, 23)) == [Condition("last_visit", ">", "2026-11-20")]


def test_words_split_by_spaces_join_only_when_the_condition_is_open():
    assert parse_all(["name=", "tier=A"]) == [Condition("name", "=", ""), Condition("tier", "=", "A")]
    assert parse_all(["tier", ":", "A", "region~杭州"]) == [Condition("tier", "=", "A"), Condition("region", "~", "杭州")]


REFUSED = [  # (condition, words in English, words in Chinese)
    ("amount>100万", ("unknown filter field 'amount'", "did you mean 'revenue' (营收/收入/销售额/金额)?",
                      "receivable"),
     ("没有“amount”这个筛选字段", "您是不是想写 营收/收入/销售额/金额（即 revenue）", "应收")),
    ("业绩>100万", ("unknown filter field '业绩'", "did you mean 'revenue'"), ("没有“业绩”这个筛选字段", "营收")),
    ("业绩大于100万", ("unknown filter field '业绩'", "did you mean 'revenue'"), ("没有“业绩”这个筛选字段", "营收")),
    ("foo", ("cannot read condition 'foo'", "e.g. tier=A", "'revenue>100万'"),
     ("看不懂条件“foo”", "例如 等级=A", "营收大于100万", "A类客户")),
    ("等级", ("cannot read condition '等级'",), ("看不懂条件“等级”",)),
    ("A", ("cannot read condition 'A'",), ("看不懂条件“A”",)),
    ("等级=D类", ("unknown tier 'D类'", "A类"), ("没有“D类”这个等级", "A类、A级")),
    ("最近拜访>昨儿", ("not a date: '昨儿'", "e.g. 'last_visit>2026-09-01'"), ("“昨儿”不是日期", "例如 最近拜访>9月1日")),
    ("最近拜访>2026年2月30日", ("no such day",), ("2026年2月30日",)),
    ("revenue>很多", ("needs a number, not '很多'", "100万"), ("后面要跟数字", "100万")),
    ("名称>燃气", ("this field is text", "name~燃气"), ("这个字段是文字", "名称~燃气")),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("text", "english", "chinese"), REFUSED, ids=lambda p: p if isinstance(p, str) else "")
def test_what_is_still_refused_says_what_a_condition_looks_like(lang, text, english, chinese):
    result = run(lang, text)
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for word in english if lang == "en" else chinese:
        assert word in result.stderr, result.stderr
    assert result.stderr.startswith("error: " if lang == "en" else "错误：")


ONE_OF = [  # (as typed, the single-value spellings whose rows it must give together)
    (["等级=A,B"], [["tier=A"], ["tier=B"]]),
    (["tier=A|B"], [["tier=A"], ["tier=B"]]),
    (["等级：A类、B类"], [["tier=A"], ["tier=B"]]),
    (["负责人=张伟，李娜"], [["owner=zhangwei"], ["owner=lina"]]),
    (["status=active,lost"], [["status=active"], ["status=lost"]]),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("typed", "singles"), ONE_OF, ids=lambda p: " ".join(p) if isinstance(p[0], str) else "")
def test_several_values_of_a_closed_field_match_any_of_them(lang, typed, singles):
    """`等级=A,B` is the rows of tier=A and of tier=B, in the folder's order; `!=` the others."""
    union = {r["id"] for single in singles for r in rows(lang, tuple(single))}
    found = rows(lang, tuple(typed))
    assert union and union != every_id() and {r["id"] for r in found} == union
    single = [r["id"] for s in singles for r in rows(lang, tuple(s))]
    assert [r["id"] for r in found] == [i for i in _listed() if i in single], "in the folder's order"
    field, _, values = typed[0].partition("=") if "=" in typed[0] else typed[0].partition("：")
    others = rows(lang, (f"{field}!={values}",))
    assert {r["id"] for r in others} == every_id() - union


@cache
def _listed() -> tuple[str, ...]:
    listed = CliRunner().invoke(app, ["list", "--dir", str(SAMPLE), "--today", "2026-11-23", "--format", "json"])
    return tuple(r["id"] for r in json.loads(listed.stdout))


def test_one_of_a_value_no_card_can_have_is_refused():
    result = run("en", "tier=A,X")
    assert result.exit_code == 2 and "unknown tier 'X'" in result.output
