"""Everyday friction (issue 21) for the rep: logging mistakes (#3), edit keeps work (#1)."""

from __future__ import annotations

import json

from conftest import SAMPLE_CARD

LOST = SAMPLE_CARD.replace("status: active", "status: lost").replace("next: {date: 2026-11-24", "next: {date: 2026-11-12")


def due_ids(kacard) -> list[str]:
    result = kacard("due", "--format", "json")
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


# -- 3. logging mistakes -----------------------------------------------------------------------


def test_log_with_someone_not_on_the_card_is_refused_with_did_you_mean(kacard, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    step = ("--summary", "回访", "--next-date", "+7", "--next-action", "报价")
    result = kacard("log", "hz-xinghe", "--with", "王建", *step)
    assert result.exit_code == 2, result.output
    assert "王建 is not a contact of hz-xinghe (did you mean 王建国?)" in result.stderr
    assert "--new-contact" in result.stderr and "Traceback" not in result.output
    assert path.read_bytes() == before
    known = kacard("log", "hz-xinghe", "--with", "王建国", *step)
    assert known.exit_code == 0, known.output
    new = kacard("log", "hz-xinghe", "--with", "赵新人", "--new-contact", *step)
    assert new.exit_code == 0, new.output
    assert "with: [赵新人]" in path.read_text("utf-8")


def test_a_visit_to_a_lost_account_warns_off_a_terminal(kacard, write_card):
    path = write_card("hz-xinghe", LOST)
    result = kacard("log", "hz-xinghe", "--summary", "回访", "--next-date", "+1", "--next-action", "报价")
    assert result.exit_code == 0, result.output
    assert "hz-xinghe is marked lost" in result.stderr and "kacard due" in result.stderr
    assert "status: lost" in path.read_text("utf-8")
    assert due_ids(kacard) == []


def test_a_visit_to_a_lost_account_offers_to_reactivate_on_a_terminal(kacard, write_card, monkeypatch):
    from kacard.cli import cards

    path = write_card("hz-xinghe", LOST)
    monkeypatch.setattr(cards, "_interactive", lambda: True)
    result = kacard("log", "hz-xinghe", "--summary", "回访", "--next-date", "+1", "--next-action", "报价",
                    input="y\n")
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "status: active" in text and "# the account's card" in text
    assert due_ids(kacard) == ["hz-xinghe"]


SAME_DAY = SAMPLE_CARD + """\
  - date: 2026-11-20
    time: "15:00"
    summary: 下午复谈
    next: {date: 2026-11-30, action: 下午定的步骤}
  - date: 2026-11-20
    time: "09:00"
    summary: 上午拜访
    next: {date: 2026-11-21, action: 上午的旧步骤}
"""


def test_same_day_visits_are_ordered_by_their_time(kacard, write_card):
    write_card("hz-xinghe", SAME_DAY)
    rows = json.loads(kacard("list", "--format", "json").stdout)
    assert rows[0]["next_action"] == "下午定的步骤", rows[0]
    assert due_ids(kacard) == []  # the open step is the afternoon's 11-30 one, not the stale 11-21
    assert "two visits on" not in kacard("validate").output


def test_same_day_visits_without_time_are_flagged_in_validate(kacard, write_card):
    write_card("hz-xinghe", SAME_DAY.replace('    time: "15:00"\n', ""))
    result = kacard("validate")
    assert result.exit_code == 0, result.output
    assert "visits.2.time" in result.output and "two visits on 2026-11-20 leave a next step" in result.output


def test_log_time_records_when_and_orders_the_day(kacard, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    for at, action in (("16:00", "后来的步骤"), ("上午9点", "早上的步骤")):
        result = kacard("log", "hz-xinghe", "--date", "2026-11-20", "--time", at, "--summary", "拜访",
                        "--next-date", "2026-11-30", "--next-action", action)
        assert result.exit_code == 0, result.output
    rows = json.loads(kacard("list", "--format", "json").stdout)
    assert rows[0]["next_action"] == "后来的步骤"
    assert "already has a visit on 2026-11-20" not in result.stderr  # both timed: no ambiguity
    untimed = kacard("log", "hz-xinghe", "--date", "2026-11-20", "--summary", "又一次", "--next-date", "2026-12-01",
                     "--next-action", "跟进")
    assert untimed.exit_code == 0 and "already has a visit on 2026-11-20" in untimed.stderr
    text = path.read_text("utf-8")
    assert 'time: "16:00"' in text and 'time: "09:00"' in text
    bad = kacard("log", "hz-xinghe", "--time", "25:99", "--summary", "x", "--no-next", "y")
    assert bad.exit_code == 2 and "--time" in bad.stderr


# -- 1. kacard edit keeps work -----------------------------------------------------------------


def _editor(tmp_path, script: str) -> str:
    import sys
    import textwrap

    path = tmp_path / "editor.py"
    path.write_text(textwrap.dedent(script), encoding="utf-8")
    return f"{sys.executable} {path}"


def _kept_path(output: str):
    import re
    from pathlib import Path

    found = re.search(r"Your edit is kept in (\S+\.yaml)", output)
    assert found, output
    return Path(found.group(1))


def test_an_invalid_edit_is_kept_privately_and_can_be_resumed(kacard, folder, write_card, tmp_path, monkeypatch):
    import os
    import stat

    card = write_card("hz-xinghe", SAMPLE_CARD)
    before = card.read_bytes()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, """\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('华东/杭州', '华东/宁波') + 'colour: red\\n', 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 2 and "colour" in result.stderr
    assert card.read_bytes() == before
    kept = _kept_path(result.stderr)
    assert folder not in kept.parents and kept.exists()
    assert "华东/宁波" in kept.read_text("utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    monkeypatch.setenv("EDITOR", _editor(tmp_path, """\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('colour: red\\n', ''), 'utf-8')
        """))
    resumed = kacard("edit", "hz-xinghe", "--from", str(kept))
    assert resumed.exit_code == 0, resumed.output
    assert "华东/宁波" in card.read_text("utf-8") and "colour" not in card.read_text("utf-8")


def test_an_edit_clashing_with_a_change_on_disk_is_kept(kacard, write_card, tmp_path, monkeypatch):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"""\
        import sys, pathlib
        card = pathlib.Path({str(card)!r})
        card.write_text(card.read_text('utf-8') + '# pulled\\n', 'utf-8')
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8').replace('华东/杭州', '华东/宁波'), 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 2 and "changed on disk while the editor was open" in result.stderr
    assert card.read_text("utf-8").endswith("# pulled\n")
    assert "华东/宁波" in _kept_path(result.stderr).read_text("utf-8")


def test_answering_no_to_edit_again_keeps_the_buffer(kacard, write_card, tmp_path, monkeypatch):
    from kacard.cli import cards

    write_card("hz-xinghe", SAMPLE_CARD)
    monkeypatch.setattr(cards, "_interactive", lambda: True)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, """\
        import sys, pathlib
        p = pathlib.Path(sys.argv[1])
        p.write_text(p.read_text('utf-8') + 'colour: red\\n', 'utf-8')
        """))
    result = kacard("edit", "hz-xinghe", input="n\n")
    assert result.exit_code == 2
    assert "colour: red" in _kept_path(result.stderr).read_text("utf-8")


