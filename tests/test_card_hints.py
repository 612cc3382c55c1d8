"""Problem messages a fresh user found wrong or misleading (session 12, "card hints"): each
mistake is written into a real card folder and checked through `kacard validate` in both
languages, by its file:line:column, its field and the hint's text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kacard.i18n import extract

HEAD = "id: {id}\nname: 测试客户\nowner: lina\n"
LINE = re.compile(r"^(?P<file>[\w.-]+\.yaml):(?P<line>\d+):(?P<col>\d+):(?: (?P<field>[^:\s]+):)? (?P<message>.*)$")


def _problems(kacard, lang: str) -> list[dict[str, str]]:
    result = kacard("validate", "--lang", lang)
    assert "Traceback" not in result.output
    return [m.groupdict() for m in map(LINE.match, result.stdout.splitlines()) if m]


def _one(problems: list[dict[str, str]], file: str, field: str | None) -> dict[str, str]:
    mine = [p for p in problems if p["file"] == file and p["field"] == field]
    assert len(mine) == 1, problems
    return mine[0]


# card id -> (body after the head, line, column, field, English words, Chinese words, words neither may hold)
HINTS: dict[str, tuple[str, int, int, str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # 1: the hint repeats the next step's own date, not the visit's (the line's first `date:`)
    "next-slash": ("visits:\n  - {date: 2026-11-01, kind: visit, summary: x, next: {date: 2026/12/1, action: y}}\n",
                   5, 56, "visits.0.next.date", ("visit 1", "write dates as YYYY-MM-DD: date: 2026-12-01"),
                   ("第 1 条拜访记录", "日期请写成 YYYY-MM-DD：date: 2026-12-01"), ("2026-11-01",)),
    "next-short": ("visits:\n  - {date: 2026-11-01, summary: x, next: {date: 2026-12-1, action: y}}\n",
                   5, 43, "visits.0.next.date", ("two digits: date: 2026-12-01",),
                   ("月和日请写成两位数：date: 2026-12-01",), ("2026-11-01",)),
    # the time hint goes to the next step's time, and the date's hint is still its own
    "next-time": ("visits:\n  - {date: 2026-11-01, time: \"09:30\", summary: x, "
                  "next: {date: 2026-12-03, time: 9:00, action: y}}\n",
                  5, 76, "visits.0.next.time", ("put the time in quotes: time: \"09:00\"",),
                  ("时间要加引号：time: \"09:00\"",), ("09:30",)),
    "second-amount": ("trades:\n  - {date: 2026-01-05, amount: 1,200, margin: 3,400}\n", 5, 39, "trades.0.margin",
                      ("trade 1", "without thousands separators: margin: 3400"),
                      ("第 1 笔交易", "金额不要加千位分隔符：margin: 3400"), ("1200",)),
    # 2: an unclosed [ is named where it opened, not at the next (valid) line
    "open-list": ("visit_minutes: [60\nsince: 2020-01-01\n", 4, 16, None,
                  ("the '[' here has no matching ']'",), ("“[”没有对应的“]”",), ("since",)),
    "open-tags": ("tags: [a\nsince: 2020-01-01\n", 4, 7, None, ("'[' here has no matching ']'",),
                  ("“[”没有对应的“]”",), ()),
    "open-map": ("location: {lat: 30.2, lon: 120.1\nsince: 2020-01-01\n", 4, 11, None,
                 ("'{' here has no matching '}'",), ("“{”没有对应的“}”",), ()),
    # 3: a Chinese field name is answered with the English key (cards keep English keys)
    "cn-colon": ("名称：杭州测试\n", 4, 3, None, ("full-width colon", "'名称'", "name: …"),
                 ("全角冒号", "应写作 name: …"), ("名称: …",)),
    "cn-key": ("行业: 制造\n", 4, 1, "行业", ("unknown field '行业'", "did you mean 'industry'?"),
               ("无法识别的字段“行业”", "应写作 industry"), ()),
    # 7: the full-width-space indentation names no field (not the misread line)
    "wide-space": ("contacts:\n  - {name: 钱}\n\u3000\u3000- {name: 金}\n", 6, 1, None,
                   ("full-width space",), ("全角空格",), ("{name",)),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hint_names_its_line_field_and_own_value(kacard, folder: Path, lang: str) -> None:
    for card_id, (body, *_rest) in HINTS.items():
        (folder / f"{card_id}.yaml").write_text(HEAD.format(id=card_id) + body, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    problems = _problems(kacard, lang)
    for card_id, (_body, line, column, field, english, chinese, banned) in HINTS.items():
        found = _one(problems, f"{card_id}.yaml", field)
        assert (int(found["line"]), int(found["col"])) == (line, column), (card_id, found)
        for word in english if lang == "en" else chinese:
            assert word in found["message"], (card_id, found)
        for word in banned:
            assert word not in found["message"], (card_id, found)
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before


def test_a_line_with_many_mistakes_gets_each_its_own_hint(kacard, folder: Path) -> None:
    """Two problems on one `{…}` line are not merged into the first one's message."""
    (folder / "many.yaml").write_text(HEAD.format(id="many") + (
        "visits:\n  - {date: 2026/11/2, time: 9:00, summary: x, next: {date: 2026-12-1, action: y}}\n"), encoding="utf-8")
    problems = [p for p in _problems(kacard, "en") if p["file"] == "many.yaml"]
    messages = {p["field"]: p["message"] for p in problems}
    assert messages["visits.0.date"].endswith("date: 2026-11-02")
    assert messages["visits.0.time"].endswith('time: "09:00"')
    assert messages["visits.0.next.date"].endswith("date: 2026-12-01")


