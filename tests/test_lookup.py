"""Find a card the way people remember it (issue 15, point 4): id prefix, part of the
name, full pinyin, initials, heteronyms both ways; one resolver in every command that
takes an ID; `kacard find`; ids made from names; shell completion of ids."""

from __future__ import annotations

import json

import pytest

from kacard.cards import lookup
from kacard.errors import CardNotFound, UsageError

CARDS = [
    lookup.search_keys("hz-langyue-college", "杭州朗越职业技术学院", ["王建国"], "浙江省杭州市滨江区江南大道1号"),
    lookup.search_keys("hz-wahaha", "杭州娃哈哈集团有限公司", ["宗庆后"], "浙江省杭州市上城区清泰街160号"),
    lookup.search_keys("hz-xinghe-gas", "杭州星河燃气集团有限公司", ["金建国"], "浙江省杭州市拱墅区莫干山路1903号"),
    lookup.search_keys("sd-shan-trade", "单县曾氏贸易公司", ["曾小华"], None),
]


@pytest.mark.parametrize(("query", "expected"), [
    ("hz-langyue-college", "hz-langyue-college"),  # the id
    ("hz-lang", "hz-langyue-college"),  # a unique id prefix
    ("朗越", "hz-langyue-college"),  # part of the Chinese name
    ("langyue", "hz-langyue-college"),  # full pinyin (and part of the id)
    ("langyuezhiye", "hz-langyue-college"),  # full pinyin, not in the id
    ("lyzy", "hz-langyue-college"),  # initials
    ("LYZY", "hz-langyue-college"),
    ("娃哈哈", "hz-wahaha"),
    ("whh", "hz-wahaha"),
    ("xhrq", "hz-xinghe-gas"),
    ("xingheranqi", "hz-xinghe-gas"),
    ("shanxian", "sd-shan-trade"),  # 单 read shan
    ("danxian", "sd-shan-trade"),  # 单 read dan
    ("zengshi", "sd-shan-trade"),  # 曾 read zeng
    ("cengshi", "sd-shan-trade"),  # 曾 read ceng
])
def test_resolve(query, expected):
    assert lookup.resolve(query, CARDS) == expected


def test_several_matches_list_the_candidates():
    with pytest.raises(UsageError) as caught:
        lookup.resolve("集团", CARDS)
    assert "2 cards" in caught.value.message
    assert "  hz-wahaha      杭州娃哈哈集团有限公司\n" in caught.value.message  # ids aligned
    assert "hz-xinghe-gas  杭州星河燃气集团有限公司" in caught.value.message


def test_nothing_matches_did_you_mean():
    with pytest.raises(CardNotFound) as caught:
        lookup.resolve("hz-wahah-x", CARDS)
    assert "did you mean hz-wahaha (杭州娃哈哈集团有限公司)" in caught.value.message
    with pytest.raises(CardNotFound):
        lookup.resolve("qqq", CARDS)


def test_a_better_kind_of_match_wins():
    # "hz-xinghe-gas" is an exact id; it is also found in nothing else
    assert lookup.find("hz", CARDS, deep=False)[0].id.startswith("hz-")
    found = lookup.find("王建国", CARDS)
    assert [m.id for m in found] == ["hz-langyue-college"] and found[0].where == "contact"
    assert [m.id for m in lookup.find("拱墅", CARDS)] == ["hz-xinghe-gas"]
    assert [m.id for m in lookup.find("zqh", CARDS)] == ["hz-wahaha"]  # a contact's initials


def test_readings_are_memoised_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(lookup, "_memo", None)
    keys = lookup.search_keys("x", "曾单")
    first = keys.name_readings
    lookup.save_readings()
    assert (tmp_path / "cache" / "pinyin-readings.marshal").exists()
    assert set(keys.name_readings[0]) == {"ceng", "zeng"} and {"dan", "shan", "chan"} <= set(keys.name_readings[1])
    monkeypatch.setattr(lookup, "_memo", None)
    import sys

    monkeypatch.setitem(sys.modules, "pypinyin", None)  # a warm lookup needs no pypinyin
    assert lookup.search_keys("x", "曾单").name_readings == first
    assert lookup.search_keys("y", "单曾").name_readings == first[::-1]  # from the characters' memo