def test_a_reopened_buffer_starts_with_the_problems_as_comments(folder, write_card, tmp_path, monkeypatch):
    import datetime as dt

    from kacard.cards.edit_session import edit_card
    from kacard.cards.store import load_folder

    card = write_card("hz-xinghe", SAMPLE_CARD)
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"""\
        import sys, pathlib
        seen = pathlib.Path({str(seen)!r})
        p = pathlib.Path(sys.argv[1])
        text = p.read_text('utf-8')
        if not seen.exists():
            seen.write_text('')
            p.write_text(text + 'colour: red\\n', 'utf-8')
        else:
            seen.write_text(text, 'utf-8')
            p.write_text(text.replace('colour: red\\n', '').replace('华东/杭州', '华东/宁波'), 'utf-8')
        """))
    loaded = load_folder(folder, dt.date(2026, 11, 23))
    assert edit_card(folder, loaded.get("hz-xinghe"), loaded.settings, edit_again=lambda problems: True)
    shown = seen.read_text("utf-8").splitlines()
    assert shown[0].startswith("# kacard: not saved") and shown[1].startswith("# kacard: ")
    assert "colour" in shown[1]
    line = int(shown[1].split(":")[2])  # "# kacard: hz-xinghe.yaml:LINE:COL: ..." counts the header
    assert shown[line - 1] == "colour: red"
    saved = card.read_text("utf-8")
    assert "# kacard" not in saved and "colour" not in saved and "华东/宁波" in saved


def test_an_editor_that_cannot_start_names_the_usual_choices(kacard, write_card, monkeypatch):
    card = write_card("hz-xinghe", SAMPLE_CARD)
    before = card.read_bytes()
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    result = kacard("edit", "hz-xinghe")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "could not start the editor 'no-such-editor-here'" in result.stderr
    for choice in ("EDITOR=nano", "EDITOR=vim", "code --wait", "notepad"):
        assert choice in result.stderr
    assert card.read_bytes() == before
