"""The everyday commands on a small folder: new, log, list, show, filter, validate."""

from __future__ import annotations

import json

from tests.conftest import SAMPLE_CARD


def test_new_then_list_json(kacard, folder):
    result = kacard("new", "hz-new", "--name", "杭州新客户", "--owner", "lina", "--lat", "30.2", "--lon", "120.2")
    assert result.exit_code == 0, result.output
    text = (folder / "hz-new.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=.schema/card.schema.json")
    result = kacard("list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["name"], r["owner"], r["status"]) for r in rows] == [
        ("hz-new", "杭州新客户", "lina", "prospect")
    ]


def test_log_appends_only_lines(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_text("utf-8")
    result = kacard(
        "log", "hz-xinghe", "--summary", "现场讲解", "--with", "王建国", "--date", "2026-11-23",
        "--next-date", "2026-12-08", "--next-action", "报价",
    )
    assert result.exit_code == 0, result.output
    after = path.read_text("utf-8")
    assert after.startswith(before)  # comments, order and quoting kept; only lines added
    added = after[len(before):]
    assert "date: 2026-11-23" in added and "next: {date: 2026-12-08, action: 报价}" in added


def test_log_without_next_step_is_refused_without_terminal(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    result = kacard("log", "hz-xinghe", "--summary", "拜访")
    assert result.exit_code == 2
    assert "next step" in result.output
    assert path.read_bytes() == before


def test_log_refuses_a_visit_in_the_future(kacard, folder, write_card):
    path = write_card("hz-xinghe", SAMPLE_CARD)
    before = path.read_bytes()
    result = kacard("log", "hz-xinghe", "--summary", "x", "--date", "2026-12-25",
                    "--next-date", "2026-12-30", "--next-action", "y")
    assert result.exit_code == 2 and "after today" in result.output
    assert path.read_bytes() == before


def test_console_script_flushes_output_and_keeps_exit_codes(tmp_path):
    """main() leaves with os._exit (no teardown): output must still be complete and the
    exit codes those of the command."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    cards = Path(__file__).resolve().parents[1] / "cards"
    env = {**os.environ, "KACARD_CACHE_DIR": str(tmp_path / "cache"), "KACARD_TODAY": "2026-11-23"}
    run = [sys.executable, "-m", "kacard"]
    listed = subprocess.run([*run, "list", "--dir", str(cards), "--format", "json"],
                            capture_output=True, text=True, env=env, check=False)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 40
    missing = subprocess.run([*run, "show", "no-such-card", "--dir", str(cards)],
                             capture_output=True, text=True, env=env, check=False)
    assert missing.returncode == 2 and "no card matches 'no-such-card'" in missing.stderr
    usage = subprocess.run([*run, "due", "--week", "soon", "--dir", str(cards)],
                           capture_output=True, text=True, env=env, check=False)
    assert usage.returncode == 2 and "--week must look like 2026-W48" in usage.stderr