@pytest.mark.parametrize(("name", "taken", "expected"), [
    ("杭州朗越职业技术学院", (), "hz-langyuezhiyejishuxueyuan"),
    ("杭州娃哈哈集团有限公司", (), "hz-wahaha"),
    ("杭州娃哈哈集团有限公司", ("hz-wahaha",), "hz-wahaha-2"),
    ("重庆长安汽车股份有限公司", (), "cq-changanqiche"),
    ("Bluepeak Foods (Hangzhou) Co., Ltd.", (), "bluepeak-foods-hangzhou-co-ltd"),
])
def test_slug(name, taken, expected):
    assert lookup.slug(name, taken) == expected


# -- through the commands -------------------------------------------------------------

CARD = """\
id: {id}
name: {name}
owner: zhangwei
address: {address}
contacts:
  - {{name: {contact}, title: 采购总监}}
visits:
  - {{date: 2026-11-10, summary: 初访, next: {{date: 2026-12-01, action: 报价}}}}
"""


@pytest.fixture
def three(write_card):
    for card_id, name, contact, address in [
        ("hz-langyue-college", "杭州朗越职业技术学院", "王建国", "滨江区江南大道1号"),
        ("hz-wahaha", "杭州娃哈哈集团有限公司", "宗庆后", "上城区清泰街160号"),
        ("hz-xinghe-gas", "杭州星河燃气集团有限公司", "金建国", "拱墅区莫干山路1903号"),
    ]:
        write_card(card_id, CARD.format(id=card_id, name=name, contact=contact, address=address))


def test_every_id_command_takes_a_name(kacard, folder, three):
    shown = kacard("show", "朗越")
    assert shown.exit_code == 0, shown.output
    assert "(hz-langyue-college)" in shown.stdout
    assert kacard("show", "lyzy", "--format", "json").exit_code == 0
    logged = kacard("log", "娃哈哈", "--summary", "回访", "--next-date", "+7", "--next-action", "报价")
    assert logged.exit_code == 0, logged.output
    assert "2026-11-30" in (folder / "hz-wahaha.yaml").read_text(encoding="utf-8")
    explained = kacard("due", "--explain", "xhrq")
    assert explained.exit_code == 0 and "hz-xinghe-gas" in explained.stdout
    scored = kacard("score", "--explain", "星河")
    assert scored.exit_code == 0 and "hz-xinghe-gas" in scored.stdout
    briefed = kacard("brief", "--ids", "朗越,whh", "--format", "md")
    assert briefed.exit_code == 0, briefed.output
    assert "hz-langyue-college" in briefed.stdout and "hz-wahaha" in briefed.stdout
    handed = kacard("handover", "张伟", "李娜", "--ids", "星河")
    assert handed.exit_code == 0, handed.output
    assert "owner: lina" in (folder / "hz-xinghe-gas.yaml").read_text(encoding="utf-8")


def test_ambiguous_and_unknown_names_exit_2(kacard, three):
    several = kacard("show", "集团")
    assert several.exit_code == 2 and "hz-wahaha" in several.stderr and "hz-xinghe-gas" in several.stderr
    none = kacard("show", "hz-wahah-x")
    assert none.exit_code == 2 and "did you mean hz-wahaha" in none.stderr
    assert "Traceback" not in none.output
    unsafe = kacard("show", "../etc/passwd")
    assert unsafe.exit_code == 2 and "invalid id" in unsafe.stderr


