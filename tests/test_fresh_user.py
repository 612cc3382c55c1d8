"""What a fresh user found (session 12): privacy of echoed queries and contact search,
one owner resolver, one stall wording, whole-language output, collect's window, a GBK card,
a broken kacard.yaml, English help width, the one date formatter. Each example is a test,
in both languages where text is involved."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacard.cards import lookup
from kacard.cli.app import app

SAMPLE = Path(__file__).resolve().parents[1] / "cards"
TODAY = "2026-11-23"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the README's sample folder (the fresh user's folder)."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target


def run(folder: Path, lang: str, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [*args[:1], "--dir", str(folder), "--today", TODAY, "--lang", lang, *args[1:]],
                              input=input)


# -- 1. privacy: find and every lookup never echo a phone, e-mail or WeChat id --------------

WECHAT_CARD = """\
id: hz-jinyu
name: 杭州金宇仪表有限公司
owner: zhangwei
contacts:
  - {name: 金建国, title: 总经理, email: JG.Jin@Jinyu.cn, phone: "139 1234 5678", notes: "微信 jinjg_1975，晚上回复快"}
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("typed", ["13912345670", "微信 jinwx_2000", "nobody.here@example.com", "wxid_abcdef12"])
def test_find_with_no_match_does_not_echo_personal_data(sample, lang, typed):
    result = run(sample, lang, "find", typed)
    assert result.exit_code == 0, result.output
    assert typed not in result.output
    assert "1234567" not in result.output and "jinwx" not in result.output and "nobody.here" not in result.output
    assert ("no card matches" if lang == "en" else "没有找到") in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", [["show"], ["log", "--summary", "电话"], ["edit"], ["rate"], ["people"],
                                     ["handover", "--to", "lina"]])
def test_every_lookup_masks_a_typed_phone_and_never_suggests_a_masked_search(sample, lang, command):
    result = run(sample, lang, command[0], *command[1:], "13912345678")
    if command[0] == "rate":
        result = run(sample, lang, "rate", "13912345678", "influence=2")
    assert result.exit_code == 2, result.output
    assert "13912345678" not in result.output and "12345678" not in result.output
    assert "kacard find *" not in result.output, "a masked text cannot be searched for"
    if command[0] == "show":
        assert "kacard find" in result.output  # but it says to use find with what was typed


@pytest.mark.parametrize("typed", ["jg.jin@jinyu.cn", "JG.JIN@JINYU.CN", "微信 jinjg_1975",
                                   "微信号：jinjg_1975", "jinjg_1975", "139 1234 5678"])
def test_find_by_a_contacts_email_or_wechat_id_like_a_phone(sample, typed):
    (sample / "hz-jinyu.yaml").write_text(WECHAT_CARD, encoding="utf-8")
    result = run(sample, "en", "find", typed, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["hz-jinyu"], typed
    assert "jinjg" not in result.stdout and "jinyu.cn" not in result.stdout.lower()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", [["handover", "13912345678", "lina"], ["handover", "zhangwei", "13912345678"],
                                  ["due", "--owner", "13912345678"], ["show", "hz-xinghe-gas", "13912345678"],
                                  ["people", "jianguo.jin@example.com"], ["route", "--owner", "微信 abcdef_12"]])
def test_reps_and_usage_errors_echo_personal_data_masked(sample, lang, args):
    result = run(sample, lang, *args)
    assert result.exit_code == 2
    assert "12345678" not in result.output and "jianguo.jin" not in result.output and "abcdef_12" not in result.output
    assert "*********78" in result.output or "j***@example.com" in result.output or "[redacted]" in result.output


def test_a_domain_or_a_part_of_an_id_is_not_a_contact_search():
    keys = [lookup.search_keys("hz-jinyu", "杭州金宇仪表", ["金建国"], None, [],
                               ["jianguo.jin@example.com", "微信 jinjg_1975"])]
    assert [m.id for m in lookup.find("jianguo.jin@example.com", keys)] == ["hz-jinyu"]
    assert lookup.find("example.com", keys) == []
    assert lookup.find("jinjg_19", keys) == []


