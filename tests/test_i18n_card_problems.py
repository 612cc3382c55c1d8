"""Under --lang zh, what kacard says about broken cards, a broken kacard.yaml, the operating
system and typer's usage errors is Chinese (issue 15 point 1): no message bypasses the catalog."""

from __future__ import annotations


import errno
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacard import i18n
from kacard.cards import yamlio
from kacard.cli.app import app
from kacard.errors import os_reason

SAMPLE = Path(__file__).resolve().parents[1] / "cards"
CJK = re.compile(r"[\u4e00-\u9fff]")
PROBLEM = re.compile(r"^(?P<file>[^\s:]+\.yaml)(?::\d+)*: (?:(?P<field>[\w.]+): )?(?P<message>.+)$")
ENGLISH = re.compile(r"\b(?:file|is|not|invalid|duplicate|does|match|expected|found|also|card|needs)\b")


def _run(*args: str) -> tuple[int, str]:
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        i18n.set_language("en")
    return result.exit_code, result.output


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the sample folder with the broken cards a new user made."""
    folder = tmp_path / "cards"
    shutil.copytree(SAMPLE, folder)
    (folder / "gbk-card.yaml").write_bytes("id: gbk-card\nname: 杭州某公司\nowner: lina\n".encode("gbk"))
    (folder / "utf16-card.yaml").write_bytes("id: utf16-card\nname: 杭州\nowner: lina\n".encode("utf-16"))
    (folder / "empty-card.yaml").write_text("", encoding="utf-8")
    (folder / "big-card.yaml").write_text("id: big-card\nnotes: " + "很长" * 400_000 + "\n", encoding="utf-8")
    (folder / "flow-card.yaml").write_text("id: flow-card\nname: {a: b c\n", encoding="utf-8")
    (folder / "colon-card.yaml").write_text("id: colon-card\nname: a: b\nowner: lina\n", encoding="utf-8")
    (folder / "dup-key.yaml").write_text("id: dup-key\nname: 某公司\nowner: lina\ncontacts:\n"
                                         "  - name: 王经理\n    wechat: wx1\n    wechat: wx2\n", encoding="utf-8")
    shutil.copy(folder / "hz-muze-gas.yaml", folder / "zz-copy.yaml")
    (folder / "sub").mkdir()
    shutil.copy(folder / "hz-xinghe-gas.yaml", folder / "sub" / "hz-xinghe-gas.yaml")
    return folder


BROKEN = {"gbk-card.yaml", "utf16-card.yaml", "empty-card.yaml", "big-card.yaml", "flow-card.yaml",
          "colon-card.yaml", "dup-key.yaml", "zz-copy.yaml", "hz-xinghe-gas.yaml"}


def test_problems_of_broken_cards_are_chinese(broken: Path) -> None:
    code, output = _run("validate", "--dir", str(broken), "--lang", "zh")
    assert code == 1
    messages = {Path(m["file"]).name: m["message"] for m in map(PROBLEM.match, output.splitlines()) if m}
    assert set(messages) == BROKEN, output  # each broken card reported, nothing else
    for name, message in messages.items():
        assert CJK.search(message) and not ENGLISH.search(message), f"{name}: {message}"
    assert "UTF-8" in messages["gbk-card.yaml"] and "UTF-8" in messages["utf16-card.yaml"]
    assert "1000 KB" in messages["big-card.yaml"]
    assert "“wechat”" in messages["dup-key.yaml"]
    assert "“hz-muze-gas”" in messages["zz-copy.yaml"] and "zz-copy.yaml" in messages["zz-copy.yaml"]


def test_the_same_problems_stay_english_in_english(broken: Path) -> None:
    code, output = _run("validate", "--dir", str(broken), "--lang", "en")
    assert code == 1 and not CJK.search("\n".join(line for line in output.splitlines() if "gbk" in line))
    for phrase in ("file is not UTF-8 text but GBK; convert it with `kacard to-utf8`", "file is empty; a card needs",
                   "file is larger than 1000 KB", "invalid YAML: the '{' here has no matching '}'", 'duplicate key "wechat"',
                   "id 'hz-muze-gas' does not match the file name zz-copy.yaml",
                   "duplicate id 'hz-xinghe-gas': also in"):
        assert phrase in output, phrase


def test_a_broken_kacard_yaml_is_reported_in_chinese(broken: Path) -> None:
    (broken / "kacard.yaml").write_text("team: [{id: lina, name: 李娜\n", encoding="utf-8")
    code, output = _run("validate", "--dir", str(broken), "--lang", "zh")
    assert code != 0 and "kacard.yaml" in output
    line = next(line for line in output.splitlines() if "kacard.yaml" in line and "YAML" in line)
    assert "YAML 格式错误" in line and not re.search(r"\b(?:expected|found|invalid)\b", line), line


@pytest.mark.parametrize("text", [
    "id: a\nname: {b: c\n",          # an unclosed flow mapping
    "id: a\nname: [b, c\n",          # an unclosed flow sequence
    "id: a\nname: b: c\n",           # a colon in a plain value
    "id: a\nname: '@x\n",            # an unclosed quote
    "id: a\nname: \"x\\q\"\n",       # an unknown escape
    "id: a\n  name: b\n",            # a wrong indent
    "id: a\nname: @x\n",             # a character no token starts with
    "{id: a}}\n",                    # text after the end
    "id: a\n- b\n",                  # a list item in a mapping
])
def test_the_yaml_parsers_reasons_are_chinese(text: str) -> None:
    with i18n.speaking("zh"), pytest.raises(yamlio.YamlProblem) as caught:
        yamlio.load_data(text)
    message = caught.value.message
    detail = message.removeprefix("YAML 格式错误：")
    assert detail != message and CJK.search(detail) and not re.search(r"[A-Za-z]{3,}", detail), message


def test_an_operating_system_reason_is_chinese() -> None:
    with i18n.speaking("zh"):
        assert os_reason(FileExistsError(errno.EEXIST, "File exists")) == "文件已存在"
        unknown = os_reason(OSError(errno.ENOLCK, "No locks available"))
        assert unknown.startswith("系统错误 ENOLCK") and CJK.search(unknown)
    assert os_reason(FileExistsError(errno.EEXIST, "File exists")) == "file exists"


def test_site_onto_an_existing_path_says_why_in_chinese(tmp_path: Path) -> None:
    taken = tmp_path / "site"  # there, and not a folder (a pipe, as /dev/stdout often is)
    os.mkfifo(taken)
    code, output = _run("site", "--dir", str(SAMPLE), "-o", str(taken), "--lang", "zh")
    assert code == 2 and "不是文件夹" in output, output
    assert "file exists" not in output.lower() and "not a folder" not in output


def test_a_day_off_names_the_working_days_in_chinese() -> None:
    code, output = _run("route", "--dir", str(SAMPLE), "--owner", "zhangwei", "--day", "周六", "--lang", "zh")
    assert code == 2 and "周一、周二、周三、周四、周五" in output and "mon" not in output


USAGE = [
    (["due", "--bogus"], "没有 --bogus 这个选项", "No such option: --bogus"),
    (["nosuchcmd"], "没有“nosuchcmd”这个命令", "No such command 'nosuchcmd'."),
    (["due", "--explain"], "选项 --explain 后面需要跟一个值", "Option '--explain' requires an argument."),
    (["show"], "缺少参数 'ID'", "Missing argument 'ID'."),
    (["due", "--dir", str(SAMPLE), "extra"], "多出了参数（extra）", "Got unexpected extra argument(s) (extra)"),
    (["due", "--days", "3"], "可用的选项", "(Possible options:"),
]


@pytest.mark.parametrize(("args", "chinese", "english"), USAGE)
def test_typers_usage_errors_are_chinese(args: list[str], chinese: str, english: str) -> None:
    code, output = _run("--lang", "zh", *args)
    assert code == 2 and chinese in output, output
    error = output.splitlines()[0]
    assert error.startswith("错误：") and not re.search(r"\b(?:No such|requires|Missing|Got|Possible)\b", error)
    code, output = _run("--lang", "en", *args)
    assert code == 2 and english in output, output


def test_an_invalid_value_names_the_kind_in_chinese() -> None:
    from kacard.cli.usage_words import usage_message

    with i18n.speaking("zh"):
        said = usage_message("Invalid value for '--limit': 'abc' is not a valid integer.")
        assert said == "'--limit' 的值无效：'abc' 不是整数。"
        assert usage_message("something typer never said") == "something typer never said"
    assert usage_message("Invalid value for '--limit': 'abc' is not a valid integer.") == (
        "Invalid value for '--limit': 'abc' is not a whole number.")


def test_a_checker_message_no_rule_words_is_marked_in_chinese() -> None:
    """pydantic has no catalog: a message of its that kacard does not word itself is shown
    as the checker's words inside Chinese, and a pattern or a choice is said in Chinese."""
    from kacard.cards.messages import Raw, explain

    odd = Raw("url_parsing", ("website",), "Input should be a valid URL, empty host", "http://")
    pattern = Raw("string_pattern_mismatch", ("code",), "String should match pattern '^[A-Z]+$'", "ab",
                  {"pattern": "^[A-Z]+$"})
    choice = Raw("literal_error", ("mode",), "Input should be 'fast' or 'slow'", "quick", {"expected": "'fast' or 'slow'"})
    with i18n.speaking("zh"):
        assert explain(odd) == "此处的值无效（校验器原文：Input should be a valid URL, empty host）"
        assert explain(pattern) == "格式不符合该字段的要求（格式规则 ^[A-Z]+$）"
        assert explain(choice) == "只能是 fast、slow 之一"
    assert explain(odd) == "Input should be a valid URL, empty host"
