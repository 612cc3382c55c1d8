"""Chinese words for enumerated card values (issue 15, point 2): read by the models as the
English values, listed in the JSON Schema, kept by kacard's own writes; the fast path of
list/due gives exactly what the English card gives; reps named by name."""

from __future__ import annotations

import json

import pytest

from kacard.cards import aliases
from kacard.cards.model.card import Card
from kacard.cards.schemas import SCHEMA_FILES, schema_text

ENGLISH = """\
id: hz-{n}
name: 杭州测试{n}有限公司
status: {status}
owner: {owner}
relationship: stabilize
sector: soe
visit_hours: {{days: [mon, wed, fri], start: "09:00", end: "17:00"}}
purchasing: {{centralized: true, pattern: recurring}}
contacts:
  - {{name: 王建国, role: decision_maker, level: top, stance: ally}}
  - {{name: 李明, role: coach, stance: neutral}}
opportunities:
  - {{title: 三号线, stage: bidding, amount: 500000}}
trades:
  - {{date: 2026-06-15, amount: 800000, paid: 2026-07-01}}
  - {{date: 2026-09-15, amount: 90000}}
visits:
  - {{date: 2026-10-20, kind: meeting, summary: 方案评审, next: {{date: 2026-11-20, action: 报价}}}}
signals:
  - {{date: 2026-11-01, kind: sharing_wallet}}
"""

CHINESE = {
    "status: active": "status: 活跃", "status: prospect": "status: 潜在",
    "relationship: stabilize": "relationship: 维系",
    "[mon, wed, fri]": "[周一, 星期三, 周五]",
    "centralized: true": "centralized: 是", "pattern: recurring": "pattern: 持续",
    "sector: soe": "sector: 国企",
    "role: decision_maker": "role: 决策人", "level: top": "level: 高层", "stance: ally": "stance: 支持",
    "role: coach": "role: 内线", "stance: neutral": "stance: 中立",
    "stage: bidding": "stage: 投标", "kind: meeting": "kind: 会议", "kind: sharing_wallet": "kind: 分羹",
}


def chinese(text: str) -> str:
    for english, words in CHINESE.items():
        text = text.replace(english, words)
    return text


def test_every_alias_reads_as_its_english_value():
    for kind, table in aliases.ALIASES.items():
        for english, words in table.items():
            for word in words:
                expected = (english == "true") if kind == "bool" else english
                assert aliases.to_english(kind, word) == english or aliases.to_bool(word) == expected


def _load(text: str) -> Card:
    from kacard.cards import yamlio

    return Card.model_validate(yamlio.load_data(text))


def test_chinese_card_validates_to_the_english_card():
    english = ENGLISH.format(n=1, status="active", owner="zhangwei")
    zh = chinese(english)
    assert zh != english and "活跃" in zh and "分羹" in zh
    assert _load(zh) == _load(english)