def test_readme_sample_email_is_found(sample):
    result = run(sample, "zh", "find", "jianguo.jin@example.com", "--format", "json")
    assert [r["id"] for r in json.loads(result.stdout)] == ["hz-xinghe-gas"]


# -- 2. every --owner goes through the one owner resolver: an id or a name --------------------

OWNER_RUNS = {  # a command with --owner -> the rest of its arguments (json where it has it)
    "brief": ["--format", "md"], "changes": ["--format", "json"], "collect": ["--format", "json"],
    "due": ["--format", "json"], "list": ["--format", "json"], "pipeline": ["--format", "json"],
    "plan": ["2027", "--format", "json"], "review": ["--format", "json"], "route": ["--format", "json"],
    "score": ["--format", "json"], "site": ["-o", "{out}"],
}


def _owner_commands() -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    return {name for name, command in group.commands.items()  # type: ignore[attr-defined]
            if any("--owner" in getattr(p, "opts", ()) for p in command.params)}


def test_every_owner_option_is_tested_here():
    assert _owner_commands() == set(OWNER_RUNS) | {"new"}  # new: test_new_takes_a_reps_name below


@pytest.mark.parametrize("command", sorted(OWNER_RUNS))
def test_owner_by_id_and_by_name_give_the_same_output(sample, tmp_path, command):
    if command == "changes":  # history needs the team's git clone
        import subprocess

        git = ["git", "-C", str(sample), "-c", "user.name=张伟", "-c", "user.email=zhangwei@example.com"]
        for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "cards"]):
            subprocess.run([*git, *step], check=True)
    outputs = []
    for who in ("zhangwei", "张伟"):
        out = tmp_path / f"site-{who}"
        result = run(sample, "zh", command, "--owner", who, *[a.format(out=out) for a in OWNER_RUNS[command]])
        assert result.exit_code == 0, (command, who, result.output)
        outputs.append(result.stdout if command != "site" else sorted(p.name for p in out.rglob("*")))
    assert outputs[0] == outputs[1] and outputs[0]
    unknown = run(sample, "zh", command, "--owner", "张三", *[a.format(out=tmp_path / "x") for a in OWNER_RUNS[command]])
    assert unknown.exit_code == 2 and "张三" in unknown.output and "zhangwei（张伟）" in unknown.output


def test_new_takes_a_reps_name(sample):
    result = run(sample, "en", "new", "--name", "杭州新客户有限公司", "--owner", "李娜")
    assert result.exit_code == 0, result.output
    assert "owner: lina" in (sample / "hz-xinkehu.yaml").read_text(encoding="utf-8")


# -- 3. one stall wording: the stall's length with the limit, in due, due --explain, pipeline --

@pytest.mark.parametrize(("lang", "wording"), [("zh", "停滞 115 天（上限 45）"), ("en", "stalled 115 days (limit 45)")])
def test_the_stall_reads_the_same_everywhere(sample, lang, wording):
    due = run(sample, lang, "due", "--all")
    explain = run(sample, lang, "due", "--explain", "hz-hegu-admin")
    pipeline = run(sample, lang, "pipeline", "--owner", "zhangwei")
    for result in (due, explain, pipeline):
        assert result.exit_code == 0, result.output
        assert wording in result.stdout
        assert ("停滞 70 天" if lang == "zh" else "stalled 70") not in result.stdout  # 70 = days past the limit
    # the 70 days past the limit are the urgency input, and say so
    assert ("商机停滞超过上限（45 天）70 天" if lang == "zh" else "70 days past the stall limit (45)") in explain.stdout
    data = json.loads(run(sample, "en", "due", "--format", "json", "--all").stdout)
    reasons = [r for item in data for r in item["reasons"] if item["id"] == "hz-hegu-admin"]
    stalled = next(r for r in reasons if r.get("opportunity") == "p1")
    assert stalled["quiet_days"] == 115 and stalled["stalled_days"] == 45 and stalled["days_overdue"] == 70


