"""Tables on a real terminal (a pseudo-terminal of a set size): fitted, bold header,
card text still printed literally."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

fcntl = pytest.importorskip("fcntl", reason="pseudo-terminals are POSIX only")
pty = pytest.importorskip("pty")
termios = pytest.importorskip("termios")

from kacard.render.output import NARROWEST, Column, _fit
from kacard.text import width

SGR = re.compile(r"\x1b\[[0-9;]*m")


def on_terminal(args: list[str], columns: int, env: dict[str, str], *, code: int = 0,
                both: bool = False) -> tuple[str, str]:
    """stdout and stderr of `kacard ARGS` run on a pseudo-terminal `columns` cells wide
    (`both`: stderr on it too, mixed into the first string), exiting with `code`."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "kacard", *args], stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave if both else subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    err = proc.stderr.read().decode("utf-8") if proc.stderr else ""
    assert proc.wait(timeout=60) == code, err
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), err


def sample_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "KACARD_CACHE_DIR": str(tmp_path / "cache"), "KACARD_TODAY": "2026-11-23"}
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


SAMPLE = Path(__file__).resolve().parent.parent / "cards"


def test_list_fits_a_narrow_terminal_and_keeps_ids_unique(tmp_path):
    out, err = on_terminal(["list", "--dir", str(SAMPLE)], 80, sample_env(tmp_path))
    lines = out.splitlines()
    assert lines[0] == "region: 华东/杭州"  # the same on every row: in the title, not a column
    assert lines[1].startswith("\x1b[1mid") and lines[1].endswith("\x1b[0m")  # bold header
    assert set(lines[2].replace(" ", "")) == {"─"}
    assert all(width(SGR.sub("", line)) <= 80 for line in lines), max(lines, key=width)
    ids = sorted(p.stem for p in SAMPLE.glob("*.yaml") if p.name != "kacard.yaml")
    rows = [line for line in lines[3:] if not line.startswith(" ")]
    shown = [line.split()[0] for line in rows]
    assert len(set(shown)) == len(ids)  # every card once, no two alike
    for text in shown:  # whole, or cut to a prefix that names one card only (and ends in "…")
        named = [i for i in ids if i == text or (text.endswith("…") and i.startswith(text[:-1]))]
        assert len(named) == 1, text
    header = SGR.sub("", lines[1]).split()
    assert ["revenue", "last", "visit", "next", "step"] == header[-5:]  # what matters is kept
    assert "region" not in header and "action" not in header  # left off first, and said so
    # names too wide for their column go on in the next lines, under themselves
    at = SGR.sub("", lines[1]).index("name")
    assert lines[2].split()[1] == "─" * 20  # the name's share: a quarter of 80 cells
    assert next(line for line in lines if line.startswith("hz-beichen-f"))[at:].startswith("杭州北辰食品有限公司 ")
    first = next(i for i, line in enumerate(lines) if line.startswith("hz-cangwu-"))
    assert lines[first][at:].startswith("杭州苍梧") and lines[first + 1].strip().endswith("有限公司")
    assert width(lines[first + 1][:len(lines[first + 1]) - len(lines[first + 1].lstrip())]) == at
    assert "not shown, the terminal is 80 columns wide:" in err and err.rstrip().endswith("(--format json has every column)")


def test_wide_terminal_shows_the_whole_table_and_whole_names(tmp_path):
    out, err = on_terminal(["list", "--dir", str(SAMPLE)], 250, sample_env(tmp_path, NO_COLOR="1"))
    plain = subprocess.run([sys.executable, "-m", "kacard", "list", "--dir", str(SAMPLE)],
                           capture_output=True, text=True, env=sample_env(tmp_path), check=True).stdout
    lines = out.splitlines()
    assert "\x1b" not in out  # NO_COLOR: no styling at all
    assert [line.split()[0] for line in lines[2:]] == [line.split()[0] for line in plain.splitlines()[1:]]
    assert lines[0].split() == plain.splitlines()[0].split()  # every column, no title
    full = "Halvard Packaging Systems (Hangzhou) Co., Ltd."  # free text uses the wide window
    assert full in out and full not in plain
    assert err == ""


def test_card_text_stays_literal_on_a_terminal(tmp_path, folder, write_card):
    write_card("hz-red", 'id: hz-red\nname: "\\e[31mRED\\e]0;title\\a 红"\nowner: lina\n')
    out, _ = on_terminal(["list", "--dir", str(folder)], 120, sample_env(tmp_path))
    body = out.splitlines()[2]
    assert "\\x1b[31mRED" in body and "\x1b" not in body