def test_a_problem_inside_a_list_over_several_lines_keeps_its_place(kacard, folder: Path) -> None:
    """Only a bracket the next entry runs into is "not closed": a mistake on a later line of a
    list written over several lines is still shown where the parser found it."""
    (folder / "multi.yaml").write_text(HEAD.format(id="multi") + "tags: [a, b: c\n  d: e]\n", encoding="utf-8")
    found = _one(_problems(kacard, "en"), "multi.yaml", None)
    assert found["line"] == "5" and "no matching" not in found["message"], found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_missing_field_is_reported_with_a_line(kacard, folder: Path, lang: str) -> None:
    (folder / "cn2.yaml").write_text("id: cn2\n名称: 杭州测试\n负责人: lina\n", encoding="utf-8")
    (folder / "bare.yaml").write_text("id: bare\nstatus: active\nsince: 2020-01-01\n", encoding="utf-8")
    result = kacard("validate", "--lang", lang)
    assert result.exit_code == 1
    problems = _problems(kacard, lang)
    required = "missing: this field is required" if lang == "en" else "缺少必填项"
    for file, field, line in (("cn2.yaml", "name", 2), ("cn2.yaml", "owner", 2),
                              ("bare.yaml", "name", 2), ("bare.yaml", "owner", 3)):
        found = _one(problems, file, field)
        assert int(found["line"]) == line and required in found["message"], found
    english = _one(problems, "cn2.yaml", "负责人")["message"]
    assert ("did you mean 'owner'?" if lang == "en" else "应写作 owner") in english


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unknown_owner_is_reported_with_the_cards_other_problems(kacard, folder: Path, lang: str) -> None:
    """One run lists the type error and the unknown owner; the owner's phone is not echoed.
    A second run (the rows cache) says the same."""
    (folder / "cn3.yaml").write_text("id: cn3\nname: 测试\nsince: 2020/1/1\nowner: lisi 13812345678\n",
                                     encoding="utf-8")
    for _run in range(2):
        result = kacard("validate", "--lang", lang)
        assert result.exit_code == 1 and "13812345678" not in result.output and "138123" not in result.output
        problems = _problems(kacard, lang)
        since = _one(problems, "cn3.yaml", "since")
        owner = _one(problems, "cn3.yaml", "owner")
        assert since["line"] == "3" and "2020-01-01" in since["message"]
        assert owner["line"] == "4" and ("unknown owner" if lang == "en" else "没有这位负责人") in owner["message"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_visit_hours_report_every_rule_in_one_run(kacard, folder: Path, lang: str) -> None:
    """A bad weekday and an end before start: both at once (each rule is its field's check)."""
    (folder / "hours.yaml").write_text(HEAD.format(id="hours") + 'visit_hours: {days: [周一，周三], start: "18:00", '
                                       'end: "09:00"}\n', encoding="utf-8")
    problems = _problems(kacard, lang)
    days = _one(problems, "hours.yaml", "visit_hours.days.0")
    end = _one(problems, "hours.yaml", "visit_hours.end")
    assert days["line"] == end["line"] == "4"
    assert ("ASCII commas" if lang == "en" else "半角逗号") in days["message"]
    assert ("start must be before end" if lang == "en" else "开始时间必须早于结束时间") in end["message"]


def test_a_broken_card_with_a_team_owner_gets_no_owner_problem(kacard, folder: Path) -> None:
    (folder / "ok-owner.yaml").write_text("id: ok-owner\nname: 测试\nsince: 2020/1/1\nowner: 李娜\n",
                                          encoding="utf-8")
    problems = [p for p in _problems(kacard, "en") if p["file"] == "ok-owner.yaml"]
    assert [p["field"] for p in problems] == ["since"], problems


WARNED = """\
contacts:
  - {name: 钱红梅}
  - {name: 金建国}
visits:
  - {date: 2026-11-01, kind: visit, with: [钱红梅，金建国], summary: x, no_next: y}
  - {date: 2026-11-02, kind: visit, with: [钱红, 王五, 金建国], summary: x, no_next: y}
tags: [国企，老客户, 杭州]
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_full_width_commas_and_unknown_people_are_warned(kacard, folder: Path, lang: str) -> None:
    (folder / "w.yaml").write_text(HEAD.format(id="w") + WARNED, encoding="utf-8")
    result = kacard("validate", "--lang", lang)
    assert result.exit_code == 0, result.output  # warnings only: the card reads
    problems = _problems(kacard, lang)
    warn = "warning: " if lang == "en" else "警告："
    expected = {
        ("visits.0.with.0", 8): ("ASCII commas: [钱红梅, 金建国]", "请用半角逗号：[钱红梅, 金建国]"),
        ("visits.1.with.0", 9): ("'钱红' is not a contact of this card; did you mean 钱红梅?", "“钱红”不是本资料卡上的联系人；是不是指 钱红梅？"),
        ("visits.1.with.1", 9): ("'王五' is not a contact of this card", "“王五”不是本资料卡上的联系人"),
        ("tags.0", 10): ("ASCII commas: [国企, 老客户, 杭州]", "请用半角逗号：[国企, 老客户, 杭州]"),
    }
    assert {(p["field"], int(p["line"])) for p in problems if p["file"] == "w.yaml"} == set(expected)
    for (field, _line), (english, chinese) in expected.items():
        message = _one(problems, "w.yaml", field)["message"]
        assert message.startswith(warn) and (english if lang == "en" else chinese) in message, message


def test_chinese_messages_quote_values_with_chinese_quotes(kacard, folder: Path) -> None:
    (folder / "t-dup.yaml").write_text(HEAD.format(id="hz-xinghe-gas"), encoding="utf-8")
    (folder / "hz-a.yaml").write_text(HEAD.format(id="hz-a"), encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "hz-a.yaml").write_text(HEAD.format(id="hz-a"), encoding="utf-8")
    (folder / "t-type.yaml").write_text(HEAD.format(id="t-type") + "tier: X\n", encoding="utf-8")
    output = kacard("validate", "--lang", "zh").stdout
    assert "t-type.yaml:4:1: tier: 只能是 S、A、B、C 之一" in output
    assert "id “hz-xinghe-gas”与文件名 t-dup.yaml 不一致" in output
    assert "id “hz-a”重复" in output
    assert "'hz-" not in output


def test_no_chinese_translation_quotes_a_value_with_ascii_quotes() -> None:
    """`{x!r}` or '{x}' in a Chinese message prints 'value': the zh catalog quotes with “…”."""
    ascii_quoted = re.compile(r"!r\}|'\{\w+\}")
    found = [text for text in extract.translations("zh").values() if ascii_quoted.search(text)]
    assert not found, found[:5]