# -- 4. Chinese output is Chinese throughout --------------------------------------------------

@pytest.mark.parametrize(("lang", "words", "not_words"), [
    ("zh", ["无法启动编辑器", "Windows 上用 set EDITOR=notepad"], ["on Windows", "No such file"]),
    ("en", ["could not start the editor", "on Windows: set EDITOR=notepad", "no such file"], ["编辑器"]),
])
def test_the_editor_message_is_translated_whole(sample, monkeypatch, lang, words, not_words):
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    before = (sample / "hz-xinghe-gas.yaml").read_bytes()
    result = run(sample, lang, "edit", "hz-xinghe-gas")
    assert result.exit_code == 2
    for word in words:
        assert word in result.stderr
    for word in not_words:
        assert word not in result.stderr
    assert (sample / "hz-xinghe-gas.yaml").read_bytes() == before


def test_score_names_unrated_criteria_in_the_readers_language(sample):
    zh = run(sample, "zh", "score")
    assert "对目标至关重要、产品适合、品牌/政府影响力" in zh.stderr and "strategic_goals" not in zh.stderr
    assert "kacard rate 编号 对目标至关重要=2" in zh.stderr
    en = run(sample, "en", "score")
    assert "strategic_goals, product_fit, influence" in en.stderr and "kacard rate ID strategic_goals=2" in en.stderr


@pytest.mark.parametrize(("typed", "criterion"), [("对目标至关重要=2", "strategic_goals"), ("影响力=1", "influence"),
                                                  ("品牌/政府影响力=1", "influence"), ("产品适合=0", "product_fit"),
                                                  ("strategic_goals=2", "strategic_goals"),
                                                  ("strategic goals=1", "strategic_goals")])
def test_rate_takes_the_criteria_chinese_names(sample, typed, criterion):
    result = run(sample, "zh", "rate", "hz-xinghe-gas", typed)
    assert result.exit_code == 0, result.output
    from ruamel.yaml import YAML

    card = YAML(typ="safe").load((sample / "hz-xinghe-gas.yaml").read_text(encoding="utf-8"))
    assert card["criteria"][criterion] == int(typed[-1])
    assert not any("\u4e00" <= ch <= "\u9fff" for key in card["criteria"] for ch in key), "stored by English id"


def test_criteria_aliases_are_the_names_kacard_prints():
    from kacard import i18n
    from kacard.cards.aliases import ALIASES

    with i18n.speaking("zh"):
        assert all(words[0] == i18n.label("criterion", english) for english, words in ALIASES["criterion"].items())


def test_rate_refuses_an_unknown_criterion_listing_the_names(sample):
    result = run(sample, "zh", "rate", "hz-xinghe-gas", "目标=2")
    assert result.exit_code == 2 and "对目标至关重要" in result.stderr and "strategic_goals" not in result.stderr


# -- 5. collect's header says what it counts ---------------------------------------------------

@pytest.mark.parametrize(("lang", "header"), [
    ("zh", "已逾期或 28 天内到期：7 张发票，共 117.66万元，其中逾期 58.03万元（未收合计 14 张，375.4万元）"),
    ("en", "overdue or due within 28 days: 7 invoice(s), 1,176,600 CNY, 580,300 CNY overdue "
           "(all unpaid: 14 invoice(s), 3,754,000 CNY)"),
])
def test_collect_header_names_its_window_and_all_unpaid(sample, lang, header):
    result = run(sample, lang, "collect")
    assert result.exit_code == 0, result.output
    assert header in result.stdout.splitlines()[0]
    data = json.loads(run(sample, "en", "collect", "--format", "json").stdout)
    assert data["horizon_days"] == 28 and data["unpaid"] == {"count": 14, "amount": 3754000}
    assert sum(b["open"] for b in data["balance"]["reps"]) == data["unpaid"]["amount"]  # the tables agree