def test_find_lists_rows_best_first(kacard, three):
    result = kacard("find", "建国", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["hz-langyue-college", "hz-xinghe-gas"]
    assert {"id", "name", "owner", "status", "tier"} <= set(rows[0])
    first = json.loads(kacard("find", "hz-xinghe", "--format", "json").stdout)
    assert first[0]["id"] == "hz-xinghe-gas"
    assert [r["id"] for r in json.loads(kacard("find", "莫干山", "--format", "json").stdout)] == ["hz-xinghe-gas"]
    nothing = kacard("find", "不存在的客户")
    assert nothing.exit_code == 0 and "no card matches" in nothing.stderr


def test_find_by_a_phone_number_however_it_is_spaced(kacard, write_card, three):
    """A rep sees a caller's number: `find` matches the contacts' phones by their digits
    (spaces, dashes, '+86' as typed either way), and shows the card, never the number."""
    write_card("hz-beichen", CARD.format(id="hz-beichen", name="杭州北辰食品有限公司", contact="李强",
                                         address="余杭区文一西路").replace(
        "title: 采购总监}", "title: 采购总监, phone: '+86 138 0013 8000'}"))
    for typed in ("13800138000", "138 0013 8000", "138-0013-8000", "+86 13800138000", "0013 8000"):
        result = kacard("find", typed, "--format", "json")
        assert result.exit_code == 0, result.output
        assert [r["id"] for r in json.loads(result.stdout)] == ["hz-beichen"], typed
        assert "138" not in json.dumps(json.loads(result.stdout)[0]), "the number is not printed"
    short = kacard("find", "800", "--format", "json")  # three digits are not a phone search
    assert json.loads(short.stdout) == []
    none = kacard("find", "13999999999")
    assert none.exit_code == 0 and none.stdout == "(none)\n" and "no card matches" in none.stderr


def test_new_makes_the_id_from_the_name(kacard, folder, three):
    # 杭州娃哈哈有限公司 is not 杭州娃哈哈集团有限公司 (a group and a company), but its id would be
    result = kacard("new", "--name", "杭州娃哈哈有限公司", "--owner", "张伟", "--contact", "宗馥莉")
    assert result.exit_code == 0, result.output
    text = (folder / "hz-wahaha-2.yaml").read_text(encoding="utf-8")
    assert "owner: zhangwei" in text and "{name: 宗馥莉}" in text
    assert kacard("validate").exit_code == 0


def test_completion_of_ids(kacard, folder, three):
    from typer.testing import CliRunner

    from kacard.cli.app import app

    env = {"_KACARD_COMPLETE": "complete_bash", "COMP_WORDS": f"kacard show --dir {folder} hz-w",
           "COMP_CWORD": "4"}
    result = CliRunner().invoke(app, [], env=env, prog_name="kacard")
    assert "hz-wahaha" in result.output and "hz-xinghe-gas" not in result.output
    commands = CliRunner().invoke(app, [], env={**env, "COMP_WORDS": "kacard fi", "COMP_CWORD": "1"},
                                  prog_name="kacard")
    assert "filter" in commands.output and "find" in commands.output


def test_rate_takes_a_name(kacard, folder, three):
    result = kacard("rate", "朗越", "strategic_goals=2")
    assert result.exit_code == 0, result.output
    assert "strategic_goals: 2" in (folder / "hz-langyue-college.yaml").read_text(encoding="utf-8")


def test_a_broken_card_is_still_found_by_name_and_pinyin(kacard, write_card, three):
    """A fresh user's finding: one bad field made a card vanish from name and pinyin lookups
    ("no card matches"); it is found, and its problems are shown with file:line:field."""
    write_card("hz-beichen", CARD.format(id="hz-beichen", name="杭州北辰食品有限公司", contact="李强",
                                         address="余杭区文一西路") + "trades:\n  - {date: 2026-01-05, amount: 1,200,000}\n")
    for typed in ("北辰", "bcsp", "beichen", "hz-beichen"):
        result = kacard("show", typed)
        assert result.exit_code == 2, (typed, result.output)
        assert "hz-beichen" in result.stderr and "has problems" in result.stderr, typed
        assert "hz-beichen.yaml:" in result.stderr and "trades.0.amount" in result.stderr, typed
