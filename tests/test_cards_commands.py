"""init, show, filter, edit and new on small crafted folders."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from kacard.errors import UsageError
from kacard.analysis.query import Condition, matches_all, parse, parse_all
from tests.conftest import SAMPLE_CARD


def test_init_makes_a_working_folder(kacard, tmp_path):
    target = tmp_path / "team"
    result = kacard.raw("init", str(target), "--rep", "zhangwei=张伟", "--rep", "lina=李娜")
    assert result.exit_code == 0, result.output
    assert (target / "kacard.yaml").is_file() and (target / ".schema" / "card.schema.json").is_file()
    assert "*.yaml merge=kacard" in (target / ".gitattributes").read_text("utf-8")
    created = kacard.raw("new", "hz-a", "--dir", str(target), "--name", "A", "--owner", "lina")
    assert created.exit_code == 0, created.output
    assert kacard.raw("validate", "--dir", str(target)).exit_code == 0
    again = kacard.raw("init", str(target))
    assert again.exit_code == 0 and "kept existing" in again.output


def test_show_is_a_one_page_brief(kacard, write_card):
    write_card("hz-xinghe", SAMPLE_CARD.replace("paid: null}", "due: 2026-11-14, paid: null}"))
    result = kacard("show", "hz-xinghe")
    assert result.exit_code == 0, result.output
    text = result.stdout
    for expected in ("# 杭州星河纺织有限公司 (hz-xinghe)", "## Next step", "2026-11-24: 带工程师现场讲解",
                     "王建国 · 采购总监 · decision maker", "## Overdue receivables", "INV-0912"):
        assert expected in text, text
    data = json.loads(kacard("show", "hz-xinghe", "--format", "json").stdout)
    assert data["next_step"]["action"] == "带工程师现场讲解"
    assert data["receivables"][0]["days_overdue"] == 9  # its own due date 2026-11-14, today 2026-11-23


def test_show_unknown_and_broken_ids(kacard, write_card):
    write_card("broken", "id: broken\nname: x\nowner: lina\nbogus: 1\n")
    missing = kacard("show", "nope")
    assert missing.exit_code == 2 and "no card matches 'nope'" in missing.output
    broken = kacard("show", "broken")
    assert broken.exit_code == 2 and "bogus" in broken.output


@pytest.mark.parametrize("text, field, op, value", [
    ("tier=A", "tier", "=", "A"),
    ("region~杭州", "region", "~", "杭州"),
    ("revenue>1000000", "revenue", ">", "1000000"),
    ("revenue >= 1,000,000", "revenue", ">=", "1,000,000"),
    ("owner!=lina", "owner", "!=", "lina"),
    ("custom.渠道=直销", "custom.渠道", "=", "直销"),
])
def test_conditions_parse(text, field, op, value):
    assert parse(text) == Condition(field, op, value)


@pytest.mark.parametrize("text, words", [
    ("regoin=x", "did you mean 'region'"),
    ("revenue>lots", "needs a number"),
    ("just words", "cannot read condition"),
])
def test_bad_conditions(text, words):
    with pytest.raises(UsageError, match=words):
        parse(text)


def test_conditions_match_rows():
    row = {"tier": "A", "region": "华东/杭州", "revenue": 1_200_000, "tags": ["包装", "出口"],
           "since": __import__("datetime").date(2019, 3, 1), "industry": None}
    assert matches_all(parse_all(["tier=a", "region~杭州", "revenue>1000000", "tags=出口"]), row)
    assert not matches_all(parse_all(["tier=A", "revenue>2000000"]), row)
    assert matches_all(parse_all(["since<2020-01-01", "industry=none", "tags!~食品"]), row)


def test_filter_command(kacard, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("b", "id: b\nname: Other\nowner: lina\nregion: 华南/广州\n")
    result = kacard("filter", "region~杭州", "revenue>1000000", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["hz-xinghe"]
    bad = kacard("filter", "colour=red")
    assert bad.exit_code == 2 and "unknown filter field" in bad.output


def _editor(tmp_path: Path, script: str) -> str:
    path = tmp_path / "editor.py"
    path.write_text(textwrap.dedent(script), encoding="utf-8")
    return f"{sys.executable} {path}"


def test_edit_saves_a_valid_change(kacard, write_card, tmp_path, monkeypatch):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, """\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('region: 华东/杭州', 'region: 华东/宁波'), 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 0, result.output
    assert "region: 华东/宁波" in card.read_text("utf-8")
    assert "# the account's card" in card.read_text("utf-8")


