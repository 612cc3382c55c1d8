"""Chinese help fits an 80-column terminal: kacard wraps it by display cells (a Chinese
character takes two), breaks between Chinese characters, never inside a Latin word, and
keeps closing punctuation with the word before it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata

import pytest

from kacard.cli.helptext import rewrap, short_help


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def help_pages(language: str) -> dict[str, str]:
    code = (
        "import json\n"
        "import typer\n"
        "from typer.testing import CliRunner\n"
        "from kacard.cli.app import app\n"
        "group = typer.main.get_command(app)\n"
        "pages = {'': CliRunner().invoke(app, ['--help'], terminal_width=80).output}\n"
        "for name in group.commands:\n"
        "    pages[name] = CliRunner().invoke(app, [name, '--help'], terminal_width=80).output\n"
        "print(json.dumps(pages))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**env, "KACARD_LANG": language, "COLUMNS": "80"})
    return dict(json.loads(done.stdout))


def test_every_chinese_help_page_fits_80_columns():
    pages = help_pages("zh")
    assert len(pages) > 20
    wide = {name: line for name, page in pages.items() for line in page.split("\n") if cells(line) > 80}
    assert not wide, wide
    for name, page in pages.items():
        for line in page.split("\n"):
            assert not line.lstrip().startswith(("，", "。", "、", "；", "：", "）")), (name, line)
    commands = pages[""].split("命令：")[1]
    assert "..." not in commands  # each command's line is a clause, not a paragraph cut mid-word
    assert "  route      为一名业务员规划本周（或 --day 某天）的拜访路线\n" in commands


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_help_page_fits_80_columns_in_both_languages(language):
    """The one wrapper (helptext.rewrap, by display cells) serves English help too: an English
    help quoting 杭州市拱墅区莫干山路1903号 ran to 83–89 columns when click wrapped it by characters."""
    pages = help_pages(language)
    assert len(pages) > 20
    wide = {name: line for name, page in pages.items() for line in page.split("\n") if cells(line) > 80}
    assert not wide, wide
    if language == "en":  # the line that ran to 87 columns now fits whole
        assert "--address TEXT        The site's address, e.g. 杭州市拱墅区莫干山路1903号." in pages["new"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_usage_lines_show_each_argument_once_bracketed(language):
    """`[[ID]]`, `[[FILE]...]...` or `...}...`: an argument's metavar is a bare word and typer
    adds the brackets and the dots (cli/app.py _plain_metavars)."""
    for name, page in help_pages(language).items():
        usage = next(line for line in page.split("\n") if "kacard" in line and "[OPTIONS]" in line)
        assert "[[" not in usage and "]]" not in usage and "...}" not in usage and "......" not in usage, (name, usage)
        assert ".]" not in usage, (name, usage)


def test_rewrap_breaks_between_chinese_characters_not_inside_words():
    line = "  --osrm URL   " + "用于道路行车时间的服务器" * 3 + "（table、json、csv）。"
    wrapped = rewrap(line, 40).split("\n")
    assert all(cells(part) <= 40 for part in wrapped), wrapped
    assert all(part.startswith(" " * 15) for part in wrapped[1:]), wrapped  # under the help column
    assert wrapped[0].startswith("  --osrm URL   用于")
    assert "".join(part[15:] for part in wrapped) == line[15:]  # nothing lost or added
    assert not any(part.strip().startswith("、") for part in wrapped)
    assert any("table" in part for part in wrapped)  # never "tab" / "le"


def test_short_help_is_the_leading_clause():
    assert short_help("本周该拜访的客户。\n\n示例：kacard due") == "本周该拜访的客户"
    long = "列出所有资料卡（编号、名称、负责人、状态、等级、区域、最近拜访、下一步、行动、更多字段）。"
    assert short_help(long) == "列出所有资料卡"
    assert short_help("把 FROM 的客户交接给 TO：更换负责人，每张资料卡记下交接记录，并给出 TO 需要的简报。") \
        == "把 FROM 的客户交接给 TO"