def test_fit_cuts_free_text_then_headers_and_never_below_the_narrowest():
    columns = [Column("id", "id"), Column("name", "name", max_width=28),
               Column("revenue", "revenue", right=True), Column("action", "action", max_width=24),
               Column("help", "needs help")]
    body = [20, 28, 9, 24, 3]  # widest cells; "needs help" is wider than its yes/no cells
    natural = [20, 28, 9, 24, 10]  # 91 cells + 4 gaps of 2
    assert _fit(body, columns, 200) == natural
    fitted = _fit(body, columns, 70)
    assert fitted[0] == 20 and fitted[2] == 9 and fitted[4] == 10  # only free text cut
    assert sum(fitted) + 8 == 70 and abs(fitted[1] - fitted[3]) <= 1
    assert _fit(body, columns, 61) == [20, NARROWEST, 9, NARROWEST, NARROWEST]  # then the long header
    assert _fit(body, columns, 51) == [20, NARROWEST, 9, NARROWEST, None]  # then the rightmost is left off
    assert _fit(body, columns, 50) == [20, 17, 9, None, None]  # and the next, leaving room for more of the name
    assert _fit(body, columns, 10) == [20, None, None, None, None]  # the first column is always shown


def test_fit_leaves_columns_off_by_their_drop_order_and_keeps_least_widths():
    columns = [Column("id", "id"), Column("region", "region", max_width=16, drop=1),
               Column("revenue", "revenue", right=True), Column("why", "why", max_width=60, least=30),
               Column("owner", "owner", drop=2)]
    body = [20, 16, 9, 60, 8]
    assert _fit(body, columns, 200) == body
    assert _fit(body, columns, 74) == [20, None, 9, 31, 8]  # region first, though not the rightmost
    assert _fit(body, columns, 63) == [20, None, 9, 30, None]  # then owner; why never below 30
    assert _fit(body, columns, 40) == [20, None, 9, None, None]  # then the rightmost of the rest


def test_wrap_breaks_at_spaces_or_between_chinese_characters_and_cuts_the_last_line():
    from kacard.text import wrap

    assert wrap("cadence overdue 39d; next step 2026-07-27 (119d late)", 12) == [
        "cadence", "overdue 39d;", "next step 2…"]
    assert wrap("2026-07-27 拜访采购总监", 12) == ["2026-07-27", "拜访采购总监"]
    assert wrap("杭州禾丰数据科技有限公司", 8) == ["杭州禾丰", "数据科技", "有限公司"]
    assert wrap("杭州禾丰数据科技有限公司", 8, max_lines=2) == ["杭州禾丰", "数据科…"]
    assert wrap("Aldermoor Electronics (Hangzhou)", 15) == ["Aldermoor", "Electronics", "(Hangzhou)"]
    assert wrap("short", 8) == ["short"] and wrap("", 8) == [""]
    assert all(width(line) <= 9 for line in wrap("杭州 禾丰 Data 科技 有限公司 and more words here", 9, max_lines=9))


def _table_lines(out: str) -> list[str]:
    """The lines of a route's tables (not its prose lines or map URLs, which wrap as prose)."""
    return [line for line in out.splitlines() if re.match(r"(#|─|\s|\d+\s)", line)]


def test_score_at_80_columns_keeps_abc_10_2_tier_and_quadrant(tmp_path):
    out, _ = on_terminal(["score", "--dir", str(SAMPLE)], 80, sample_env(tmp_path, NO_COLOR="1"))
    header = next(line for line in out.splitlines() if line.lstrip().startswith("#"))
    for kept in ("id", "name", "ABC", "10/2", "tier", "quadrant"):
        assert kept in header.split(), header
    lines = out.splitlines()
    table = lines[lines.index(header):]
    table = table[:next(i for i, line in enumerate(table) if "account(s);" in line)]  # then prose
    assert len(table) > 40 and all(width(line) <= 80 for line in table)


def test_due_at_80_columns_keeps_the_reasons_readable(tmp_path):
    out, _ = on_terminal(["due", "--all", "--dir", str(SAMPLE)], 80, sample_env(tmp_path, NO_COLOR="1"))
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("urgency"))
    assert header.split()[-1] == "why"
    rule = lines[lines.index(header) + 1].split()
    assert len(rule[-1]) >= 30  # the reasons' column is never narrowed below 30 cells
    words = " ".join(word for word in out.split() if word.isascii())  # a reason wraps beside a name
    assert "signal procurement change 2026-10-31" in words  # the churn signal's reason, whole
    assert all(width(line) <= 80 for line in lines[lines.index(header):])


def test_route_table_is_fitted_like_the_others(tmp_path):
    args = ["route", "--week", "2026-W48", "--owner", "zhangwei", "--dir", str(SAMPLE)]
    out, _ = on_terminal(args, 80, sample_env(tmp_path, NO_COLOR="1"))
    lines = _table_lines(out)
    assert all(width(line) <= 80 for line in lines), max(lines, key=width)
    header = next(line for line in lines if line.startswith("#  arrive"))
    assert "id" in header.split() and "name" in header.split() and "leg km" not in header
    wide, _ = on_terminal(args, 200, sample_env(tmp_path, NO_COLOR="1"))
    assert "leg km" in wide  # a wide terminal shows every column
