"""Dates and times as people type them, and prompts on a real terminal that ask again
on a wrong answer without losing the answers already given (issue 15, point 4)."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kacard.dates import parse_clock, parse_day

WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(("text", "future", "past"), [
    ("2026-12-07", "2026-12-07", "2026-12-07"),
    ("2026/12/07", "2026-12-07", "2026-12-07"),
    ("2026年12月7日", "2026-12-07", "2026-12-07"),
    ("12-07", "2026-12-07", "2026-12-07"),
    ("12月7日", "2026-12-07", "2026-12-07"),
    ("01-05", "2027-01-05", "2027-01-05"),  # the year that puts it nearest today
    ("11-20", "2026-11-20", "2026-11-20"),
    ("+7", "2026-12-02", "2026-12-02"),
    ("-3", "2026-11-22", "2026-11-22"),
    ("明天", "2026-11-26", "2026-11-26"),
    ("fri", "2026-11-27", "2026-11-20"),
    ("周五", "2026-11-27", "2026-11-20"),
    ("周三", "2026-11-25", "2026-11-25"),  # today
    ("下周五", "2026-12-04", "2026-12-04"),
    ("next fri", "2026-12-04", "2026-12-04"),
    ("本周一", "2026-11-23", "2026-11-23"),
    ("上周五", "2026-11-20", "2026-11-20"),
])
def test_parse_day(text, future, past):
    assert parse_day(text, WEDNESDAY).isoformat() == future
    assert parse_day(text, WEDNESDAY, past=True).isoformat() == past


@pytest.mark.parametrize("text", ["2026-02-30", "13-45", "someday", "周八", ""])
def test_parse_day_refuses(text):
    with pytest.raises(ValueError, match="not a date|no such day"):
        parse_day(text, WEDNESDAY)


@pytest.mark.parametrize(("text", "expected"), [
    ("9:30", "09:30"), ("09:30", "09:30"), ("9：30", "09:30"), ("9.30", "09:30"), ("9点", "09:00"),
    ("9点半", "09:30"), ("9点15分", "09:15"), ("下午3点", "15:00"), ("3pm", "15:00"), ("14:00", "14:00"),
])
def test_parse_clock(text, expected):
    assert parse_clock(text).strftime("%H:%M") == expected


@pytest.mark.parametrize("text", ["25:00", "9:75", "noon-ish"])
def test_parse_clock_refuses(text):
    with pytest.raises(ValueError, match="not a time"):
        parse_clock(text)


def test_log_options_take_typed_dates(kacard, folder, write_card):
    path = write_card("hz-a", "id: hz-a\nname: 杭州甲公司\nowner: lina\n")
    result = kacard("log", "hz-a", "--summary", "拜访", "--date", "fri", "--next-date", "下周五",
                    "--next-time", "下午3点", "--next-action", "报价", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "date: 2026-11-20" in text and "{date: 2026-12-04, time: \"15:00\", action: 报价}" in text
    bad = kacard("log", "hz-a", "--summary", "x", "--next-date", "someday", "--next-action", "y")
    assert bad.exit_code == 2 and "--next-date: not a date: 'someday'" in bad.stderr


def converse(args: list[str], answers: list[str], env: dict[str, str], timeout: float = 30) -> str:
    """Run `kacard ARGS` on a pseudo-terminal (stdin and stdout), typing each answer after
    the next prompt appears; returns everything the terminal showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kacard", *args], stdin=slave, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    shown = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    prompts_seen = 0
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
            count = shown.count(b": ")  # every prompt ends with ': '
            while pending and prompts_seen < count:
                prompts_seen += 1
                os.write(master, (pending.pop(0) + "\n").encode("utf-8"))
    finally:
        proc.wait(timeout=timeout)
        os.close(master)
    return shown.decode("utf-8", errors="replace")


def test_new_asks_and_asks_again(folder: Path, tmp_path: Path):
    env = {**os.environ, "KACARD_TODAY": "2026-11-25", "KACARD_CACHE_DIR": str(tmp_path / "cache"),
           "KACARD_USER": "lina", "NO_COLOR": "1"}
    answers = ["杭州朗越职业技术学院", "张三", "张伟", "滨江区江南大道1号", "north", "30.21, 120.21",
               "王建国", "采购总监"]
    shown = converse(["new", "--dir", str(folder)], answers, env)
    assert "Account name" in shown and "Owner" in shown, shown
    assert shown.count("unknown owner '张三'") == 1, shown  # asked again, once
    assert "[lina]" in shown  # the default owner: the rep running kacard
    assert "type latitude and longitude" in shown
    path = folder / "hz-langyuezhiyejishuxueyuan.yaml"
    assert path.exists(), shown
    text = path.read_text(encoding="utf-8")
    for expected in ("name: 杭州朗越职业技术学院", "owner: zhangwei", "address: 滨江区江南大道1号",
                     "location: {lat: 30.21, lon: 120.21}", "{name: 王建国, title: 采购总监}"):
        assert expected in text, text


def test_log_asks_for_the_next_step_again_until_it_is_a_date(folder: Path, tmp_path: Path):
    (folder / "hz-a.yaml").write_text("id: hz-a\nname: 杭州甲公司\nowner: lina\n", encoding="utf-8")
    env = {**os.environ, "KACARD_TODAY": "2026-11-25", "KACARD_CACHE_DIR": str(tmp_path / "cache"),
           "NO_COLOR": "1"}
    shown = converse(["log", "甲公司", "--dir", str(folder)], ["初次拜访", "改天", "-3", "下周五", "送样品"], env)
    assert "not a date: '改天'" in shown and "dated before the visit" in shown, shown
    text = (folder / "hz-a.yaml").read_text(encoding="utf-8")
    assert "summary: 初次拜访" in text and "next: {date: 2026-12-04, action: 送样品}" in text, text
