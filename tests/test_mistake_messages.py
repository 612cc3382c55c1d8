"""Messages for the mistakes Chinese input methods and spreadsheet habits make (issue 15,
point 3): each names its line, the character or value, and the fix, in plain words in
both languages; items are counted from 1; personal values are never echoed."""

from __future__ import annotations

import json

import pytest

from kacard import i18n
from kacard.cards.messages import Raw, explain, yaml_problem

HEAD = "id: {id}\nname: 测试客户\nowner: lina\n"

# name -> (card body after the head, expected line, field, words the message must hold)
MISTAKES: dict[str, tuple[str, int, str, tuple[str, ...]]] = {
    "fullwidth-colon": ("region： 华东/杭州\n", 4, "", ("full-width colon '：'", "'region'", "region: …")),
    "fullwidth-colon-first-key": ("", 2, "", ("full-width colon", "'name'")),
    "tab-indent": ("location:\n\tlat: 30.2\n\tlon: 120.1\n", 5, "", ("tab", "spaces")),
    "fullwidth-space-indent": ("location:\n\u3000\u3000lat: 30.2\n", 5, "", ("full-width space",)),
    "thousands": ("trades:\n  - date: 2026-01-05\n    amount: 1,200,000\n", 6, "trades.0.amount",
                  ("trade 1", "thousands separators", "amount: 1200000")),
    "thousands-flow": ("trades:\n  - {date: 2026-01-05, amount: 1,200,000}\n", 5, "trades.0.amount",
                       ("trade 1", "thousands separators", "amount: 1200000")),
    "wan": ("trades:\n  - date: 2026-01-05\n    amount: 120万\n", 6, "trades.0.amount", ("amount: 1200000",)),
    "phone-number": ("contacts:\n  - name: 王\n  - name: 李\n    phone: 013800138000\n", 7, "contacts.1.phone",
                     ("contact 2", "read as a number", "quotes")),
    "time-block": ("visit_hours:\n  start: 9:00\n", 5, "visit_hours.start", ("\"09:00\"",)),
    "time-flow": ("visit_hours: {start: 9:00, end: \"17:00\"}\n", 4, "", ("quotes", "start: \"09:00\"")),
    "slash-date": ("since: 2019/03/01\n", 4, "since", ("YYYY-MM-DD", "since: 2019-03-01")),
    "short-date": ("since: 2026-11-5\n", 4, "since", ("two digits", "since: 2026-11-05")),
    "yes-for-paid": ("trades:\n  - {date: 2026-01-05, amount: 100, paid: yes}\n", 5, "trades.0.paid",
                     ("trade 1", "not yes/no", "leave it out while unpaid")),
    "shi-for-date": ("visits:\n  - {date: 是, summary: x}\n", 5, "visits.0.date", ("visit 1", "not yes/no")),
    "weekday-comma": ("visit_hours: {days: [周一，周三]}\n", 4, "visit_hours.days.0",
                      ("day 1", "ASCII commas")),
    "unknown-kind": ("visits:\n  - {date: 2026-01-05, kind: 拜仿}\n", 5, "visits.0.kind",
                     ("visit 1", "'拜仿'", "拜访/电话/会议/活动/礼品/投诉")),
    "typo-status": ("status: activ\n", 4, "status", ("did you mean 'active'?",)),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_is_named_with_line_and_fix(kacard, folder, name):
    body, line, field, words = MISTAKES[name]
    head = HEAD.format(id=name)
    if name == "fullwidth-colon-first-key":
        head = head.replace("name: ", "name：")
    path = folder / f"{name}.yaml"
    path.write_text(head + body, encoding="utf-8")
    before = path.read_bytes()
    result = kacard("validate", "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = [p for p in json.loads(result.stdout) if p["file"] == f"{name}.yaml"]
    assert problems, result.stdout
    first = problems[0]
    assert first["line"] == line, problems
    if field:
        assert first["field"] == field, problems
    for word in words:
        assert word in first["message"], first
    for banned in ("Input should", "pydantic", "Value error", "literal_error", "Decimal"):
        assert banned not in result.stdout
    assert path.read_bytes() == before


def test_phone_value_never_echoed(kacard, folder):
    (folder / "p.yaml").write_text(HEAD.format(id="p") + "contacts:\n  - {name: 王, phone: 013812345678}\n",
                                   encoding="utf-8")
    result = kacard("validate")
    assert result.exit_code == 1 and "contacts.0.phone" in result.output
    assert "13812345678" not in result.output


@pytest.fixture
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_messages_in_chinese(chinese):
    raw = Raw("string_type", ("contacts", 1, "phone"), "Input should be a valid string", 13800138000)
    assert explain(raw, "    phone: 013800138000") == "第 2 个联系人：这里被当成了数字，开头的 0 或 + 会丢失；请加上引号：phone: \"…\""
    date = explain(Raw("date_from_datetime_parsing", ("trades", 0, "date"), "x", "2019/03/01"))
    assert date.startswith("第 1 笔交易") and "日期请写成 YYYY-MM-DD：date: 2019-03-01" in date
    colon = yaml_problem("id: a\nname： 杭州\nowner: lina\n", 3, 1, "invalid YAML: could not find expected ':'")
    assert colon.line == 2 and colon.column == 5
    assert colon.message == "“name”后面用了全角冒号“：”；请改成半角冒号加一个空格：name: …"
    money = explain(Raw("decimal_parsing", ("trades", 2, "amount"), "x", "1,200,000"))
    assert money == "第 3 笔交易：金额不要加千位分隔符：amount: 1200000"


def test_items_are_counted_from_one():
    message = explain(Raw("missing", ("visits", 0, "next", "action"), "Field required"))
    assert message == "visit 1: missing: this field is required"


def test_problems_and_warnings_follow_the_language_of_each_run(kacard, folder):
    """The rows cache keeps a broken card's problems with their language and a card's
    warnings as catalog messages: a run in the other language reads them in its own,
    and the first run's language never sticks (cold runs parse in worker processes)."""
    (folder / "broken.yaml").write_text(HEAD.format(id="broken") + "since: 2019/03/01\n", encoding="utf-8")
    (folder / "odd.yaml").write_text(
        HEAD.format(id="odd") + "visits:\n  - {date: 2026-11-10, summary: a, no_next: x}\n"
        "  - {date: 2026-11-01, summary: b, no_next: x}\n", encoding="utf-8")
    for lang, words in (("en", ("write dates as YYYY-MM-DD", "visits are out of date order")),
                        ("zh", ("2019-03-01", "拜访没有按日期先后排列")),
                        ("en", ("write dates as YYYY-MM-DD", "visits are out of date order"))):
        result = kacard("validate", "--lang", lang)
        assert result.exit_code == 1, result.output
        for word in words:
            assert word in result.output, (lang, result.output)
        if lang == "zh":
            assert "write dates" not in result.output and "out of date order" not in result.output
