"""Everyday friction (issue 21 #9) for the manager: handover --dry-run, a guided init."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE_CARD

from kacard.cards.model.settings import Settings
from kacard.cards.yamlio import load_data


def test_handover_dry_run_shows_what_would_move_and_writes_nothing(kacard, folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    write_card("hz-lina", SAMPLE_CARD.replace("hz-xinghe", "hz-lina").replace("owner: zhangwei", "owner: lina"))
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    result = kacard("handover", "zhangwei", "lina", "--dry-run", "--reason", "离职")
    assert result.exit_code == 0, result.output
    assert "Would hand over 1 card(s) from zhangwei to lina" in result.stdout
    assert "hz-xinghe" in result.stdout and "hz-lina" not in result.stdout
    assert "nothing was written" in result.stderr
    as_json = json.loads(kacard("handover", "zhangwei", "lina", "--dry-run", "--format", "json").stdout)
    assert as_json["dry_run"] is True and [c["id"] for c in as_json["cards"]] == ["hz-xinghe"]
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before
    done = kacard("handover", "zhangwei", "lina")
    assert done.exit_code == 0 and "owner: lina" in (folder / "hz-xinghe.yaml").read_text("utf-8")


def test_init_rerun_adds_reps_and_keeps_comments(kacard, tmp_path):
    target = tmp_path / "team"
    assert kacard.raw("init", str(target), "--rep", "zhangwei=张伟").exit_code == 0
    settings = target / "kacard.yaml"
    settings.write_text(settings.read_text("utf-8") + "# 我们的约定\n", encoding="utf-8")
    again = kacard.raw("init", str(target), "--rep", "lina=李娜", "--rep", "zhangwei=张伟")
    assert again.exit_code == 0, again.output
    assert "added lina (李娜)" in again.stdout and "zhangwei is already in the team" in again.stdout
    text = settings.read_text("utf-8")
    assert "# 我们的约定" in text and "# reps; a card's owner must be one of these ids" in text
    assert [rep.id for rep in Settings.model_validate(load_data(text)).team] == ["zhangwei", "lina"]
    bad = kacard.raw("init", str(target), "--rep", "Bad Id=某人")
    assert bad.exit_code == 2 and settings.read_text("utf-8") == text


@pytest.fixture
def on_a_terminal(monkeypatch):
    from kacard.cli import cards

    monkeypatch.setattr(cards, "_interactive", lambda: True)


def test_init_on_a_terminal_is_a_guided_start(kacard, tmp_path, on_a_terminal):
    target = tmp_path / "team"
    answers = "\n".join(["zhangwei=张伟", "lina 李娜", "lina=李娜", "", "30.27, 120.15", "", "en", "baidu", ""])
    result = kacard.raw("init", str(target), input=answers)
    assert result.exit_code == 0, result.output
    assert "type the rep as id=名字" in result.output  # the mistyped answer is explained, then asked again
    settings = Settings.model_validate(load_data((target / "kacard.yaml").read_text("utf-8")))
    assert [(r.id, r.name) for r in settings.team] == [("zhangwei", "张伟"), ("lina", "李娜")]
    assert (settings.team[0].base.lat, settings.team[0].base.lon) == (30.27, 120.15)
    assert settings.team[1].base is None
    if "language" in Settings.model_fields:  # the field lands with the zh-ui work
        assert settings.language == "en"
    if "map" in Settings.model_fields:  # the field lands with the routes work
        assert settings.map.app == "baidu"
    rerun = kacard.raw("init", str(target), "--rep", "wangfang=王芳", input="\n31.23, 121.47\n")
    assert rerun.exit_code == 0, rerun.output
    team = Settings.model_validate(load_data((target / "kacard.yaml").read_text("utf-8"))).team
    assert [r.id for r in team] == ["zhangwei", "lina", "wangfang"] and team[2].base.lat == 31.23