def test_collect_window_follows_the_setting(sample):
    settings = sample / "kacard.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "collect: {horizon_days: 7}\n", encoding="utf-8")
    first = run(sample, "en", "collect").stdout.splitlines()[0]
    assert "due within 7 days" in first and "all unpaid: 14 invoice(s)" in first


# -- 6. a GBK card from a teammate: the message says how to fix it; to-utf8 converts -----

@pytest.mark.parametrize(("codec", "name"), [("gbk", "GBK"), ("gb18030", "GB18030"), ("utf-16", "UTF-16"),
                                             ("utf-16-le", "UTF-16")])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_to_utf8_turns_a_teammates_save_into_the_same_utf8_card(sample, codec, name, newline):
    path = sample / "hz-xinghe-gas.yaml"
    original = path.read_text(encoding="utf-8").replace("\n", newline)
    if codec == "gb18030":
        original = original.replace("副总经理", "副总经理𠀀")  # a character GBK lacks: four GB18030 bytes
    path.write_bytes(original.encode(codec))
    for lang, words in (("zh", f"文件不是 UTF-8 文本，而是 {name} 编码；请运行 `kacard to-utf8`"),
                        ("en", f"file is not UTF-8 text but {name}; convert it with `kacard to-utf8`")):
        refused = run(sample, lang, "log", "hz-xinghe-gas", "--summary", "电话回访", "--no-next", "客户出差")
        assert refused.exit_code == 2 and words in refused.stderr, refused.output
    check = run(sample, "en", "to-utf8", "--check")
    assert check.exit_code == 1 and f"hz-xinghe-gas.yaml: {name}, not UTF-8" in check.stdout
    assert path.read_bytes() == original.encode(codec), "--check changes nothing"
    fixed = run(sample, "zh", "to-utf8")
    assert fixed.exit_code == 0 and f"hz-xinghe-gas.yaml：已从 {name} 转换为 UTF-8" in fixed.stdout
    assert path.read_bytes() == original.encode("utf-8"), "same text, same line endings, no BOM"
    assert run(sample, "en", "log", "hz-xinghe-gas", "--summary", "电话回访", "--no-next", "客户出差").exit_code == 0
    again = run(sample, "en", "to-utf8")
    assert again.exit_code == 0 and "nothing to do" in again.stderr


def test_to_utf8_converts_a_gbk_kacard_yaml_and_named_files(sample):
    settings = sample / "kacard.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_bytes(text.encode("gbk"))
    card = sample / "hz-hanmo-water.yaml"
    card_text = card.read_text(encoding="utf-8")
    card.write_bytes(card_text.encode("gbk"))
    named = run(sample, "en", "to-utf8", str(card))
    assert named.exit_code == 0 and settings.read_bytes() == text.encode("gbk"), "only the file named"
    assert card.read_text(encoding="utf-8") == card_text
    whole = run(sample, "en", "to-utf8")
    assert whole.exit_code == 0 and "kacard.yaml: converted from GBK to UTF-8" in whole.stdout
    assert settings.read_text(encoding="utf-8") == text


def test_to_utf8_refuses_what_it_cannot_read_and_touches_nothing(sample):
    odd = sample / "hz-odd.yaml"
    odd.write_bytes(b"id: hz-odd\nname: \xff\xfe\xfa\x80\x81\n")  # no known encoding (and no BOM)
    gbk = sample / "hz-gbk.yaml"
    gbk.write_bytes("id: hz-gbk\nname: 杭州国标\nowner: lina\n".encode("gbk"))
    result = run(sample, "zh", "to-utf8")
    assert result.exit_code == 2 and "hz-odd.yaml：不是 UTF-8、UTF-16、GBK 或 GB18030 文本" in result.stderr
    assert odd.read_bytes() == b"id: hz-odd\nname: \xff\xfe\xfa\x80\x81\n"
    assert gbk.read_text(encoding="utf-8").startswith("id: hz-gbk"), "the readable ones are still converted"


