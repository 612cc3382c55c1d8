"""Issue 11, kind 5: ids and files. An id is unique in the whole folder (ignoring case, as
Windows and macOS do) when a card is created; an id is a slug (a trailing newline is
refused); a file that looks like a card but is not read is reported, never skipped silently."""

from __future__ import annotations

import json

import pytest

from kacard.cards.paths import check_id
from kacard.errors import UnsafePath


def test_new_refuses_an_id_that_exists_in_a_subfolder(kacard, folder):
    (folder / "华东").mkdir()
    old = folder / "华东" / "hz-demo.yaml"
    old.write_text("id: hz-demo\nname: 老客户\nowner: lina\nvisits:\n  - {date: 2026-11-01, summary: x, no_next: y}\n",
                   encoding="utf-8")
    before = old.read_bytes()
    result = kacard("new", "hz-demo", "--name", "新客户", "--owner", "lina")
    assert result.exit_code == 2 and "华东/hz-demo.yaml" in result.output
    assert not (folder / "hz-demo.yaml").exists() and old.read_bytes() == before


def test_new_refuses_an_id_that_differs_only_in_case(kacard, folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "HZ-Demo.yaml").write_text("id: HZ-Demo\nname: x\nowner: lina\n", encoding="utf-8")
    result = kacard("new", "hz-demo", "--name", "新客户", "--owner", "lina")
    assert result.exit_code == 2 and "HZ-Demo.yaml" in result.output
    assert not (folder / "hz-demo.yaml").exists()


@pytest.mark.parametrize("bad", ["hz-demo\n", "hz-demo\r\n", " hz-demo", "hz-demo ", "hz/demo", "HZ-demo", "hz..x"])
def test_ids_are_slugs_only(bad):
    with pytest.raises(UnsafePath):
        check_id(bad)


def test_new_with_a_trailing_newline_in_the_id_is_refused(kacard, folder):
    result = kacard("new", "hz-demo\n", "--name", "x", "--owner", "lina")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert [p.name for p in folder.iterdir()] == ["kacard.yaml"]


@pytest.mark.parametrize("name", ["hz-demo.yml", "hz-demo.YAML", "sub/hz-demo.Yaml", "hz-demo.YML"])
def test_card_looking_files_that_are_not_read_are_reported(kacard, folder, name):
    path = folder / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("id: hz-demo\nname: x\nowner: lina\n", encoding="utf-8")
    (folder / "ok.yaml").write_text("id: ok\nname: ok\nowner: lina\n", encoding="utf-8")
    checked = kacard("validate", "--format", "json")
    [problem] = [p for p in json.loads(checked.stdout) if p["file"] == name]
    assert problem["severity"] == "warning" and "not read" in problem["message"]
    listed = kacard("list")
    assert name in listed.output and "not read" in listed.output
    assert [r["id"] for r in json.loads(kacard("list", "--format", "json").stdout)] == ["ok"]


def test_other_files_are_not_reported(kacard, folder):
    for name in ("notes.txt", "README.md", ".hidden.yml", "data.json"):
        (folder / name).write_text("x", encoding="utf-8")
    assert json.loads(kacard("validate", "--format", "json").stdout) == []
