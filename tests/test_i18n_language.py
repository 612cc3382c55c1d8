"""Which language a run speaks (--lang, $KACARD_LANG, kacard.yaml, the locale), and that
the choice reaches the output, the errors and --help."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kacard import i18n
from kacard.cli.app import app
from kacard.i18n import formats
from kacard.i18n.choose import choose_language

SAMPLE = Path(__file__).resolve().parents[1] / "cards"


def _folder(tmp_path: Path, language: str | None) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    line = f"language: {language}\n" if language else ""
    (folder / "kacard.yaml").write_text(f"schema: 1\n{line}team: []\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("argv", "env", "yaml_language", "expected"), [
    (["due", "--lang", "zh"], {"KACARD_LANG": "en", "LANG": "en_US.UTF-8"}, "en", "zh"),
    (["--lang=en", "due"], {"KACARD_LANG": "zh"}, "zh", "en"),
    (["due"], {"KACARD_LANG": "zh", "LANG": "en_US.UTF-8"}, "en", "zh"),
    (["due"], {"LANG": "en_US.UTF-8"}, "zh", "zh"),
    (["due"], {"LANG": "zh_CN.UTF-8"}, "en", "en"),
    (["due"], {"LANG": "zh_CN.UTF-8"}, None, "zh"),
    (["due"], {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, None, "zh"),
    (["due"], {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, None, "en"),
    (["due"], {}, None, "en"),
    (["due", "--lang", "fr"], {"KACARD_LANG": "zh"}, None, "zh"),  # an unknown value is refused later
])
def test_language_rule(tmp_path, argv, env, yaml_language, expected):
    folder = _folder(tmp_path, yaml_language)
    assert choose_language([*argv, "--dir", str(folder)], env) == expected


def test_the_folder_is_found_as_for_every_command(tmp_path):
    folder = _folder(tmp_path, "zh")
    inner = folder / "east" / "hangzhou"
    inner.mkdir(parents=True)
    assert choose_language(["due"], {}, cwd=inner) == "zh"  # nearest ancestor with kacard.yaml
    assert choose_language(["due"], {"KACARD_DIR": str(folder)}, cwd=tmp_path) == "zh"
    assert choose_language(["due", "-d", str(tmp_path / "missing")], {}, cwd=inner) == "en"


def test_language_option_after_the_command_and_before_it(runner_env):
    for args in (["due", "--lang", "zh"], ["--lang", "zh", "due"]):
        result = runner_env.invoke(app, [*args, "--dir", str(SAMPLE), "--owner", "zhangwei"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("待拜访 2026-W48（11月23日 周一 – 11月29日 周日） · zhangwei · ")
        assert "逾期应收 4.42万元 20 天" in result.output


def test_team_language_in_kacard_yaml(runner_env, monkeypatch, tmp_path):
    folder = tmp_path / "cards"
    folder.mkdir()
    settings = (SAMPLE / "kacard.yaml").read_text(encoding="utf-8")
    (folder / "kacard.yaml").write_text("language: zh\n" + settings, encoding="utf-8")
    for card in ("hz-xinghe-gas", "hz-langyue-college"):
        (folder / f"{card}.yaml").write_text((SAMPLE / f"{card}.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    monkeypatch.delenv("KACARD_LANG")
    result = runner_env.invoke(app, ["due", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "逾期应收 4.42万元 20 天" in result.output
    result = runner_env.invoke(app, ["due", "--dir", str(folder), "--lang", "en"])
    assert "receivable 44,200 20d" in result.output


def test_unknown_language_is_a_usage_error(runner_env):
    result = runner_env.invoke(app, ["due", "--lang", "fr", "--dir", str(SAMPLE)])
    assert result.exit_code == 2
    assert "fr" in result.output


def test_errors_speak_the_language(runner_env, tmp_path):
    result = runner_env.invoke(app, ["show", "hz-nowhere", "--dir", str(SAMPLE), "--lang", "zh"])
    assert result.exit_code == 2
    assert result.output.startswith("错误：") and "hz-nowhere" in result.output and "没有" in result.output
    result = runner_env.invoke(app, ["due", "--today", "2026-13-01", "--dir", str(SAMPLE), "--lang", "zh"])
    assert result.exit_code == 2
    assert "--today：没有这一天：“2026-13-01”" in result.output


def _help(args: list[str], env: dict[str, str]) -> str:
    code = ("import sys; from kacard.cli.app import main; sys.argv = ['kacard', *sys.argv[1:]]; main()")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**_clean_env(), **env}, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("KACARD_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "KACARD_DIR")}


def test_help_is_chinese_from_the_locale_and_from_the_option():
    by_locale = _help(["due", "--help"], {"LANG": "zh_CN.UTF-8"})
    assert by_locale.startswith("用法：kacard due [OPTIONS]")
    assert "本周该拜访的客户，列出每条原因，最紧急的在前" in by_locale
    assert "示例：kacard due --week 2026-W48" in by_locale
    assert "显示本帮助并退出。" in by_locale
    assert _help(["due", "--help", "--lang", "zh"], {"LANG": "en_US.UTF-8"}) == by_locale
    english = _help(["due", "--help"], {"LANG": "zh_CN.UTF-8", "KACARD_LANG": "en"})
    assert "Accounts to visit this week" in english and "Example: kacard due" in english


def test_chinese_help_stays_light():
    code = (
        "import sys; sys.argv = ['kacard', '--lang', 'zh', '--help']\n"
        "from kacard.cli.app import app\n"
        "try:\n    app(['--lang', 'zh', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'ruamel.yaml', 'babel', 'kacard.cards.store') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=_clean_env()).stdout
    assert "HEAVY []" in out, out
    assert "命令：" in out


def test_dates_and_amounts_the_way_a_team_reads_them():
    try:
        i18n.set_language("zh")
        formats.set_today(dt.date(2026, 11, 23))
        assert formats.date(dt.date(2026, 12, 1)) == "12月1日 周二"
        assert formats.date(dt.date(2027, 1, 27)) == "2027年1月27日 周三"
        assert [formats.money(Decimal(v)) for v in ("8600", "44200", "1211000", "30000000", "123456789")] == [
            "8600", "4.42万", "121.1万", "3000万", "1.23亿"]
        i18n.set_language("en")
        assert formats.date(dt.date(2026, 12, 1)) == "2026-12-01"
        assert formats.money(Decimal(44200)) == "44,200"
    finally:
        i18n.set_language("en")


def test_a_message_is_english_for_machines_and_localized_for_people():
    text = i18n.Message("{invoice}: {amount} unpaid, due {due}, {days} days overdue", invoice="INV-1",
                        amount=i18n.Amount(Decimal(44200)), due=dt.date(2026, 11, 3), days=20)
    assert text == "INV-1: 44,200 unpaid, due 2026-11-03, 20 days overdue"
    try:
        i18n.set_language("zh")
        formats.set_today(dt.date(2026, 11, 23))
        assert i18n.localize(text) == "INV-1 4.42万元未收，11月3日 周二 到期，已逾期 20 天"
        assert str(text) == "INV-1: 44,200 unpaid, due 2026-11-03, 20 days overdue"
    finally:
        i18n.set_language("en")


@pytest.fixture
def runner_env():
    from typer.testing import CliRunner

    yield CliRunner()
    i18n.set_language("en")