@pytest.mark.parametrize(("data", "name"), [
    ("名称,负责人\n杭州,张伟\n".encode("utf-16"), "UTF-16"), ("名称,负责人\n杭州,张伟\n".encode("gbk"), "GBK"),
    ("名称,负责人\n杭州,张伟\n".encode("utf-8"), "UTF-8"),
])
def test_import_reads_csv_with_the_same_detector(data, name):
    from kacard.team.import_read import decode_csv

    assert decode_csv(data) == ("名称,负责人\n杭州,张伟\n", name)


# -- 7. a broken kacard.yaml: the message gives file:line:field and the fix; show/find still run --

BREAKS = {  # how kacard.yaml was broken -> (line, words of the problem in en)
    "yaml": (lambda text: text + "team2: [{id: lina, name: 李娜\n", "invalid YAML"),
    "value": (lambda text: text.replace("  max_visits: 6", "  max_visits: six"), "workweek.max_visits"),
}


@pytest.mark.parametrize("kind", sorted(BREAKS))
@pytest.mark.parametrize(("lang", "fix", "warning"), [
    ("en", "fix that line, then check with `kacard validate`; `git diff kacard.yaml` shows what changed",
     "warning: kacard.yaml has a problem; showing cards with default settings"),
    ("zh", "请改正这一行，再运行 `kacard validate` 检查；`git diff kacard.yaml` 可查看上次提交以来的改动",
     "警告：kacard.yaml 有错误；暂按默认设置显示资料卡"),
])
def test_a_broken_kacard_yaml_names_the_line_and_the_fix_and_cards_can_still_be_read(sample, kind, lang, fix, warning):
    settings = sample / "kacard.yaml"
    broken, words = BREAKS[kind]
    settings.write_text(broken(settings.read_text(encoding="utf-8")), encoding="utf-8")
    card = (sample / "hz-xinghe-gas.yaml").read_bytes()
    for command in (["due"], ["log", "hz-xinghe-gas", "--summary", "电话", "--no-next", "出差"], ["score"]):
        stopped = run(sample, lang, *command)
        assert stopped.exit_code == 2 and fix in stopped.stderr, (command, stopped.output)
        assert "kacard.yaml:" in stopped.stderr and "Traceback" not in stopped.output
    assert (sample / "hz-xinghe-gas.yaml").read_bytes() == card
    en = run(sample, "en", "due")
    assert words in en.stderr and "kacard.yaml:" in en.stderr
    shown = run(sample, lang, "show", "hz-xinghe-gas")
    assert shown.exit_code == 0 and "hz-xinghe-gas" in shown.stdout and warning in shown.stderr
    found = run(sample, lang, "find", "xhrq", "--format", "json")
    assert found.exit_code == 0 and [r["id"] for r in json.loads(found.stdout)] == ["hz-xinghe-gas"]
    checked = run(sample, lang, "validate")
    assert checked.exit_code == 1 and "kacard.yaml:" in checked.stdout


# -- 9. the one date formatter in titles; score --explain reads cleanly ------------------------

@pytest.mark.parametrize(("lang", "title"), [("zh", "销售漏斗 11月23日 周一"), ("en", "Pipeline on 2026-11-23")])
def test_pipeline_title_uses_the_date_formatter(sample, lang, title):
    assert run(sample, lang, "pipeline").stdout.splitlines()[0] == title


@pytest.mark.parametrize(("lang", "reason", "share"), [
    ("zh", "A 类：排在它前面的客户合计占 79.2%，低于 A 类界线 a = 80%", "占团队合计的 1.9%；"),
    ("en", "class A: the accounts ranked above it hold 79.2%, under the class A limit a = 80%",
     ", 1.9% of the team's total;"),
])
def test_score_explain_wording_and_aligned_dates(sample, lang, reason, share):
    from kacard.text import width

    out = run(sample, lang, "score", "--explain", "hz-xinghe-gas").stdout
    assert reason in out and share in out and " %" not in out
    rows = [line for line in out.splitlines() if "INV-" in line]
    assert len(rows) == 6
    assert len({width(line.split("INV-")[0]) for line in rows}) == 1, rows  # the invoice column lines up