def test_edit_keeps_nothing_invalid(kacard, write_card, tmp_path, monkeypatch):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    before = card.read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, """\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8') + 'colour: red\\n', 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 2
    assert "colour" in result.output and "not saved" in result.output
    assert card.read_bytes() == before


def test_edit_does_not_clobber_a_concurrent_change(kacard, write_card, tmp_path, monkeypatch):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"""\
        import sys, pathlib
        pathlib.Path({str(card)!r}).write_text(pathlib.Path({str(card)!r}).read_text('utf-8') + '# pulled\\n', 'utf-8')
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('华东/杭州', '华东/宁波'), 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 2 and "changed on disk" in result.output
    assert card.read_text("utf-8").endswith("# pulled\n")
    assert "华东/宁波" not in card.read_text("utf-8")


def test_new_is_scriptable_with_every_field(kacard, folder):
    result = kacard("new", "hz-full", "--name", "杭州全字段有限公司", "--owner", "zhangwei", "--status", "active",
                    "--tier", "A", "--industry", "fmcg", "--sector", "private", "--region", "华东/杭州",
                    "--address", "杭州市上城区", "--lat", "30.25", "--lon", "120.17", "--since", "2020-01-01",
                    "--visit-minutes", "60", "--tag", "包装", "--tag", "出口")
    assert result.exit_code == 0, result.output
    row = json.loads(kacard("list", "--format", "json").stdout)[0]
    assert (row["tier"], row["status"], row["visit_minutes"], row["tags"]) == ("A", "active", 60, ["包装", "出口"])
    assert kacard("new", "hz-x", "--name", "X", "--owner", "ghost").exit_code == 2
    assert kacard("new", "hz-y", "--name", "Y").exit_code == 2  # no terminal to ask the owner on


def test_edit_refuses_an_owner_outside_the_team(kacard, write_card, tmp_path, monkeypatch):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    before = card.read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, """\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('owner: zhangwei', 'owner: zhangwie'), 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 2
    assert "unknown owner 'zhangwie'" in result.output
    assert card.read_bytes() == before


def test_edit_reopens_until_valid_when_asked(folder, write_card, tmp_path, monkeypatch):
    import datetime as dt

    from kacard.cards.edit_session import edit_card
    from kacard.cards.store import load_folder

    card = write_card("hz-xinghe", SAMPLE_CARD)
    counter = tmp_path / "runs"
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"""\
        import sys, pathlib
        runs = pathlib.Path({str(counter)!r})
        n = int(runs.read_text()) + 1 if runs.exists() else 1
        runs.write_text(str(n))
        p = pathlib.Path(sys.argv[1])
        text = p.read_text('utf-8').replace('colour: red\\n', '')
        p.write_text(text + ('colour: red\\n' if n == 1 else '# fixed\\n'), 'utf-8')
        """))
    asked = []
    loaded_folder = load_folder(folder, dt.date(2026, 11, 23))
    saved = edit_card(folder, loaded_folder.get("hz-xinghe"), loaded_folder.settings,
                      edit_again=lambda problems: asked.append([p.field for p in problems]) or True)
    assert saved and asked == [["colour"]]
    assert card.read_text("utf-8").endswith("# fixed\n") and "colour" not in card.read_text("utf-8")