def test_unknown_chinese_value_names_the_choices(kacard, write_card):
    write_card("hz-1", chinese(ENGLISH.format(n=1, status="active", owner="zhangwei")).replace("stance: 支持", "stance: 支援"))
    result = kacard("validate", "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem["field"] == "contacts.0.stance" and problem["line"] == 10
    assert "contact 1" in problem["message"] and "'支援'" in problem["message"]
    assert "支持/中立/反对/未知" in problem["message"]


def test_schema_lists_the_chinese_words_for_editors():
    schema = json.loads(schema_text(SCHEMA_FILES["card.schema.json"]))
    assert "活跃" in schema["properties"]["status"]["enum"]
    assert "active" in schema["properties"]["status"]["enum"]
    visit_kind = schema["$defs"]["Visit"]["properties"]["kind"]["enum"]
    assert {"拜访", "电话", "会议", "活动", "礼品", "投诉"} <= set(visit_kind)
    role = json.dumps(schema["$defs"]["Contact"]["properties"]["role"], ensure_ascii=False)
    for word in ("决策人", "影响者", "采购", "使用者", "技术", "财务", "守门人", "内线"):
        assert word in role
    days = json.dumps(schema["$defs"]["VisitHours"], ensure_ascii=False)
    assert "周一" in days and "周日" in days


@pytest.mark.parametrize("command", [["list"], ["due"], ["score"], ["filter", "tier=A"], ["filter", "性质=国企"],
                                     ["filter", "状态＝潜在"]])
def test_fast_path_of_a_chinese_folder_equals_the_english_folder(tmp_path, command):
    """The folder-wide fast path (snapshot briefs and indexes) and the whole-card path give
    the same JSON for a folder written in Chinese as for the same folder in English."""
    from typer.testing import CliRunner

    from kacard.cli.app import app
    from tests.conftest import SETTINGS

    outputs = []
    for language in ("en", "zh"):
        folder = tmp_path / language
        folder.mkdir()
        (folder / "kacard.yaml").write_text(SETTINGS, encoding="utf-8")
        for n in range(6):
            text = ENGLISH.format(n=n, status="active" if n % 3 else "prospect",
                                  owner="zhangwei" if n % 2 else "lina")
            if language == "zh":
                text = chinese(text).replace("owner: zhangwei", "owner: 张伟")
            (folder / f"hz-{n}.yaml").write_text(text, encoding="utf-8")
        runs = []
        for _ in range(2):  # cold, then warm from the snapshot
            result = CliRunner().invoke(app, [*command, "--dir", str(folder), "--format", "json"])
            assert result.exit_code == 0, result.output
            runs.append(json.loads(result.stdout))
        assert runs[0] == runs[1]
        outputs.append(runs[0])
    assert outputs[0] == outputs[1]
    assert outputs[0]  # not vacuous


def test_owner_by_name_in_a_card_and_on_the_command_line(kacard, write_card):
    write_card("hz-1", ENGLISH.format(n=1, status="active", owner="张伟"))
    write_card("hz-2", ENGLISH.format(n=2, status="active", owner="lina"))
    listed = kacard("list", "--owner", "张伟", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [(r["id"], r["owner"]) for r in json.loads(listed.stdout)] == [("hz-1", "zhangwei")]
    assert kacard("validate").exit_code == 0
    due = kacard("due", "--owner", "李娜", "--format", "json")
    assert due.exit_code == 0 and {r["owner"] for r in json.loads(due.stdout)} == {"lina"}


def test_ambiguous_rep_name_says_which_ids(kacard, folder, write_card):
    (folder / "kacard.yaml").write_text(
        "team:\n  - {id: zhangwei, name: 张伟}\n  - {id: zhangwei2, name: 张伟}\n  - {id: lina, name: 李娜}\n",
        encoding="utf-8")
    write_card("hz-1", ENGLISH.format(n=1, status="active", owner="张伟"))
    result = kacard("validate", "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem["field"] == "owner"
    assert "did you mean zhangwei (张伟) or zhangwei2 (张伟)?" in problem["message"]
    listed = kacard("list", "--owner", "张伟")
    assert listed.exit_code == 2 and "zhangwei2 (张伟)" in listed.stderr
    typo = kacard("list", "--owner", "zhangwie")
    assert typo.exit_code == 2 and "did you mean zhangwei (张伟)" in typo.stderr


def test_log_keeps_the_chinese_words_the_file_uses(kacard, write_card):
    path = write_card("hz-1", chinese(ENGLISH.format(n=1, status="active", owner="zhangwei")))
    result = kacard("log", "hz-1", "--summary", "电话回访", "--kind", "call",
                    "--next-date", "2026-12-01", "--next-action", "报价")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "kind: 电话" in text and "kind: call" not in text
    english = write_card("hz-2", ENGLISH.format(n=2, status="active", owner="zhangwei"))
    assert kacard("log", "hz-2", "--summary", "回访", "--kind", "电话", "--next-date", "2026-12-01",
                  "--next-action", "报价").exit_code == 0
    assert "kind: call" in english.read_text(encoding="utf-8")


def test_handover_writes_the_name_where_the_card_names_its_owner(kacard, write_card):
    by_name = write_card("hz-1", ENGLISH.format(n=1, status="active", owner="张伟"))
    by_id = write_card("hz-2", ENGLISH.format(n=2, status="active", owner="zhangwei"))
    result = kacard("handover", "张伟", "lina")
    assert result.exit_code == 0, result.output
    assert "owner: 李娜" in by_name.read_text(encoding="utf-8")
    assert "owner: lina" in by_id.read_text(encoding="utf-8")
    assert kacard("validate").exit_code == 0


@pytest.mark.parametrize("command", [
    ["due"], ["review"], ["score"], ["brief"], ["collect"], ["list"], ["route", "--format", "json"],
])
def test_every_owner_option_takes_a_name(command):
    """--owner 张伟 means zhangwei in every command that filters by rep (sample folder)."""
    from pathlib import Path

    from typer.testing import CliRunner

    from kacard.cli.app import app

    sample = Path(__file__).resolve().parents[1] / "cards"
    runs = []
    for owner in ("张伟", "zhangwei"):
        args = [command[0], "--dir", str(sample), "--today", "2026-11-23", "--owner", owner, *command[1:]]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        runs.append(result.stdout)
    assert runs[0] == runs[1] and runs[0]
